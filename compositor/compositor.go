package compositor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/headwaywl/headway/kms/modeinfo"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/protocol/server"
)

// ClockMode says what drives the output's vblanks.
type ClockMode int

const (
	// Realtime ticks at the mode's refresh on CLOCK_MONOTONIC.
	Realtime ClockMode = iota
	// Manual is a virtual clock that moves only when headway_test_v1.advance
	// (or Compositor.Advance) asks.
	Manual
	// Lockstep is a virtual clock that moves when a frame is due and every
	// client that was given a frame callback has answered it.
	Lockstep
)

func (m ClockMode) String() string {
	switch m {
	case Realtime:
		return "realtime"
	case Manual:
		return "manual"
	case Lockstep:
		return "lockstep"
	}
	return "clock(" + strconv.Itoa(int(m)) + ")"
}

// ParseClockMode reads "realtime", "manual" or "lockstep".
func ParseClockMode(s string) (ClockMode, error) {
	for _, m := range []ClockMode{Realtime, Manual, Lockstep} {
		if m.String() == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("unknown clock %q (want realtime, manual or lockstep)", s)
}

// DefaultLockstepTimeout is how long a lockstep clock waits for clients
// that were given a frame callback before it moves anyway and records a
// lockstep_timeout: long enough that a loaded CI machine does not hit it
// while a client draws, short enough that a stuck client costs seconds.
const DefaultLockstepTimeout = 2 * time.Second

// Config configures a Compositor.
type Config struct {
	// Profile is the fake KMS device to show frames on; nil loads "vkms".
	Profile *profile.Profile
	// Width and Height pick a mode of the first connector; zero takes its
	// preferred mode.
	Width, Height int
	// Clock is the vblank source.
	Clock ClockMode
	// PrimaryFormat overrides the primary plane's format (0: XRGB16161616
	// where the primary lists it, else XRGB8888).
	PrimaryFormat fourcc.Format
	// CRCOnDemand leaves per-frame CRC collection off until a client sends
	// headway_test_v1.enable_crc: each CRC costs one device composition
	// per frame, which serve only pays when asked. In-process use keeps
	// the default, collection always on.
	CRCOnDemand bool
	// DmabufLenient turns the linux-dmabuf checks headway makes beyond
	// wlroots' into warnings in the negotiation log (serve
	// --dmabuf-strict=off): real clients have shipped breaking them.
	DmabufLenient bool
	// CheckOwnership hashes every buffer while the compositor owns it
	// and logs writes the client makes meanwhile (ownership_violation).
	// Off, it costs nothing.
	CheckOwnership bool
	// LockstepTimeout overrides DefaultLockstepTimeout.
	LockstepTimeout time.Duration
	// SocketName is the socket clients connect to, for the log.
	SocketName string
	// NegotiationLog receives the negotiation log (JSON lines); nil for none.
	NegotiationLog io.Writer
	// Logger gets diagnostics; nil discards them.
	Logger *slog.Logger
	// ServerOptions are passed to the protocol display (tracing, buffers).
	ServerOptions []server.Option
}

// Compositor is the headless compositor: one protocol display, one fake
// KMS device with one output, and the path between them.
type Compositor struct {
	cfg     Config
	log     *slog.Logger
	display *server.Display
	out     *output
	nlog    *negLog

	// Loop-owned state (see doc.go: everything here runs on the display's
	// loop unless it says otherwise).
	clients     map[*server.Client]*clientData
	clientOrder uint64
	pidNames    map[int32]string
	nameCount   map[string]int
	scene       *scene
	seat        *seat
	outputs     []*server.Resource // bound wl_output resources
	testClients []*server.Resource
	crcWaiters  []crcWaiter
	captures    []*captureReq
	advanceReqs []*advanceReq
	shm         *shmGlobal
	dmabuf      *dmabufGlobal
	globalNames map[string]uint32
	lastShown   map[*surface]bool
	lastSig     []layerSig // what the last latched frame showed
	holding     int        // surfaces with commits held for acquire points
	sigScratch  []layerSig

	runOnce   sync.Once
	closeOnce sync.Once
}

// New builds a compositor: the device, its output and the globals. Nothing
// runs until Run.
func New(cfg Config) (*Compositor, error) {
	if cfg.Profile == nil {
		p, err := profile.Load("vkms")
		if err != nil {
			return nil, fmt.Errorf("compositor: %w", err)
		}
		cfg.Profile = p
	}
	if cfg.LockstepTimeout <= 0 {
		cfg.LockstepTimeout = DefaultLockstepTimeout
	}
	lg := cfg.Logger
	if lg == nil {
		lg = slog.New(slog.DiscardHandler)
	}
	c := &Compositor{
		cfg:         cfg,
		log:         lg,
		clients:     make(map[*server.Client]*clientData),
		pidNames:    make(map[int32]string),
		nameCount:   make(map[string]int),
		globalNames: make(map[string]uint32),
		lastShown:   make(map[*surface]bool),
	}
	opts := append([]server.Option{server.WithLogger(lg)}, cfg.ServerOptions...)
	c.display = server.NewDisplay(opts...)
	c.nlog = newNegLog(cfg.NegotiationLog)
	out, err := newOutput(c, cfg)
	if err != nil {
		return nil, fmt.Errorf("compositor: %w", err)
	}
	c.out = out
	c.scene = newScene()
	c.seat = newSeat(c)
	if c.dmabuf, err = c.newDmabuf(); err != nil {
		out.stop()
		return nil, fmt.Errorf("compositor: %w", err)
	}
	c.addGlobals()
	c.nlog.output(c)
	return c, nil
}

// Display is the protocol display; add listeners to it to accept clients.
func (c *Compositor) Display() *server.Display { return c.display }

// Mode is the output's mode.
func (c *Compositor) Mode() modeinfo.Mode { return c.out.mode }

// PrimaryFormat is the primary plane's framebuffer format.
func (c *Compositor) PrimaryFormat() fourcc.Format { return c.out.format }

// ClockMode is the clock the compositor runs on.
func (c *Compositor) ClockMode() ClockMode { return c.cfg.Clock }

// Run runs the protocol loop and the output path until ctx ends or Close.
func (c *Compositor) Run(ctx context.Context) error {
	var err error
	started := false
	c.runOnce.Do(func() { started = true })
	if !started {
		return errors.New("compositor: Run called twice")
	}
	if err = c.out.start(); err != nil {
		return fmt.Errorf("compositor: %w", err)
	}
	err = c.display.Run(ctx)
	c.out.stop()
	c.nlog.flush(c) // the loop and the output path have stopped
	return err
}

// Close stops Run. It is safe from any goroutine. A compositor that never
// ran releases its device and clock here, and can no longer run.
func (c *Compositor) Close() {
	c.closeOnce.Do(func() {
		neverRan := false
		c.runOnce.Do(func() { neverRan = true })
		c.display.Close()
		if neverRan {
			c.out.stop()
		}
	})
}

// CRC returns the CRC of frame seq from the history, if it is known.
// Safe from any goroutine.
func (c *Compositor) CRC(seq uint64) (uint32, bool) { return c.out.crcAt(seq) }

// Renders counts the frames rendered so far: a frame without damage
// reuses the previous framebuffer and does not count. Safe from any
// goroutine.
func (c *Compositor) Renders() uint64 { return c.out.renders.Load() }

// WaitFrame blocks until vblank seq has happened and been handled: its
// frame latched and committed, its CRC (when collected) readable with CRC,
// and its results (frame callbacks, presentation feedback, log lines) sent
// by the loop. Safe from any goroutine except the loop.
func (c *Compositor) WaitFrame(ctx context.Context, seq uint64) error {
	if err := c.out.waitHandled(ctx, seq); err != nil {
		return fmt.Errorf("compositor: wait for frame %d: %w", seq, err)
	}
	return nil
}

// Seq returns the current vblank sequence. Safe from any goroutine.
func (c *Compositor) Seq() uint64 { return c.out.clock.Seq() }

// Advance moves a manual clock by n vblanks and returns the final
// sequence once the last frame has been committed and its results sent.
// Safe from any goroutine except the loop.
func (c *Compositor) Advance(ctx context.Context, n int) (uint64, error) {
	if c.cfg.Clock != Manual {
		return 0, fmt.Errorf("compositor: advance: clock is %s, not manual", c.cfg.Clock)
	}
	done := make(chan uint64, 1)
	c.display.Do(func() {
		c.queueAdvance(&advanceReq{count: n, done: func(seq uint64) { done <- seq }})
	})
	select {
	case seq := <-done:
		return seq, nil
	case <-ctx.Done():
		return 0, fmt.Errorf("compositor: advance: %w", ctx.Err())
	}
}

// ParseSize reads "WxH".
func ParseSize(s string) (w, h int, err error) {
	a, b, ok := strings.Cut(s, "x")
	if ok {
		w, err = strconv.Atoi(a)
		if err == nil {
			h, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil || w <= 0 || h <= 0 {
		return 0, 0, fmt.Errorf("size %q: want WIDTHxHEIGHT", s)
	}
	return w, h, nil
}
