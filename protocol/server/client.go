package server

import (
	"encoding/binary"
	"fmt"
	"net"
	"syscall"
	"unsafe"

	"github.com/headwaywl/headway/protocol/socket"
	"github.com/headwaywl/headway/protocol/wire"
	"golang.org/x/sys/unix"
)

const (
	// ServerIDStart is the first id of the server-allocated range
	// (libwayland's WL_SERVER_ID_START).
	ServerIDStart uint32 = 0xff000000
	// maxObjects bounds each id range as libwayland's WL_MAP_MAX_OBJECTS.
	maxObjects = 0x00f00000
	// maxQueuedFDs bounds received fds not yet consumed: libwayland's fds_in
	// ring holds 4096 bytes of ints.
	maxQueuedFDs = 1024
	// maxErrorMessage is the longest wl_display.error message libwayland
	// sends: wl_resource_post_error_vargs formats into 128 bytes with the
	// NUL.
	maxErrorMessage = 127
)

// Client is one connection: its object table, input and output buffers and
// fd queues. Methods must be called on the display's loop (or before Run),
// except Cred and Display.
type Client struct {
	display *Display
	fd      int // the connection, owned by the client; -1 for a detached client (fuzzing)
	cred    socket.Cred
	credErr error

	// Registration in the display's epoll set (loop only): slot indexes
	// Display.slots and gen tells a stale readiness event of a freed slot
	// from one of the client now holding it.
	slot int32
	gen  uint32

	objects       []*Resource // index = client id; index 0 unused
	serverObjects []*Resource // index = id - ServerIDStart
	serverFree    []uint32
	displayRes    *Resource
	registries    []*Resource
	syncCallback  Resource // reused by wl_display.sync

	// Input (loop only).
	in  []byte // capacity maxIn; bytes of incomplete messages stay at the front
	fdq []int  // received fds not yet handed to fd arguments
	fdh int    // fdq[fdh:] are queued
	oob []byte
	msg unix.Msghdr // recvmsg and sendmsg arguments, kept here so I/O allocates nothing
	iov unix.Iovec
	dec wire.Decoder

	// Event encoding (loop only).
	enc      wire.Encoder
	evRes    *Resource
	evOpcode uint16
	stage    []byte
	stageFDs []int

	// Output (loop only).
	out     []byte
	written int
	outFDs  []int // duplicated fds of queued events, in order; closed once sent
	fdSent  int
	marks   []fdMark
	markH   int // marks[markH:] are not fully sent
	oobOut  []byte
	waiting bool // the socket was full: the loop waits for EPOLLOUT to send the rest

	dirty   bool
	errored bool // an error was posted; disconnect after flushing it
	closing bool
	failErr error

	posted     PostedError // the error sent to the client, if any
	onDestroy  []func(*Client)
	clientData any
}

// PostedError is the wl_display.error a client was sent.
type PostedError struct {
	Sent      bool
	Object    uint32
	Interface string // of the object in error, as the client's table had it
	Code      uint32
	Message   string
}

// fdMark is an event carrying fds: it goes alone in its own sendmsg with
// its fds, because go-wayland keeps only one fd per read and assigns it to
// the first message of the read.
type fdMark struct {
	start, end int
	nfds       int
}

// fdQueue hands out the client's received fds in order (wire.FDSource).
type fdQueue Client

func (q *fdQueue) NextFD() (int, bool) {
	c := (*Client)(q)
	if c.fdh >= len(c.fdq) {
		return -1, false
	}
	fd := c.fdq[c.fdh]
	c.fdh++
	return fd, true
}

// skipFDs is an FDSource for the argument pre-check: fds are counted by
// wire.Validate first, so it only needs to say yes.
type skipFDs struct{}

func (skipFDs) NextFD() (int, bool) { return -1, true }

func newClient(d *Display, conn *net.UnixConn) (*Client, error) {
	c := &Client{
		display: d,
		fd:      -1,
		slot:    -1,
		in:      make([]byte, 0, d.maxIn),
		oob:     make([]byte, unix.CmsgSpace(wire.MaxFDsPerRead*4)),
		oobOut:  make([]byte, unix.CmsgSpace(wire.MaxFDsPerMessage*4)),
		objects: make([]*Resource, 1, 16),
		stage:   make([]byte, 0, wire.MaxMessageSize),
	}
	if conn != nil {
		c.cred, c.credErr = socket.PeerCred(conn)
		fd, err := detachFD(conn)
		if err != nil {
			return nil, err
		}
		c.fd = fd
	}
	dr, err := c.NewResource(1, DisplayInterface, 1)
	if err != nil {
		c.closeFD()
		return nil, err
	}
	dr.SetHandler(displayHandler{})
	c.displayRes = dr
	return c, nil
}

// detachFD takes the socket out of Go's netpoller: it returns a duplicate
// and closes conn. Left in the netpoller, the edge-triggered registration
// there would wake a netpoller thread on every request for nothing, since
// the loop reads the socket itself. The loop's recvmsg and sendmsg pass
// MSG_DONTWAIT, so the file's blocking mode does not matter.
func detachFD(conn *net.UnixConn) (int, error) {
	rc, err := conn.SyscallConn()
	if err != nil {
		return -1, fmt.Errorf("server: client connection: %w", err)
	}
	fd := -1
	var derr error
	if err := rc.Control(func(s uintptr) { fd, derr = unix.FcntlInt(s, unix.F_DUPFD_CLOEXEC, 0) }); err != nil {
		return -1, fmt.Errorf("server: client connection: %w", err)
	}
	if derr != nil {
		return -1, fmt.Errorf("server: client connection: dup: %w", derr)
	}
	conn.Close()
	return fd, nil
}

func (c *Client) closeFD() {
	if c.fd >= 0 {
		unix.Close(c.fd)
		c.fd = -1
	}
}

// Display is the display the client is connected to.
func (c *Client) Display() *Display { return c.display }

// Cred is the peer's SO_PEERCRED identity, read when the client connected
// (wl_client_get_credentials).
func (c *Client) Cred() (socket.Cred, error) { return c.cred, c.credErr }

// AddDestroyListener runs fn on the loop when the client goes away, after
// every resource's destructor: libwayland's late destroy listener
// (wl_client_add_destroy_late_listener), not wl_client_add_destroy_listener,
// whose signal fires before the resources go. Listeners here may rely on
// the client's objects having been torn down.
func (c *Client) AddDestroyListener(fn func(*Client)) { c.onDestroy = append(c.onDestroy, fn) }

// Error returns the protocol error the client was sent, if any.
func (c *Client) Error() PostedError { return c.posted }

// FailErr returns why the connection was dropped without a protocol error
// (EOF, a read or write failure), nil otherwise.
func (c *Client) FailErr() error { return c.failErr }

// SetData attaches compositor data to the client (wl_client_set_user_data).
func (c *Client) SetData(v any) { c.clientData = v }

// Data returns what SetData stored.
func (c *Client) Data() any { return c.clientData }

// Lookup returns the live resource with id, or nil.
func (c *Client) Lookup(id uint32) *Resource {
	if id < ServerIDStart {
		if int(id) < len(c.objects) {
			return c.objects[id]
		}
		return nil
	}
	i := id - ServerIDStart
	if int(i) < len(c.serverObjects) {
		return c.serverObjects[i]
	}
	return nil
}

// LookupArg resolves an object argument of a request. 0 gives nil, nil
// when nullable. The runtime checks object arguments before Dispatch as
// libwayland's wl_closure_lookup_objects does, so an error here means the
// generated code and the runtime disagree.
func (c *Client) LookupArg(id uint32, iface *Interface, nullable bool) (*Resource, error) {
	if id == 0 {
		if nullable {
			return nil, nil
		}
		return nil, &ProtocolError{Object: 1, Code: ErrorInvalidObject, Message: "null object"}
	}
	r := c.Lookup(id)
	if r == nil {
		return nil, &ProtocolError{Object: 1, Code: ErrorInvalidObject, Message: fmt.Sprintf("invalid object %d", id)}
	}
	if iface != nil && !sameInterface(r.iface, iface) {
		return nil, &ProtocolError{Object: 1, Code: ErrorInvalidObject,
			Message: fmt.Sprintf("invalid object %d: %s is not a %s", id, r.iface.Name, iface.Name)}
	}
	return r, nil
}

func sameInterface(a, b *Interface) bool {
	return a == b || (a != nil && b != nil && a.Name == b.Name)
}

// reserveID is libwayland's wl_map_reserve_new for the client range: the id
// must be an existing free slot or exactly one past the end.
func (c *Client) reserveID(id uint32) bool {
	if id == 0 || id >= ServerIDStart || id > maxObjects {
		return false
	}
	switch {
	case int(id) == len(c.objects):
		c.objects = append(c.objects, nil)
		return true
	case int(id) < len(c.objects):
		return c.objects[id] == nil
	}
	return false
}

// NewResource creates the resource for a client-allocated new_id argument.
// The id must be free and at most one past the highest id used; otherwise
// the error is libwayland's wl_resource_create one, "invalid new id",
// invalid_object on wl_display. Clients normally meet the earlier check of
// the same rule, "invalid arguments" (invalid_method), made before Dispatch
// as libwayland's demarshalling does.
func (c *Client) NewResource(id uint32, iface *Interface, version uint32) (*Resource, error) {
	if !c.reserveID(id) {
		return nil, &ProtocolError{Object: 1, Code: ErrorInvalidObject, Message: fmt.Sprintf("invalid new id %d", id)}
	}
	r := &Resource{id: id, version: version, iface: iface, client: c, alive: true}
	c.objects[id] = r
	return r, nil
}

// CreateResource creates a server-allocated object (ids from 0xff000000),
// for new_id arguments of events.
func (c *Client) CreateResource(iface *Interface, version uint32) (*Resource, error) {
	var i uint32
	if n := len(c.serverFree); n > 0 {
		i = c.serverFree[n-1]
		c.serverFree = c.serverFree[:n-1]
	} else {
		// wl_map_insert_new refuses an index above WL_MAP_MAX_OBJECTS,
		// not the index itself.
		if len(c.serverObjects) > maxObjects {
			return nil, fmt.Errorf("server: server id range exhausted: %w", syscall.ENOSPC)
		}
		i = uint32(len(c.serverObjects))
		c.serverObjects = append(c.serverObjects, nil)
	}
	r := &Resource{id: ServerIDStart + i, version: version, iface: iface, client: c, alive: true}
	c.serverObjects[i] = r
	return r, nil
}

// Destroy disconnects the client: remaining output gets one non-blocking
// flush attempt, then every resource is destroyed and the connection
// closed, as wl_client_destroy.
func (c *Client) Destroy() {
	c.display.destroyClient(c)
}

func (c *Client) removeRegistry(r *Resource) {
	for i, x := range c.registries {
		if x == r {
			c.registries = append(c.registries[:i], c.registries[i+1:]...)
			return
		}
	}
}

// postError queues wl_display.error and marks the client for disconnection
// after the flush at the end of the dispatch round. Only the first error is
// sent (libwayland: client->error).
func (c *Client) postError(object, code uint32, msg string) {
	if c.errored || c.closing {
		return
	}
	c.display.log.Debug("wayland: client error", "object", object, "code", code, "message", msg)
	// wl_resource_post_error_vargs formats into char buffer[128], so
	// clients never see more than 127 bytes of a message.
	if len(msg) > maxErrorMessage {
		msg = msg[:maxErrorMessage]
	}
	if e := c.displayRes.BeginEvent(displayEventError); e != nil {
		e.Object(object)
		e.Uint(code)
		e.String(msg)
		// Cannot fail: the event is far below wire.MaxMessageSize.
		_ = c.displayRes.EndEvent(e)
	}
	c.posted = PostedError{Sent: true, Object: object, Code: code, Message: msg}
	if r := c.Lookup(object); r != nil {
		c.posted.Interface = r.iface.Name
	}
	c.errored = true
	c.display.doom(c)
}

// fail drops the client without a protocol error (its connection failed or
// it stopped reading).
func (c *Client) fail(err error) {
	if c.closing {
		return
	}
	if c.failErr == nil {
		c.failErr = err
	}
	c.display.log.Debug("wayland: dropping client", "err", err)
	c.errored = true
	c.display.doom(c)
}

func (c *Client) markDirty() {
	if !c.dirty {
		c.dirty = true
		c.display.dirty = append(c.display.dirty, c)
	}
}

// queue appends an encoded event (and its already duplicated fds) to the
// output buffer, enforcing the bound.
func (c *Client) queue(msg []byte, fds []int) {
	start := len(c.out)
	c.out = append(c.out, msg...)
	if len(fds) > 0 {
		c.outFDs = append(c.outFDs, fds...)
		c.marks = append(c.marks, fdMark{start: start, end: len(c.out), nfds: len(fds)})
	}
	over := len(c.out)-c.written > c.display.maxOut
	if over {
		// libwayland flushes when its buffer is full and gives up on the
		// client when the kernel takes nothing more: a client that stops
		// reading must not grow the server's memory.
		c.write()
		over = len(c.out)-c.written > c.display.maxOut
	}
	c.markDirty()
	if over {
		c.fail(fmt.Errorf("output buffer over %d bytes: client not reading: %w", c.display.maxOut, syscall.ENOBUFS))
	}
}

// flush writes what the socket takes without blocking; if something is
// left, the loop asks epoll for EPOLLOUT and sends the rest when the
// socket drains (libwayland's WL_EVENT_WRITABLE).
func (c *Client) flush() {
	if c.waiting {
		return
	}
	if !c.write() {
		c.waiting = true
		c.display.watch(c)
	}
}

// drain is the EPOLLOUT side of flush.
func (c *Client) drain() {
	if c.waiting && c.write() {
		c.waiting = false
		c.display.watch(c)
	}
}

// write sends queued output with non-blocking sendmsg calls and reports
// whether everything was sent. A send error other than EAGAIN drops the
// buffered output; the next read sees the connection fail.
func (c *Client) write() bool {
	for c.written < len(c.out) {
		if c.fd < 0 { // detached client: discard
			c.written = len(c.out)
			break
		}
		end := len(c.out)
		var oob []byte
		if c.markH < len(c.marks) {
			m := c.marks[c.markH]
			if c.written < m.start {
				end = m.start
			} else {
				end = m.end
				if c.written == m.start {
					oob = putRights(c.oobOut, c.outFDs[c.fdSent:c.fdSent+m.nfds])
				}
			}
		}
		n, err := c.send(c.out[c.written:end], oob)
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			c.compactOut()
			return false
		}
		if err != nil {
			c.written = len(c.out)
			break
		}
		if oob != nil && n > 0 {
			m := c.marks[c.markH]
			for _, fd := range c.outFDs[c.fdSent : c.fdSent+m.nfds] {
				unix.Close(fd)
			}
			c.fdSent += m.nfds
		}
		c.written += n
		if c.markH < len(c.marks) && c.written >= c.marks[c.markH].end {
			c.markH++
		}
	}
	c.resetOut()
	return true
}

func (c *Client) resetOut() {
	for _, fd := range c.outFDs[c.fdSent:] {
		unix.Close(fd)
	}
	c.out, c.outFDs, c.marks = c.out[:0], c.outFDs[:0], c.marks[:0]
	c.written, c.fdSent, c.markH = 0, 0, 0
}

// compactOut moves unsent output to the front so a slow reader does not
// make the buffer creep.
func (c *Client) compactOut() {
	if c.written == 0 {
		return
	}
	n := copy(c.out, c.out[c.written:])
	c.out = c.out[:n]
	for i := c.markH; i < len(c.marks); i++ {
		c.marks[i].start -= c.written
		c.marks[i].end -= c.written
	}
	k := copy(c.outFDs, c.outFDs[c.fdSent:])
	c.outFDs = c.outFDs[:k]
	c.written, c.fdSent = 0, 0
	nm := copy(c.marks, c.marks[c.markH:])
	c.marks = c.marks[:nm]
	c.markH = 0
}

func (c *Client) pendingOut() int {
	return len(c.out) - c.written
}

// putRights builds an SCM_RIGHTS control message in b without allocating.
func putRights(b []byte, fds []int) []byte {
	datalen := len(fds) * 4
	b = b[:unix.CmsgSpace(datalen)]
	clear(b)
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level = unix.SOL_SOCKET
	h.Type = unix.SCM_RIGHTS
	h.SetLen(unix.CmsgLen(datalen))
	data := b[unix.CmsgLen(0):]
	for i, fd := range fds {
		binary.NativeEndian.PutUint32(data[i*4:], uint32(fd))
	}
	return b
}

// parseRights appends the fds of every SCM_RIGHTS message in oob to dst.
// Like libwayland's decode_cmsg it skips other control messages and stops
// at a header that does not fit (where CMSG_NXTHDR ends the walk) instead
// of failing: none of that can come from the kernel for a socket without
// SO_PASSCRED, and libwayland clients must not be dropped where they would
// survive.
func parseRights(oob []byte, dst []int) []int {
	for len(oob) >= unix.SizeofCmsghdr {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
		l := int(h.Len)
		if l < unix.SizeofCmsghdr || l > len(oob) {
			break
		}
		if h.Level == unix.SOL_SOCKET && h.Type == unix.SCM_RIGHTS {
			data := oob[unix.CmsgLen(0):l]
			for len(data) >= 4 {
				dst = append(dst, int(int32(binary.NativeEndian.Uint32(data))))
				data = data[4:]
			}
		}
		next := unix.CmsgSpace(l - unix.CmsgLen(0))
		if next > len(oob) {
			break
		}
		oob = oob[next:]
	}
	return dst
}

// readInput is called by the loop when the socket is readable (or hung
// up): one recvmsg into the free part of the input buffer, then every
// complete message is dispatched, as libwayland's wl_client_connection_data
// does. The socket is read again only when epoll reports it again, after
// the messages are consumed, so input stays bounded by maxIn and the fd
// queue by maxQueuedFDs.
func (c *Client) readInput() {
	free := c.in[len(c.in):cap(c.in)]
	if len(free) == 0 {
		// process leaves less than one message, and a message larger than
		// the buffer is refused, so this means a bug; a zero-length read
		// would look like EOF and level-triggered epoll would spin.
		c.fail(fmt.Errorf("input buffer full: %w", syscall.ENOBUFS))
		return
	}
	// MSG_CTRUNC is ignored, as wl_connection_read does: the kernel has
	// already closed the fds that did not fit, the ones that arrived are
	// queued, and a message left without its fd fails as invalid
	// arguments when it is dispatched.
	n, oobn, _, err := c.recv(free)
	if err == unix.EAGAIN || err == unix.EINTR {
		return // epoll reports the socket again while it is readable
	}
	if err == nil && n == 0 {
		err = fmt.Errorf("connection closed by peer: %w", syscall.ECONNRESET)
	}
	if err != nil {
		// libwayland destroys the client on EOF or a read error without a
		// protocol error; everything read before was already dispatched.
		c.fail(fmt.Errorf("read: %w", err))
		return
	}
	if oobn > 0 {
		queued := len(c.fdq)
		c.fdq = parseRights(c.oob[:oobn], c.fdq)
		if len(c.fdq)-c.fdh > maxQueuedFDs {
			// decode_cmsg closes the fds that do not fit in the ring and
			// wl_connection_read fails before the read's bytes join the
			// input, so wl_client_connection_data destroys the client
			// without dispatching them.
			for _, fd := range c.fdq[queued:] {
				closeFD(fd)
			}
			c.fdq = c.fdq[:queued]
			c.fail(fmt.Errorf("read: more than %d file descriptors queued: %w", maxQueuedFDs, syscall.EOVERFLOW))
			return
		}
	}
	c.in = c.in[:len(c.in)+n]
	if n == len(free) || oobn > 0 {
		// The read may have stopped with data left: at the end of the
		// buffer, or after a message carrying fds (the kernel does not
		// join those with what follows). No new readiness edge will
		// come for it, so the loop polls once more before it waits.
		c.display.pollAgain = true
	}
	c.process()
}

// recv is one non-blocking recvmsg with room for wire.MaxFDsPerRead fds
// (MSG_CMSG_CLOEXEC, as libwayland and Go's net package receive them),
// through RawSyscall for the reason given at epollPoll.
func (c *Client) recv(buf []byte) (n, oobn, flags int, err error) {
	c.iov.Base = &buf[0]
	c.iov.SetLen(len(buf))
	c.msg.Iov = &c.iov
	c.msg.SetIovlen(1)
	c.msg.Control = &c.oob[0]
	c.msg.SetControllen(len(c.oob))
	c.msg.Flags = 0
	r, _, e := unix.RawSyscall(unix.SYS_RECVMSG, uintptr(c.fd), uintptr(unsafe.Pointer(&c.msg)), unix.MSG_DONTWAIT|unix.MSG_CMSG_CLOEXEC)
	if e != 0 {
		return 0, 0, 0, e
	}
	return int(r), int(c.msg.Controllen), int(c.msg.Flags), nil
}

// send is one non-blocking sendmsg of p (never empty) with an optional
// control message.
func (c *Client) send(p, oob []byte) (int, error) {
	c.iov.Base = &p[0]
	c.iov.SetLen(len(p))
	c.msg.Iov = &c.iov
	c.msg.SetIovlen(1)
	c.msg.Control = nil
	c.msg.SetControllen(0)
	if len(oob) > 0 {
		c.msg.Control = &oob[0]
		c.msg.SetControllen(len(oob))
	}
	c.msg.Flags = 0
	r, _, e := unix.RawSyscall(unix.SYS_SENDMSG, uintptr(c.fd), uintptr(unsafe.Pointer(&c.msg)), unix.MSG_DONTWAIT|unix.MSG_NOSIGNAL)
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}

func (c *Client) closeQueuedFDs() {
	for _, fd := range c.fdq[c.fdh:] {
		closeFD(fd)
	}
	c.fdq, c.fdh = c.fdq[:0], 0
}

func closeFD(fd int) {
	if fd >= 0 {
		unix.Close(fd)
	}
}
