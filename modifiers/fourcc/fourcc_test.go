package fourcc

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTableSpotChecks compares entries with the kernel's formats[] in
// torvalds/linux drivers/gpu/drm/drm_fourcc.c, written out independently of
// table.go.
func TestTableSpotChecks(t *testing.T) {
	b4 := func(a ...uint8) (r [MaxPlanes]uint8) { copy(r[:], a); return }
	tests := []Info{
		// { DRM_FORMAT_XRGB8888, .depth = 24, .num_planes = 1, .cpp = { 4 }, .hsub = 1, .vsub = 1 }
		{Format: XRGB8888, FourCC: "XR24", Name: "XRGB8888", Depth: 24, NumPlanes: 1, CharPerBlock: b4(4), HSub: 1, VSub: 1},
		// ARGB8888: depth 32, has_alpha
		{Format: ARGB8888, FourCC: "AR24", Name: "ARGB8888", Depth: 32, NumPlanes: 1, CharPerBlock: b4(4), HSub: 1, VSub: 1, HasAlpha: true},
		// RGB565: depth 16, cpp 2
		{Format: RGB565, FourCC: "RG16", Name: "RGB565", Depth: 16, NumPlanes: 1, CharPerBlock: b4(2), HSub: 1, VSub: 1},
		// ARGB4444: depth 0 (the kernel gives none), has_alpha
		{Format: ARGB4444, FourCC: "AR12", Name: "ARGB4444", NumPlanes: 1, CharPerBlock: b4(2), HSub: 1, VSub: 1, HasAlpha: true},
		// C4: char_per_block 1, block_w 2, block_h 1, is_color_indexed
		{Format: C4, FourCC: "C4", Name: "C4", Depth: 4, NumPlanes: 1, CharPerBlock: b4(1), BlockW: b4(2), BlockH: b4(1), HSub: 1, VSub: 1, IsColorIndexed: true},
		// C8: cpp 1, is_color_indexed
		{Format: C8, FourCC: "C8", Name: "C8", Depth: 8, NumPlanes: 1, CharPerBlock: b4(1), HSub: 1, VSub: 1, IsColorIndexed: true},
		// R1: char_per_block 1, block_w 8, not indexed
		{Format: R1, FourCC: "R1", Name: "R1", Depth: 1, NumPlanes: 1, CharPerBlock: b4(1), BlockW: b4(8), BlockH: b4(1), HSub: 1, VSub: 1},
		// NV12: 2 planes, cpp { 1, 2 }, 2x2, is_yuv
		{Format: NV12, FourCC: "NV12", Name: "NV12", NumPlanes: 2, CharPerBlock: b4(1, 2), HSub: 2, VSub: 2, IsYUV: true},
		// P010: char_per_block { 2, 4 }, blocks 1x1 written out, 2x2
		{Format: P010, FourCC: "P010", Name: "P010", NumPlanes: 2, CharPerBlock: b4(2, 4), BlockW: b4(1, 1), BlockH: b4(1, 1), HSub: 2, VSub: 2, IsYUV: true},
		// NV15: char_per_block { 5, 5 }, block_w { 4, 2 }, block_h { 1, 1 }
		{Format: NV15, FourCC: "NV15", Name: "NV15", NumPlanes: 2, CharPerBlock: b4(5, 5), BlockW: b4(4, 2), BlockH: b4(1, 1), HSub: 2, VSub: 2, IsYUV: true},
		// P030: char_per_block { 4, 8 }, block_w { 3, 3 }
		{Format: P030, FourCC: "P030", Name: "P030", NumPlanes: 2, CharPerBlock: b4(4, 8), BlockW: b4(3, 3), BlockH: b4(1, 1), HSub: 2, VSub: 2, IsYUV: true},
		// YUV420: 3 planes of cpp 1, 2x2
		{Format: YUV420, FourCC: "YU12", Name: "YUV420", NumPlanes: 3, CharPerBlock: b4(1, 1, 1), HSub: 2, VSub: 2, IsYUV: true},
		// YUV420_8BIT: one plane, cpp { 0, 0, 0 }, 2x2
		{Format: YUV420_8BIT, FourCC: "YU08", Name: "YUV420_8BIT", NumPlanes: 1, HSub: 2, VSub: 2, IsYUV: true},
		// Y0L0: char_per_block 8, block 2x2, 2x2, has_alpha
		{Format: Y0L0, FourCC: "Y0L0", Name: "Y0L0", NumPlanes: 1, CharPerBlock: b4(8), BlockW: b4(2), BlockH: b4(2), HSub: 2, VSub: 2, HasAlpha: true, IsYUV: true},
		// Q401: 3 planes, char_per_block { 2, 2, 2 }, 1x1
		{Format: Q401, FourCC: "Q401", Name: "Q401", NumPlanes: 3, CharPerBlock: b4(2, 2, 2), BlockW: b4(1, 1, 1), BlockH: b4(1, 1, 1), HSub: 1, VSub: 1, IsYUV: true},
		// Y410: cpp 4, has_alpha, is_yuv
		{Format: Y410, FourCC: "Y410", Name: "Y410", NumPlanes: 1, CharPerBlock: b4(4), HSub: 1, VSub: 1, HasAlpha: true, IsYUV: true},
		// XRGB8888_A8: depth 32, 2 planes { 4, 1 }, has_alpha
		{Format: XRGB8888_A8, FourCC: "XRA8", Name: "XRGB8888_A8", Depth: 32, NumPlanes: 2, CharPerBlock: b4(4, 1), HSub: 1, VSub: 1, HasAlpha: true},
		// RGB161616: char_per_block 6 with explicit 1x1 block
		{Format: RGB161616, FourCC: "RG48", Name: "RGB161616", NumPlanes: 1, CharPerBlock: b4(6), BlockW: b4(1), BlockH: b4(1), HSub: 1, VSub: 1},
	}
	for _, want := range tests {
		t.Run(want.Name, func(t *testing.T) {
			got, ok := Lookup(want.Format)
			require.True(t, ok)
			assert.Equal(t, want, got)
		})
	}
}

func TestTableInvariants(t *testing.T) {
	all := All()
	require.Len(t, all, len(table))
	require.Equal(t, XRGB8888, Code('X', 'R', '2', '4'))
	require.Equal(t, Format(0x34325258), XRGB8888, "value quoted in the kernel-crc-sync reference")
	formats := map[Format]bool{}
	names := map[string]bool{}
	for _, in := range all {
		assert.False(t, formats[in.Format], "duplicate %s", in.Name)
		assert.False(t, names[in.Name], "duplicate %s", in.Name)
		formats[in.Format], names[in.Name] = true, true
		assert.Zero(t, in.Format&BigEndian, in.Name)
		assert.Equal(t, in.Name, DRMName(in.Format))
		assert.Equal(t, LibdrmName(in.Format), in.FourCC)
		assert.True(t, in.NumPlanes >= 1 && in.NumPlanes <= 3, in.Name)
		assert.True(t, in.HSub >= 1 && in.VSub >= 1, in.Name)
		assert.False(t, in.IsYUV && in.IsColorIndexed, in.Name)
		for p := int(in.NumPlanes); p < MaxPlanes; p++ {
			assert.Zero(t, in.CharPerBlock[p], "%s plane %d", in.Name, p)
		}
	}
	for _, n := range nameOnly {
		_, ok := Lookup(n.f)
		assert.False(t, ok, "%s is name-only but Lookup knows it", n.name)
		assert.Equal(t, n.name, DRMName(n.f))
	}
	// All is a copy: changing it must not change the table.
	all[0].Name = "changed"
	again := All()
	assert.Equal(t, "C1", again[0].Name)
}

func TestLookup(t *testing.T) {
	in, ok := Lookup(XRGB8888 | BigEndian)
	require.True(t, ok)
	assert.Equal(t, XRGB8888|BigEndian, in.Format)
	assert.Equal(t, "XRGB8888_BE", in.Name)
	assert.Equal(t, "XR24_BE", in.FourCC)
	assert.Equal(t, uint8(4), in.CharPerBlock[0])
	assert.Equal(t, uint8(24), in.Depth)

	for _, f := range []Format{Invalid, BigEndian, R16, RG88, GR88, Code('A', 'B', 'C', 'D'), 0xffffffff} {
		in, ok := Lookup(f)
		assert.False(t, ok, "%#08x", uint32(f))
		assert.Equal(t, Info{}, in)
	}
}

func TestHelpers(t *testing.T) {
	get := func(f Format) Info {
		in, ok := Lookup(f)
		require.True(t, ok)
		return in
	}
	tests := []struct {
		f      Format
		plane  int
		width  uint32
		pitch  uint64
		bpp    int
		bw, bh int
	}{
		{XRGB8888, 0, 1920, 7680, 32, 1, 1},
		{RGB888, 0, 7, 21, 24, 1, 1},
		{NV12, 0, 1920, 1920, 8, 1, 1},
		// The kernel applies the full buffer width to the chroma plane too.
		{NV12, 1, 1920, 3840, 16, 1, 1},
		{P010, 0, 1280, 2560, 16, 1, 1},
		{P010, 1, 1280, 5120, 32, 1, 1},
		{YUV420_8BIT, 0, 1920, 0, 0, 1, 1},
		{C4, 0, 7, 4, 4, 2, 1}, // 7 pixels of 4 bits round up to 4 bytes
		{C1, 0, 9, 2, 1, 8, 1},
		{R2, 0, 5, 2, 2, 4, 1},
		{NV15, 0, 6, 8, 10, 4, 1}, // ceil(6*5/4)
		{NV15, 1, 6, 15, 20, 2, 1},
		{P030, 0, 4, 6, 10, 3, 1},  // ceil(4*4/3); bpp truncates 32/3
		{P030, 1, 4, 11, 21, 3, 1}, // ceil(4*8/3)
		{X0L0, 0, 4, 8, 16, 2, 2},  // ceil(4*8/(2*2))
		{YUV420, 2, 641, 641, 8, 1, 1},
		// Planes the format does not have.
		{XRGB8888, 1, 100, 0, 0, 0, 0},
		{NV12, -1, 100, 0, 0, 0, 0},
		{YUV420, 3, 100, 0, 0, 0, 0},
		{YUV420, 99, 100, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		in := get(tt.f)
		assert.Equal(t, tt.pitch, in.MinPitch(tt.plane, tt.width), "%s MinPitch(%d, %d)", in.Name, tt.plane, tt.width)
		assert.Equal(t, tt.bpp, in.BPP(tt.plane), "%s BPP(%d)", in.Name, tt.plane)
		assert.Equal(t, tt.bw, in.BlockWidth(tt.plane), "%s BlockWidth(%d)", in.Name, tt.plane)
		assert.Equal(t, tt.bh, in.BlockHeight(tt.plane), "%s BlockHeight(%d)", in.Name, tt.plane)
	}

	// MinPitch must not overflow for the largest width.
	assert.Equal(t, uint64(0xffffffff)*8, get(XRGB16161616).MinPitch(0, 0xffffffff))

	nv12, yuv410, yuv420 := get(NV12), get(YUV410), get(YUV420)
	assert.Equal(t, 1921, nv12.PlaneWidth(1921, 0))
	assert.Equal(t, 961, nv12.PlaneWidth(1921, 1), "rounds up, as the kernel has since 6.7")
	assert.Equal(t, 541, nv12.PlaneHeight(1081, 1))
	assert.Equal(t, 0, nv12.PlaneWidth(1920, 2))
	assert.Equal(t, 0, nv12.PlaneHeight(1080, -1))
	assert.Equal(t, 2, yuv410.PlaneWidth(5, 2))
	assert.Equal(t, 2, yuv410.PlaneHeight(5, 1))
	assert.Equal(t, 0, yuv420.PlaneWidth(-1, 1), "C truncation of (-1+1)/2")

	var zero Info
	assert.Zero(t, zero.MinPitch(0, 100))
	assert.Zero(t, zero.BPP(0))
	assert.Zero(t, zero.PlaneWidth(100, 0))
	assert.Zero(t, Info{NumPlanes: 2}.PlaneWidth(100, 1), "HSub 0 must not divide by zero")
	// An Info built by hand may claim more planes than any format has;
	// the plane past MaxPlanes is still absent, not an index panic.
	over := Info{NumPlanes: MaxPlanes + 1, HSub: 1, VSub: 1}
	assert.Zero(t, over.BlockWidth(MaxPlanes))
	assert.Zero(t, over.BPP(MaxPlanes))
	assert.Zero(t, over.MinPitch(MaxPlanes, 100))
}

func TestYUVClassifiers(t *testing.T) {
	tests := []struct {
		f                            Format
		packed, semi, planar         bool
		s410, s411, s420, s422, s444 bool
	}{
		{XRGB8888, false, false, false, false, false, false, false, false},
		{YUYV, true, false, false, false, false, false, true, false},
		{NV12, false, true, false, false, false, true, false, false},
		{NV16, false, true, false, false, false, false, true, false},
		{NV24, false, true, false, false, false, false, false, true},
		{YUV410, false, false, true, true, false, false, false, false},
		{YUV411, false, false, true, false, true, false, false, false},
		{YUV420, false, false, true, false, false, true, false, false},
		{Q410, false, false, true, false, false, false, false, true},
		{YUV420_8BIT, true, false, false, false, false, true, false, false},
		{Y0L0, true, false, false, false, false, true, false, false},
		{S210, false, false, true, false, false, false, true, false},
	}
	for _, tt := range tests {
		in, ok := Lookup(tt.f)
		require.True(t, ok)
		got := []bool{in.IsYUVPacked(), in.IsYUVSemiplanar(), in.IsYUVPlanar(),
			in.IsYUVSampling410(), in.IsYUVSampling411(), in.IsYUVSampling420(), in.IsYUVSampling422(), in.IsYUVSampling444()}
		want := []bool{tt.packed, tt.semi, tt.planar, tt.s410, tt.s411, tt.s420, tt.s422, tt.s444}
		assert.Equal(t, want, got, in.Name)
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		f           Format
		libdrm, drm string
	}{
		{XRGB8888, "XR24", "XRGB8888"},
		{XRGB8888 | BigEndian, "XR24_BE", "XRGB8888_BE"},
		{C8, "C8", "C8"},
		{R10, "R10", "R10"},
		{R16, "R16", "R16"},
		{R16F, "R  H", "R16F"},
		{YUV420_8BIT, "YU08", "YUV420_8BIT"},
		{Invalid, "INVALID", "INVALID"},
		{BigEndian, "INVALID", "0x80000000"},
		{Code('A', 'B', 'C', 'D'), "ABCD", "0x44434241"},
		{Code('A', 0, 'C', 'D'), "A", "0x44430041"},
		{Code('A', 'B', ' ', ' ') | BigEndian, "AB_BE", "0xa0204241"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.libdrm, LibdrmName(tt.f), "%#08x", uint32(tt.f))
		assert.Equal(t, tt.libdrm, tt.f.String(), "%#08x", uint32(tt.f))
		assert.Equal(t, tt.drm, DRMName(tt.f), "%#08x", uint32(tt.f))
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Format
	}{
		{"XRGB8888", XRGB8888},
		{"xrgb8888", XRGB8888},
		{"  XRGB8888\n", XRGB8888},
		{"DRM_FORMAT_XRGB8888", XRGB8888},
		{"drm_format_nv12", NV12},
		{"XR24", XRGB8888},
		{"xr24", XRGB8888},
		{"XR24_BE", XRGB8888 | BigEndian},
		{"XRGB8888_BE", XRGB8888 | BigEndian},
		{"DRM_FORMAT_XRGB8888_BE", XRGB8888 | BigEndian},
		{"C8", C8},
		{"C8_BE", C8 | BigEndian},
		{"R16", R16},
		{"R  H", R16F},
		{"R16F", R16F},
		{"YU12", YUV420},
		{"YUV420", YUV420},
		{"YUV420_8BIT", YUV420_8BIT},
		{"YU08", YUV420_8BIT},
		{"AB10", AXBXGXRX106106106106},
		{"0x34325258", XRGB8888},
		{"0X34325258", XRGB8888},
		{"0xb4325258", XRGB8888 | BigEndian},
		{"0x1", 1},
		{"0x0", Invalid},
		{"INVALID", Invalid},
		{"DRM_FORMAT_INVALID", Invalid},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, "Parse(%q)", tt.in)
	}

	for _, in := range []string{"", " ", "0x", "0x123456789", "0xZZ", "ABCD", "XRGB", "XR2", "_BE", "INVALID_BE",
		"DRM_FORMAT_XR24", "DRM_FORMAT_", "XRGB8888_BE_BE", "NV12\x00", "0x-1", "-1", "875713112"} {
		_, err := Parse(in)
		require.Error(t, err, "Parse(%q)", in)
		assert.True(t, errors.Is(err, ErrUnknownFormat), "Parse(%q): %v", in, err)
		assert.Contains(t, err.Error(), fmt.Sprintf("%q", in), "error must name the input")
	}
}

// TestNameCodePrecedence documents that no DRM name is the libdrm code of a
// different format, so Parse's name-before-code rule never changes a result.
func TestNameCodePrecedence(t *testing.T) {
	for name, f := range byName {
		if g, ok := byCode[name]; ok {
			assert.Equal(t, f, g, "%q is the DRM name of %s and the code of %s", name, DRMName(f), DRMName(g))
		}
	}
	// Codes are unique case-insensitively, so case folding loses nothing.
	assert.Len(t, byCode, len(table)+len(nameOnly)-1)
}

func TestParseRoundTrip(t *testing.T) {
	for f := range drmNames {
		for _, v := range []Format{f, f | BigEndian} {
			got, err := Parse(DRMName(v))
			require.NoError(t, err, DRMName(v))
			assert.Equal(t, v, got, DRMName(v))
			if f == Invalid {
				continue
			}
			got, err = Parse(LibdrmName(v))
			require.NoError(t, err, LibdrmName(v))
			assert.Equal(t, v, got, LibdrmName(v))
		}
	}
}

func TestInfoJSON(t *testing.T) {
	in, ok := Lookup(NV12)
	require.True(t, ok)
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"format":842094158,"fourcc":"NV12","name":"NV12","depth":0,"num_planes":2,
		"char_per_block":[1,2,0,0],"block_w":[0,0,0,0],"block_h":[0,0,0,0],"hsub":2,"vsub":2,
		"has_alpha":false,"is_yuv":true,"is_color_indexed":false}`, string(b))
	var back Info
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, in, back)
}
