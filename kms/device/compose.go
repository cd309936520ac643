package device

import (
	"github.com/headwaywl/headway/kms/crc"
	"github.com/headwaywl/headway/kms/profile"
)

// Target says what a composition must produce.
type Target struct {
	// CRC asks for the CRC of Source: the composed output ("auto") or one
	// plane's converted input ("plane<ID>").
	CRC    bool
	Source crc.Source
	// Writeback, when set, receives the composed output in its own format.
	Writeback *Framebuffer
}

// Composer turns a frame description into pixels: its CRC value and,
// for writeback, the written framebuffer. The device calls it once per
// CRTC and vblank while a CRC reader is open or a writeback job is due,
// on the clock's delivery goroutine, never concurrently for one device.
type Composer interface {
	Compose(f *Frame, t Target) (uint32, error)
}

// Frame is what a CRTC scans out during one frame.
type Frame struct {
	crtc      *CRTC
	crcWanted bool

	// Profile is the device profile's name, so a composer can follow the
	// emulated driver where drivers' arithmetic differs (VKMS's overflow
	// on invalid pre-multiplied data).
	Profile   string
	CRTCID    uint32
	Seq       uint64 // the vblank that started the frame
	Timestamp int64  // its timestamp, ns
	Width     int    // hdisplay
	Height    int    // vdisplay
	// GammaLUT is the CRTC's GAMMA_LUT blob (struct drm_color_lut
	// entries), nil for none.
	GammaLUT []byte
	// Planes are the visible planes, bottom first (normalized zpos order).
	Planes []FramePlane
}

// FramePlane is one visible plane of a frame, after the check clipped it.
type FramePlane struct {
	ID            uint32
	Type          profile.PlaneType
	FB            *Framebuffer
	Src           Rect // 16.16, inside the framebuffer
	Dst           Rect // pixels, inside the CRTC
	Rotation      profile.Rotation
	Alpha         uint16
	Blend         profile.BlendMode
	ColorEncoding profile.ColorEncoding
	ColorRange    profile.ColorRange
	// ColorkeyKind says which colorkey interface the plane offers, so the
	// composer knows how to read Colorkey and I915Colorkey.
	ColorkeyKind  profile.Colorkey
	Colorkey      uint32
	ColorkeyAlpha uint8 // rcar-gen3 only (our extension); 0 makes keyed pixels transparent
	I915Colorkey  I915Colorkey
	Zpos          uint32 // normalized
}

// buildFrameLocked fills cr.frame from the hardware state; it reuses the
// frame's plane slice, so a steady frame allocates nothing.
func (d *Device) buildFrameLocked(cr *CRTC, seq uint64, ts int64) {
	hs := &d.hw.crtcs[cr.index]
	f := &cr.frame
	f.crtc, f.CRTCID, f.Seq, f.Timestamp = cr, cr.id, seq, ts
	f.Profile = d.prof.Name
	f.Width, f.Height = int(hs.Mode.HDisplay), int(hs.Mode.VDisplay)
	f.GammaLUT = nil
	if hs.GammaLUT != nil {
		f.GammaLUT = hs.GammaLUT.data
	}
	f.Planes = f.Planes[:0]
	for i, p := range d.planes {
		ps := &d.hw.planes[i]
		if ps.CRTC != cr || !ps.Visible || ps.FB == nil {
			continue
		}
		fp := FramePlane{
			ID: p.id, Type: p.prof.Type, FB: ps.FB, Src: ps.Src, Dst: ps.Dst,
			Rotation: ps.Rotation, Alpha: ps.Alpha, Blend: ps.Blend,
			ColorEncoding: ps.ColorEncoding, ColorRange: ps.ColorRange,
			ColorkeyKind: p.prof.Colorkey, Colorkey: ps.Colorkey, ColorkeyAlpha: ps.ColorkeyAlpha, I915Colorkey: ps.I915Colorkey,
			Zpos: ps.NormalizedZpos,
		}
		// Insertion keeps the order stable without allocating.
		j := len(f.Planes)
		f.Planes = append(f.Planes, fp)
		for j > 0 && f.Planes[j-1].Zpos > fp.Zpos {
			f.Planes[j] = f.Planes[j-1]
			j--
		}
		f.Planes[j] = fp
	}
}
