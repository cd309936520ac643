package device

import (
	"bytes"
	"log/slog"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/kms/vblank"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// The standard properties' ranges as drm_mode_create_standard_properties
// (drm_mode_config.c) creates them: CRTC_X/Y signed INT_MIN..INT_MAX,
// CRTC_W/H 0..INT_MAX, IN_FENCE_FD signed -1..INT_MAX, SRC_* 0..UINT_MAX.
// The ends are what drm_property_change_valid_get checks values against.
func TestStandardPropertyRanges(t *testing.T) {
	r := newRig(t, "vkms")
	const intMax = 1<<31 - 1
	s64 := func(v int64) uint64 { return uint64(v) }
	cases := []struct {
		name     string
		min, max uint64
	}{
		{"CRTC_X", s64(-1 << 31), intMax},
		{"CRTC_Y", s64(-1 << 31), intMax},
		{"CRTC_W", 0, intMax},
		{"CRTC_H", 0, intMax},
		{"IN_FENCE_FD", s64(-1), intMax},
		{"SRC_X", 0, 0xffffffff},
		{"SRC_W", 0, 0xffffffff},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := r.d.Property(r.prim.PropertyID(c.name))
			require.NoError(t, err)
			assert.Equal(t, []uint64{c.min, c.max}, p.Values())
		})
	}
}

// drm_mode_object_add takes ids from idr_alloc(..., 1, 0): the lowest free
// id from 1 up. After a freed id is reused, the next object goes above the
// highest one in use, never to the unused id 0.
func TestObjectIDsLowestFreeAfterReuse(t *testing.T) {
	r := newRig(t, "vkms")
	a := r.fb(64, 64, fourcc.XRGB8888)
	b := r.fb(64, 64, fourcc.XRGB8888)
	require.Equal(t, a+1, b)
	require.NoError(t, r.f.RmFB(a))
	assert.Equal(t, a, r.fb(64, 64, fourcc.XRGB8888), "the freed id is the lowest free")
	assert.Equal(t, b+1, r.fb(64, 64, fourcc.XRGB8888), "then the first id above those in use")
}

// An id one past the highest object is not an object: idr_find gives
// nothing and DRM_IOCTL_MODE_OBJ_GETPROPERTIES is ENOENT
// (drm_mode_obj_get_properties_ioctl).
func TestObjectIDPastTheLastIsENOENT(t *testing.T) {
	r := newRig(t, "vkms")
	last := r.fb(64, 64, fourcc.XRGB8888) // nothing is freed, so it is the highest id
	_, err := r.f.ObjectProperties(last+1, ObjectAny)
	assert.ErrorIs(t, err, syscall.ENOENT)
	_, err = r.d.Property(last + 1)
	assert.ErrorIs(t, err, syscall.ENOENT)
}

// The mode objects a profile yields, as the kernel names them:
//   - each connector's own virtual encoder can drive every CRTC (the
//     package doc's promise; vkms_output_init sets possible_crtcs to its
//     one CRTC);
//   - connector_type_id counts from 1 per type (drm_connector_init's
//     ida_alloc_min(..., 1, ...)), so Virtual-1, Virtual-2, Writeback-1;
//   - GAMMA_LUT and GAMMA_LUT_SIZE exist only where the driver calls
//     drm_crtc_enable_color_mgmt with a size (vkms: VKMS_LUT_SIZE 256);
//   - GETRESOURCES' max_width/max_height are mode_config's, the largest
//     framebuffer any plane of the profile takes, and drm_internal_framebuffer_create
//     refuses a wider or taller framebuffer with EINVAL.
func TestProfileObjects(t *testing.T) {
	cases := []struct {
		profile        string
		possibleCRTCs  uint32
		typeIDs        []uint32 // virtual connectors, in order
		gamma          uint64   // GAMMA_LUT_SIZE; 0: no GAMMA_LUT at all
		maxW, maxH     uint32
		writebackCount int
	}{
		{profile: "vkms", possibleCRTCs: 0b1, typeIDs: []uint32{1}, gamma: 256, maxW: 8192, maxH: 8192, writebackCount: 1},
		{profile: "intel-like", possibleCRTCs: 0b11, typeIDs: []uint32{1, 2}, gamma: 1024, maxW: 8192, maxH: 8192},
		{profile: "exynos-like", possibleCRTCs: 0b1, typeIDs: []uint32{1}, maxW: 4096, maxH: 4096, writebackCount: 1},
		{profile: "nvidia-like", possibleCRTCs: 0b1, typeIDs: []uint32{1}, gamma: 1024, maxW: 16384, maxH: 16384},
		{profile: "rcar-like", possibleCRTCs: 0b1, typeIDs: []uint32{1}, gamma: 256, maxW: 8190, maxH: 8190},
	}
	for _, c := range cases {
		t.Run(c.profile, func(t *testing.T) {
			r := newRig(t, c.profile)
			var virtual []uint32
			wb := 0
			for _, conn := range r.d.Connectors() {
				in, err := r.d.ConnectorInfo(conn.ID())
				require.NoError(t, err)
				if conn.IsWriteback() {
					wb++
					assert.Equal(t, uint32(1), in.TypeID)
					assert.Equal(t, "Writeback-1", in.Name)
				} else {
					virtual = append(virtual, in.TypeID)
				}
				require.Len(t, in.Encoders, 1)
				enc, err := r.d.EncoderInfo(in.Encoders[0])
				require.NoError(t, err)
				assert.Equal(t, c.possibleCRTCs, enc.PossibleCRTCs, "connector %s", conn.Name())
			}
			assert.Equal(t, c.typeIDs, virtual)
			assert.Equal(t, c.writebackCount, wb)
			for _, crtc := range r.d.CRTCs() {
				if c.gamma == 0 {
					assert.Zero(t, crtc.PropertyID("GAMMA_LUT"))
					assert.Zero(t, crtc.PropertyID("GAMMA_LUT_SIZE"))
					continue
				}
				assert.NotZero(t, crtc.PropertyID("GAMMA_LUT"))
				props, err := r.f.ObjectProperties(crtc.ID(), ObjectCRTC)
				require.NoError(t, err)
				size := uint64(0)
				for _, pv := range props {
					if pv.Prop.Name() == "GAMMA_LUT_SIZE" {
						size = pv.Value
					}
				}
				assert.Equal(t, c.gamma, size)
			}
			res, err := r.f.Resources()
			require.NoError(t, err)
			assert.Equal(t, c.maxW, res.MaxWidth)
			assert.Equal(t, c.maxH, res.MaxHeight)
			h, pitch, _, err := r.f.CreateDumb(c.maxW+1, 1, 32)
			require.NoError(t, err)
			_, err = r.f.AddFB2(FB2{Width: c.maxW + 1, Height: 1, Format: fourcc.XRGB8888, Handles: [4]uint32{h}, Pitches: [4]uint32{pitch}})
			assert.ErrorIs(t, err, syscall.EINVAL, "wider than max_width")
		})
	}
}

// failingComposer fails every frame, which the device reports through its
// logger.
type failingComposer struct{}

func (failingComposer) Compose(*Frame, Target) (uint32, error) { return 0, syscall.EIO }

// logRig is a vkms rig whose device logs into buf, lit, with a CRC reader
// open on CRTC 0.
func logRig(t *testing.T, comp Composer, buf *bytes.Buffer) *rig {
	prof, err := profile.Load("vkms")
	require.NoError(t, err)
	clk, err := vblank.NewVirtual(testPeriod)
	require.NoError(t, err)
	d, err := New(Config{Profile: prof, Clock: clk, Composer: comp, Logger: slog.New(slog.NewTextHandler(buf, nil))})
	require.NoError(t, err)
	t.Cleanup(d.Close)
	r := &rig{t: t, d: d, clk: clk, f: d.Open(), crtc: d.crtcs[0], conn: d.connectors[0], prim: d.crtcs[0].primary}
	t.Cleanup(func() { r.f.Close() })
	require.NoError(t, r.f.SetClientCap(ClientCapAtomic, 1))
	m := r.conn.modes[0]
	r.w, r.h = uint32(m.HDisplay), uint32(m.VDisplay)
	r.mode = r.modeBlob(m)
	r.modeset()
	rd, err := r.crtc.CRC().Open(false)
	require.NoError(t, err)
	t.Cleanup(func() { rd.Close() })
	return r
}

// Config.Logger receives the device's diagnostics: a frame the composer
// fails on is logged there, not to slog.Default().
func TestConfigLoggerReceivesDiagnostics(t *testing.T) {
	var buf bytes.Buffer
	r := logRig(t, failingComposer{}, &buf)
	r.clk.Advance()
	assert.Contains(t, buf.String(), "composing a frame failed")
}

// A reader that falls behind loses entries, and the log says so once:
// drm_crtc_add_crc_entry reports the overflow with one drm_err while
// crc->overflow stays set and returns -ENOBUFS for every dropped entry,
// which VKMS's composer worker ignores. Entries that fit are not logged.
func TestCRCOverflowLoggedOnce(t *testing.T) {
	var buf bytes.Buffer
	r := logRig(t, &hashComposer{}, &buf)
	for range 10 {
		r.clk.Advance()
	}
	assert.Empty(t, buf.String(), "entries that fit in the ring")
	for range crc.EntriesNR + 10 {
		r.clk.Advance()
	}
	assert.Equal(t, 1, strings.Count(buf.String(), "level=ERROR"), "%s", buf.String())
	assert.Contains(t, buf.String(), "Overflow of CRC buffer")
}

// A plane has the optional properties its driver creates and no others
// (drm_plane_create_rotation_property, _blend_mode_property and
// _color_properties are each called only for what the hardware does).
// COLOR_ENCODING and COLOR_RANGE list the supported values in enum order
// with drm_color_mgmt.c's names: VKMS passes BT601|BT709|BT2020 and
// LIMITED|FULL.
func TestPlaneOptionalProperties(t *testing.T) {
	cases := []struct {
		profile  string
		typ      profile.PlaneType
		rotation bool
		blend    bool
		encoding []EnumValue
		ranges   []EnumValue
	}{
		{profile: "vkms", typ: profile.Primary, rotation: true,
			encoding: []EnumValue{{0, "ITU-R BT.601 YCbCr"}, {1, "ITU-R BT.709 YCbCr"}, {2, "ITU-R BT.2020 YCbCr"}},
			ranges:   []EnumValue{{0, "YCbCr limited range"}, {1, "YCbCr full range"}}},
		{profile: "intel-like", typ: profile.Primary, rotation: true, blend: true,
			encoding: []EnumValue{{0, "ITU-R BT.601 YCbCr"}, {1, "ITU-R BT.709 YCbCr"}, {2, "ITU-R BT.2020 YCbCr"}},
			ranges:   []EnumValue{{0, "YCbCr limited range"}, {1, "YCbCr full range"}}},
		{profile: "nvidia-like", typ: profile.Cursor},
	}
	for _, c := range cases {
		t.Run(c.profile+"/"+c.typ.String(), func(t *testing.T) {
			r := newRig(t, c.profile)
			var pl *Plane
			for _, p := range r.d.Planes() {
				if p.Type() == c.typ {
					pl = p
					break
				}
			}
			require.NotNil(t, pl)
			assert.Equal(t, c.rotation, pl.PropertyID("rotation") != 0, "rotation")
			assert.Equal(t, c.blend, pl.PropertyID("pixel blend mode") != 0, "pixel blend mode")
			enums := func(name string) []EnumValue {
				id := pl.PropertyID(name)
				if id == 0 {
					return nil
				}
				p, err := r.d.Property(id)
				require.NoError(t, err)
				return p.Enums()
			}
			assert.Equal(t, c.encoding, enums("COLOR_ENCODING"))
			assert.Equal(t, c.ranges, enums("COLOR_RANGE"))
		})
	}
}
