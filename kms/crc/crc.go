package crc

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"syscall"
)

const (
	// EntriesNR is the kernel's DRM_CRC_ENTRIES_NR: ring slots per CRTC.
	EntriesNR = 128
	// Capacity is how many entries can be pending: a circ_buf keeps one
	// slot free to tell full from empty.
	Capacity = EntriesNR - 1
	// MaxValues is the kernel's DRM_MAX_CRC_NR: CRC values per entry.
	MaxValues = 10
	// PageSize bounds a control write (PAGE_SIZE - 1 bytes at most).
	PageSize = 4096
)

// LineLen is the kernel's LINE_LEN(values): the exact byte count of one
// record, the 10-character frame field, 11 characters per value, the
// newline and the terminating NUL.
func LineLen(values int) int { return 10 + 11*values + 1 + 1 }

// Config connects a CRTC's CRC files to the device. Every callback is
// optional; callbacks are called without the package's lock held, so they
// may call back into the device freely but must not call this CRTC's
// WriteControl, Open or Close.
type Config struct {
	// Active reports crtc->state->active; Open fails with EIO while it is
	// false. Nil means always active.
	Active func() bool
	// VerifyPlane validates the object id of a "plane<ID>" source: it
	// returns an error (EINVAL is expected) unless id names a plane of
	// this CRTC's device. Nil refuses every plane source with EINVAL.
	VerifyPlane func(id uint32) error
	// SetSource is set_crc_source: called by Open with enable=true and the
	// source, and by Close with enable=false. An error fails the Open.
	SetSource func(src Source, enable bool) error
	// Values is the number of CRC values per entry (values_cnt), 1..10;
	// 0 means 1, VKMS's count.
	Values int
	// Logger receives the overflow message; nil means slog.Default().
	Logger *slog.Logger
}

type entry struct {
	frame    uint32
	hasFrame bool
	crcs     [MaxValues]uint32
}

// Stats are the CRTC's lifetime counters.
type Stats struct {
	// Added counts entries accepted into the ring.
	Added uint64
	// Dropped counts entries refused with ENOBUFS because the ring was
	// full.
	Dropped uint64
	// Overflowed is the kernel's per-session overflow flag: set by the
	// first drop since Open, cleared by Close.
	Overflowed bool
}

// CRTC is the CRC state of one CRTC: its control and data files.
type CRTC struct {
	cfg    Config
	values int

	mu         sync.Mutex
	source     Source
	opened     bool
	reader     *Reader
	head, tail int
	overflow   bool
	stats      Stats
	ring       [EntriesNR]entry
	// avail holds a token while entries may be pending, waking a blocked
	// reader without a goroutine or an allocation per entry.
	avail chan struct{}
}

// New returns a CRTC's CRC state with the "auto" source selected.
func New(cfg Config) (*CRTC, error) {
	n := cfg.Values
	if n == 0 {
		n = 1
	}
	if n < 1 || n > MaxValues {
		return nil, fmt.Errorf("crc: %d values per entry (1..%d): %w", cfg.Values, MaxValues, syscall.EINVAL)
	}
	return &CRTC{cfg: cfg, values: n, avail: make(chan struct{}, 1)}, nil
}

// Values returns the number of CRC values per entry.
func (c *CRTC) Values() int { return c.values }

// Source returns the selected source.
func (c *CRTC) Source() Source {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.source
}

// IsOpen reports whether a reader has the data file open, i.e. whether
// the device should produce CRC entries.
func (c *CRTC) IsOpen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.opened
}

// Stats returns the counters.
func (c *CRTC) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Overflowed = c.overflow
	return s
}

// verify is verify_crc_source.
func (c *CRTC) verify(s Source) error {
	if s.IsAuto() {
		return nil
	}
	if c.cfg.VerifyPlane == nil {
		return fmt.Errorf("crc: source %s: no plane sources on this CRTC: %w", s, syscall.EINVAL)
	}
	if err := c.cfg.VerifyPlane(s.Plane); err != nil {
		return fmt.Errorf("crc: source %s: %w", s, err)
	}
	return nil
}

// WriteControl is a write(2) to crc/control. It returns len(p) on success,
// like the kernel.
func (c *CRTC) WriteControl(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if len(p) > PageSize-1 {
		return 0, fmt.Errorf("crc: control write of %d bytes (max %d): %w", len(p), PageSize-1, syscall.E2BIG)
	}
	name := p
	if name[len(name)-1] == '\n' {
		name = name[:len(name)-1]
	}
	src, err := ParseSource(name)
	if err != nil {
		return 0, err
	}
	if err := c.verify(src); err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.opened {
		return 0, fmt.Errorf("crc: set source %s while data is open: %w", src, syscall.EBUSY)
	}
	c.source = src
	return len(p), nil
}

// ReadControl is the content of crc/control: each available source on its
// own line, the current one marked with '*'. The sources listed are
// "auto" and, when selected, the current plane source (plane ids are the
// device's, so only the selected one is known here).
func (c *CRTC) ReadControl() string {
	src := c.Source()
	b := make([]byte, 0, 32)
	b = append(b, "auto"...)
	if src.IsAuto() {
		b = append(b, '*')
	}
	b = append(b, '\n')
	if !src.IsAuto() {
		b = src.AppendText(b)
		b = append(b, "*\n"...)
	}
	return string(b)
}

// Open opens crc/data. A non-blocking reader gets EAGAIN instead of
// waiting on an empty ring (O_NONBLOCK).
func (c *CRTC) Open(nonblock bool) (*Reader, error) {
	if c.cfg.Active != nil && !c.cfg.Active() {
		return nil, fmt.Errorf("crc: open data: CRTC inactive: %w", syscall.EIO)
	}
	src := c.Source()
	if err := c.verify(src); err != nil {
		return nil, fmt.Errorf("crc: open data: %w", err)
	}
	c.mu.Lock()
	if c.opened {
		c.mu.Unlock()
		return nil, fmt.Errorf("crc: open data: already open: %w", syscall.EBUSY)
	}
	r := &Reader{c: c, nonblock: nonblock, closed: make(chan struct{})}
	c.opened = true
	c.reader = r
	c.resetLocked()
	c.mu.Unlock()

	if c.cfg.SetSource != nil {
		if err := c.cfg.SetSource(src, true); err != nil {
			c.mu.Lock()
			c.cleanupLocked(r)
			c.mu.Unlock()
			return nil, fmt.Errorf("crc: open data: enable source %s: %w", src, err)
		}
	}
	return r, nil
}

func (c *CRTC) resetLocked() {
	c.head, c.tail = 0, 0
	c.overflow = false
	select {
	case <-c.avail:
	default:
	}
}

// cleanupLocked is crtc_crc_cleanup for reader r.
func (c *CRTC) cleanupLocked(r *Reader) {
	if c.reader != r {
		return
	}
	c.resetLocked()
	c.opened = false
	c.reader = nil
	close(r.closed)
}

// AddEntry is drm_crtc_add_crc_entry with a frame counter: frame is the
// vblank sequence of the frame (its low 32 bits are recorded, as the
// kernel's u32 frame). values must hold exactly Values() CRCs. It returns
// EINVAL when no reader is open or the value count is wrong, and ENOBUFS
// when the ring is full (the entry is dropped).
func (c *CRTC) AddEntry(frame uint64, values ...uint32) error {
	return c.add(true, uint32(frame), values)
}

// AddEntryNoFrame adds an entry without a frame counter; it reads back as
// "XXXXXXXXXX".
func (c *CRTC) AddEntryNoFrame(values ...uint32) error {
	return c.add(false, 0, values)
}

func (c *CRTC) add(hasFrame bool, frame uint32, values []uint32) error {
	if len(values) != c.values {
		return syscall.EINVAL
	}
	c.mu.Lock()
	if !c.opened {
		c.mu.Unlock()
		return syscall.EINVAL
	}
	if (c.tail-c.head-1)&(EntriesNR-1) < 1 {
		was := c.overflow
		c.overflow = true
		c.stats.Dropped++
		c.mu.Unlock()
		if !was {
			c.logger().Error("Overflow of CRC buffer, userspace reads too slow.")
		}
		return syscall.ENOBUFS
	}
	e := &c.ring[c.head]
	e.frame = frame
	e.hasFrame = hasFrame
	copy(e.crcs[:], values)
	c.head = (c.head + 1) & (EntriesNR - 1)
	c.stats.Added++
	c.mu.Unlock()
	c.signal()
	return nil
}

func (c *CRTC) signal() {
	select {
	case c.avail <- struct{}{}:
	default:
	}
}

func (c *CRTC) logger() *slog.Logger {
	if c.cfg.Logger != nil {
		return c.cfg.Logger
	}
	return slog.Default()
}

// Pending returns the number of entries waiting to be read.
func (c *CRTC) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return (c.head - c.tail) & (EntriesNR - 1)
}

// Reader is an open crc/data file.
type Reader struct {
	c        *CRTC
	nonblock bool
	closed   chan struct{}
}

// Poll reports POLLIN: whether a read would return a record now.
func (r *Reader) Poll() bool {
	c := r.c
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reader == r && c.head != c.tail
}

// Read reads one record, blocking (for a blocking reader) until an entry
// is available or the reader is closed.
func (r *Reader) Read(p []byte) (int, error) {
	return r.ReadContext(context.Background(), p)
}

// ReadContext is Read whose wait ends with EINTR when ctx ends, as a
// signal interrupts the kernel's wait_event_interruptible. On success it
// returns exactly LineLen(Values()) bytes; p shorter than that is EINVAL
// once an entry is available, and the entry stays in the ring.
func (r *Reader) ReadContext(ctx context.Context, p []byte) (int, error) {
	c := r.c
	for {
		c.mu.Lock()
		if c.reader != r {
			c.mu.Unlock()
			return 0, syscall.EBADF
		}
		if c.head != c.tail {
			break
		}
		c.mu.Unlock()
		if r.nonblock {
			return 0, syscall.EAGAIN
		}
		select {
		case <-c.avail:
		case <-r.closed:
		case <-ctx.Done():
			return 0, syscall.EINTR
		}
	}
	// Locked, with an entry available.
	n := LineLen(c.values)
	if len(p) < n {
		c.mu.Unlock()
		c.signal() // the entry is still there for another read
		return 0, syscall.EINVAL
	}
	e := c.ring[c.tail]
	c.tail = (c.tail + 1) & (EntriesNR - 1)
	more := c.head != c.tail
	values := c.values
	c.mu.Unlock()
	if more {
		c.signal()
	}
	format(p, &e, values)
	return n, nil
}

const hexDigits = "0123456789abcdef"

func putHex(p []byte, v uint32) {
	p[0], p[1] = '0', 'x'
	for i := 9; i >= 2; i-- {
		p[i] = hexDigits[v&0xf]
		v >>= 4
	}
}

// format writes the kernel's record for e into p, which holds at least
// LineLen(values) bytes.
func format(p []byte, e *entry, values int) {
	if e.hasFrame {
		putHex(p, e.frame)
	} else {
		copy(p, "XXXXXXXXXX")
	}
	o := 10
	for i := 0; i < values; i++ {
		p[o] = ' '
		putHex(p[o+1:], e.crcs[i])
		o += 11
	}
	p[o] = '\n'
	p[o+1] = 0
}

// Close releases the data file: generation is disabled through SetSource
// and the ring is reset. A second Close returns EBADF. A Read blocked on
// this reader returns EBADF.
func (r *Reader) Close() error {
	c := r.c
	c.mu.Lock()
	if c.reader != r {
		c.mu.Unlock()
		return fmt.Errorf("crc: close data: %w", syscall.EBADF)
	}
	src := c.source
	c.mu.Unlock()
	// The kernel disables the source before freeing the ring.
	var err error
	if c.cfg.SetSource != nil {
		if e := c.cfg.SetSource(src, false); e != nil {
			err = fmt.Errorf("crc: close data: disable source %s: %w", src, e)
		}
	}
	c.mu.Lock()
	c.cleanupLocked(r)
	c.mu.Unlock()
	return err
}
