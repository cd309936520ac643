package profile

import (
	"testing"
)

func intelPrimary(b *testing.B) *Plane {
	p, err := Load("intel-like")
	if err != nil {
		b.Fatal(err)
	}
	return &p.Planes[0]
}

func BenchmarkEncodeInFormatsIntelPrimary(b *testing.B) {
	pl := intelPrimary(b)
	buf := make([]byte, 0, len(pl.InFormats()))
	b.ReportAllocs()
	b.SetBytes(int64(len(pl.InFormats())))
	for b.Loop() {
		var err error
		if buf, err = AppendInFormats(buf[:0], pl.Formats); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeInFormatsIntelPrimary(b *testing.B) {
	pl := intelPrimary(b)
	blob := pl.InFormats()
	b.ReportAllocs()
	b.SetBytes(int64(len(blob)))
	for b.Loop() {
		if _, err := DecodeInFormats(blob); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSupports(b *testing.B) {
	pl := intelPrimary(b)
	last := pl.Formats[len(pl.Formats)-1]
	f, m := last.Format, last.Modifiers[len(last.Modifiers)-1]
	b.ReportAllocs()
	for b.Loop() {
		if !pl.Supports(f, m) {
			b.Fatal("not supported")
		}
	}
}

func BenchmarkLoadIntelLike(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load("intel-like"); err != nil {
			b.Fatal(err)
		}
	}
}
