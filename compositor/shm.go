package compositor

import (
	"fmt"
	"math"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/kms/pixfmt"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/wayland"
)

// shmFormats are the formats wl_shm advertises: every single-plane format
// kms/pixfmt reads, so any of them renders exactly. wl_shm names ARGB8888
// and XRGB8888 0 and 1; every other code is the DRM fourcc.
func shmFormats() []fourcc.Format {
	var out []fourcc.Format
	for _, f := range pixfmt.ReaderFormats() {
		info, ok := fourcc.Lookup(f)
		if !ok || info.NumPlanes != 1 || info.IsColorIndexed {
			continue
		}
		out = append(out, f)
	}
	return out
}

func shmCode(f fourcc.Format) uint32 {
	switch f {
	case fourcc.ARGB8888:
		return 0
	case fourcc.XRGB8888:
		return 1
	}
	return uint32(f)
}

func shmFormat(code uint32) fourcc.Format {
	switch code {
	case 0:
		return fourcc.ARGB8888
	case 1:
		return fourcc.XRGB8888
	}
	return fourcc.Format(code)
}

// mapping is one read-only MAP_SHARED view of a pool's fd. A resize maps
// anew; the old view lives on while buffers created from it do, since it
// shows the same memory and unmapping it under a frame being rendered
// would fault.
type mapping struct {
	data []byte
	refs int
}

func (m *mapping) unref() {
	m.refs--
	if m.refs == 0 && m.data != nil {
		_ = unix.Munmap(m.data)
		m.data = nil
	}
}

// shmPool is a wl_shm_pool. Like libwayland's, it lives on after the
// client destroys it while buffers made from it remain: their fd is
// still needed (capture maps it writable).
type shmPool struct {
	c    *Compositor
	fd   int
	size int32
	m    *mapping
	refs int // the resource and every buffer
}

func (p *shmPool) unref() {
	p.refs--
	if p.refs == 0 && p.fd >= 0 {
		unix.Close(p.fd)
		p.fd = -1
	}
}

type shmGlobal struct {
	c       *Compositor
	formats []fourcc.Format
	allowed map[fourcc.Format]bool
}

func (c *Compositor) newShm() *shmGlobal {
	g := &shmGlobal{c: c, formats: shmFormats(), allowed: map[fourcc.Format]bool{}}
	for _, f := range g.formats {
		g.allowed[f] = true
	}
	return g
}

func (g *shmGlobal) bind(cl *server.Client, r *server.Resource) {
	g.c.bound(cl, r)
	r.SetHandler(wayland.WlShmDispatcher(g))
	for _, f := range g.formats {
		_ = wayland.WlShmSendFormat(r, shmCode(f))
	}
}

func (g *shmGlobal) CreatePool(r *server.Resource, id *server.Resource, fd int, size int32) error {
	if size <= 0 {
		unix.Close(fd)
		return server.Errorf(r, uint32(wayland.WlShmErrorInvalidStride), "invalid size (%d)", size)
	}
	data, err := unix.Mmap(fd, 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		unix.Close(fd)
		return server.Errorf(r, uint32(wayland.WlShmErrorInvalidFd), "failed mmap fd %d: %v", fd, err)
	}
	p := &shmPool{c: g.c, fd: fd, size: size, m: &mapping{data: data, refs: 1}, refs: 1}
	id.SetData(p)
	id.SetHandler(wayland.WlShmPoolDispatcher(p))
	id.SetDestructor(func(*server.Resource) {
		p.m.unref()
		p.unref()
	})
	return nil
}

func (g *shmGlobal) Release(r *server.Resource) error { return nil }

func (p *shmPool) CreateBuffer(r *server.Resource, id *server.Resource, offset, width, height, stride int32, format uint32) error {
	f := shmFormat(format)
	if !p.c.shm.allowed[f] {
		return server.Errorf(r, uint32(wayland.WlShmErrorInvalidFormat), "invalid format 0x%x", format)
	}
	info, _ := fourcc.Lookup(f)
	// libwayland's checks, plus the one it cannot make without knowing
	// pixel sizes: a row must hold width pixels, or rendering would read
	// past the stride into the next row (or past the pool).
	minStride := int64(width) * int64(info.BPP(0)) / 8
	if offset < 0 || width <= 0 || height <= 0 || stride <= 0 || int64(stride) < minStride ||
		math.MaxInt32/int64(stride) < int64(height) || int64(offset) > int64(p.size)-int64(stride)*int64(height) {
		return server.Errorf(r, uint32(wayland.WlShmErrorInvalidStride), "invalid width, height or stride (%dx%d, %d)", width, height, stride)
	}
	p.m.refs++
	p.refs++
	cd := p.c.clientFor(r.Client())
	b := &buffer{
		c: p.c, res: id, owner: cd, kind: bufferShm, format: f,
		width: width, height: height, stride: stride, offset: offset, m: p.m, pool: p,
	}
	id.SetData(b)
	id.SetHandler(wayland.WlBufferDispatcher(b))
	id.SetDestructor(b.resourceGone)
	p.c.nlog.bufferImport(cd, b)
	return nil
}

func (p *shmPool) Destroy(r *server.Resource) error { return nil }

func (p *shmPool) Resize(r *server.Resource, size int32) error {
	if size < p.size {
		return server.Errorf(r, uint32(wayland.WlShmErrorInvalidStride), "shrinking pool invalid")
	}
	if size == p.size {
		return nil
	}
	data, err := unix.Mmap(p.fd, 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return server.Errorf(r, uint32(wayland.WlShmErrorInvalidFd), "failed mremap: %v", err)
	}
	p.m.unref()
	p.m = &mapping{data: data, refs: 1}
	p.size = size
	return nil
}

// bytesFor returns the bytes a shm buffer covers in its mapping.
func (b *buffer) shmBytes() ([]byte, error) {
	if b.m == nil || b.m.data == nil {
		return nil, fmt.Errorf("buffer %d has no memory", b.res.ID())
	}
	end := int64(b.offset) + int64(b.stride)*int64(b.height)
	if end > int64(len(b.m.data)) {
		return nil, fmt.Errorf("buffer %d ends beyond its pool", b.res.ID())
	}
	return b.m.data[b.offset:end], nil
}

func closeFD(fd int) {
	if fd >= 0 {
		_ = unix.Close(fd)
	}
}
