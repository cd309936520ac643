package gen

import (
	"go/token"
	"strings"
)

// Camel converts a snake_case protocol name to an exported Go name:
// "wl_surface" → "WlSurface", "damage_buffer" → "DamageBuffer". Empty parts
// (doubled or edge underscores) vanish; a leading digit is kept because every
// use is prefixed by an interface name.
func Camel(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "_") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]))
		b.WriteString(part[1:])
	}
	return b.String()
}

// reservedParams are names the generated function bodies use themselves, plus
// the imported package names; a protocol argument with one of these names
// would shadow them.
var reservedParams = map[string]bool{
	"r": true, "e": true, "err": true, "h": true, "d": true, "dec": true,
	"i": true, "ctx": true, "buf": true, "fds": true, "id": false,
	"server": true, "wire": true, "fmt": true, "syscall": true, "client": true,
	"unix": true, "len": true, "string": true, "append": true, "nil": true,
	"true": true, "false": true, "copy": true,
}

// Param converts an argument name to an unexported Go parameter name:
// lowerCamel, with Go keywords and names the generated bodies use getting an
// underscore suffix ("interface" → "interface_", "r" → "r_").
func Param(s string) string {
	c := Camel(s)
	if c == "" {
		return "arg_"
	}
	p := strings.ToLower(c[:1]) + c[1:]
	if token.IsKeyword(p) || reservedParams[p] || (p[0] >= '0' && p[0] <= '9') {
		if p[0] >= '0' && p[0] <= '9' {
			return "arg" + p
		}
		return p + "_"
	}
	return p
}

// names hands out top-level identifiers for one generated file and suffixes
// clashes, so two protocol elements that camel-case alike still compile.
type names struct{ used map[string]bool }

func newNames() *names { return &names{used: map[string]bool{}} }

func (n *names) take(s string) string {
	for n.used[s] {
		s += "_"
	}
	n.used[s] = true
	return s
}
