package spec_test

import (
	"bytes"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/protocol/spec"
)

// FuzzParse feeds arbitrary bytes to Parse: it must return a model or an
// error, never panic, and every model it returns keeps the opcode and since
// invariants the generator relies on.
func FuzzParse(f *testing.F) {
	for _, name := range wantFiles {
		data, err := fs.ReadFile(xmlDir, name)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(iface(`<request name="bind"><arg name="name" type="uint"/><arg name="id" type="new_id"/></request>`)))
	f.Add([]byte(iface(`<enum name="e" bitfield="true"><entry name="a" value="0x1"/></enum><event name="e" since="2"><arg name="f" type="uint" enum="e"/></event>`)))
	f.Add([]byte(`<protocol name="p"><interface name="i" version="1"><request name="r" since="2"/></interface></protocol>`))
	f.Add([]byte(`<protocol`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := spec.Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, i := range p.Interfaces {
			for _, ms := range [][]spec.Message{i.Requests, i.Events} {
				for k, m := range ms {
					if int(m.Opcode) != k || m.Since < 1 || m.Since > i.Version {
						t.Fatalf("%s.%s: opcode %d at %d, since %d of v%d", i.Name, m.Name, m.Opcode, k, m.Since, i.Version)
					}
					if len(m.WireArgs()) > spec.MaxWireArgs {
						t.Fatalf("%s.%s: %d wire args", i.Name, m.Name, len(m.WireArgs()))
					}
					_ = m.Signature()
				}
			}
		}
	})
}
