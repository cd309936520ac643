package layout

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

func TestValidateRejects(t *testing.T) {
	const big = 1 << 30
	cases := []struct {
		name   string
		f      fourcc.Format
		m      modifier.Modifier
		w, h   uint32
		planes []Plane
		kind   Kind
		plane  int
		rule   string
		cause  error
	}{
		{"no planes", fourcc.XRGB8888, modifier.Linear, 64, 64, nil,
			Incomplete, -1, "XRGB8888 with modifier LINEAR (0x0) needs 1 planes, got 0", nil},
		{"too many planes", fourcc.XRGB8888, modifier.Linear, 64, 64, []Plane{{0, 256, 0}, {0, 256, 0}},
			Incomplete, -1, "XRGB8888 with modifier LINEAR (0x0) needs 1 planes, got 2", nil},
		{"CCS plane missing", fourcc.XRGB8888, modifier.IntelYTiledGen12RCCCS, 64, 64, []Plane{{0, 512, 0}},
			Incomplete, -1, "XRGB8888 with modifier Y_TILED_GEN12_RC_CCS (0x100000000000006) needs 2 planes, got 1", nil},
		{"zero width", fourcc.XRGB8888, modifier.Linear, 0, 64, []Plane{{0, 256, 0}},
			InvalidDimensions, -1, "0x64: width and height must be at least 1", nil},
		{"NV12MT height", fourcc.NV12, modifier.Samsung64x32Tile, 128, 48, []Plane{{0, 128, 0}, {8192, 128, 0}},
			InvalidDimensions, -1, "128x48 with modifier 64_32_TILE (0x400000000000001): width must be a multiple of 128 and height of 32", nil},
		{"NV12MT chroma not whole tiles", fourcc.NV12, modifier.Samsung64x32Tile, 128, 64, []Plane{{0, 128, 0}, {8192, 128, 0}},
			InvalidDimensions, 1, "NV12MT chroma plane not whole tiles: plane 1 of 128x64 with modifier 64_32_TILE (0x400000000000001) is 64x32, and framebuffer_check wants every plane a multiple of 128x32 (frames a multiple of 256x64)", nil},
		{"too large", fourcc.XRGB8888, modifier.Linear, 0xffffffff, 2, []Plane{{0, 0xffffffff, 0}},
			InvalidDimensions, 0, "plane 0 of XRGB8888 at 4294967295x2: minimum stride 17179869180 * 2 rows does not fit in 32 bits", ErrOverflow},
		{"unknown vendor", fourcc.XRGB8888, modifier.Code(0x42, 7), 64, 64, []Plane{{0, 256, 0}},
			InvalidFormat, -1, "modifier 0x4200000000000007: unknown vendor 0x42", ErrUnsupportedModifier},
		{"no linear layout", fourcc.YUV420_8BIT, modifier.Linear, 64, 64, []Plane{{0, 256, 0}},
			InvalidFormat, 0, "plane 0 of YUV420_8BIT has no linear layout (char_per_block 0); it needs a non-linear modifier", nil},
		{"offset+stride wraps", fourcc.XRGB8888, modifier.Linear, 64, 1, []Plane{{0xffffff00, 0x200, 0}},
			OutOfBounds, 0, "plane 0: offset 4294967040 + stride 512 = 4294967552 > UINT32_MAX", ErrOverflow},
		{"offset+stride*rows wraps", fourcc.XRGB8888, modifier.Linear, 1024, 1080, []Plane{{0xfff00000, 4096, 0}},
			OutOfBounds, 0, "plane 0: offset 4293918720 + stride 4096 * 1080 rows > UINT32_MAX", ErrOverflow},
		{"stride zero", fourcc.XRGB8888, modifier.Linear, 64, 64, []Plane{{0, 0, 0}},
			InvalidLayout, 0, "plane 0: stride 0", nil},
		{"stride below min pitch", fourcc.XRGB8888, modifier.Linear, 1920, 1080, []Plane{{0, 7000, 0}},
			InvalidLayout, 0, "plane 0: stride 7000 < minimum pitch 7680 (XRGB8888, 1920 px wide)", nil},
		{"chroma stride below min pitch", fourcc.NV12, modifier.Linear, 1920, 1080, []Plane{{0, 1920, 0}, {1920 * 1080, 1900, 0}},
			InvalidLayout, 1, "plane 1: stride 1900 < minimum pitch 1920 (NV12, 960 px wide)", nil},
		{"stride not tile multiple", fourcc.XRGB8888, modifier.IntelYTiled, 1920, 1080, []Plane{{0, 7700, 0}},
			InvalidLayout, 0, "plane 0: stride 7700 is not a multiple of 128 bytes (Intel Y tiles)", nil},
		{"gen12 main stride not 4 tiles", fourcc.XRGB8888, modifier.IntelYTiledGen12RCCCS, 1000, 64, []Plane{{0, 4224, 0}, {1 << 20, 576, 0}},
			InvalidLayout, 0, "plane 0: stride 4224 is not a multiple of 512 bytes (Intel Y tiles (gen12 RC CCS))", nil},
		{"gen12 CCS stride", fourcc.XRGB8888, modifier.IntelYTiledGen12RCCCS, 1920, 1080, []Plane{{0, 7680, 0}, {8355840, 1024, 0}},
			InvalidLayout, 1, "plane 1: CCS stride 1024 != DIV_ROUND_UP(plane 0 stride 7680, 512) * 64 = 960 (i915 gen12_ccs_aux_stride)", nil},
		{"intel offset misaligned", fourcc.NV12, modifier.IntelYTiled, 1920, 1080, []Plane{{0, 1920, 0}, {1920*1088 + 64, 1920, 0}},
			InvalidLayout, 1, "plane 1: offset 2089024 is not a multiple of 4096 (Intel Y tiles)", nil},
		{"clear colour misaligned", fourcc.XRGB8888, modifier.IntelYTiledGen12RCCCSCC, 1920, 1080, []Plane{{0, 7680, 0}, {8355840, 960, 0}, {8388608 + 32, 0, 0}},
			InvalidLayout, 2, "plane 2: offset 8388640 is not a multiple of 64 (Intel clear colour)", nil},
		{"offset past object", fourcc.XRGB8888, modifier.Linear, 64, 64, []Plane{{16384, 256, 16384}},
			OutOfBounds, 0, "plane 0: offset 16384 >= object size 16384", nil},
		{"offset+stride past object", fourcc.XRGB8888, modifier.Linear, 64, 64, []Plane{{16000, 512, 16384}},
			OutOfBounds, 0, "plane 0: offset 16000 + stride 512 = 16512 > object size 16384", nil},
		{"chroma rows past object", fourcc.NV12, modifier.Linear, 1024, 1080, []Plane{{0, 1024, 1600000}, {1105920, 1024, 1600000}},
			OutOfBounds, 1, "plane 1: offset 1105920 + stride 1024 * 540 rows = 1658880 > object size 1600000", nil},
		{"tiled rows counted whole", fourcc.XRGB8888, modifier.IntelYTiled, 32, 33, []Plane{{0, 128, 128 * 33}},
			OutOfBounds, 0, "plane 0: offset 0 + stride 128 * 64 rows = 8192 > object size 4224", nil},
		{"clear colour past object", fourcc.XRGB8888, modifier.IntelYTiledGen12RCCCSCC, 1920, 1080, []Plane{{0, 7680, 8388624}, {8355840, 960, 8388624}, {8388608, 64, 8388624}},
			OutOfBounds, 2, "plane 2: offset 8388608 + Intel clear colour 32 bytes = 8388640 > object size 8388624", nil},
		{"afbc body past object", fourcc.XRGB8888, modifier.ARMAFBC(modifier.AFBCBlockSize16x16), 1920, 1080, []Plane{{0, 7680, 8000000}},
			OutOfBounds, 0, "plane 0: offset 0 + ARM AFBC 8486912 bytes (header and payload) = 8486912 > object size 8000000", nil},
		{"amd dcc plane outside", fourcc.XRGB8888, amdMod(1, 25, true, false), 128, 128, []Plane{{0, 512, big}, {big, 64, big}},
			OutOfBounds, 1, "plane 1: offset 1073741824 >= object size 1073741824", nil},
		{"bmg object alignment", fourcc.XRGB8888, modifier.Intel4TiledBMGCCS, 128, 32, []Plane{{0, 512, 20000}},
			InvalidLayout, 0, "plane 0: object size 20000 is not a multiple of 65536 (Intel BMG CCS)", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(info(t, tc.f), tc.m, tc.w, tc.h, tc.planes)
			require.Error(t, err)
			var le *Error
			require.True(t, errors.As(err, &le), "%v is not *Error", err)
			assert.Equal(t, tc.kind, le.Kind, "%v", err)
			assert.Equal(t, tc.plane, le.Plane, "%v", err)
			assert.Equal(t, tc.rule, le.Rule)
			assert.ErrorIs(t, err, tc.kind.sentinel())
			if tc.cause != nil {
				assert.ErrorIs(t, err, tc.cause)
			}
			assert.Contains(t, err.Error(), tc.kind.String())
		})
	}
}

// TestValidateAccepts covers layouts a real client sends that are not
// Compute's, to make sure headway is not stricter than the kernel where it
// claims not to be.
func TestValidateAccepts(t *testing.T) {
	cases := []struct {
		name   string
		f      fourcc.Format
		m      modifier.Modifier
		w, h   uint32
		planes []Plane
	}{
		{"linear tight odd stride", fourcc.RGB888, modifier.Linear, 3, 3, []Plane{{0, 9, 27}}},
		{"linear two objects", fourcc.NV12, modifier.Linear, 2, 2, []Plane{{0, 2, 4}, {0, 2, 2}}},
		{"linear unknown size", fourcc.XRGB8888, modifier.Linear, 64, 64, []Plane{{123, 1000, 0}}},
		{"implicit", fourcc.XRGB8888, modifier.Invalid, 64, 64, []Plane{{0, 256, 16384}}},
		{"clear colour stride ignored", fourcc.XRGB8888, modifier.IntelYTiledGen12RCCCSCC, 128, 32, []Plane{{0, 512, 20544}, {16384, 64, 20544}, {20480, 0, 20544}}},
		{"amd dcc any stride", fourcc.XRGB8888, amdMod(2, 27, true, true), 128, 128, []Plane{{0, 512, 1 << 20}, {65536, 4, 1 << 20}, {65600, 4, 1 << 20}}},
		{"ubwc opaque", fourcc.NV12, modifier.QcomCompressed, 64, 64, []Plane{{0, 128, 1 << 16}, {8192, 128, 1 << 16}}},
		{"vivante TS", fourcc.XRGB8888, modifier.VivanteSuperTiled | 1<<48, 64, 64, []Plane{{0, 256, 1 << 16}, {16384, 16, 1 << 16}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.NoError(t, Validate(info(t, tc.f), tc.m, tc.w, tc.h, tc.planes))
		})
	}
}

// modifiersUnderTest is every modifier family headway models, for the
// Validate(Compute) property.
func modifiersUnderTest() []modifier.Modifier {
	ms := []modifier.Modifier{
		modifier.Linear,
		modifier.IntelXTiled, modifier.IntelYTiled, modifier.IntelYfTiled, modifier.Intel4Tiled,
		modifier.IntelYTiledCCS, modifier.IntelYfTiledCCS,
		modifier.IntelYTiledGen12RCCCS, modifier.IntelYTiledGen12MCCCS, modifier.IntelYTiledGen12RCCCSCC,
		modifier.Intel4TiledDG2RCCCS, modifier.Intel4TiledDG2MCCCS, modifier.Intel4TiledDG2RCCCSCC,
		modifier.Intel4TiledMTLRCCCS, modifier.Intel4TiledMTLMCCCS, modifier.Intel4TiledMTLRCCCSCC,
		modifier.Intel4TiledLNLCCS, modifier.Intel4TiledBMGCCS,
		modifier.NVIDIATegraTiled, modifier.NVIDIA16Bx2Block(0), modifier.NVIDIA16Bx2Block(5),
		modifier.NVIDIABlockLinear2D(0, 1, 2, 0xfe, 3), modifier.NVIDIABlockLinear2D(3, 0, 1, 0x70, 1),
		modifier.Samsung64x32Tile, modifier.VivanteTiled, modifier.VivanteSuperTiled,
		modifier.ARMAFBC(modifier.AFBCBlockSize16x16), modifier.ARMAFBC(modifier.AFBCBlockSize32x8 | modifier.AFBCTiled | modifier.AFBCSparse),
		modifier.ARMAFBC(modifier.AFBCBlockSize64x4 | modifier.AFBCYTR), modifier.ARMAFBC(modifier.AFBCBlockSize32x8_64x4 | modifier.AFBCTiled),
	}
	for _, ver := range []uint64{1, 2, 3, 4} {
		for _, tile := range []uint64{9, 10, 25, 26, 27, 31} {
			for _, d := range [][2]bool{{false, false}, {true, false}, {true, true}} {
				ms = append(ms, amdMod(ver, tile, d[0], d[1]))
			}
		}
	}
	for _, tile := range []uint64{1, 2, 3, 4} {
		ms = append(ms, amdMod(5, tile, false, false), amdMod(5, tile, true, false))
	}
	return ms
}

func formatsUnderTest() []fourcc.Format {
	return []fourcc.Format{
		fourcc.XRGB8888, fourcc.ARGB8888, fourcc.ABGR8888, fourcc.RGB565, fourcc.RGB888, fourcc.R8, fourcc.C1,
		fourcc.XRGB16161616F, fourcc.YUYV, fourcc.XYUV8888, fourcc.NV12, fourcc.NV21, fourcc.NV16, fourcc.P010,
		fourcc.P016, fourcc.YUV420, fourcc.YVU420, fourcc.Q410, fourcc.YUV420_8BIT, fourcc.X0L0,
	}
}

// TestValidateAcceptsCompute is the central property: whatever Compute
// produces, Validate accepts, with the object size known or not; and the
// layout is self-consistent (planes inside the object, not overlapping,
// strides and offsets meeting the alignment Validate demands).
func TestValidateAcceptsCompute(t *testing.T) {
	sizes := [][2]uint32{{1, 1}, {3, 7}, {17, 33}, {640, 480}, {1366, 768}, {1920, 1080}, {4096, 2160}, {256, 64}, {3840 + 32, 31}}
	computed := 0
	for _, m := range modifiersUnderTest() {
		for _, f := range formatsUnderTest() {
			in := info(t, f)
			for _, sz := range sizes {
				l, err := Compute(in, m, sz[0], sz[1])
				if err != nil {
					var le *Error
					require.True(t, errors.As(err, &le), "%v", err)
					continue
				}
				computed++
				params := l.ParamsPlanes()
				require.NoError(t, Validate(in, m, sz[0], sz[1], params), "%s %#x %dx%d", in.Name, uint64(m), sz[0], sz[1])
				for i := range params {
					params[i].Size = 0
				}
				require.NoError(t, Validate(in, m, sz[0], sz[1], params))
				var prevEnd uint64
				for i, p := range l.Planes {
					require.GreaterOrEqual(t, uint64(p.Offset), prevEnd, "plane %d overlaps", i)
					prevEnd = uint64(p.Offset) + p.Size
					require.LessOrEqual(t, prevEnd, l.Size)
					require.Zero(t, p.Stride%p.StrideMultiple, "plane %d stride", i)
					require.Zero(t, p.Offset%p.OffsetAlign, "plane %d offset", i)
					require.Zero(t, p.Rows%p.HeightAlign, "plane %d rows", i)
				}
			}
		}
	}
	assert.Greater(t, computed, 1000, "the property must cover many layouts")
}

func TestErrorUnwrap(t *testing.T) {
	e := &Error{Kind: OutOfBounds, Plane: 2, Rule: "r", Err: ErrOverflow}
	assert.ErrorIs(t, e, ErrOutOfBounds)
	assert.ErrorIs(t, e, ErrOverflow)
	assert.NotErrorIs(t, e, ErrInvalidLayout)
	assert.Equal(t, "layout: out_of_bounds: r: size overflow", e.Error())
	assert.Equal(t, "kind(0)", Kind(0).String())
	for k := Incomplete; k <= InvalidLayout; k++ {
		assert.NotContains(t, k.String(), "kind(")
		assert.NotNil(t, k.sentinel())
	}
	for k := Color; k <= VivanteTileStatus; k++ {
		assert.NotContains(t, k.String(), "plane-kind")
	}
}

func TestValidateSuccessDoesNotAllocate(t *testing.T) {
	for _, m := range modifiersUnderTest() {
		for _, f := range []fourcc.Format{fourcc.XRGB8888, fourcc.NV12} {
			in := info(t, f)
			l, err := Compute(in, m, 1920, 1088)
			if err != nil {
				continue
			}
			params := l.ParamsPlanes()
			allocs := testing.AllocsPerRun(20, func() {
				if Validate(in, m, 1920, 1088, params) != nil {
					panic("rejected")
				}
			})
			assert.Zero(t, allocs, "%s %#x", in.Name, uint64(m))
		}
	}
}

// The linux-dmabuf range rules at their edges, for a 16x1 LINEAR XRGB8888
// plane (minimum pitch 64): offset + stride may reach UINT32_MAX but not
// pass it; a stride equal to the minimum pitch is enough; and with a known
// object size the plane may end exactly at it.
func TestValidateEdges(t *testing.T) {
	const max = math.MaxUint32
	xr := info(t, fourcc.XRGB8888)
	v := func(w, h uint32, p Plane) error { return Validate(xr, modifier.Linear, w, h, []Plane{p}) }
	assert.NoError(t, v(16, 1, Plane{Offset: max - 64, Stride: 64}))
	assert.ErrorIs(t, v(16, 1, Plane{Offset: max - 63, Stride: 64}), ErrOverflow)
	// Two rows: offset + stride fits, offset + 2 strides is the limit.
	assert.NoError(t, v(16, 2, Plane{Offset: max - 128, Stride: 64}))
	assert.ErrorIs(t, v(16, 2, Plane{Offset: max - 127, Stride: 64}), ErrOverflow)
	assert.NoError(t, v(16, 1, Plane{Stride: max}), "one row of UINT32_MAX bytes")
	assert.NoError(t, v(16, 1, Plane{Stride: 64}))
	assert.Error(t, v(16, 1, Plane{Stride: 63}))
	assert.NoError(t, v(16, 2, Plane{Offset: 64, Stride: 64, Size: 192}))
	assert.Error(t, v(16, 2, Plane{Offset: 64, Stride: 64, Size: 191}))
}
