package rawwire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/headwaywl/headway/protocol/wire"
	"golang.org/x/sys/unix"
)

// DefaultTimeout bounds a read whose context has no deadline, and every
// write. It is long because a loaded CI machine under -race is slow, and a
// test that hits it has failed anyway.
const DefaultTimeout = 20 * time.Second

// ServerIDStart is the first id of the server's range (objects created by
// events); ids below it are the client's.
const ServerIDStart uint32 = 0xff000000

// The core protocol opcodes the helpers use, from wayland.xml. They are
// exported so tests can build the same messages by hand, broken or not.
const (
	DisplayID uint32 = 1

	OpDisplaySync        uint16 = 0
	OpDisplayGetRegistry uint16 = 1
	OpRegistryBind       uint16 = 0

	EvDisplayError         uint16 = 0
	EvDisplayDeleteID      uint16 = 1
	EvRegistryGlobal       uint16 = 0
	EvRegistryGlobalRemove uint16 = 1
	EvCallbackDone         uint16 = 0
)

// wl_display error codes (wayland.xml).
const (
	ErrorInvalidObject  uint32 = 0
	ErrorInvalidMethod  uint32 = 1
	ErrorNoMemory       uint32 = 2
	ErrorImplementation uint32 = 3
)

// scmMaxFD is the kernel's SCM_MAX_FD: the most fds one recvmsg can
// deliver. Making room for all of them means a server sending too many is
// seen (as a Message with too many FDs) instead of losing them to
// MSG_CTRUNC.
const scmMaxFD = 253

// ErrDisconnected is wrapped by every error that means the server closed
// the connection.
var ErrDisconnected = errors.New("rawwire: connection closed by the server")

// aLongTimeAgo is a deadline already past: setting it wakes a blocked read.
var aLongTimeAgo = time.Unix(1, 0)

// Client is one raw-wire connection. See the package documentation for the
// concurrency rule: one reader, any number of writers.
type Client struct {
	conn *net.UnixConn

	mu       sync.Mutex // guards the fields up to wmu
	next     uint32
	ifaces   map[uint32]string
	registry uint32
	timeout  time.Duration

	wmu sync.Mutex // keeps one message's sendmsg and its continuation together

	// Reader state, owned by the single reader, which holds rmu so that
	// Close can tell whether someone else will clean it up. rbuf holds the
	// bytes of the event being read and rfds the fds that came with them,
	// so a timeout in the middle of an event loses nothing.
	rmu  sync.Mutex
	rbuf []byte
	rfds []int
	oob  []byte
	rerr error // sticky: the stream is closed or can no longer be framed
}

// Dial connects to a Wayland display as wl_display_connect does: an empty
// name means $WAYLAND_DISPLAY, else "wayland-0"; a name starting with '/'
// is a socket path used as is; any other name lives in $XDG_RUNTIME_DIR.
// WAYLAND_SOCKET is not consulted, since a test names the display it
// means; protocol/socket.ConnFromEnv and New cover that handoff.
func Dial(name string) (*Client, error) {
	path, err := socketPath(name, os.Getenv("XDG_RUNTIME_DIR"))
	if err != nil {
		return nil, err
	}
	conn, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("rawwire: connect to %s: %w", path, err)
	}
	return New(conn), nil
}

// socketPath applies libwayland's connect_to_socket naming rules.
func socketPath(name, runtimeDir string) (string, error) {
	if name == "" {
		name = os.Getenv("WAYLAND_DISPLAY")
	}
	if name == "" {
		name = "wayland-0"
	}
	path := name
	if name[0] != '/' {
		if runtimeDir == "" || runtimeDir[0] != '/' {
			// ENOENT, as libwayland sets errno, so a caller never reports
			// "success" for a missing environment.
			return "", fmt.Errorf("rawwire: XDG_RUNTIME_DIR is invalid or not set in the environment (needed for display %q): %w", name, unix.ENOENT)
		}
		path = runtimeDir + "/" + name
	}
	if len(path)+1 > len(unix.RawSockaddrUnix{}.Path) {
		return "", fmt.Errorf("rawwire: socket path %q plus NUL exceeds %d bytes: %w", path, len(unix.RawSockaddrUnix{}.Path), unix.ENAMETOOLONG)
	}
	return path, nil
}

// New wraps a connected AF_UNIX stream socket; the Client owns it from now
// on. Id 1 is wl_display and the first NewID is 2.
func New(conn *net.UnixConn) *Client {
	return &Client{
		conn:    conn,
		next:    2,
		ifaces:  map[uint32]string{DisplayID: "wl_display"},
		timeout: DefaultTimeout,
		rbuf:    make([]byte, 0, wire.MaxMessageSize),
		oob:     make([]byte, unix.CmsgSpace(scmMaxFD*4)),
	}
}

// Conn is the underlying socket, for tests that need to read or write in a
// way the Client does not offer. Mixing its use with Read mid-event
// desynchronizes the Client.
func (c *Client) Conn() *net.UnixConn { return c.conn }

// Close closes the connection and any fds of a partly read event. It may be
// called while another goroutine is in Read, which then fails and closes
// those fds itself.
func (c *Client) Close() error {
	err := c.conn.Close()
	if c.rmu.TryLock() {
		closeFDs(c.rfds)
		c.rfds = nil
		c.rmu.Unlock()
	}
	return err
}

// SetTimeout sets the bound on reads without a context deadline and on
// writes; 0 means none.
func (c *Client) SetTimeout(d time.Duration) {
	c.mu.Lock()
	c.timeout = d
	c.mu.Unlock()
}

func (c *Client) getTimeout() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.timeout
}

// NewID allocates the next client object id without recording an
// interface for it.
func (c *Client) NewID() uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.next
	c.next++
	return id
}

// NewObject allocates the next id and records iface for it.
func (c *Client) NewObject(iface string) uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.next
	c.next++
	c.ifaces[id] = iface
	return id
}

// SetNextID makes id the next one NewID returns: to reuse an id the server
// freed, or to skip ahead as a broken client would.
func (c *Client) SetNextID(id uint32) {
	c.mu.Lock()
	c.next = id
	c.mu.Unlock()
}

// Track records that id is an iface, for ids the client did not get from
// NewObject, Bind or the helpers: a new_id it encoded itself, or an object
// the server created with an event.
func (c *Client) Track(id uint32, iface string) {
	c.mu.Lock()
	c.ifaces[id] = iface
	c.mu.Unlock()
}

// Forget drops id from the table.
func (c *Client) Forget(id uint32) {
	c.mu.Lock()
	delete(c.ifaces, id)
	c.mu.Unlock()
}

// Interface is the interface recorded for id; ok is false for an id the
// client does not know.
func (c *Client) Interface(id uint32) (iface string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	iface, ok = c.ifaces[id]
	return iface, ok
}

// Encode builds one message. fd arguments (Encoder.FD) come back in fds in
// argument order; the Encoder's checks apply (size, fd count, NUL in
// strings), so a deliberately broken message goes through WriteRaw.
func Encode(obj uint32, opcode uint16, args func(*wire.Encoder)) ([]byte, []int, error) {
	var e wire.Encoder
	e.Begin(nil, nil, obj, opcode)
	if args != nil {
		args(&e)
	}
	b, fds, err := e.Finish()
	if err != nil {
		return nil, nil, fmt.Errorf("rawwire: encode object %d opcode %d: %w", obj, opcode, err)
	}
	return b, fds, nil
}

// Send encodes one request and writes it with its fds.
func (c *Client) Send(obj uint32, opcode uint16, args func(*wire.Encoder)) error {
	b, fds, err := Encode(obj, opcode, args)
	if err != nil {
		return err
	}
	return c.WriteRaw(b, fds...)
}

// WriteRaw writes b, which may hold any number of messages or parts of
// them, valid or not, with fds as SCM_RIGHTS on the first byte. The fds
// stay the caller's.
func (c *Client) WriteRaw(b []byte, fds ...int) error {
	if len(b) == 0 {
		if len(fds) > 0 {
			// A stream socket carries ancillary data only with data.
			return fmt.Errorf("rawwire: %d fds with no bytes to carry them: %w", len(fds), unix.EINVAL)
		}
		return nil
	}
	var oob []byte
	if len(fds) > 0 {
		oob = unix.UnixRights(fds...)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	var dl time.Time
	if t := c.getTimeout(); t > 0 {
		dl = time.Now().Add(t)
	}
	if err := c.conn.SetWriteDeadline(dl); err != nil {
		return fmt.Errorf("rawwire: write: %w", err)
	}
	n, _, err := c.conn.WriteMsgUnix(b, oob, nil)
	if err == nil && n < len(b) {
		// The socket was full: the fds went with the first part, the rest
		// follows without them.
		_, err = c.conn.Write(b[n:])
	}
	if err != nil {
		if errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) {
			return fmt.Errorf("%w: write: %w", ErrDisconnected, err)
		}
		return fmt.Errorf("rawwire: write: %w", err)
	}
	return nil
}

// Read returns the next event. See the package documentation for how fds
// are attributed and how the deadline is chosen. An event is returned as
// soon as it is complete, without waiting for more input.
// wl_display.delete_id also removes its id from the client's table.
func (c *Client) Read(ctx context.Context) (Message, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if c.rerr != nil {
		return Message{}, c.rerr
	}
	if err := ctx.Err(); err != nil {
		return Message{}, fmt.Errorf("rawwire: read: %w", err)
	}
	stop, err := c.armReadDeadline(ctx)
	if err != nil {
		return Message{}, err
	}
	defer stop()
	for {
		need := wire.HeaderSize
		if len(c.rbuf) >= wire.HeaderSize {
			h, err := wire.ParseHeader(c.rbuf)
			if err == nil && int(h.Size) > wire.MaxMessageSize {
				err = fmt.Errorf("event of %d bytes exceeds %d: %w", h.Size, wire.MaxMessageSize, wire.ErrTooLarge)
			}
			if err != nil {
				return Message{}, c.fail(fmt.Errorf("rawwire: bad event header (object %d, opcode %d): %w", h.Object, h.Opcode, err))
			}
			need = int(h.Size)
			if len(c.rbuf) == need {
				return c.take(h), nil
			}
		}
		n, oobn, flags, _, rerr := c.conn.ReadMsgUnix(c.rbuf[len(c.rbuf):need], c.oob)
		// fds are collected before the error is looked at: whatever the
		// kernel handed over is ours to close.
		if oobn > 0 {
			if err := c.collectFDs(c.oob[:oobn]); err != nil {
				return Message{}, c.fail(err)
			}
		}
		if n > 0 {
			// On error the count can be -1, not 0.
			c.rbuf = c.rbuf[:len(c.rbuf)+n]
		}
		if flags&unix.MSG_CTRUNC != 0 {
			return Message{}, c.fail(fmt.Errorf("rawwire: more fds than %d in one read, some were lost: %w", scmMaxFD, syscall.EMSGSIZE))
		}
		switch {
		case rerr == nil && n > 0:
			continue
		case rerr == nil, errors.Is(rerr, io.EOF):
			return Message{}, c.fail(c.closedErr(io.EOF))
		case errors.Is(rerr, syscall.ECONNRESET):
			return Message{}, c.fail(c.closedErr(syscall.ECONNRESET))
		case errors.Is(rerr, os.ErrDeadlineExceeded):
			return Message{}, c.timeoutErr(ctx)
		default:
			return Message{}, c.fail(fmt.Errorf("rawwire: read: %w", rerr))
		}
	}
}

// take hands the complete event in rbuf over as a Message and resets the
// reader for the next one.
func (c *Client) take(h wire.Header) Message {
	m := Message{
		Object: h.Object,
		Opcode: h.Opcode,
		Body:   append([]byte{}, c.rbuf[wire.HeaderSize:]...),
		FDs:    c.rfds,
	}
	c.rbuf = c.rbuf[:0]
	c.rfds = nil
	if m.Object == DisplayID && m.Opcode == EvDisplayDeleteID {
		if id, err := m.Uint(); err == nil {
			c.Forget(id)
		}
	}
	return m
}

func (c *Client) closedErr(cause error) error {
	if len(c.rbuf) > 0 {
		return fmt.Errorf("%w: %w: %w after %d bytes of an event", ErrDisconnected, cause, io.ErrUnexpectedEOF, len(c.rbuf))
	}
	return fmt.Errorf("%w: %w", ErrDisconnected, cause)
}

// fail makes err sticky: after it the stream has no next event to frame.
func (c *Client) fail(err error) error {
	c.rerr = err
	closeFDs(c.rfds)
	c.rfds = nil
	return err
}

func (c *Client) timeoutErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("rawwire: read: %w", err)
	}
	// The socket deadline and the context's timer fire independently; the
	// caller should see the context's error either way.
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return fmt.Errorf("rawwire: read: %w", context.DeadlineExceeded)
	}
	return fmt.Errorf("rawwire: no event within %v: %w", c.getTimeout(), os.ErrDeadlineExceeded)
}

// armReadDeadline applies the context's deadline (or the client's timeout)
// and makes cancellation wake a blocked read. The returned stop must run
// before the next read arms its own deadline, so it waits for a
// cancellation already in flight.
func (c *Client) armReadDeadline(ctx context.Context) (func(), error) {
	dl, ok := ctx.Deadline()
	if !ok {
		if t := c.getTimeout(); t > 0 {
			dl = time.Now().Add(t)
		}
	}
	if err := c.conn.SetReadDeadline(dl); err != nil {
		return nil, fmt.Errorf("rawwire: read: %w", err)
	}
	if ctx.Done() == nil {
		return func() {}, nil
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		_ = c.conn.SetReadDeadline(aLongTimeAgo)
		close(fired)
	})
	return func() {
		if !stop() {
			<-fired
		}
	}, nil
}

// collectFDs appends the fds of every SCM_RIGHTS message to rfds. Unknown
// control messages are an error, but only after their fds are kept, so
// nothing leaks.
func (c *Client) collectFDs(oob []byte) error {
	scms, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return fmt.Errorf("rawwire: control message: %w", err)
	}
	var bad error
	for i := range scms {
		if scms[i].Header.Level != unix.SOL_SOCKET || scms[i].Header.Type != unix.SCM_RIGHTS {
			bad = fmt.Errorf("rawwire: unexpected control message level %d type %d", scms[i].Header.Level, scms[i].Header.Type)
			continue
		}
		fds, err := unix.ParseUnixRights(&scms[i])
		if err != nil {
			return fmt.Errorf("rawwire: SCM_RIGHTS: %w", err)
		}
		c.rfds = append(c.rfds, fds...)
	}
	return bad
}

func closeFDs(fds []int) {
	for _, fd := range fds {
		if fd >= 0 {
			_ = unix.Close(fd)
		}
	}
}
