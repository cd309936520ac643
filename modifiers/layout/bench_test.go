package layout

import (
	"testing"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

func BenchmarkValidate(b *testing.B) {
	cases := []struct {
		name string
		f    fourcc.Format
		m    modifier.Modifier
	}{
		{"linear-XRGB8888", fourcc.XRGB8888, modifier.Linear},
		{"gen12-MC-NV12", fourcc.NV12, modifier.IntelYTiledGen12MCCCS},
		{"amd-dcc-retile", fourcc.XRGB8888, amdMod(2, 27, true, true)},
		{"afbc", fourcc.XRGB8888, modifier.ARMAFBC(modifier.AFBCBlockSize16x16)},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			in := info(b, tc.f)
			l, err := Compute(in, tc.m, 1920, 1080)
			if err != nil {
				b.Fatal(err)
			}
			params := l.ParamsPlanes()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := Validate(in, tc.m, 1920, 1080, params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkValidateReject(b *testing.B) {
	in := info(b, fourcc.XRGB8888)
	params := []Plane{{Offset: 0, Stride: 100, Size: 1 << 20}}
	b.ReportAllocs()
	for b.Loop() {
		if Validate(in, modifier.Linear, 1920, 1080, params) == nil {
			b.Fatal("accepted a short stride")
		}
	}
}

func BenchmarkCompute(b *testing.B) {
	in := info(b, fourcc.NV12)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(in, modifier.IntelYTiledGen12MCCCS, 1920, 1080); err != nil {
			b.Fatal(err)
		}
	}
}
