package spec_test

import (
	"bytes"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/protocol/spec"
)

// Parsing runs at generation time only, so this measures throughput, not a
// zero-allocation goal.
func BenchmarkParseWayland(b *testing.B) {
	data, err := fs.ReadFile(xmlDir, "wayland.xml")
	require.NoError(b, err)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := spec.Parse(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// WireArgs of a message without an untyped new_id returns Args itself; the
// generator and tracer may call it per message without allocating.
func BenchmarkWireArgsTyped(b *testing.B) {
	s := loadAll(b)
	m := s.Interface("wl_surface").Request("attach")
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n += len(m.WireArgs())
	}
	if n == 0 {
		b.Fatal("no args")
	}
}
