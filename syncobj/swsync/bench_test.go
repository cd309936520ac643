package swsync

import (
	"testing"

	"github.com/headwaywl/headway/syncobj/syncfile"
)

// merge32Files returns one pending file on each of 32 timelines.
func merge32Files(b *testing.B) []*syncfile.File {
	files := make([]*syncfile.File, 32)
	for i := range files {
		tl := NewTimeline("bench")
		b.Cleanup(func() { _ = tl.Close() })
		sf, err := tl.CreateFence(1, "")
		if err != nil {
			b.Fatal(err)
		}
		files[i] = sf
	}
	return files
}

// BenchmarkMerge32 merges 32 fences from 32 timelines pairwise, as a
// balanced tree of 31 SYNC_IOC_MERGEs; each level unwraps the arrays below
// it, as the kernel does.
func BenchmarkMerge32(b *testing.B) {
	files := merge32Files(b)
	level := make([]*syncfile.File, 0, 32)
	b.ReportAllocs()
	for b.Loop() {
		level = append(level[:0], files...)
		for len(level) > 1 {
			next := level[:0]
			for i := 0; i < len(level); i += 2 {
				m, err := syncfile.Merge("bench", level[i], level[i+1])
				if err != nil {
					b.Fatal(err)
				}
				next = append(next, m)
			}
			level = next
		}
		if n := level[0].NumFences(); n != 32 {
			b.Fatalf("merged %d fences, want 32", n)
		}
	}
}

// BenchmarkMerge32Fold merges the same 32 fences one at a time into a
// growing file, the way IGT's sync_random_merge and most clients do.
func BenchmarkMerge32Fold(b *testing.B) {
	files := merge32Files(b)
	b.ReportAllocs()
	for b.Loop() {
		acc := files[0]
		for _, sf := range files[1:] {
			m, err := syncfile.Merge("bench", sf, acc)
			if err != nil {
				b.Fatal(err)
			}
			acc = m
		}
		if n := acc.NumFences(); n != 32 {
			b.Fatalf("merged %d fences, want 32", n)
		}
	}
}

// BenchmarkInfo is FILE_INFO on a file merged from 32 timelines, into a
// reused Info: the polling pattern, which must not allocate.
func BenchmarkInfo(b *testing.B) {
	files := merge32Files(b)
	acc := files[0]
	for _, sf := range files[1:] {
		m, err := syncfile.Merge("bench", sf, acc)
		if err != nil {
			b.Fatal(err)
		}
		acc = m
	}
	var in syncfile.Info
	b.ReportAllocs()
	for b.Loop() {
		if err := acc.FillInfo(&in); err != nil {
			b.Fatal(err)
		}
	}
	if len(in.Fences) != 32 || in.Status != 0 {
		b.Fatalf("info: %d fences, status %d", len(in.Fences), in.Status)
	}
}

// BenchmarkInfoAlloc is Info(), which returns a fresh slice each time.
func BenchmarkInfoAlloc(b *testing.B) {
	files := merge32Files(b)
	m, err := syncfile.Merge("bench", files[0], files[1])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if in := m.Info(); len(in.Fences) != 2 {
			b.Fatal("wrong fence count")
		}
	}
}

// BenchmarkPollPending is poll with a zero timeout on a pending point: the
// status check a compositor makes every frame, which must not allocate.
func BenchmarkPollPending(b *testing.B) {
	tl := NewTimeline("bench")
	defer func() { _ = tl.Close() }()
	sf, err := tl.CreateFence(1, "")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if sf.Wait(nil, 0) == nil {
			b.Fatal("pending point reported ready")
		}
	}
}

// BenchmarkCreateInc creates a point and signals it.
func BenchmarkCreateInc(b *testing.B) {
	tl := NewTimeline("bench")
	defer func() { _ = tl.Close() }()
	v := uint32(0)
	b.ReportAllocs()
	for b.Loop() {
		v++
		sf, err := tl.CreateFence(v, "")
		if err != nil {
			b.Fatal(err)
		}
		if err := tl.Inc(1); err != nil {
			b.Fatal(err)
		}
		_ = sf.Close()
	}
}
