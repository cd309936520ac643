package device

import (
	"fmt"
	"math"
	"syscall"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// ImportBuffer makes mem a buffer object of this file and returns its
// handle, as PRIME import does for a dma-buf. The device reads mem when it
// composes and writes it only as a writeback target.
func (f *File) ImportBuffer(mem []byte) (uint32, error) {
	if len(mem) == 0 {
		return 0, fmt.Errorf("import buffer: empty: %w", syscall.EINVAL)
	}
	if err := f.lock(); err != nil {
		return 0, err
	}
	defer f.unlock()
	return f.addHandleLocked(&Buffer{mem: mem}), nil
}

func (f *File) addHandleLocked(b *Buffer) uint32 {
	h := f.nextHandle
	f.nextHandle++
	f.handles[h] = b
	return h
}

// CreateDumb is DRM_IOCTL_MODE_CREATE_DUMB: a zeroed buffer for width x
// height pixels of bpp bits, with the pitch and page-rounded size the
// shmem helpers give (pitch = DIV_ROUND_UP(width*bpp, 8)).
func (f *File) CreateDumb(width, height, bpp uint32) (handle, pitch uint32, size uint64, err error) {
	if width == 0 || height == 0 || bpp == 0 {
		return 0, 0, 0, fmt.Errorf("create dumb %dx%d bpp %d: %w", width, height, bpp, syscall.EINVAL)
	}
	p := (uint64(width)*uint64(bpp) + 7) / 8
	sz := (p*uint64(height) + 4095) &^ 4095
	if p > math.MaxUint32 || sz > 1<<31 {
		return 0, 0, 0, fmt.Errorf("create dumb %dx%d bpp %d: too large: %w", width, height, bpp, syscall.EINVAL)
	}
	if err := f.lock(); err != nil {
		return 0, 0, 0, err
	}
	defer f.unlock()
	return f.addHandleLocked(&Buffer{mem: make([]byte, sz)}), uint32(p), sz, nil
}

// Buffer returns the buffer object behind handle.
func (f *File) Buffer(handle uint32) (*Buffer, error) {
	if err := f.lock(); err != nil {
		return nil, err
	}
	defer f.unlock()
	b := f.handles[handle]
	if b == nil {
		return nil, fmt.Errorf("buffer handle %d: %w", handle, syscall.ENOENT)
	}
	return b, nil
}

// CloseHandle is DRM_IOCTL_GEM_CLOSE. Framebuffers keep their buffers.
func (f *File) CloseHandle(handle uint32) error {
	if err := f.lock(); err != nil {
		return err
	}
	defer f.unlock()
	if f.handles[handle] == nil {
		return fmt.Errorf("close handle %d: %w", handle, syscall.EINVAL)
	}
	delete(f.handles, handle)
	return nil
}

// FB2 is the argument of AddFB2, struct drm_mode_fb_cmd2.
type FB2 struct {
	Width, Height uint32
	Format        fourcc.Format
	Flags         uint32
	Handles       [4]uint32
	Pitches       [4]uint32
	Offsets       [4]uint32
	Modifiers     [4]modifier.Modifier
}

// AddFB2 is DRM_IOCTL_MODE_ADDFB2. The checks and their errnos are those of
// drm_mode_addfb2 and framebuffer_check, in the kernel's order, followed by
// the buffer-size check of the GEM helpers and the modifier's own layout
// rules from modifiers/layout (CCS strides, tile alignment), which the
// kernel leaves to drivers and which all answer EINVAL.
func (f *File) AddFB2(r FB2) (uint32, error) {
	if err := f.lock(); err != nil {
		return 0, err
	}
	defer f.unlock()
	d := f.dev
	if r.Flags&^(FBInterlaced|FBModifiers) != 0 {
		return 0, fmt.Errorf("addfb2: bad flags %#x: %w", r.Flags, syscall.EINVAL)
	}
	if r.Width < MinWidth || r.Width > d.maxWidth {
		return 0, fmt.Errorf("addfb2: width %d outside %d..%d: %w", r.Width, MinWidth, d.maxWidth, syscall.EINVAL)
	}
	if r.Height < MinHeight || r.Height > d.maxHeight {
		return 0, fmt.Errorf("addfb2: height %d outside %d..%d: %w", r.Height, MinHeight, d.maxHeight, syscall.EINVAL)
	}
	info, ok := fourcc.Lookup(r.Format)
	if !ok {
		return 0, fmt.Errorf("addfb2: unknown format %#08x: %w", uint32(r.Format), syscall.EINVAL)
	}
	var bufs [4]*Buffer
	mod := modifier.Linear
	if r.Flags&FBModifiers != 0 {
		mod = r.Modifiers[0]
	}
	// Like drm_get_format_info, the modifier decides the plane count:
	// i915's CCS modifiers add auxiliary planes to the format's own.
	n := int(info.NumPlanes)
	if l, err := layout.Compute(info, mod, r.Width, r.Height); err == nil && len(l.Planes) > n && len(l.Planes) <= 4 {
		n = len(l.Planes)
	}
	for i := int(info.NumPlanes); i < n; i++ {
		if r.Handles[i] == 0 {
			return 0, fmt.Errorf("addfb2: no buffer handle for auxiliary plane %d: %w", i, syscall.EINVAL)
		}
		if r.Modifiers[i] != r.Modifiers[0] {
			return 0, fmt.Errorf("addfb2: plane %d modifier differs from plane 0: %w", i, syscall.EINVAL)
		}
	}
	for i := 0; i < int(info.NumPlanes); i++ {
		w := uint32(info.PlaneWidth(int(r.Width), i))
		h := uint64(info.PlaneHeight(int(r.Height), i))
		minPitch := info.MinPitch(i, w)
		if info.CharPerBlock[i] == 0 && r.Modifiers[i] == modifier.Linear {
			return 0, fmt.Errorf("addfb2: %s needs a non-linear modifier: %w", info.Name, syscall.EINVAL)
		}
		if r.Handles[i] == 0 {
			return 0, fmt.Errorf("addfb2: no buffer handle for plane %d: %w", i, syscall.EINVAL)
		}
		if minPitch > math.MaxUint32 {
			return 0, fmt.Errorf("addfb2: plane %d pitch overflows: %w", i, syscall.ERANGE)
		}
		if h*uint64(r.Pitches[i])+uint64(r.Offsets[i]) > math.MaxUint32 {
			return 0, fmt.Errorf("addfb2: plane %d: height * pitch + offset overflows: %w", i, syscall.ERANGE)
		}
		if info.CharPerBlock[i] != 0 && uint64(r.Pitches[i]) < minPitch {
			return 0, fmt.Errorf("addfb2: plane %d pitch %d below the minimum %d: %w", i, r.Pitches[i], minPitch, syscall.EINVAL)
		}
		if r.Modifiers[i] != 0 && r.Flags&FBModifiers == 0 {
			return 0, fmt.Errorf("addfb2: plane %d modifier without DRM_MODE_FB_MODIFIERS: %w", i, syscall.EINVAL)
		}
		if r.Flags&FBModifiers != 0 && r.Modifiers[i] != r.Modifiers[0] {
			return 0, fmt.Errorf("addfb2: plane %d modifier differs from plane 0: %w", i, syscall.EINVAL)
		}
		// framebuffer_check tests each plane's own size, so NV12's chroma
		// plane needs whole tiles too: 256x64 is the smallest NV12MT fb.
		if r.Modifiers[i] == modifier.Samsung64x32Tile &&
			(r.Format != fourcc.NV12 || w%128 != 0 || h%32 != 0 || r.Pitches[i]%128 != 0) {
			return 0, fmt.Errorf("addfb2: Samsung 64x32 tiles need NV12 and sizes and pitch in whole tiles: %w", syscall.EINVAL)
		}
	}
	for i := n; i < 4; i++ {
		if r.Modifiers[i] != 0 {
			return 0, fmt.Errorf("addfb2: modifier set for unused plane %d: %w", i, syscall.EINVAL)
		}
		if r.Flags&FBModifiers == 0 {
			continue
		}
		if r.Handles[i] != 0 || r.Pitches[i] != 0 || r.Offsets[i] != 0 {
			return 0, fmt.Errorf("addfb2: handle, pitch or offset set for unused plane %d: %w", i, syscall.EINVAL)
		}
	}
	if !d.anyPlaneHasFormat(r.Format, mod) {
		return 0, fmt.Errorf("addfb2: no plane takes %s with %s: %w", info.Name, modifier.Name(mod), syscall.EINVAL)
	}
	var lp [4]layout.Plane
	for i := 0; i < n; i++ {
		b := f.handles[r.Handles[i]]
		if b == nil {
			return 0, fmt.Errorf("addfb2: plane %d: no buffer with handle %d: %w", i, r.Handles[i], syscall.ENOENT)
		}
		bufs[i] = b
		lp[i] = layout.Plane{Offset: r.Offsets[i], Stride: r.Pitches[i], Size: b.Size()}
	}
	if err := layout.Validate(info, mod, r.Width, r.Height, lp[:n]); err != nil {
		return 0, fmt.Errorf("addfb2: %w: %w", err, syscall.EINVAL)
	}
	fb := &Framebuffer{width: r.Width, height: r.Height, format: r.Format, info: info, modifier: mod, flags: r.Flags, owner: f}
	for i := 0; i < n; i++ {
		fb.planes[i] = FBPlane{Buffer: bufs[i], Handle: r.Handles[i], Pitch: r.Pitches[i], Offset: r.Offsets[i]}
	}
	fb.id = d.addObject(ObjectFB, fb)
	f.fbs = append(f.fbs, fb)
	return fb.id, nil
}

func (d *Device) anyPlaneHasFormat(f fourcc.Format, m modifier.Modifier) bool {
	for _, p := range d.planes {
		if p.prof.Supports(f, m) {
			return true
		}
	}
	return false
}

// RmFB is DRM_IOCTL_MODE_RMFB: only the file that created a framebuffer
// may remove it (ENOENT otherwise, as the kernel answers). A framebuffer
// still shown is taken off its planes at once; a primary plane losing its
// framebuffer switches its CRTC off, as drm_framebuffer_remove does.
func (f *File) RmFB(id uint32) error {
	if err := f.lock(); err != nil {
		return err
	}
	defer f.unlock()
	o, _ := f.dev.lookup(id, ObjectFB)
	fb, _ := o.(*Framebuffer)
	if fb == nil || fb.owner != f {
		return fmt.Errorf("rmfb %d: %w", id, syscall.ENOENT)
	}
	for i, x := range f.fbs {
		if x == fb {
			f.fbs = append(f.fbs[:i], f.fbs[i+1:]...)
			break
		}
	}
	f.dev.rmFBLocked(fb)
	return nil
}

// FBInfo is what DRM_IOCTL_MODE_GETFB2 reports.
type FBInfo struct {
	ID            uint32
	Width, Height uint32
	Format        fourcc.Format
	Modifier      modifier.Modifier
	Flags         uint32
	Pitches       [4]uint32
	Offsets       [4]uint32
}

// FB2 is DRM_IOCTL_MODE_GETFB2 (without handles): ENOENT for an id that is
// not a framebuffer.
func (d *Device) FB2(id uint32) (FBInfo, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, _ := d.lookup(id, ObjectFB)
	if o == nil {
		return FBInfo{}, fmt.Errorf("getfb2 %d: %w", id, syscall.ENOENT)
	}
	fb := o.(*Framebuffer)
	in := FBInfo{ID: fb.id, Width: fb.width, Height: fb.height, Format: fb.format, Modifier: fb.modifier, Flags: fb.flags}
	for i := range fb.planes {
		in.Pitches[i], in.Offsets[i] = fb.planes[i].Pitch, fb.planes[i].Offset
	}
	return in, nil
}

// Framebuffer returns framebuffer id, ENOENT if there is none. Tools that
// build frames by hand (composer tests, PNG export) start from it.
func (d *Device) Framebuffer(id uint32) (*Framebuffer, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, _ := d.lookup(id, ObjectFB)
	if o == nil {
		return nil, fmt.Errorf("framebuffer %d: %w", id, syscall.ENOENT)
	}
	return o.(*Framebuffer), nil
}

// MaxBlobSize bounds a user blob. The kernel's bound is INT_MAX minus a
// header; a fake device held in memory keeps a saner one.
const MaxBlobSize = 64 << 20

// CreateBlob is DRM_IOCTL_MODE_CREATEPROPBLOB: data is copied.
func (f *File) CreateBlob(data []byte) (uint32, error) {
	if len(data) == 0 || len(data) > MaxBlobSize {
		return 0, fmt.Errorf("create blob of %d bytes: %w", len(data), syscall.EINVAL)
	}
	if err := f.lock(); err != nil {
		return 0, err
	}
	defer f.unlock()
	b := f.dev.newBlob(append([]byte(nil), data...), f)
	f.blobs = append(f.blobs, b)
	return b.id, nil
}

// DestroyBlob is DRM_IOCTL_MODE_DESTROYPROPBLOB: EINVAL for an id that is
// not a blob, EPERM for a blob of another file or of the device. States
// that use the blob keep it.
func (f *File) DestroyBlob(id uint32) error {
	if err := f.lock(); err != nil {
		return err
	}
	defer f.unlock()
	o, _ := f.dev.lookup(id, ObjectBlob)
	if o == nil {
		return fmt.Errorf("destroy blob %d: %w", id, syscall.EINVAL)
	}
	b := o.(*Blob)
	if b.owner != f {
		return fmt.Errorf("destroy blob %d: not this file's: %w", id, syscall.EPERM)
	}
	for i, x := range f.blobs {
		if x == b {
			f.blobs = append(f.blobs[:i], f.blobs[i+1:]...)
			break
		}
	}
	f.dev.removeObject(id)
	return nil
}

// Blob is DRM_IOCTL_MODE_GETPROPBLOB: a copy of the blob's bytes, ENOENT
// for an id that is not a blob.
func (d *Device) Blob(id uint32) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, _ := d.lookup(id, ObjectBlob)
	if o == nil {
		return nil, fmt.Errorf("get blob %d: %w", id, syscall.ENOENT)
	}
	return append([]byte(nil), o.(*Blob).data...), nil
}
