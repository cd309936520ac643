package modeinfo

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/profile"
)

// dmt1080 is DMT 0x52 as drm_edid.c lists it.
func dmt1080(t *testing.T) Mode {
	t.Helper()
	m, ok := DMT(1920, 1080, 60)
	require.True(t, ok)
	return m
}

func TestAppendOffsets(t *testing.T) {
	m := Mode{
		Clock: 0x01020304, HDisplay: 0x0506, HSyncStart: 0x0708, HSyncEnd: 0x090a, HTotal: 0x0b0c, HSkew: 0x0d0e,
		VDisplay: 0x0f10, VSyncStart: 0x1112, VSyncEnd: 0x1314, VTotal: 0x1516, VScan: 0x1718,
		VRefresh: 0x191a1b1c, Flags: 0x1d1e1f20, Type: 0x21222324,
	}
	m.SetName("abc")
	prefix := []byte{0xee, 0xff}
	b := m.Append(prefix)
	require.Len(t, b, 2+Size)
	assert.Equal(t, []byte{0xee, 0xff}, b[:2], "Append keeps dst")
	b = b[2:]
	ne := binary.NativeEndian
	u32 := []struct {
		off  int
		want uint32
	}{{0, m.Clock}, {24, m.VRefresh}, {28, m.Flags}, {32, m.Type}}
	for _, c := range u32 {
		assert.Equal(t, c.want, ne.Uint32(b[c.off:]), "u32 at %d", c.off)
	}
	u16 := []uint16{m.HDisplay, m.HSyncStart, m.HSyncEnd, m.HTotal, m.HSkew, m.VDisplay, m.VSyncStart, m.VSyncEnd, m.VTotal, m.VScan}
	for i, want := range u16 {
		assert.Equal(t, want, ne.Uint16(b[4+2*i:]), "u16 at %d", 4+2*i)
	}
	assert.Equal(t, []byte("abc"), b[36:39])
	assert.Equal(t, make([]byte, 29), b[39:68], "name is NUL-padded")

	got, err := Decode(b)
	require.NoError(t, err)
	assert.Equal(t, m, got)
}

func TestAppendNoAlloc(t *testing.T) {
	m := dmt1080(t)
	buf := make([]byte, 0, Size)
	allocs := testing.AllocsPerRun(100, func() { buf = m.Append(buf[:0]) })
	assert.Zero(t, allocs)
	assert.Len(t, buf, Size)
}

func TestDecodeLength(t *testing.T) {
	for _, n := range []int{0, 1, Size - 1, Size + 1, 2 * Size} {
		_, err := Decode(make([]byte, n))
		require.Error(t, err, "length %d", n)
		assert.ErrorIs(t, err, syscall.EINVAL)
		assert.Contains(t, err.Error(), "bad mode blob length")
	}
	_, err := Decode(make([]byte, Size))
	assert.NoError(t, err, "a zero blob decodes (Validate refuses it)")
}

func TestValidate(t *testing.T) {
	good := dmt1080(t)
	cases := []struct {
		name   string
		mutate func(m *Mode)
		errno  syscall.Errno // 0: valid
		msg    string
	}{
		{"dmt 1080p", func(m *Mode) {}, 0, ""},
		{"clock above INT_MAX", func(m *Mode) { m.Clock = math.MaxInt32 + 1 }, syscall.ERANGE, "clock"},
		{"clock INT_MAX", func(m *Mode) { m.Clock = math.MaxInt32 }, 0, ""},
		{"vrefresh above INT_MAX", func(m *Mode) { m.VRefresh = math.MaxUint32 }, syscall.ERANGE, "vrefresh"},
		{"range checked before flags", func(m *Mode) { m.Clock = math.MaxUint32; m.Flags |= FlagBCast }, syscall.ERANGE, "clock"},
		{"aspect 16:9", func(m *Mode) { m.Flags |= FlagPicAR16x9 }, 0, ""},
		{"aspect 256:135", func(m *Mode) { m.Flags |= FlagPicAR256x135 }, 0, ""},
		{"aspect 5", func(m *Mode) { m.Flags |= 5 << 19 }, syscall.EINVAL, "aspect"},
		{"aspect 15", func(m *Mode) { m.Flags |= FlagPicARMask }, syscall.EINVAL, "aspect"},
		{"bcast flag", func(m *Mode) { m.Flags |= FlagBCast }, syscall.EINVAL, "flags"},
		{"pixmux flag", func(m *Mode) { m.Flags |= FlagPixMux }, syscall.EINVAL, "flags"},
		{"bit 23", func(m *Mode) { m.Flags |= 1 << 23 }, syscall.EINVAL, "flags"},
		{"bit 31", func(m *Mode) { m.Flags |= 1 << 31 }, syscall.EINVAL, "flags"},
		{"every known flag", func(m *Mode) { m.Flags = FlagAll&^Flag3DMask | Flag3DMax | FlagPicAR4x3 }, 0, ""},
		{"3D side by side half", func(m *Mode) { m.Flags |= Flag3DSideBySideHalf }, 0, ""},
		{"3D layout 9", func(m *Mode) { m.Flags |= 9 << 14 }, syscall.EINVAL, "3D"},
		{"3D layout 31", func(m *Mode) { m.Flags |= Flag3DMask }, syscall.EINVAL, "3D"},
		{"unknown type bits ignored", func(m *Mode) { m.Type = math.MaxUint32 }, 0, ""},
		{"clock 0", func(m *Mode) { m.Clock = 0 }, syscall.EINVAL, "clock 0"},
		{"flags checked before clock", func(m *Mode) { m.Clock = 0; m.Flags |= FlagPixMux }, syscall.EINVAL, "flags"},
		{"hdisplay 0", func(m *Mode) { m.HDisplay = 0 }, syscall.EINVAL, "horizontal"},
		{"hsync_start < hdisplay", func(m *Mode) { m.HSyncStart = m.HDisplay - 1 }, syscall.EINVAL, "horizontal"},
		{"hsync_end < hsync_start", func(m *Mode) { m.HSyncEnd = m.HSyncStart - 1 }, syscall.EINVAL, "horizontal"},
		{"htotal < hsync_end", func(m *Mode) { m.HTotal = m.HSyncEnd - 1 }, syscall.EINVAL, "horizontal"},
		{"h all equal", func(m *Mode) { m.HSyncStart, m.HSyncEnd, m.HTotal = m.HDisplay, m.HDisplay, m.HDisplay }, 0, ""},
		{"clock checked before timings", func(m *Mode) { m.Clock = 0; m.HDisplay = 0 }, syscall.EINVAL, "clock 0"},
		{"vdisplay 0", func(m *Mode) { m.VDisplay = 0 }, syscall.EINVAL, "vertical"},
		{"vsync_start < vdisplay", func(m *Mode) { m.VSyncStart = m.VDisplay - 1 }, syscall.EINVAL, "vertical"},
		{"vsync_end < vsync_start", func(m *Mode) { m.VSyncEnd = m.VSyncStart - 1 }, syscall.EINVAL, "vertical"},
		{"vtotal < vsync_end", func(m *Mode) { m.VTotal = m.VSyncEnd - 1 }, syscall.EINVAL, "vertical"},
		{"v all equal", func(m *Mode) { m.VSyncStart, m.VSyncEnd, m.VTotal = m.VDisplay, m.VDisplay, m.VDisplay }, 0, ""},
		{"h checked before v", func(m *Mode) { m.HDisplay = 0; m.VDisplay = 0 }, syscall.EINVAL, "horizontal"},
		{"hskew and vscan free", func(m *Mode) { m.HSkew = 65535; m.VScan = 65535 }, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := good
			c.mutate(&m)
			err := m.Validate()
			if c.errno == 0 {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, c.errno)
			var errno syscall.Errno
			require.True(t, errors.As(err, &errno))
			assert.Equal(t, c.errno, errno)
			assert.Contains(t, err.Error(), c.msg)
		})
	}
}

func TestPeriod(t *testing.T) {
	m := dmt1080(t)
	p, err := m.Period()
	require.NoError(t, err)
	assert.Equal(t, int64(2200*1125*1_000_000/148500), p)
	assert.Equal(t, int64(16666666), p)

	m.Flags |= FlagInterlace
	pi, err := m.Period()
	require.NoError(t, err)
	assert.Equal(t, p/2, pi, "an interlaced mode's period is one field")

	m.Clock = 0
	_, err = m.Period()
	assert.ErrorIs(t, err, syscall.EINVAL)
}

func TestRefreshRate(t *testing.T) {
	cases := []struct {
		name string
		m    Mode
		want uint32
	}{
		{"640x480 59.94 rounds to 60", Mode{Clock: 25175, HTotal: 800, VTotal: 525}, 60},
		{"interlace doubles", Mode{Clock: 44900, HTotal: 1264, VTotal: 817, Flags: FlagInterlace}, 87},
		{"dblscan halves", Mode{Clock: 148500, HTotal: 2200, VTotal: 1125, Flags: FlagDblScan}, 30},
		{"vscan divides", Mode{Clock: 148500, HTotal: 2200, VTotal: 1125, VScan: 3}, 20},
		{"vscan 1 ignored", Mode{Clock: 148500, HTotal: 2200, VTotal: 1125, VScan: 1}, 60},
		{"htotal 0", Mode{Clock: 148500, VTotal: 1125}, 0},
		{"den overflow", Mode{Clock: 148500, HTotal: 65535, VTotal: 65535, VScan: 2}, 0},
		{"htotal*vtotal above INT_MAX", Mode{Clock: 148500, HTotal: 65535, VTotal: 40000}, 0},
		{"clock above INT_MAX", Mode{Clock: math.MaxInt32 + 1, HTotal: 65535, VTotal: 65535}, 0},
		{"truncated like the kernel's int", Mode{Clock: math.MaxInt32, HTotal: 1, VTotal: 1, Flags: FlagInterlace | FlagDblScan}, uint32(uint64(math.MaxInt32) * 1000 % (1 << 32))},
		{"largest", Mode{Clock: math.MaxInt32, HTotal: 65535, VTotal: 32767}, 1000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, c.m.RefreshRate()) })
	}
}

func TestEqual(t *testing.T) {
	base := dmt1080(t)
	same := []struct {
		name   string
		mutate func(m *Mode)
	}{
		{"identical", func(m *Mode) {}},
		{"name", func(m *Mode) { m.SetName("other") }},
		{"type", func(m *Mode) { m.Type = TypeUserdef | TypePreferred }},
		{"vrefresh", func(m *Mode) { m.VRefresh = 30 }},
		{"clock with the same picoseconds", func(m *Mode) { m.Clock = 148499 }},
	}
	for _, c := range same {
		m := base
		c.mutate(&m)
		assert.True(t, base.Equal(&m), c.name)
		assert.True(t, m.Equal(&base), c.name)
	}
	differ := []struct {
		name   string
		mutate func(m *Mode)
	}{
		{"clock", func(m *Mode) { m.Clock = 148600 }},
		{"clock 0", func(m *Mode) { m.Clock = 0 }},
		{"hdisplay", func(m *Mode) { m.HDisplay++ }},
		{"hsync_start", func(m *Mode) { m.HSyncStart++ }},
		{"hsync_end", func(m *Mode) { m.HSyncEnd++ }},
		{"htotal", func(m *Mode) { m.HTotal++ }},
		{"hskew", func(m *Mode) { m.HSkew++ }},
		{"vdisplay", func(m *Mode) { m.VDisplay++ }},
		{"vsync_start", func(m *Mode) { m.VSyncStart++ }},
		{"vsync_end", func(m *Mode) { m.VSyncEnd++ }},
		{"vtotal", func(m *Mode) { m.VTotal++ }},
		{"vscan", func(m *Mode) { m.VScan++ }},
		{"sync polarity", func(m *Mode) { m.Flags = FlagPHSync | FlagPVSync }},
		{"3D layout", func(m *Mode) { m.Flags |= Flag3DTopAndBottom }},
		{"aspect ratio", func(m *Mode) { m.Flags |= FlagPicAR16x9 }},
	}
	for _, c := range differ {
		m := base
		c.mutate(&m)
		assert.False(t, base.Equal(&m), c.name)
		assert.False(t, m.Equal(&base), c.name)
	}
	zero := Mode{}
	assert.True(t, zero.Equal(&Mode{}), "clock 0 on both sides compares equal")
	var nilMode *Mode
	assert.True(t, nilMode.Equal(nil))
	assert.False(t, base.Equal(nil))
	assert.False(t, nilMode.Equal(&base))
}

func TestNames(t *testing.T) {
	var m Mode
	assert.Equal(t, "", m.NameString())
	m.SetName("1920x1080")
	assert.Equal(t, "1920x1080", m.NameString())
	for i := range m.Name {
		m.Name[i] = 'a'
	}
	assert.Equal(t, strings.Repeat("a", 31), m.NameString(), "an unterminated name is cut as strscpy_pad cuts it")
	m.SetName(strings.Repeat("b", 40))
	assert.Equal(t, strings.Repeat("b", 31), m.NameString())
	assert.Zero(t, m.Name[31], "SetName keeps a terminating NUL")
}

func TestString(t *testing.T) {
	m := dmt1080(t)
	assert.Equal(t, "1920x1080@60.00 148500 kHz 1920 2008 2052 2200 1080 1084 1089 1125 -hsync -vsync driver", m.String())
	m.Type |= TypePreferred
	m.Flags = FlagPHSync | FlagPVSync | FlagHSkew | Flag3DFramePacking | FlagPicAR16x9 | 1<<30
	m.HSkew = 7
	assert.Equal(t, "1920x1080@60.00 148500 kHz 1920 2008 2052 2200 1080 1084 1089 1125 +hsync +vsync hskew=7 3d=1 aspect=2 flags=0x40000000 preferred driver", m.String())
	vga, ok := DMT(640, 480, 60)
	require.True(t, ok)
	vga.Type |= 1 << 10
	assert.Equal(t, "640x480@59.94 25175 kHz 640 656 752 800 480 490 492 525 -hsync -vsync driver type=0x400", vga.String())
	i, ok := DMT(1024, 768, 87)
	require.True(t, ok)
	assert.True(t, strings.HasPrefix(i.String(), "1024x768i@86.96 44900 kHz "), i.String())
	assert.True(t, strings.HasSuffix(i.String(), " +hsync +vsync interlace driver"), i.String())
	var zero Mode
	assert.Equal(t, "0x0@0.00 0 kHz 0 0 0 0 0 0 0 0", zero.String())
}

func TestFromProfile(t *testing.T) {
	cases := []struct {
		name string
		p    profile.Mode
		want Mode
	}{
		{"dmt preferred", profile.Mode{HDisplay: 1024, VDisplay: 768, Refresh: 60, Preferred: true},
			Mode{Clock: 65000, HDisplay: 1024, HSyncStart: 1048, HSyncEnd: 1184, HTotal: 1344,
				VDisplay: 768, VSyncStart: 771, VSyncEnd: 777, VTotal: 806, VRefresh: 60,
				Flags: FlagNHSync | FlagNVSync, Type: TypeDriver | TypePreferred}},
		{"dmt", profile.Mode{HDisplay: 1280, VDisplay: 720, Refresh: 60},
			Mode{Clock: 74250, HDisplay: 1280, HSyncStart: 1390, HSyncEnd: 1430, HTotal: 1650,
				VDisplay: 720, VSyncStart: 725, VSyncEnd: 730, VTotal: 750, VRefresh: 60,
				Flags: FlagPHSync | FlagPVSync, Type: TypeDriver}},
		// cvt -r 2560 1440 60 prints 241.50 MHz with the same timings;
		// the kernel no longer applies the 250 kHz step.
		{"cvt reduced", profile.Mode{HDisplay: 2560, VDisplay: 1440, Refresh: 60, Preferred: true},
			Mode{Clock: 241691, HDisplay: 2560, HSyncStart: 2608, HSyncEnd: 2640, HTotal: 2720,
				VDisplay: 1440, VSyncStart: 1443, VSyncEnd: 1448, VTotal: 1481, VRefresh: 60,
				Flags: FlagPHSync | FlagNVSync, Type: TypeDriver | TypePreferred}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := FromProfile(c.p)
			require.NoError(t, err)
			c.want.SetName(fmt.Sprintf("%dx%d", c.p.HDisplay, c.p.VDisplay))
			assert.Equal(t, c.want, got)
			assert.NoError(t, got.Validate())
		})
	}
	_, err := FromProfile(profile.Mode{HDisplay: 1920, VDisplay: 1080})
	assert.ErrorIs(t, err, syscall.EINVAL, "refresh 0")
	_, err = FromProfile(profile.Mode{HDisplay: 0, VDisplay: 1080, Refresh: 60})
	assert.ErrorIs(t, err, syscall.EINVAL)
}

// Every mode of every built-in profile must become a valid mode.
func TestFromBuiltinProfiles(t *testing.T) {
	names := profile.Names()
	require.NotEmpty(t, names)
	for _, name := range names {
		p, err := profile.Load(name)
		require.NoError(t, err, name)
		for _, c := range p.Connectors {
			require.NotEmpty(t, c.Modes, name)
			for _, pm := range c.Modes {
				m, err := FromProfile(pm)
				require.NoError(t, err, "%s %+v", name, pm)
				require.NoError(t, m.Validate())
				assert.Equal(t, pm.HDisplay, m.HDisplay)
				assert.Equal(t, pm.VDisplay, m.VDisplay)
				assert.Equal(t, pm.Refresh, m.RefreshRate(), "%s %+v", name, pm)
				assert.Equal(t, pm.Preferred, m.Type&TypePreferred != 0)
			}
		}
	}
}

// convert_umode refuses a clock or vrefresh above INT_MAX with ERANGE and
// takes INT_MAX itself.
func TestValidateIntMaxEdges(t *testing.T) {
	base := Mode{Clock: 25175, HDisplay: 640, HSyncStart: 656, HSyncEnd: 752, HTotal: 800,
		VDisplay: 480, VSyncStart: 490, VSyncEnd: 492, VTotal: 525}
	m := base
	m.VRefresh = math.MaxInt32
	assert.NoError(t, m.Validate())
	m.VRefresh = math.MaxInt32 + 1
	assert.ErrorIs(t, m.Validate(), syscall.ERANGE)
	m = base
	m.Clock = math.MaxInt32
	assert.NotErrorIs(t, m.Validate(), syscall.ERANGE)
	m.Clock = math.MaxInt32 + 1
	assert.ErrorIs(t, m.Validate(), syscall.ERANGE)
}
