package spec

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// MaxFileSize bounds what Parse reads; the largest published file
// (wayland.xml with its descriptions) is about 130 KiB.
const MaxFileSize = 4 << 20

// MaxWireArgs is libwayland's WL_CLOSURE_MAX_ARGS: a message with more wire
// arguments cannot be marshalled or demarshalled by libwayland.
const MaxWireArgs = 20

// ErrInvalid is wrapped by every validation failure, so callers can tell a
// bad protocol from an I/O error with errors.Is.
var ErrInvalid = errors.New("invalid protocol")

type xmlProtocol struct {
	XMLName    xml.Name       `xml:"protocol"`
	Name       *string        `xml:"name,attr"`
	Interfaces []xmlInterface `xml:"interface"`
}

type xmlInterface struct {
	Name     *string      `xml:"name,attr"`
	Version  *string      `xml:"version,attr"`
	Elements []xmlElement `xml:",any"`
}

// xmlElement keeps requests, events and enums in one list so that document
// order (which gives opcodes) survives decoding.
type xmlElement struct {
	XMLName         xml.Name
	Name            *string    `xml:"name,attr"`
	Type            *string    `xml:"type,attr"`
	Since           *string    `xml:"since,attr"`
	DeprecatedSince *string    `xml:"deprecated-since,attr"`
	Bitfield        *string    `xml:"bitfield,attr"`
	Args            []xmlArg   `xml:"arg"`
	Entries         []xmlEntry `xml:"entry"`
}

type xmlArg struct {
	Name      *string `xml:"name,attr"`
	Type      *string `xml:"type,attr"`
	Interface *string `xml:"interface,attr"`
	AllowNull *string `xml:"allow-null,attr"`
	Enum      *string `xml:"enum,attr"`
}

type xmlEntry struct {
	Name            *string `xml:"name,attr"`
	Value           *string `xml:"value,attr"`
	Since           *string `xml:"since,attr"`
	DeprecatedSince *string `xml:"deprecated-since,attr"`
}

// Parse reads one protocol XML file and validates it on its own: every rule
// that needs only this file. References to interfaces and enums of other
// protocols are checked by NewSet or Load.
func Parse(r io.Reader) (*Protocol, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("spec: read: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("spec: %w: file larger than %d bytes", ErrInvalid, MaxFileSize)
	}
	var raw xmlProtocol
	if err := xml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("spec: %w: xml: %w", ErrInvalid, err)
	}
	p, err := build(&raw)
	if err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	if err := checkRefs(p, func(name string) *Interface { return p.Interface(name) }, false); err != nil {
		return nil, fmt.Errorf("spec: protocol %s: %w", p.Name, err)
	}
	return p, nil
}

// Load parses the named files of fsys (every *.xml at its root, sorted, when
// no names are given) and checks their cross references as one Set: a file
// that uses wl_surface must be loaded together with wayland.xml.
func Load(fsys fs.FS, names ...string) (*Set, error) {
	if len(names) == 0 {
		var err error
		names, err = fs.Glob(fsys, "*.xml")
		if err != nil {
			return nil, fmt.Errorf("spec: list protocol files: %w", err)
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("spec: no *.xml files: %w", fs.ErrNotExist)
		}
		slices.Sort(names)
	}
	protos := make([]*Protocol, 0, len(names))
	for _, name := range names {
		p, err := loadOne(fsys, name)
		if err != nil {
			return nil, err
		}
		protos = append(protos, p)
	}
	return NewSet(protos...)
}

func loadOne(fsys fs.FS, name string) (*Protocol, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("spec: open %s: %w", name, err)
	}
	defer f.Close()
	p, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path.Base(name), err)
	}
	return p, nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

func build(raw *xmlProtocol) (*Protocol, error) {
	if raw.Name == nil {
		return nil, invalid("protocol has no name")
	}
	if err := checkIdent(*raw.Name, false); err != nil {
		return nil, fmt.Errorf("protocol name: %w", err)
	}
	p := &Protocol{Name: *raw.Name}
	seen := map[string]bool{}
	for k := range raw.Interfaces {
		iface, err := buildInterface(&raw.Interfaces[k])
		if err != nil {
			return nil, fmt.Errorf("protocol %s: %w", p.Name, err)
		}
		if seen[iface.Name] {
			return nil, fmt.Errorf("protocol %s: %w", p.Name, invalid("duplicate interface %s", iface.Name))
		}
		seen[iface.Name] = true
		p.Interfaces = append(p.Interfaces, iface)
	}
	return p, nil
}

func buildInterface(raw *xmlInterface) (*Interface, error) {
	if raw.Name == nil {
		return nil, invalid("interface has no name")
	}
	name := *raw.Name
	if err := checkIdent(name, false); err != nil {
		return nil, fmt.Errorf("interface name: %w", err)
	}
	if raw.Version == nil {
		return nil, invalid("interface %s has no version", name)
	}
	v, err := parseVersion(*raw.Version)
	if err != nil || v == 0 {
		return nil, invalid("interface %s: version %q is not a positive integer", name, *raw.Version)
	}
	iface := &Interface{Name: name, Version: v}
	wrap := func(err error) error { return fmt.Errorf("interface %s: %w", name, err) }
	// Name sets keep duplicate checks linear: a file may hold a hundred
	// thousand elements, and a hostile one must not cost quadratic time.
	names := map[string]map[string]struct{}{"request": {}, "event": {}, "enum": {}}
	for k := range raw.Elements {
		el := &raw.Elements[k]
		switch kind := el.XMLName.Local; kind {
		case "request", "event":
			isReq := kind == "request"
			list := &iface.Events
			if isReq {
				list = &iface.Requests
			}
			if len(*list) == 1<<16 {
				return nil, wrap(invalid("more messages than 16-bit opcodes can address"))
			}
			m, err := buildMessage(el, iface, isReq, *list, names[kind])
			if err != nil {
				return nil, wrap(err)
			}
			*list = append(*list, m)
		case "enum":
			e, err := buildEnum(el, iface, names[kind])
			if err != nil {
				return nil, wrap(err)
			}
			iface.Enums = append(iface.Enums, e)
		}
	}
	return iface, nil
}

// buildMessage builds the next message of its kind after prev; seen holds
// the names of prev and gains this one's.
func buildMessage(el *xmlElement, iface *Interface, isReq bool, prev []Message, seen map[string]struct{}) (Message, error) {
	kind := "event"
	if isReq {
		kind = "request"
	}
	if el.Name == nil {
		return Message{}, invalid("%s has no name", kind)
	}
	m := Message{Name: *el.Name, Opcode: uint16(len(prev))}
	wrap := func(err error) error { return fmt.Errorf("%s %s: %w", kind, m.Name, err) }
	if err := checkIdent(m.Name, false); err != nil {
		return Message{}, wrap(err)
	}
	if _, dup := seen[m.Name]; dup {
		return Message{}, wrap(invalid("duplicate %s name", kind))
	}
	seen[m.Name] = struct{}{}
	if el.Type != nil {
		if *el.Type != "destructor" {
			return Message{}, wrap(invalid("unknown message type %q", *el.Type))
		}
		m.Destructor = true
	}
	// A request called destroy that does not destroy the object would leak
	// it on every client that trusts the name; the scanner refuses it.
	if isReq && m.Name == "destroy" && !m.Destructor {
		return Message{}, wrap(invalid("destroy request is not a destructor"))
	}
	var err error
	if m.Since, m.DeprecatedSince, err = sinceRange(el.Since, el.DeprecatedSince, iface.Version); err != nil {
		return Message{}, wrap(err)
	}
	// Versions only grow in opcode order, so a client bound at version v
	// knows exactly a prefix of the opcodes.
	if n := len(prev); n > 0 && m.Since < prev[n-1].Since {
		return Message{}, wrap(invalid("since %d is below the previous %s's since %d", m.Since, kind, prev[n-1].Since))
	}
	// Each argument is at least one wire argument: refusing too many
	// before the pairwise duplicate check bounds that check.
	if len(el.Args) > MaxWireArgs {
		return Message{}, wrap(invalid("%d arguments, libwayland handles at most %d", len(el.Args), MaxWireArgs))
	}
	for k := range el.Args {
		a, err := buildArg(&el.Args[k])
		if err != nil {
			return Message{}, wrap(err)
		}
		for _, b := range m.Args {
			if b.Name == a.Name {
				return Message{}, wrap(invalid("duplicate argument %s", a.Name))
			}
		}
		// The untyped form needs the receiver to learn the interface from
		// the wire; only the server decodes it (wl_registry.bind).
		if a.Untyped() && !isReq {
			return Message{}, wrap(invalid("argument %s: new_id without interface is only allowed in requests", a.Name))
		}
		m.Args = append(m.Args, a)
	}
	if m.NewIDs() > 1 {
		return Message{}, wrap(invalid("more than one new_id argument"))
	}
	if n := len(m.WireArgs()); n > MaxWireArgs {
		return Message{}, wrap(invalid("%d wire arguments, libwayland handles at most %d", n, MaxWireArgs))
	}
	return m, nil
}

func buildArg(raw *xmlArg) (Arg, error) {
	if raw.Name == nil {
		return Arg{}, invalid("argument has no name")
	}
	a := Arg{Name: *raw.Name}
	wrap := func(err error) error { return fmt.Errorf("argument %s: %w", a.Name, err) }
	if err := checkIdent(a.Name, false); err != nil {
		return Arg{}, wrap(err)
	}
	if raw.Type == nil {
		return Arg{}, wrap(invalid("no type"))
	}
	t, ok := ParseArgType(*raw.Type)
	if !ok {
		return Arg{}, wrap(invalid("unknown type %q", *raw.Type))
	}
	a.Type = t
	if raw.Interface != nil {
		if t != ArgObject && t != ArgNewID {
			return Arg{}, wrap(invalid("interface attribute not allowed for type %s", t))
		}
		if err := checkIdent(*raw.Interface, false); err != nil {
			return Arg{}, wrap(fmt.Errorf("interface attribute: %w", err))
		}
		a.Interface = *raw.Interface
	}
	if raw.AllowNull != nil {
		switch *raw.AllowNull {
		case "true":
			a.AllowNull = true
		case "false":
		default:
			return Arg{}, wrap(invalid("allow-null must be true or false, not %q", *raw.AllowNull))
		}
		// Only these have a null encoding on the wire (id 0, length 0).
		if t != ArgObject && t != ArgString {
			return Arg{}, wrap(invalid("allow-null is only valid for object and string, not %s", t))
		}
	}
	if raw.Enum != nil && *raw.Enum != "" {
		if t != ArgInt && t != ArgUint {
			return Arg{}, wrap(invalid("enum attribute on %s argument (only int and uint)", t))
		}
		ifacePart, enumPart := splitEnumRef(*raw.Enum)
		if strings.ContainsRune(*raw.Enum, '.') { // ".e" names no interface
			if err := checkIdent(ifacePart, false); err != nil {
				return Arg{}, wrap(fmt.Errorf("enum reference: %w", err))
			}
		}
		if err := checkIdent(enumPart, true); err != nil {
			return Arg{}, wrap(fmt.Errorf("enum reference: %w", err))
		}
		a.Enum = *raw.Enum
	}
	return a, nil
}

// buildEnum builds an enum of iface; seen holds the names of its enums so
// far and gains this one's.
func buildEnum(el *xmlElement, iface *Interface, seen map[string]struct{}) (Enum, error) {
	if el.Name == nil {
		return Enum{}, invalid("enum has no name")
	}
	e := Enum{Name: *el.Name}
	wrap := func(err error) error { return fmt.Errorf("enum %s: %w", e.Name, err) }
	if err := checkIdent(e.Name, true); err != nil {
		return Enum{}, wrap(err)
	}
	if _, dup := seen[e.Name]; dup {
		return Enum{}, wrap(invalid("duplicate enum name"))
	}
	seen[e.Name] = struct{}{}
	if el.Bitfield != nil {
		switch *el.Bitfield {
		case "true":
			e.Bitfield = true
		case "false":
		default:
			return Enum{}, wrap(invalid("bitfield must be true or false, not %q", *el.Bitfield))
		}
	}
	var err error
	if e.Since, _, err = sinceRange(el.Since, nil, iface.Version); err != nil {
		return Enum{}, wrap(err)
	}
	if len(el.Entries) == 0 {
		return Enum{}, wrap(invalid("enum has no entries"))
	}
	entries := make(map[string]struct{}, len(el.Entries))
	for k := range el.Entries {
		raw := &el.Entries[k]
		if raw.Name == nil {
			return Enum{}, wrap(invalid("entry has no name"))
		}
		en := Entry{Name: *raw.Name}
		ewrap := func(err error) error { return wrap(fmt.Errorf("entry %s: %w", en.Name, err)) }
		if err := checkIdent(en.Name, true); err != nil {
			return Enum{}, ewrap(err)
		}
		if _, dup := entries[en.Name]; dup {
			return Enum{}, ewrap(invalid("duplicate entry name"))
		}
		entries[en.Name] = struct{}{}
		if raw.Value == nil {
			return Enum{}, ewrap(invalid("no value"))
		}
		v, err := strconv.ParseUint(*raw.Value, 0, 32)
		if err != nil {
			return Enum{}, ewrap(invalid("value %q is not a 32-bit unsigned integer", *raw.Value))
		}
		en.Value = uint32(v)
		if en.Since, en.DeprecatedSince, err = sinceRange(raw.Since, raw.DeprecatedSince, iface.Version); err != nil {
			return Enum{}, ewrap(err)
		}
		if n := len(e.Entries); n > 0 && en.Since < e.Entries[n-1].Since {
			return Enum{}, ewrap(invalid("since %d is below the previous entry's since %d", en.Since, e.Entries[n-1].Since))
		}
		e.Entries = append(e.Entries, en)
	}
	return e, nil
}

// sinceRange applies the scanner's version rules: since defaults to 1 and
// may not exceed the interface version; deprecated-since, when present, is
// above since and not above the interface version.
func sinceRange(since, deprecated *string, version uint32) (uint32, uint32, error) {
	s := uint32(1)
	if since != nil {
		v, err := parseVersion(*since)
		if err != nil || v == 0 {
			return 0, 0, invalid("since %q is not a positive integer", *since)
		}
		if v > version {
			return 0, 0, invalid("since %d is above the interface version %d", v, version)
		}
		s = v
	}
	var d uint32
	if deprecated != nil {
		v, err := parseVersion(*deprecated)
		if err != nil || v == 0 {
			return 0, 0, invalid("deprecated-since %q is not a positive integer", *deprecated)
		}
		if v > version {
			return 0, 0, invalid("deprecated-since %d is above the interface version %d", v, version)
		}
		if v <= s {
			return 0, 0, invalid("deprecated-since %d is not above since %d", v, s)
		}
		d = v
	}
	return s, d, nil
}

// parseVersion accepts what the scanner's strtouint accepts that is also
// sane: decimal digits up to INT32_MAX.
func parseVersion(s string) (uint32, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, strconv.ErrSyntax
	}
	v, err := strconv.ParseUint(s, 10, 31)
	if err != nil {
		return 0, err
	}
	return uint32(v), nil
}

// checkIdent is the scanner's identifier rule: ASCII letters, digits and
// '_', not starting with a digit unless the name is only a suffix of a
// generated identifier (enum and entry names, e.g. wl_output.transform's
// "90").
func checkIdent(s string, trailing bool) error {
	if s == "" {
		return invalid("empty name")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case c >= '0' && c <= '9' && (i > 0 || trailing):
		default:
			return invalid("%q is not a valid identifier", s)
		}
	}
	return nil
}

// splitEnumRef splits "iface.enum" at its last dot; a reference without a
// dot names an enum of the referring interface.
func splitEnumRef(ref string) (iface, enum string) {
	if i := strings.LastIndexByte(ref, '.'); i >= 0 {
		return ref[:i], ref[i+1:]
	}
	return "", ref
}
