package modeinfo

import "testing"

// BenchmarkDecodeValidate is the per-commit cost of accepting a MODE_ID
// blob; it must not allocate.
func BenchmarkDecodeValidate(b *testing.B) {
	m, _ := DMT(1920, 1080, 60)
	blob := m.Append(nil)
	b.ReportAllocs()
	for b.Loop() {
		d, err := Decode(blob)
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppend(b *testing.B) {
	m, _ := DMT(1920, 1080, 60)
	buf := make([]byte, 0, Size)
	b.ReportAllocs()
	for b.Loop() {
		buf = m.Append(buf[:0])
	}
}

// BenchmarkEqual is the modeset check every commit that sets MODE_ID runs.
func BenchmarkEqual(b *testing.B) {
	m, _ := DMT(1920, 1080, 60)
	o := m
	o.Type |= TypePreferred
	b.ReportAllocs()
	for b.Loop() {
		if !m.Equal(&o) {
			b.Fatal("not equal")
		}
	}
}

func BenchmarkPeriod(b *testing.B) {
	m, _ := DMT(1920, 1080, 60)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Period(); err != nil {
			b.Fatal(err)
		}
	}
}
