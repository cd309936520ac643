package spec

import (
	"strconv"
	"strings"
)

// ArgType is the wire type of a message argument.
type ArgType uint8

// The argument types of the Wayland XML format. The zero value is invalid so
// that a forgotten assignment never reads as a real type.
const (
	ArgInvalid ArgType = iota
	ArgInt
	ArgUint
	ArgFixed
	ArgString
	ArgObject
	ArgNewID
	ArgArray
	ArgFD
)

var argTypeNames = [...]string{
	ArgInvalid: "invalid",
	ArgInt:     "int",
	ArgUint:    "uint",
	ArgFixed:   "fixed",
	ArgString:  "string",
	ArgObject:  "object",
	ArgNewID:   "new_id",
	ArgArray:   "array",
	ArgFD:      "fd",
}

// libwayland's signature letters, index-aligned with argTypeNames.
var argTypeCodes = [...]byte{
	ArgInvalid: '!',
	ArgInt:     'i',
	ArgUint:    'u',
	ArgFixed:   'f',
	ArgString:  's',
	ArgObject:  'o',
	ArgNewID:   'n',
	ArgArray:   'a',
	ArgFD:      'h',
}

// String returns the type's name as written in the XML type attribute.
func (t ArgType) String() string {
	if int(t) < len(argTypeNames) {
		return argTypeNames[t]
	}
	return "invalid"
}

// Code returns the type's letter in libwayland's message signatures.
func (t ArgType) Code() byte {
	if int(t) < len(argTypeCodes) {
		return argTypeCodes[t]
	}
	return '!'
}

// ParseArgType maps an XML type attribute to its ArgType.
func ParseArgType(s string) (ArgType, bool) {
	for i, n := range argTypeNames {
		if i != int(ArgInvalid) && n == s {
			return ArgType(i), true
		}
	}
	return ArgInvalid, false
}

// Protocol is one parsed XML file.
type Protocol struct {
	Name       string
	Interfaces []*Interface
}

// Interface returns the interface of that name, or nil.
func (p *Protocol) Interface(name string) *Interface {
	for _, i := range p.Interfaces {
		if i.Name == name {
			return i
		}
	}
	return nil
}

// Interface is one Wayland interface. Requests and Events are in opcode
// order: Requests[k].Opcode == k.
type Interface struct {
	Name     string
	Version  uint32
	Requests []Message
	Events   []Message
	Enums    []Enum
}

// Request returns the request of that name, or nil.
func (i *Interface) Request(name string) *Message { return findMessage(i.Requests, name) }

// Event returns the event of that name, or nil.
func (i *Interface) Event(name string) *Message { return findMessage(i.Events, name) }

// Enum returns the enum of that name declared in this interface, or nil.
func (i *Interface) Enum(name string) *Enum {
	for k := range i.Enums {
		if i.Enums[k].Name == name {
			return &i.Enums[k]
		}
	}
	return nil
}

func findMessage(ms []Message, name string) *Message {
	for k := range ms {
		if ms[k].Name == name {
			return &ms[k]
		}
	}
	return nil
}

// Message is a request or an event.
type Message struct {
	Name   string
	Opcode uint16
	// Since is the first interface version that has the message (1 if the
	// XML gives none).
	Since uint32
	// Destructor is the XML type="destructor": the object is gone once the
	// message has been handled or sent.
	Destructor bool
	// DeprecatedSince is the first version that must not use the message,
	// 0 if it is not deprecated.
	DeprecatedSince uint32
	// Args are the arguments as the XML declares them; WireArgs gives the
	// arguments as they travel.
	Args []Arg
}

// WireArgs returns the arguments in wire order. An untyped new_id (the one of
// wl_registry.bind) travels as three values: the interface name as a string,
// the version as a uint, then the id. libwayland's connection code expands
// it the same way, so the decoder and encoder must see the expansion.
func (m *Message) WireArgs() []Arg {
	if !m.hasUntyped() {
		return m.Args
	}
	out := make([]Arg, 0, len(m.Args)+2)
	for _, a := range m.Args {
		if a.Untyped() {
			out = append(out,
				Arg{Name: "interface", Type: ArgString},
				Arg{Name: "version", Type: ArgUint})
		}
		out = append(out, a)
	}
	return out
}

func (m *Message) hasUntyped() bool {
	for _, a := range m.Args {
		if a.Untyped() {
			return true
		}
	}
	return false
}

// Signature returns libwayland's signature string for the message: the since
// version when above 1, then per argument '?' if nullable and the type letter,
// with an untyped new_id written "sun" as libwayland writes it.
func (m *Message) Signature() string {
	var b strings.Builder
	if m.Since > 1 {
		b.WriteString(strconv.FormatUint(uint64(m.Since), 10))
	}
	for _, a := range m.Args {
		if a.AllowNull {
			b.WriteByte('?')
		}
		if a.Untyped() {
			b.WriteString("su")
		}
		b.WriteByte(a.Type.Code())
	}
	return b.String()
}

// NewIDs counts the new_id arguments of the message.
func (m *Message) NewIDs() int {
	n := 0
	for _, a := range m.Args {
		if a.Type == ArgNewID {
			n++
		}
	}
	return n
}

// Arg is one argument as declared in the XML.
type Arg struct {
	Name string
	Type ArgType
	// Interface names the object's interface for object and new_id; empty
	// means any interface.
	Interface string
	// AllowNull is allowed only on object and string, as in libwayland's
	// scanner: a null object is id 0, a null string has length 0.
	AllowNull bool
	// Enum is the enum attribute verbatim: "name" for the interface's own
	// enum or "interface.name".
	Enum string
}

// Untyped reports whether the argument is a new_id of unspecified interface,
// which travels with the interface name and version in front of it.
func (a Arg) Untyped() bool { return a.Type == ArgNewID && a.Interface == "" }

// Enum is an enumeration of an interface.
type Enum struct {
	Name     string
	Bitfield bool
	// Since is the enum's own since attribute (1 if absent).
	Since   uint32
	Entries []Entry
}

// Entry returns the entry of that name, or nil.
func (e *Enum) Entry(name string) *Entry {
	for k := range e.Entries {
		if e.Entries[k].Name == name {
			return &e.Entries[k]
		}
	}
	return nil
}

// Entry is one value of an enum.
type Entry struct {
	Name            string
	Value           uint32
	Since           uint32
	DeprecatedSince uint32
}
