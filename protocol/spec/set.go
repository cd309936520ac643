package spec

import "fmt"

// Set is a group of protocols whose cross references all resolve: every
// interface attribute names an interface of the set, every enum attribute an
// enum of the set. Interface names are unique across the set, as they are in
// a libwayland process, where they identify globals on the wire.
type Set struct {
	Protocols []*Protocol
	ifaces    map[string]*Interface
	owners    map[string]*Protocol
}

// NewSet checks the protocols together and indexes their interfaces.
func NewSet(protos ...*Protocol) (*Set, error) {
	s := &Set{
		Protocols: protos,
		ifaces:    map[string]*Interface{},
		owners:    map[string]*Protocol{},
	}
	names := map[string]bool{}
	for _, p := range protos {
		if p == nil {
			return nil, fmt.Errorf("spec: %w", invalid("nil protocol in set"))
		}
		if names[p.Name] {
			return nil, fmt.Errorf("spec: %w", invalid("protocol %s given twice", p.Name))
		}
		names[p.Name] = true
		for _, i := range p.Interfaces {
			if q, dup := s.owners[i.Name]; dup {
				return nil, fmt.Errorf("spec: %w", invalid("interface %s is in both %s and %s", i.Name, q.Name, p.Name))
			}
			s.ifaces[i.Name] = i
			s.owners[i.Name] = p
		}
	}
	for _, p := range protos {
		if err := checkRefs(p, s.Interface, true); err != nil {
			return nil, fmt.Errorf("spec: protocol %s: %w", p.Name, err)
		}
	}
	return s, nil
}

// Interface returns the interface of that name, or nil.
func (s *Set) Interface(name string) *Interface { return s.ifaces[name] }

// Protocol returns the protocol of that name, or nil.
func (s *Set) Protocol(name string) *Protocol {
	for _, p := range s.Protocols {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// ProtocolOf returns the protocol that declares the interface, or nil.
func (s *Set) ProtocolOf(iface string) *Protocol { return s.owners[iface] }

// Enum resolves an enum attribute as written on an argument of from: a bare
// name is from's own enum, "iface.name" an enum of that interface. It
// returns nil when the reference does not resolve.
func (s *Set) Enum(from *Interface, ref string) *Enum {
	return resolveEnum(from, ref, s.Interface)
}

func resolveEnum(from *Interface, ref string, lookup func(string) *Interface) *Enum {
	ifaceName, enumName := splitEnumRef(ref)
	owner := from
	if ifaceName != "" {
		owner = lookup(ifaceName)
	}
	if owner == nil {
		return nil
	}
	return owner.Enum(enumName)
}

// checkRefs checks interface and enum attributes against lookup. Parse runs
// it with strict false: a reference to an interface lookup does not know may
// belong to another protocol and is left to NewSet. A reference into a known
// interface, or to the referring interface's own enum, must resolve.
func checkRefs(p *Protocol, lookup func(string) *Interface, strict bool) error {
	for _, iface := range p.Interfaces {
		for _, list := range [2]struct {
			kind string
			ms   []Message
		}{{"request", iface.Requests}, {"event", iface.Events}} {
			for _, m := range list.ms {
				for _, a := range m.Args {
					if err := checkArgRefs(iface, a, lookup, strict); err != nil {
						return fmt.Errorf("interface %s: %s %s: argument %s: %w", iface.Name, list.kind, m.Name, a.Name, err)
					}
				}
			}
		}
	}
	return nil
}

func checkArgRefs(iface *Interface, a Arg, lookup func(string) *Interface, strict bool) error {
	if a.Interface != "" && strict && lookup(a.Interface) == nil {
		return invalid("interface %s is not defined", a.Interface)
	}
	if a.Enum == "" {
		return nil
	}
	ifaceName, _ := splitEnumRef(a.Enum)
	if ifaceName != "" && lookup(ifaceName) == nil {
		if strict {
			return invalid("enum %s: interface %s is not defined", a.Enum, ifaceName)
		}
		return nil
	}
	e := resolveEnum(iface, a.Enum, lookup)
	if e == nil {
		return invalid("enum %s is not defined", a.Enum)
	}
	// A bitfield combines values with OR; only an unsigned argument carries
	// that meaning (the scanner's rule).
	if e.Bitfield && a.Type != ArgUint {
		return invalid("bitfield enum %s referenced by %s argument", a.Enum, a.Type)
	}
	return nil
}
