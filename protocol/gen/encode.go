package gen

import "github.com/headwaywl/headway/protocol/spec"

// encodeArg emits the wire.Encoder call for one argument held in the Go
// variable v. Server events and client requests encode alike; only fixed
// differs, because client methods take float64 (go-wayland's convention)
// and convert with fixed, a format with one %s for v.
func encodeArg(p func(format string, args ...any), a spec.Arg, v, fixed string) {
	switch a.Type {
	case spec.ArgInt:
		p("\te.Int(%s)\n", v)
	case spec.ArgUint:
		p("\te.Uint(%s)\n", v)
	case spec.ArgFixed:
		p("\te.Fixed("+fixed+")\n", v)
	case spec.ArgString:
		if a.AllowNull {
			p("\te.NullableString(%s, %sOk)\n", v, v)
		} else {
			p("\te.String(%s)\n", v)
		}
	case spec.ArgObject:
		if a.AllowNull {
			p("\tif %s != nil {\n\t\te.Object(%s.ID())\n\t} else {\n\t\te.Object(0)\n\t}\n", v, v)
		} else {
			p("\te.Object(%s.ID())\n", v)
		}
	case spec.ArgNewID:
		p("\te.NewID(%s.ID())\n", v)
	case spec.ArgArray:
		p("\te.Array(%s)\n", v)
	case spec.ArgFD:
		p("\te.FD(%s)\n", v)
	}
}
