// Package spec is the parsed model of the Wayland protocol XML files in
// protocol/xml, the single input of headway's code generator. Everything the
// generated server code knows about a message (its opcode, its since
// version, its argument types, whether it destroys its object) comes from
// here, so the rules that make those facts trustworthy are enforced here
// once, at generation time, rather than scattered through generated code.
//
// Invariants of a model returned by Parse, Load or NewSet:
//
//   - Opcodes are document order: Requests[k].Opcode == k and likewise for
//     events, exactly as libwayland's scanner numbers them. Since versions
//     never decrease along requests, along events, and along an enum's
//     entries, and never exceed the interface version; deprecated-since is
//     above since. A client bound at version v therefore knows a prefix of
//     the opcodes, which is what the server's invalid_method check relies on.
//   - Argument types are the eight of the XML format. interface= appears
//     only on object and new_id, allow-null only on object and string (the
//     types with a null encoding), enum= only on int and uint, and a
//     bitfield enum only on uint. Identifiers follow the scanner's rules.
//   - A new_id without an interface (wl_registry.bind) is allowed only in
//     requests and travels as string interface, uint version, uint id;
//     Message.WireArgs makes that expansion explicit, as libwayland's
//     connection code does with its "sun" signature. No message has more
//     than one new_id or more than MaxWireArgs wire arguments
//     (libwayland's WL_CLOSURE_MAX_ARGS).
//   - Within a Set, every interface and enum reference resolves and every
//     interface name is unique.
//
// Where libwayland's scanner only warns (since not increasing) this package
// refuses, because the generator would otherwise emit version checks that
// disagree with opcode order. Descriptions and summaries are not modelled:
// the XML files carry none.
//
// Every validation failure wraps ErrInvalid and names its place
// (protocol, interface, message, argument), so errors.Is separates a bad
// file from an I/O failure. Parse never panics, whatever its input, and
// takes time linear in its size: duplicate names are found through sets.
//
// # Mutants that live
//
// Two are equivalent: the capacity hint of WireArgs' expanded slice, and
// splitting an enum reference only at a dot after the first byte (".e"
// is refused either way, as an empty interface name).
package spec
