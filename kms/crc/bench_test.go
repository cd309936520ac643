package crc

import (
	"io"
	"log/slog"
	"testing"
)

func BenchmarkAddEntryRead(b *testing.B) {
	c, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	r, err := c.Open(true)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	buf := make([]byte, LineLen(1))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := c.AddEntry(uint64(i), uint32(i)*2654435761); err != nil {
			b.Fatal(err)
		}
		if _, err := r.Read(buf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddEntryOverflow(b *testing.B) {
	c, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	r, err := c.Open(true)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	for i := 0; i < Capacity; i++ {
		_ = c.AddEntry(uint64(i), 0)
	}
	_ = c.AddEntry(0, 0) // the one logged overflow happens outside the loop
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if c.AddEntry(uint64(i), 1) == nil {
			b.Fatal("ring not full")
		}
	}
}
