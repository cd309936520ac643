package compose

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/kms/device"
	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/kms/vblank"
	"github.com/headwaywl/headway/modifiers/fourcc"
)

// devRig is a real device composing with this package's Composer, on a
// virtual clock, with one atomic file open. Its env composes hand-built
// frames with a second Composer, so equal CRCs also show that two
// composers agree.
type devRig struct {
	*env
	clk  *vblank.Virtual
	crtc *device.CRTC
	conn *device.Connector
	prim *device.Plane
	mode uint32
	w, h int
}

func newDevRig(t *testing.T, name string) *devRig {
	t.Helper()
	prof, err := profile.Load(name)
	require.NoError(t, err)
	clk, err := vblank.NewVirtual(16666667)
	require.NoError(t, err)
	d, err := device.New(device.Config{Profile: prof, Clock: clk, Composer: New(Options{}), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	t.Cleanup(d.Close)
	f := d.Open()
	t.Cleanup(func() { f.Close() })
	require.NoError(t, f.SetClientCap(device.ClientCapAtomic, 1))
	require.NoError(t, f.SetClientCap(device.ClientCapWritebackConnectors, 1))
	r := &devRig{env: &env{t: t, prof: prof, d: d, f: f, c: New(Options{})}, clk: clk, crtc: d.CRTCs()[0]}
	for _, c := range d.Connectors() {
		if !c.IsWriteback() {
			r.conn = c
			break
		}
	}
	require.NotNil(t, r.conn)
	r.prim = r.plane(profile.Primary)
	m := r.conn.Modes()[0]
	r.w, r.h = int(m.HDisplay), int(m.VDisplay)
	r.mode, err = f.CreateBlob(m.Append(nil))
	require.NoError(t, err)
	return r
}

// plane is the first plane of type typ that CRTC 0 can use.
func (r *devRig) plane(typ profile.PlaneType) *device.Plane {
	for _, p := range r.d.Planes() {
		if p.Type() == typ && p.Profile().PossibleCRTCs&1 != 0 {
			return p
		}
	}
	r.t.Fatalf("no %v plane for CRTC 0", typ)
	return nil
}

func (r *devRig) setPlane(req *device.Request, p *device.Plane, fb *device.Framebuffer, x, y int32) {
	w, h := uint64(fb.Width()), uint64(fb.Height())
	req.Add(p.ID(), p.PropertyID("FB_ID"), uint64(fb.ID()))
	req.Add(p.ID(), p.PropertyID("CRTC_ID"), uint64(r.crtc.ID()))
	req.Add(p.ID(), p.PropertyID("SRC_X"), 0)
	req.Add(p.ID(), p.PropertyID("SRC_Y"), 0)
	req.Add(p.ID(), p.PropertyID("SRC_W"), w<<16)
	req.Add(p.ID(), p.PropertyID("SRC_H"), h<<16)
	req.Add(p.ID(), p.PropertyID("CRTC_X"), uint64(int64(x)))
	req.Add(p.ID(), p.PropertyID("CRTC_Y"), uint64(int64(y)))
	req.Add(p.ID(), p.PropertyID("CRTC_W"), w)
	req.Add(p.ID(), p.PropertyID("CRTC_H"), h)
}

// commit commits req with a flip event, advances the clock once and
// returns the sequence of the vblank that flipped it.
func (r *devRig) commit(req *device.Request, flags uint32) uint64 {
	r.t.Helper()
	require.NoError(r.t, r.f.Commit(context.Background(), req, flags|device.AtomicNonblock|device.PageFlipEvent, 0))
	r.clk.Advance()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ev, err := r.f.WaitEvent(ctx)
	require.NoError(r.t, err)
	return ev.Seq
}

// modeset lights CRTC 0 on the connector with fb as a full-screen primary.
func (r *devRig) modeset(fb *device.Framebuffer) uint64 {
	var req device.Request
	req.Add(r.conn.ID(), r.conn.PropertyID("CRTC_ID"), uint64(r.crtc.ID()))
	req.Add(r.crtc.ID(), r.crtc.PropertyID("MODE_ID"), uint64(r.mode))
	req.Add(r.crtc.ID(), r.crtc.PropertyID("ACTIVE"), 1)
	r.setPlane(&req, r.prim, fb, 0, 0)
	return r.commit(&req, device.AtomicAllowModeset)
}

// readUntil reads CRC entries until the one for frame seq and returns
// its value; it fails if that frame's entry was skipped.
func readUntil(t *testing.T, rd *crc.Reader, seq uint64) uint32 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	buf := make([]byte, crc.LineLen(1))
	for {
		n, err := rd.ReadContext(ctx, buf)
		require.NoError(t, err)
		require.Equal(t, crc.LineLen(1), n)
		f, err := strconv.ParseUint(string(buf[2:10]), 16, 32)
		require.NoError(t, err)
		v, err := strconv.ParseUint(string(buf[13:21]), 16, 32)
		require.NoError(t, err)
		require.LessOrEqual(t, f, seq&0xffffffff, "the entry for frame %d is missing", seq)
		if f == seq&0xffffffff {
			return uint32(v)
		}
	}
}

// fullScreen is the hand-built frame of a device frame with one
// full-screen primary, carrying the primary's plane ID.
func (r *devRig) fullScreen(fb *device.Framebuffer, more ...device.FramePlane) *device.Frame {
	p := at(fb, 0, 0)
	p.ID, p.Type = r.prim.ID(), profile.Primary
	f := frame(r.w, r.h, append([]device.FramePlane{p}, more...)...)
	f.Profile = r.prof.Name // as the device's own frames name it
	return f
}

func TestDeviceCRCOfFlipEqualsHandBuiltFrame(t *testing.T) {
	for _, name := range []string{"vkms", "intel-like"} {
		t.Run(name, func(t *testing.T) {
			r := newDevRig(t, name)
			first := r.fb(fourcc.XRGB8888, r.w, r.h, gradient)
			second := r.fb(fourcc.XRGB8888, r.w, r.h, checker)
			r.modeset(first)
			rd, err := r.crtc.CRC().Open(false)
			require.NoError(t, err)
			defer rd.Close()

			var req device.Request
			req.Add(r.prim.ID(), r.prim.PropertyID("FB_ID"), uint64(second.ID()))
			seq := r.commit(&req, 0)
			got := readUntil(t, rd, seq)
			want := r.crc(r.fullScreen(second))
			assert.Equal(t, want, got, "the flip's frame has the CRC of the hand-built frame")
			assert.NotEqual(t, r.crc(r.fullScreen(first)), got, "guard: the first picture's CRC differs")

			// The next frame repeats it.
			r.clk.Advance()
			assert.Equal(t, want, readUntil(t, rd, seq+1))
		})
	}
}

func TestDeviceWritebackAndPlaneCRC(t *testing.T) {
	r := newDevRig(t, "vkms")
	wb := r.d.Writeback()
	require.NotNil(t, wb, "vkms has a writeback connector")
	over := r.plane(profile.Overlay)

	prim := r.fb(fourcc.XRGB8888, r.w, r.h, gradient)
	ovFB := r.fb(fourcc.ARGB8888, 100, 60, func(x, y int) Pixel {
		a := uint8(x * 2)
		return rgb8(a, a, uint8(y), a/2) // G above alpha where x < 30: invalid data too
	})
	r.modeset(prim)

	rd, err := r.crtc.CRC().Open(false)
	require.NoError(t, err)

	// The writeback target: XRGB8888 at the mode's size, memory we hold.
	info, _ := fourcc.Lookup(fourcc.XRGB8888)
	pitch := info.MinPitch(0, uint32(r.w))
	mem := make([]byte, int(pitch)*r.h)
	handle, err := r.f.ImportBuffer(mem)
	require.NoError(t, err)
	wbReq := device.FB2{Width: uint32(r.w), Height: uint32(r.h), Format: fourcc.XRGB8888}
	wbReq.Handles[0], wbReq.Pitches[0] = handle, uint32(pitch)
	wbID, err := r.f.AddFB2(wbReq)
	require.NoError(t, err)

	var req device.Request
	r.setPlane(&req, over, ovFB, 37, 21)
	req.Add(wb.ID(), wb.PropertyID("CRTC_ID"), uint64(r.crtc.ID()))
	req.Add(wb.ID(), wb.PropertyID("WRITEBACK_FB_ID"), uint64(wbID))
	seq := r.commit(&req, device.AtomicAllowModeset)
	// The CRC entry is added after the frame (and its writeback) is
	// composed, so reading it orders the writes before the checks below.
	got := readUntil(t, rd, seq)
	require.NoError(t, rd.Close())

	op := at(ovFB, 37, 21)
	op.ID, op.Type = over.ID(), profile.Overlay
	f := r.fullScreen(prim, op)
	out, want, err := r.c.Capture(f, crc.Auto)
	require.NoError(t, err)
	assert.Equal(t, want, got, "the frame's CRC through the device equals Capture's")

	// The written pixels are the composed frame in XRGB8888.
	wr, err := pixfmt.NewWriter(fourcc.XRGB8888, profile.BT601, profile.RangeFull)
	require.NoError(t, err)
	exp := make([]byte, len(mem))
	pi := pixfmt.Image{Width: r.w, Height: r.h}
	pi.Planes[0] = pixfmt.Plane{Data: exp, Stride: int(pitch)}
	for y := 0; y < r.h; y++ {
		wr.WriteSpan(&pi, 0, y, out.Pix[y*r.w:(y+1)*r.w])
	}
	require.Equal(t, len(exp), len(mem))
	diff := -1
	for i := range exp {
		if exp[i] != mem[i] {
			diff = i
			break
		}
	}
	assert.Equal(t, -1, diff, "first differing byte of the writeback output")
	// Guard: the overlay changed the picture, so the comparison is not
	// against the primary alone.
	alone, _, err := r.c.Capture(r.fullScreen(prim), crc.Auto)
	require.NoError(t, err)
	assert.NotEqual(t, alone.Pix, out.Pix)

	// A per-plane source ("plane<ID>") through the device equals
	// Capture's. (Not in the writeback frame: the composer refuses a
	// plane source together with writeback.)
	_, err = r.crtc.CRC().WriteControl([]byte(fmt.Sprintf("plane%d\n", over.ID())))
	require.NoError(t, err)
	rd, err = r.crtc.CRC().Open(false)
	require.NoError(t, err)
	defer rd.Close()
	r.clk.Advance()
	got = readUntil(t, rd, seq+1)
	img, want, err := r.c.Capture(f, crc.Source{Plane: over.ID()})
	require.NoError(t, err)
	assert.Equal(t, want, got, "plane CRC through the device equals Capture's")
	assert.Equal(t, [2]int{100, 60}, [2]int{img.Width, img.Height})
	assert.NotEqual(t, r.crc(f), got, "guard: the plane source is not the frame")
}
