package profile

import (
	"bytes"
	"errors"
	"io/fs"
	"testing"
)

func FuzzParse(f *testing.F) {
	ents, _ := fs.ReadDir(builtin, "profiles")
	for _, e := range ents {
		data, err := fs.ReadFile(builtin, "profiles/"+e.Name())
		if err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(minimal))
	f.Add([]byte(minimal + "plane overlay\ncount 3\ncrtcs 0\nformats NV12 : LINEAR\nmax-fb 1x1\nscaling 1/65535 0x7fffffff\n"))
	f.Add([]byte(withRender("render XRGB8888 NV12 : LINEAR X_TILED\nrender ARGB8888 : Y_TILED_GEN12_RC_CCS LINEAR\nrender NV12 : SAMSUNG_64_32_TILE\n")))
	f.Add([]byte(withRender("render XRGB8888 : LINEAR\nrender XRGB8888 : LINEAR\n")))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(bytes.NewReader(data))
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if !errors.Is(err, ErrInvalidProfile) {
				t.Fatalf("error %v does not wrap ErrInvalidProfile", err)
			}
			return
		}
		if len(p.Planes) == 0 || len(p.Planes) > MaxPlanes || len(p.Connectors) == 0 {
			t.Fatalf("accepted a profile with %d planes and %d connectors", len(p.Planes), len(p.Connectors))
		}
		if p.Render.Len() > MaxRenderPairs {
			t.Fatalf("accepted %d render pairs", p.Render.Len())
		}
		if err := p.ValidateRender(nil); err != nil {
			t.Fatalf("accepted an unsampleable render set: %v", err)
		}
		for i := range p.Planes {
			pl := &p.Planes[i]
			got, err := DecodeInFormats(pl.InFormats())
			if err != nil {
				t.Fatalf("plane %d blob: %v", i, err)
			}
			if len(got) != len(pl.Formats) {
				t.Fatalf("plane %d: %d formats decoded, %d listed", i, len(got), len(pl.Formats))
			}
			for j := range got {
				if got[j].Format != pl.Formats[j].Format || len(got[j].Modifiers) != len(pl.Formats[j].Modifiers) {
					t.Fatalf("plane %d format %d differs after decode", i, j)
				}
				for k, m := range got[j].Modifiers {
					if m != pl.Formats[j].Modifiers[k] {
						t.Fatalf("plane %d format %d modifier %d differs", i, j, k)
					}
					if err := CanSample(got[j].Format, m); err != nil {
						t.Fatalf("accepted an unsampleable pair: %v", err)
					}
				}
			}
		}
	})
}

func FuzzDecodeInFormats(f *testing.F) {
	for _, name := range Names() {
		p, err := Load(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p.Planes[0].InFormats())
	}
	f.Add(rawBlob(1, 0, 2, 24, 2, 32, 80, []uint32{1, 2}, []rawEntry{{mask: 1}, {mask: 2, offset: 1, mod: 3}}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		list, err := DecodeInFormats(b)
		if err != nil {
			if !errors.Is(err, ErrMalformedInFormats) || list != nil {
				t.Fatalf("error %v: not ErrMalformedInFormats or non-nil result", err)
			}
			return
		}
		if len(list) == 0 {
			t.Fatal("decoded no formats without an error")
		}
		if len(list) > MaxPlaneFormats {
			return // valid uapi, but the kernel never builds such a blob
		}
		// A kernel-shaped re-encoding must decode to the same lists.
		enc, err := EncodeInFormats(list)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		again, err := DecodeInFormats(enc)
		if err != nil {
			t.Fatalf("decode of re-encoding: %v", err)
		}
		for j := range list {
			if again[j].Format != list[j].Format {
				t.Fatalf("format %d changed", j)
			}
			for _, m := range list[j].Modifiers {
				if !hasModifier(again[j].Modifiers, m) {
					t.Fatalf("format %d lost modifier %#x", j, uint64(m))
				}
			}
			if len(again[j].Modifiers) != len(list[j].Modifiers) {
				t.Fatalf("format %d: %d modifiers became %d", j, len(list[j].Modifiers), len(again[j].Modifiers))
			}
		}
	})
}
