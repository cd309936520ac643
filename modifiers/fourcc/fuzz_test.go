package fourcc

import (
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics, that every failure wraps
// ErrUnknownFormat, and that a success is consistent: DRMName of the result
// parses back to it, and for a format Lookup knows, so do LibdrmName and the
// Info's own names.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"XRGB8888", "xr24", "XR24_BE", "DRM_FORMAT_NV12", "0x34325258", "C8",
		"R  H", "INVALID", "0x80000000", "YUV420_8BIT_BE", "", "_BE", "0x", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrUnknownFormat) {
				t.Fatalf("Parse(%q): %v does not wrap ErrUnknownFormat", s, err)
			}
			return
		}
		if back, err := Parse(DRMName(v)); err != nil || back != v {
			t.Fatalf("Parse(%q) = %#08x, but DRMName %q parses to %#08x, %v", s, uint32(v), DRMName(v), uint32(back), err)
		}
		in, ok := Lookup(v)
		if !ok {
			return
		}
		if in.Format != v {
			t.Fatalf("Lookup(%#08x).Format = %#08x", uint32(v), uint32(in.Format))
		}
		for _, name := range []string{LibdrmName(v), v.String(), in.FourCC, in.Name} {
			if back, err := Parse(name); err != nil || back != v {
				t.Fatalf("Parse(%q) = %#08x, but %q parses to %#08x, %v", s, uint32(v), name, uint32(back), err)
			}
		}
	})
}
