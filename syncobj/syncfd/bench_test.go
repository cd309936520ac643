package syncfd

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkImport is what the compositor pays per acquire fence a client
// sends: peek the datagram, validate and map every page.
func BenchmarkImport(b *testing.B) {
	for _, n := range []int{1, 4} {
		b.Run(map[int]string{1: "1point", 4: "4points"}[n], func(b *testing.B) {
			pts := make([]Point, n)
			for i := range pts {
				pts[i] = Point{mustTimeline(b), 1}
			}
			sf := mustNew(b, "", pts...)
			b.ReportAllocs()
			for b.Loop() {
				in, err := Import(sf.Fd())
				if err != nil {
					b.Fatal(err)
				}
				_ = in.Close()
			}
		})
	}
}

// BenchmarkStatus is a zero-timeout query of an imported file: one page
// read per point, no system call.
func BenchmarkStatus(b *testing.B) {
	tl := mustTimeline(b)
	sf := mustNew(b, "", Point{tl, 1})
	b.ReportAllocs()
	for b.Loop() {
		st, err := sf.Status()
		if err != nil || st != 0 {
			b.Fatal(st, err)
		}
	}
}

// BenchmarkMerge2 merges two one-point files into a new fd.
func BenchmarkMerge2(b *testing.B) {
	a := mustNew(b, "", Point{mustTimeline(b), 1})
	c := mustNew(b, "", Point{mustTimeline(b), 1})
	b.ReportAllocs()
	for b.Loop() {
		m, err := Merge("", a, c)
		require.NoError(b, err)
		_ = m.Close()
	}
}
