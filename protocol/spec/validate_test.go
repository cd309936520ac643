package spec_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/protocol/spec"
)

// iface wraps interface body XML in a protocol with one interface at v3.
func iface(body string) string {
	return `<protocol name="t"><interface name="t_a" version="3">` + body + `</interface></protocol>`
}

func TestParseValid(t *testing.T) {
	p, err := spec.Parse(strings.NewReader(iface(`
		<enum name="e" bitfield="true"><entry name="a" value="0x1"/><entry name="b" value="2" since="2"/></enum>
		<request name="destroy" type="destructor"/>
		<request name="bind"><arg name="name" type="uint"/><arg name="id" type="new_id"/></request>
		<event name="ev" since="2" deprecated-since="3"><arg name="flags" type="uint" enum="e"/></event>`)))
	require.NoError(t, err)
	i := p.Interface("t_a")
	require.NotNil(t, i)
	assert.Equal(t, uint32(3), i.Version)
	assert.Equal(t, "usun", i.Request("bind").Signature())
	assert.Equal(t, uint16(1), i.Request("bind").Opcode)
	assert.Equal(t, uint32(3), i.Event("ev").DeprecatedSince)
	assert.Equal(t, uint32(1), i.Enum("e").Entry("a").Value)
	assert.Equal(t, uint32(2), i.Enum("e").Entry("b").Since)
	assert.Nil(t, p.Interface("nope"))
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, xml, want string
	}{
		{"not xml", `<protocol`, "xml"},
		{"wrong root", `<foo name="x"/>`, "xml"},
		{"no protocol name", `<protocol></protocol>`, "no name"},
		{"bad protocol name", `<protocol name="a-b"></protocol>`, "identifier"},
		{"no interface name", `<protocol name="p"><interface version="1"/></protocol>`, "interface has no name"},
		{"no version", `<protocol name="p"><interface name="i"/></protocol>`, "no version"},
		{"version zero", `<protocol name="p"><interface name="i" version="0"/></protocol>`, "positive integer"},
		{"version negative", `<protocol name="p"><interface name="i" version="-1"/></protocol>`, "positive integer"},
		{"version huge", `<protocol name="p"><interface name="i" version="4294967296"/></protocol>`, "positive integer"},
		{"duplicate interface", `<protocol name="p"><interface name="i" version="1"/><interface name="i" version="1"/></protocol>`, "duplicate interface"},
		{"unknown type", iface(`<request name="r"><arg name="a" type="long"/></request>`), "unknown type"},
		{"missing type", iface(`<request name="r"><arg name="a"/></request>`), "no type"},
		{"arg no name", iface(`<request name="r"><arg type="int"/></request>`), "argument has no name"},
		{"message no name", iface(`<event/>`), "event has no name"},
		{"duplicate request", iface(`<request name="r"/><request name="r"/>`), "duplicate request"},
		{"duplicate event", iface(`<event name="r"/><event name="r"/>`), "duplicate event"},
		{"duplicate arg", iface(`<request name="r"><arg name="a" type="int"/><arg name="a" type="uint"/></request>`), "duplicate argument"},
		{"duplicate enum", iface(`<enum name="e"><entry name="a" value="0"/></enum><enum name="e"><entry name="a" value="0"/></enum>`), "duplicate enum"},
		{"duplicate entry", iface(`<enum name="e"><entry name="a" value="0"/><entry name="a" value="1"/></enum>`), "duplicate entry"},
		{"since above version", iface(`<request name="r" since="4"/>`), "above the interface version"},
		{"since zero", iface(`<request name="r" since="0"/>`), "positive integer"},
		{"since garbage", iface(`<request name="r" since="2x"/>`), "positive integer"},
		{"since decreasing requests", iface(`<request name="a" since="2"/><request name="b"/>`), "below the previous request"},
		{"since decreasing events", iface(`<event name="a" since="3"/><event name="b" since="2"/>`), "below the previous event"},
		{"since decreasing entries", iface(`<enum name="e"><entry name="a" value="0" since="2"/><entry name="b" value="1"/></enum>`), "below the previous entry"},
		{"entry since above version", iface(`<enum name="e"><entry name="a" value="0" since="9"/></enum>`), "above the interface version"},
		{"enum since above version", iface(`<enum name="e" since="4"><entry name="a" value="0"/></enum>`), "above the interface version"},
		{"deprecated not above since", iface(`<event name="a" since="2" deprecated-since="2"/>`), "not above since"},
		{"deprecated above version", iface(`<event name="a" deprecated-since="4"/>`), "deprecated-since 4 is above"},
		{"destroy not destructor", iface(`<request name="destroy"/>`), "not a destructor"},
		{"unknown message type", iface(`<request name="r" type="constructor"/>`), "unknown message type"},
		{"interface on int", iface(`<request name="r"><arg name="a" type="int" interface="t_a"/></request>`), "interface attribute not allowed"},
		{"allow-null on array", iface(`<request name="r"><arg name="a" type="array" allow-null="true"/></request>`), "allow-null is only valid"},
		{"allow-null on new_id", iface(`<request name="r"><arg name="a" type="new_id" interface="t_a" allow-null="true"/></request>`), "allow-null is only valid"},
		{"allow-null bad value", iface(`<request name="r"><arg name="a" type="string" allow-null="yes"/></request>`), "true or false"},
		{"enum on string", iface(`<enum name="e"><entry name="a" value="0"/></enum><request name="r"><arg name="a" type="string" enum="e"/></request>`), "enum attribute on string"},
		{"bitfield on int", iface(`<enum name="e" bitfield="true"><entry name="a" value="1"/></enum><request name="r"><arg name="a" type="int" enum="e"/></request>`), "bitfield enum e referenced by int"},
		{"bitfield bad value", iface(`<enum name="e" bitfield="1"><entry name="a" value="1"/></enum>`), "true or false"},
		{"local enum missing", iface(`<request name="r"><arg name="a" type="uint" enum="nope"/></request>`), "enum nope is not defined"},
		{"qualified enum missing", iface(`<request name="r"><arg name="a" type="uint" enum="t_a.nope"/></request>`), "enum t_a.nope is not defined"},
		{"enum reference without interface", iface(`<enum name="e"><entry name="a" value="0"/></enum><request name="r"><arg name="a" type="uint" enum=".e"/></request>`), "empty name"},
		{"enum empty", iface(`<enum name="e"></enum>`), "no entries"},
		{"entry no value", iface(`<enum name="e"><entry name="a"/></enum>`), "no value"},
		{"entry value too big", iface(`<enum name="e"><entry name="a" value="0x100000000"/></enum>`), "32-bit"},
		{"entry value negative", iface(`<enum name="e"><entry name="a" value="-1"/></enum>`), "32-bit"},
		{"entry bad ident", iface(`<enum name="e"><entry name="a b" value="1"/></enum>`), "identifier"},
		{"message leading digit", iface(`<request name="9r"/>`), "identifier"},
		{"untyped new_id in event", iface(`<event name="e"><arg name="id" type="new_id"/></event>`), "only allowed in requests"},
		{"two new_ids", iface(`<request name="r"><arg name="a" type="new_id" interface="t_a"/><arg name="b" type="new_id" interface="t_a"/></request>`), "more than one new_id"},
		{"too many wire args", iface(`<request name="r">` + manyArgs(19) + `<arg name="id" type="new_id"/></request>`), "at most 20"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := spec.Parse(strings.NewReader(tc.xml))
			require.Error(t, err)
			assert.ErrorIs(t, err, spec.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func manyArgs(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(`<arg name="a`)
		b.WriteByte(byte('a' + i))
		b.WriteString(`" type="int"/>`)
	}
	return b.String()
}

// Twenty wire arguments is libwayland's limit, not beyond it.
func TestParseWireArgLimitBoundary(t *testing.T) {
	_, err := spec.Parse(strings.NewReader(iface(`<request name="r">` + manyArgs(17) + `<arg name="id" type="new_id"/></request>`)))
	require.NoError(t, err)
}

func TestParseErrorNamesPlace(t *testing.T) {
	_, err := spec.Parse(strings.NewReader(iface(`<request name="r"><arg name="a" type="long"/></request>`)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "interface t_a: request r: argument a")
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	_, err := spec.Parse(iotest.ErrReader(boom))
	require.ErrorIs(t, err, boom)
	assert.NotErrorIs(t, err, spec.ErrInvalid)
}

func TestParseTooLarge(t *testing.T) {
	big := strings.Repeat(" ", spec.MaxFileSize+1)
	_, err := spec.Parse(strings.NewReader(big))
	require.ErrorIs(t, err, spec.ErrInvalid)
	assert.Contains(t, err.Error(), "larger than")

	// A file of exactly MaxFileSize bytes is read whole.
	doc := iface(`<request name="r"/>`)
	exact := doc + strings.Repeat(" ", spec.MaxFileSize-len(doc))
	_, err = spec.Parse(strings.NewReader(exact))
	require.NoError(t, err)
}

// Opcodes are 16 bits: an interface may have 65536 requests and 65536
// events, not one more.
func TestParseOpcodeLimit(t *testing.T) {
	messages := func(kind string, n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "<%s name=\"m%d\"/>", kind, i)
		}
		return b.String()
	}
	for _, kind := range []string{"request", "event"} {
		_, err := spec.Parse(strings.NewReader(iface(messages(kind, 1<<16))))
		require.NoError(t, err, "%d %ss", 1<<16, kind)
		_, err = spec.Parse(strings.NewReader(iface(messages(kind, 1<<16+1))))
		require.ErrorIs(t, err, spec.ErrInvalid, "%d %ss", 1<<16+1, kind)
	}
}

// Parse leaves foreign references to the set; NewSet resolves or refuses them.
func TestSetReferences(t *testing.T) {
	a, err := spec.Parse(strings.NewReader(`<protocol name="a"><interface name="a_x" version="1">
		<enum name="e" bitfield="true"><entry name="one" value="1"/></enum></interface></protocol>`))
	require.NoError(t, err)

	parse := func(s string) *spec.Protocol {
		p, err := spec.Parse(strings.NewReader(s))
		require.NoError(t, err)
		return p
	}
	for _, tc := range []struct {
		name, xml, want string
	}{
		{"resolves", `<protocol name="b"><interface name="b_y" version="1"><request name="r">
			<arg name="o" type="object" interface="a_x"/><arg name="f" type="uint" enum="a_x.e"/></request></interface></protocol>`, ""},
		{"unknown interface", `<protocol name="b"><interface name="b_y" version="1"><request name="r">
			<arg name="o" type="object" interface="zz_x"/></request></interface></protocol>`, "interface zz_x is not defined"},
		{"unknown enum interface", `<protocol name="b"><interface name="b_y" version="1"><request name="r">
			<arg name="f" type="uint" enum="zz_x.e"/></request></interface></protocol>`, "interface zz_x is not defined"},
		{"unknown enum", `<protocol name="b"><interface name="b_y" version="1"><request name="r">
			<arg name="f" type="uint" enum="a_x.nope"/></request></interface></protocol>`, "enum a_x.nope is not defined"},
		{"foreign bitfield on int", `<protocol name="b"><interface name="b_y" version="1"><request name="r">
			<arg name="f" type="int" enum="a_x.e"/></request></interface></protocol>`, "bitfield enum"},
		{"duplicate interface across protocols", `<protocol name="b"><interface name="a_x" version="1"/></protocol>`, "in both a and b"},
		{"duplicate protocol", `<protocol name="a"><interface name="b_y" version="1"/></protocol>`, "given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := parse(tc.xml)
			s, err := spec.NewSet(a, b)
			if tc.want == "" {
				require.NoError(t, err)
				assert.Same(t, a.Interfaces[0], s.Interface("a_x"))
				assert.Same(t, b, s.Protocol("b"))
				assert.Same(t, a, s.ProtocolOf("a_x"))
				assert.Nil(t, s.Protocol("c"))
				return
			}
			require.ErrorIs(t, err, spec.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err = spec.NewSet(a, nil)
	require.ErrorIs(t, err, spec.ErrInvalid)
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := spec.Load(os.DirFS(dir))
	require.ErrorIs(t, err, fs.ErrNotExist)

	require.NoError(t, os.WriteFile(dir+"/bad.xml", []byte(iface(`<request name="destroy"/>`)), 0o644))
	_, err = spec.Load(os.DirFS(dir))
	require.ErrorIs(t, err, spec.ErrInvalid)
	assert.Contains(t, err.Error(), "bad.xml")
}

// libwayland's WL_CLOSURE_MAX_ARGS (20) wire arguments fit a message; one
// more does not, whether it comes from a plain argument or from an untyped
// new_id, which counts three.
func TestParseArgumentLimit(t *testing.T) {
	args := func(n int, extra string) string {
		var b strings.Builder
		b.WriteString(`<request name="r">`)
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, `<arg name="a%d" type="uint"/>`, i)
		}
		b.WriteString(extra + `</request>`)
		return b.String()
	}
	_, err := spec.Parse(strings.NewReader(iface(args(spec.MaxWireArgs, ""))))
	require.NoError(t, err)
	_, err = spec.Parse(strings.NewReader(iface(args(spec.MaxWireArgs+1, ""))))
	require.ErrorIs(t, err, spec.ErrInvalid)
	_, err = spec.Parse(strings.NewReader(iface(args(spec.MaxWireArgs-3, `<arg name="id" type="new_id"/>`))))
	require.NoError(t, err)
	_, err = spec.Parse(strings.NewReader(iface(args(spec.MaxWireArgs-2, `<arg name="id" type="new_id"/>`))))
	require.ErrorIs(t, err, spec.ErrInvalid)
}

// Type names and signature letters for every type, and the fallbacks just
// past the last one.
func TestArgTypePastTheLast(t *testing.T) {
	assert.Equal(t, "uint", spec.ArgUint.String())
	assert.Equal(t, byte('u'), spec.ArgUint.Code())
	assert.Equal(t, "fd", spec.ArgFD.String())
	assert.Equal(t, byte('h'), spec.ArgFD.Code())
	assert.Equal(t, "invalid", (spec.ArgFD + 1).String())
	assert.Equal(t, byte('!'), (spec.ArgFD + 1).Code())
}
