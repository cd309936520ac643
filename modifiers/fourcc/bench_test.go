package fourcc

import "testing"

var (
	sinkInfo   Info
	sinkFormat Format
	sinkOK     bool
)

func BenchmarkLookup(b *testing.B) {
	fs := []Format{XRGB8888, NV12, P010 | BigEndian, YUV420, Code('A', 'B', 'C', 'D')}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkInfo, sinkOK = Lookup(fs[i%len(fs)])
	}
}

func BenchmarkParse(b *testing.B) {
	for _, s := range []string{"XRGB8888", "DRM_FORMAT_NV12", "XR24_BE", "0x34325258", "xrgb8888"} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f, err := Parse(s)
				if err != nil {
					b.Fatal(err)
				}
				sinkFormat = f
			}
		})
	}
}

func BenchmarkLibdrmName(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkOK = LibdrmName(XRGB8888|BigEndian) == ""
	}
}

// TestHotPathsDoNotAllocate pins the "no allocation" promise of doc.go for
// Lookup and for Parse of already-upper-case names.
func TestHotPathsDoNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		sinkInfo, sinkOK = Lookup(P010 | BigEndian)
		sinkFormat, _ = Parse("XRGB8888")
		sinkFormat, _ = Parse("XR24_BE")
		sinkFormat, _ = Parse("DRM_FORMAT_NV12")
		sinkFormat, _ = Parse("0x34325258")
	})
	if allocs != 0 {
		t.Fatalf("Lookup/Parse allocated %v times per run", allocs)
	}
}
