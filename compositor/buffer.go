package compositor

import (
	"encoding/binary"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/singlepixel"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/resv"
)

type bufferKind int

const (
	bufferShm bufferKind = iota
	bufferSinglePixel
	bufferDmabuf
)

func (k bufferKind) String() string {
	switch k {
	case bufferSinglePixel:
		return "single_pixel"
	case bufferDmabuf:
		return "dmabuf"
	}
	return "shm"
}

// buffer is a wl_buffer the compositor can read. Its reference count holds
// every use that needs its contents: a surface whose current state shows
// it, and every frame being rendered from it. wl_buffer.release goes out
// when the count falls to zero, so a client never gets a buffer back while
// a frame may still read it.
type buffer struct {
	c      *Compositor
	res    *server.Resource
	owner  *clientData
	kind   bufferKind
	format fourcc.Format

	width, height  int32
	stride, offset int32
	m              *mapping // shm memory (nil for single-pixel)
	pool           *shmPool
	pixel          []byte // single-pixel: one ARGB16161616 pixel

	// dmabuf
	modifier modifier.Modifier
	planes   [4]dmabufPlane
	nplanes  int
	yInvert  bool

	refs    int
	gone    bool // the wl_buffer was destroyed
	faulted bool // its memory faulted while rendering: never read again

	// Release points of the commits that showed it, signalled when the
	// count next falls to zero: in the order buffers free up, not the
	// order of their commits.
	releases []bufRelease

	own ownWindow // the ownership check's window (Config.CheckOwnership)

	resv      *resv.Object // dmabuf: implicit sync (made on first use)
	readFence *fence.Fence // the compositor's read, pending while it holds the buffer
}

func (b *buffer) ref() { b.refs++ }

func (b *buffer) unref() {
	b.refs--
	if b.refs > 0 {
		return
	}
	b.c.ownClose(b)
	b.signalReadFence()
	for i := range b.releases {
		b.releases[i].fire()
	}
	b.releases = b.releases[:0]
	if !b.gone {
		_ = wayland.WlBufferSendRelease(b.res)
		return
	}
	b.dropMemory()
}

func (b *buffer) dropMemory() {
	if b.m != nil {
		b.m.unref()
		b.m = nil
	}
	if b.pool != nil {
		b.pool.unref()
		b.pool = nil
	}
	b.release()
}

// release drops a dmabuf's plane mappings (planes may share one).
func (b *buffer) release() {
	for i := range b.planes {
		if m := b.planes[i].m; m != nil {
			m.unref()
			b.planes[i].m = nil
		}
		if fd := b.planes[i].syncFD; fd > 0 {
			unix.Close(fd)
			b.planes[i].syncFD = -1
		}
	}
}

// resourceGone runs when the client destroys the wl_buffer (or goes away).
// Contents still shown or being rendered stay readable: the mapping lives
// until the last reference goes, as a destroyed-but-attached buffer's
// contents stay valid in libwayland compositors until replaced.
func (b *buffer) resourceGone(*server.Resource) {
	b.gone = true
	if b.refs == 0 {
		b.dropMemory()
	}
}

func (b *buffer) Destroy(r *server.Resource) error { return nil }

// single-pixel buffers

type singlePixelManager struct{ c *Compositor }

func (m *singlePixelManager) bind(cl *server.Client, r *server.Resource) {
	m.c.bound(cl, r)
	r.SetHandler(singlepixel.WpSinglePixelBufferManagerV1Dispatcher(m))
}

func (m *singlePixelManager) Destroy(r *server.Resource) error { return nil }

// CreateU32RgbaBuffer makes a 1x1 buffer. The values are pre-multiplied
// 32-bit fractions of 1; their top 16 bits are exactly the 16-bit channel
// (an 8-bit v arrives as v·0x01010101, whose top half is v·257), so the
// pixel is stored as ARGB16161616 and renders with the composer's exact
// arithmetic.
func (m *singlePixelManager) CreateU32RgbaBuffer(r *server.Resource, id *server.Resource, red, green, blue, alpha uint32) error {
	px := make([]byte, 8)
	binary.LittleEndian.PutUint16(px[0:], uint16(blue>>16))
	binary.LittleEndian.PutUint16(px[2:], uint16(green>>16))
	binary.LittleEndian.PutUint16(px[4:], uint16(red>>16))
	binary.LittleEndian.PutUint16(px[6:], uint16(alpha>>16))
	cd := m.c.clientFor(r.Client())
	b := &buffer{c: m.c, res: id, owner: cd, kind: bufferSinglePixel, format: fourcc.ARGB16161616,
		width: 1, height: 1, stride: 8, pixel: px}
	id.SetData(b)
	id.SetHandler(wayland.WlBufferDispatcher(b))
	id.SetDestructor(b.resourceGone)
	m.c.nlog.bufferImport(cd, b)
	return nil
}

// bufferFrom returns the compositor buffer behind a wl_buffer resource.
func bufferFrom(r *server.Resource) *buffer {
	if r == nil {
		return nil
	}
	b, _ := r.Data().(*buffer)
	return b
}
