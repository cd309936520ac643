package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/headwaywl/headway/protocol/socket"
	"github.com/headwaywl/headway/protocol/wire"
	"golang.org/x/sys/unix"
)

// DefaultMaxBufferSize bounds each client's input and output buffers, as
// libwayland's default (WL_BUFFER_DEFAULT_MAX_SIZE, 4096 bytes, which
// wl_display_set_default_max_buffer_size changes since 1.23). Output beyond
// it that the kernel will not take disconnects the client.
const DefaultMaxBufferSize = 4096

// Option configures a Display.
type Option func(*Display)

// WithTrace writes libwayland-format protocol traces to w (nil: off). It
// overrides WAYLAND_DEBUG.
func WithTrace(w io.Writer) Option {
	return func(d *Display) { d.trace = w; d.traceSet = true }
}

// WithMaxBufferSize sets the per-client input and output buffer bounds
// (wl_display_set_default_max_buffer_size). Input is never below
// wire.MaxMessageSize, so every message the codec allows fits.
func WithMaxBufferSize(in, out int) Option {
	return func(d *Display) {
		if in >= wire.MaxMessageSize {
			d.maxIn = in
		}
		if out > 0 {
			d.maxOut = out
		}
	}
}

// WithLogger sets the logger for disconnect reasons and recovered panics.
func WithLogger(l *slog.Logger) Option {
	return func(d *Display) {
		if l != nil {
			d.log = l
		}
	}
}

// Display is the server: its clients, globals and the dispatch loop. All
// protocol work runs on the loop goroutine (Run): handlers, bind and
// destructor callbacks and Do functions never run concurrently.
type Display struct {
	maxIn, maxOut int
	trace         io.Writer
	traceSet      bool
	traceBuf      []byte
	traceStart    time.Time
	log           *slog.Logger

	done chan struct{} // closed when the display shuts down

	mu        sync.Mutex
	clients   map[*Client]struct{}
	added     []*Client // clients the loop has not put in its epoll set yet
	funcs     []func()
	listeners []*socket.Listener
	running   bool
	shut      bool
	ctxDone   bool // Run's context ended
	wakeFD    int  // eventfd in the epoll set, -1 when Run is not running
	wakeSent  bool // wakeFD was written and the loop has not consumed it yet
	closeOnce sync.Once
	wg        sync.WaitGroup

	// loop-owned
	globals    []*Global
	nextGlobal uint32
	serial     uint32
	dirty      []*Client
	doomed     []*Client
	funcsRun   []func()
	addedRun   []*Client
	epfd       int
	evs        []unix.EpollEvent
	slots      []*Client // Client.slot indexes it; the epoll data of a client
	freeSlots  []int32
	gen        uint32
	wakeBuf    []byte
	pollFile   *os.File // epfd in Go's netpoller, where the loop waits
	stopping   bool
	pollAgain  bool // something may be ready without a new edge for the netpoller: poll before waiting
	// closedByClose: the loop stopped for Close, not for Run's context.
	closedByClose bool
}

// Global is an advertised global.
type Global struct {
	d       *Display
	name    uint32
	iface   *Interface
	version uint32
	bind    func(c *Client, r *Resource)
	removed bool
}

// Name is the global's numeric name in wl_registry.
func (g *Global) Name() uint32 { return g.name }

// NewDisplay makes a display. WAYLAND_DEBUG containing "server" or "1"
// turns tracing to stderr on, as libwayland's server checks.
func NewDisplay(opts ...Option) *Display {
	d := &Display{
		maxIn:      DefaultMaxBufferSize,
		maxOut:     DefaultMaxBufferSize,
		log:        slog.New(slog.DiscardHandler),
		done:       make(chan struct{}),
		wakeFD:     -1,
		epfd:       -1,
		clients:    make(map[*Client]struct{}),
		traceStart: time.Now(),
	}
	for _, o := range opts {
		o(d)
	}
	if !d.traceSet {
		if v := os.Getenv("WAYLAND_DEBUG"); strings.Contains(v, "server") || strings.Contains(v, "1") {
			d.trace = os.Stderr
		}
	}
	return d
}

// NextSerial returns a new event serial (wl_display_next_serial).
func (d *Display) NextSerial() uint32 {
	d.serial++
	return d.serial
}

// Serial returns the current serial without advancing it
// (wl_display_get_serial), as wl_display.sync's done carries.
func (d *Display) Serial() uint32 { return d.serial }

// AddListener accepts clients from l until the display closes; the display
// then closes l.
func (d *Display) AddListener(l *socket.Listener) {
	d.mu.Lock()
	if d.shut {
		d.mu.Unlock()
		l.Close()
		return
	}
	d.listeners = append(d.listeners, l)
	d.wg.Add(1)
	d.mu.Unlock()
	go func() {
		defer d.wg.Done()
		for {
			conn, err := l.Accept()
			if err != nil {
				select {
				case <-d.done:
				default:
					d.log.Warn("wayland: accept failed", "err", err)
				}
				return
			}
			if _, err := d.AddClient(conn); err != nil {
				d.log.Warn("wayland: cannot add client", "err", err)
			}
		}
	}()
}

// AddClient serves conn as a new client (wl_client_create). It may be called
// from any goroutine. The display owns conn from then on, even on error:
// it keeps a duplicate of the socket for its epoll set and closes conn at
// once.
func (d *Display) AddClient(conn *net.UnixConn) (*Client, error) {
	if conn == nil {
		return nil, fmt.Errorf("server: AddClient: nil connection")
	}
	c, err := newClient(d, conn)
	if err != nil {
		conn.Close()
		return nil, err
	}
	d.mu.Lock()
	if d.shut {
		d.mu.Unlock()
		c.closeFD()
		return nil, fmt.Errorf("server: AddClient: display closed: %w", net.ErrClosed)
	}
	d.clients[c] = struct{}{}
	d.added = append(d.added, c)
	d.wakeLocked()
	d.mu.Unlock()
	return c, nil
}

// Do queues fn to run on the loop and returns at once; it is safe from any
// goroutine, including the loop itself. A panic in fn is recovered and
// logged.
func (d *Display) Do(fn func()) {
	d.mu.Lock()
	d.funcs = append(d.funcs, fn)
	d.wakeLocked()
	d.mu.Unlock()
}

// Call runs fn on the loop and waits until it has run: the back-pressured
// entry for goroutines (the output path) that need the loop's answer before
// they go on. It returns an error wrapping net.ErrClosed when the display
// shut down before fn ran, or ctx's error. Never call it from the loop.
func (d *Display) Call(ctx context.Context, fn func()) error {
	ran := make(chan struct{})
	d.Do(func() {
		defer close(ran)
		fn()
	})
	select {
	case <-ran:
		return nil
	case <-d.done:
		select {
		case <-ran:
			return nil
		default:
		}
		return fmt.Errorf("server: Call: display closed: %w", net.ErrClosed)
	case <-ctx.Done():
		return fmt.Errorf("server: Call: %w", ctx.Err())
	}
}

// Run dispatches until ctx ends or Close is called; then every client is
// disconnected and every listener closed. It returns nil after Close,
// ctx.Err() otherwise.
func (d *Display) Run(ctx context.Context) error {
	d.mu.Lock()
	if d.running || d.shut {
		d.mu.Unlock()
		return fmt.Errorf("server: Run: display already running or closed")
	}
	if err := d.openPoll(); err != nil {
		d.mu.Unlock()
		return fmt.Errorf("server: Run: %w", err)
	}
	d.running = true
	d.mu.Unlock()
	stopWake := context.AfterFunc(ctx, func() {
		d.mu.Lock()
		d.ctxDone = true
		d.wakeLocked()
		d.mu.Unlock()
	})
	defer stopWake()
	// Clients added and functions queued before Run.
	d.stopping = d.wakeUp()
	d.endRound()
	var ret error
	if !d.stopping {
		ret = d.runPoll()
	}
	d.shutdown()
	if ret == nil && !d.closedByClose {
		ret = ctx.Err()
	}
	return ret
}

// Close stops the display: Run returns, clients are disconnected, listeners
// closed. It is safe from any goroutine and idempotent; it does not wait for
// Run to return. Called while Run is not running, it disconnects the clients
// itself.
func (d *Display) Close() {
	d.stop()
	d.mu.Lock()
	running := d.running
	d.mu.Unlock()
	if !running {
		d.destroyAll()
	}
}

// stop marks the display shut, wakes the loop and closes the listeners.
func (d *Display) stop() {
	d.closeOnce.Do(func() {
		d.mu.Lock()
		d.shut = true
		ls := d.listeners
		d.listeners = nil
		d.wakeLocked()
		d.mu.Unlock()
		close(d.done)
		for _, l := range ls {
			l.Close()
		}
	})
}

func (d *Display) shutdown() {
	d.stop()
	d.destroyAll()
	d.wg.Wait()
	d.mu.Lock()
	d.closePoll()
	d.mu.Unlock()
}

func (d *Display) destroyAll() {
	for _, c := range d.clientList() {
		d.destroyClient(c)
	}
}

func (d *Display) clientList() []*Client {
	// A fresh slice: callbacks run while callers iterate may call back in.
	d.mu.Lock()
	defer d.mu.Unlock()
	cs := make([]*Client, 0, len(d.clients))
	for c := range d.clients {
		cs = append(cs, c)
	}
	return cs
}

func (d *Display) safeCall(fn func()) {
	defer func() {
		if p := recover(); p != nil {
			d.log.Error("wayland: panic in Do function", "panic", fmt.Sprint(p))
		}
	}()
	fn()
}

// endRound flushes every client that got output and disconnects the ones
// that failed, after their error had its flush (libwayland order).
func (d *Display) endRound() {
	for i, c := range d.dirty {
		c.dirty = false
		if !c.closing {
			c.flush()
		}
		d.dirty[i] = nil
	}
	d.dirty = d.dirty[:0]
	for i := 0; i < len(d.doomed); i++ {
		d.destroyClient(d.doomed[i])
		d.doomed[i] = nil
	}
	d.doomed = d.doomed[:0]
}

func (d *Display) doom(c *Client) {
	for _, x := range d.doomed {
		if x == c {
			return
		}
	}
	d.doomed = append(d.doomed, c)
}

// destroyClient is wl_client_destroy: one flush attempt, destroy every
// resource (destructors run, no delete_id), close unconsumed fds and the
// connection.
func (d *Display) destroyClient(c *Client) {
	if c.closing {
		return
	}
	c.write()
	c.closing = true
	for i := 1; i < len(c.objects); i++ {
		if r := c.objects[i]; r != nil {
			r.Destroy()
		}
	}
	for i := 0; i < len(c.serverObjects); i++ {
		if r := c.serverObjects[i]; r != nil {
			r.Destroy()
		}
	}
	for _, fn := range c.onDestroy {
		c.safeCall(func() { fn(c) })
	}
	d.unwatch(c)
	c.closeFD()
	c.resetOut()
	c.closeQueuedFDs()
	d.mu.Lock()
	delete(d.clients, c)
	d.mu.Unlock()
}
