package crc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/vblank"
)

// dev is a minimal device: one CRTC, planes 31 and 32.
type dev struct {
	mu      sync.Mutex
	active  bool
	enabled bool
	src     Source
	calls   []string
	failSet error
}

func (d *dev) config() Config {
	return Config{
		Active: func() bool { d.mu.Lock(); defer d.mu.Unlock(); return d.active },
		VerifyPlane: func(id uint32) error {
			if id == 31 || id == 32 {
				return nil
			}
			return fmt.Errorf("object %d is not a plane: %w", id, syscall.EINVAL)
		},
		SetSource: func(src Source, enable bool) error {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.calls = append(d.calls, fmt.Sprintf("%s:%v", src, enable))
			if enable && d.failSet != nil {
				return d.failSet
			}
			d.enabled, d.src = enable, src
			return nil
		},
		Logger: slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)),
	}
}

func newCRTC(t *testing.T) (*CRTC, *dev) {
	t.Helper()
	d := &dev{active: true}
	c, err := New(d.config())
	require.NoError(t, err)
	return c, d
}

func readOne(t *testing.T, r *Reader) string {
	t.Helper()
	buf := make([]byte, 64)
	n, err := r.Read(buf)
	require.NoError(t, err)
	return string(buf[:n])
}

func TestReadGoldenBytes(t *testing.T) {
	c, _ := newCRTC(t)
	r, err := c.Open(true)
	require.NoError(t, err)
	defer r.Close()

	require.NoError(t, c.AddEntry(1, 0x2dfd2d88))
	require.NoError(t, c.AddEntry(0x1_0000_00ab, 0)) // low 32 bits recorded
	require.NoError(t, c.AddEntryNoFrame(0xffffffff))

	buf := make([]byte, 100)
	n, err := r.Read(buf)
	require.NoError(t, err)
	require.Equal(t, 23, n, "22 characters and the NUL")
	assert.Equal(t, []byte("0x00000001 0x2dfd2d88\n\x00"), buf[:n])
	assert.Equal(t, "0x000000ab 0x00000000\n\x00", readOne(t, r))
	assert.Equal(t, "XXXXXXXXXX 0xffffffff\n\x00", readOne(t, r))

	_, err = r.Read(buf)
	require.ErrorIs(t, err, syscall.EAGAIN)
}

func TestLineLen(t *testing.T) {
	assert.Equal(t, 23, LineLen(1))
	assert.Equal(t, 10+11*10+2, LineLen(MaxValues))
}

func TestMultipleValuesGolden(t *testing.T) {
	d := &dev{active: true}
	cfg := d.config()
	cfg.Values = 3
	c, err := New(cfg)
	require.NoError(t, err)
	r, err := c.Open(true)
	require.NoError(t, err)
	defer r.Close()
	require.ErrorIs(t, c.AddEntry(7, 1), syscall.EINVAL, "wrong value count")
	require.NoError(t, c.AddEntry(7, 1, 0xabcdef, 0xdeadbeef))
	assert.Equal(t, "0x00000007 0x00000001 0x00abcdef 0xdeadbeef\n\x00", readOne(t, r))
}

func TestNewValuesRange(t *testing.T) {
	for _, n := range []int{-1, 11} {
		_, err := New(Config{Values: n})
		require.ErrorIs(t, err, syscall.EINVAL, "values %d", n)
	}
}

func TestShortBufferEINVAL(t *testing.T) {
	c, _ := newCRTC(t)
	r, err := c.Open(true)
	require.NoError(t, err)
	defer r.Close()

	// Empty ring: the size is not checked yet (kernel order).
	_, err = r.Read(make([]byte, 5))
	require.ErrorIs(t, err, syscall.EAGAIN)

	require.NoError(t, c.AddEntry(9, 0x1234))
	// 22 bytes hold the visible line but not the NUL the kernel copies.
	for _, size := range []int{0, 1, 21, 22} {
		_, err = r.Read(make([]byte, size))
		require.ErrorIs(t, err, syscall.EINVAL, "size %d", size)
	}
	assert.Equal(t, 1, c.Pending(), "a refused read consumes nothing")
	assert.Equal(t, "0x00000009 0x00001234\n\x00", readOne(t, r))
}

func TestOpenErrors(t *testing.T) {
	t.Run("EIO on inactive CRTC", func(t *testing.T) {
		c, d := newCRTC(t)
		d.active = false
		_, err := c.Open(false)
		require.ErrorIs(t, err, syscall.EIO)
		assert.False(t, c.IsOpen())
		assert.Empty(t, d.calls)
	})
	t.Run("EBUSY on second open", func(t *testing.T) {
		c, d := newCRTC(t)
		r, err := c.Open(false)
		require.NoError(t, err)
		_, err = c.Open(false)
		require.ErrorIs(t, err, syscall.EBUSY)
		require.NoError(t, r.Close())
		assert.Equal(t, []string{"auto:true", "auto:false"}, d.calls)
	})
	t.Run("EIO before EBUSY", func(t *testing.T) {
		c, d := newCRTC(t)
		r, err := c.Open(false)
		require.NoError(t, err)
		defer r.Close()
		d.mu.Lock()
		d.active = false
		d.mu.Unlock()
		_, err = c.Open(false)
		require.ErrorIs(t, err, syscall.EIO)
	})
	t.Run("source verified again at open", func(t *testing.T) {
		d := &dev{active: true}
		gone := false
		cfg := d.config()
		cfg.VerifyPlane = func(id uint32) error {
			if gone {
				return syscall.EINVAL
			}
			return nil
		}
		c, err := New(cfg)
		require.NoError(t, err)
		_, err = c.WriteControl([]byte("plane31"))
		require.NoError(t, err)
		gone = true
		_, err = c.Open(false)
		require.ErrorIs(t, err, syscall.EINVAL)
		assert.False(t, c.IsOpen())
	})
	t.Run("SetSource failure resets", func(t *testing.T) {
		c, d := newCRTC(t)
		d.failSet = syscall.ENOMEM
		_, err := c.Open(false)
		require.ErrorIs(t, err, syscall.ENOMEM)
		assert.False(t, c.IsOpen())
		d.failSet = nil
		r, err := c.Open(false)
		require.NoError(t, err)
		require.NoError(t, r.Close())
	})
}

func TestControl(t *testing.T) {
	tests := []struct {
		in     string
		n      int
		err    error
		source Source
	}{
		{"auto", 4, nil, Auto},
		{"auto\n", 5, nil, Auto},
		{"plane31", 7, nil, Source{Plane: 31}},
		{"plane32\n", 8, nil, Source{Plane: 32}},
		{"", 0, nil, Auto}, // no-op
		{"foo", 0, syscall.EINVAL, Auto},
		{"\n", 0, syscall.EINVAL, Auto},
		{"auto\n\n", 0, syscall.EINVAL, Auto},
		{"AUTO", 0, syscall.EINVAL, Auto},
		{" auto", 0, syscall.EINVAL, Auto},
		{"plane", 0, syscall.EINVAL, Auto},
		{"plane0", 0, syscall.EINVAL, Auto},
		{"plane031", 0, syscall.EINVAL, Auto},
		{"plane+31", 0, syscall.EINVAL, Auto},
		{"plane33", 0, syscall.EINVAL, Auto},         // not a plane of the device
		{"plane4294967296", 0, syscall.EINVAL, Auto}, // > u32
		{"plane31x", 0, syscall.EINVAL, Auto},
		{strings.Repeat("a", PageSize), 0, syscall.E2BIG, Auto},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%.20q", tc.in), func(t *testing.T) {
			c, _ := newCRTC(t)
			n, err := c.WriteControl([]byte(tc.in))
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.n, n)
			assert.Equal(t, tc.source, c.Source())
		})
	}
}

func TestControlBusyWhileOpen(t *testing.T) {
	c, d := newCRTC(t)
	r, err := c.Open(false)
	require.NoError(t, err)
	_, err = c.WriteControl([]byte("plane31\n"))
	require.ErrorIs(t, err, syscall.EBUSY)
	// Verification comes first: a bad name is EINVAL even while open.
	_, err = c.WriteControl([]byte("foo"))
	require.ErrorIs(t, err, syscall.EINVAL)
	require.NoError(t, r.Close())

	n, err := c.WriteControl([]byte("plane31\n"))
	require.NoError(t, err)
	assert.Equal(t, 8, n)
	r, err = c.Open(false)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	assert.Equal(t, []string{"auto:true", "auto:false", "plane31:true", "plane31:false"}, d.calls)
}

func TestReadControl(t *testing.T) {
	c, _ := newCRTC(t)
	assert.Equal(t, "auto*\n", c.ReadControl())
	_, err := c.WriteControl([]byte("plane32"))
	require.NoError(t, err)
	assert.Equal(t, "auto\nplane32*\n", c.ReadControl())
}

func TestNoPlaneSourcesWithoutVerifier(t *testing.T) {
	c, err := New(Config{})
	require.NoError(t, err)
	_, err = c.WriteControl([]byte("plane1"))
	require.ErrorIs(t, err, syscall.EINVAL)
	r, err := c.Open(true)
	require.NoError(t, err, "nil Active means always active")
	require.NoError(t, r.Close())
}

func TestRingOverflow(t *testing.T) {
	c, _ := newCRTC(t)
	var logBuf bytes.Buffer
	c.cfg.Logger = slog.New(slog.NewTextHandler(&logBuf, nil))
	r, err := c.Open(true)
	require.NoError(t, err)

	// The circ_buf keeps one slot free: 127 entries fit.
	for i := 1; i <= Capacity; i++ {
		require.NoError(t, c.AddEntry(uint64(i), uint32(i)), "entry %d", i)
	}
	assert.Equal(t, Capacity, c.Pending())
	assert.False(t, c.Stats().Overflowed)

	// Further entries are dropped (the newest, not the oldest), logged once.
	for i := Capacity + 1; i <= Capacity+5; i++ {
		require.ErrorIs(t, c.AddEntry(uint64(i), uint32(i)), syscall.ENOBUFS)
	}
	st := c.Stats()
	assert.True(t, st.Overflowed)
	assert.Equal(t, uint64(5), st.Dropped)
	assert.Equal(t, uint64(Capacity), st.Added)
	assert.Equal(t, 1, strings.Count(logBuf.String(), "Overflow of CRC buffer, userspace reads too slow."))

	// Reading frees a slot; the oldest entries are intact.
	assert.Equal(t, "0x00000001 0x00000001\n\x00", readOne(t, r))
	require.NoError(t, c.AddEntry(1000, 1000))
	require.ErrorIs(t, c.AddEntry(1001, 1001), syscall.ENOBUFS)
	assert.Equal(t, 1, strings.Count(logBuf.String(), "Overflow"), "logged once per session")
	for i := 2; i <= Capacity; i++ {
		assert.Equal(t, fmt.Sprintf("0x%08x 0x%08x\n\x00", i, i), readOne(t, r))
	}
	assert.Equal(t, "0x000003e8 0x000003e8\n\x00", readOne(t, r))

	// Close resets the ring and the flag; a new session starts empty.
	require.NoError(t, r.Close())
	assert.False(t, c.Stats().Overflowed)
	r, err = c.Open(true)
	require.NoError(t, err)
	defer r.Close()
	assert.Equal(t, 0, c.Pending())
	_, err = r.Read(make([]byte, 23))
	require.ErrorIs(t, err, syscall.EAGAIN)
}

func TestAddEntryWithoutReader(t *testing.T) {
	c, _ := newCRTC(t)
	require.ErrorIs(t, c.AddEntry(1, 1), syscall.EINVAL)
	assert.Equal(t, uint64(0), c.Stats().Added)
}

func TestReopenAfterClose(t *testing.T) {
	c, _ := newCRTC(t)
	r, err := c.Open(true)
	require.NoError(t, err)
	require.NoError(t, c.AddEntry(5, 5))
	require.NoError(t, r.Close())
	require.ErrorIs(t, r.Close(), syscall.EBADF)
	_, err = r.Read(make([]byte, 23))
	require.ErrorIs(t, err, syscall.EBADF)

	r2, err := c.Open(true)
	require.NoError(t, err)
	defer r2.Close()
	_, err = r2.Read(make([]byte, 23))
	require.ErrorIs(t, err, syscall.EAGAIN, "old entries are gone")
	_, err = r.Read(make([]byte, 23))
	require.ErrorIs(t, err, syscall.EBADF, "stale reader stays closed")
	require.ErrorIs(t, r.Close(), syscall.EBADF)
	assert.True(t, c.IsOpen(), "stale Close does not close the new reader")
}

func TestBlockingReadWakesOnEntry(t *testing.T) {
	c, _ := newCRTC(t)
	r, err := c.Open(false)
	require.NoError(t, err)
	defer r.Close()
	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 23)
		n, err := r.Read(buf)
		if err != nil {
			got <- err.Error()
			return
		}
		got <- string(buf[:n])
	}()
	require.NoError(t, c.AddEntry(3, 0xabc))
	select {
	case s := <-got:
		assert.Equal(t, "0x00000003 0x00000abc\n\x00", s)
	case <-time.After(10 * time.Second):
		t.Fatal("blocked read not woken")
	}
}

func TestBlockingReadInterrupted(t *testing.T) {
	c, _ := newCRTC(t)
	r, err := c.Open(false)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = r.ReadContext(ctx, make([]byte, 23))
	require.ErrorIs(t, err, syscall.EINTR)

	errc := make(chan error, 1)
	go func() {
		_, err := r.Read(make([]byte, 23))
		errc <- err
	}()
	require.NoError(t, r.Close())
	select {
	case err := <-errc:
		require.True(t, errors.Is(err, syscall.EBADF), "got %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("blocked read not released by Close")
	}
}

func TestPoll(t *testing.T) {
	c, _ := newCRTC(t)
	r, err := c.Open(true)
	require.NoError(t, err)
	assert.False(t, r.Poll())
	require.NoError(t, c.AddEntry(1, 1))
	assert.True(t, r.Poll())
	readOne(t, r)
	assert.False(t, r.Poll())
	require.NoError(t, c.AddEntry(2, 2))
	require.NoError(t, r.Close())
	assert.False(t, r.Poll())
}

// TestConsecutiveFramesOnVirtualClock wires the ring to a virtual vblank
// clock the way the device will: one entry per completed frame, tagged
// with its sequence (kms_pipe_crc_basic's read-crc-frame-sequence check).
func TestConsecutiveFramesOnVirtualClock(t *testing.T) {
	c, _ := newCRTC(t)
	clk, err := vblank.NewVirtual(16666667)
	require.NoError(t, err)
	r, err := c.Open(true)
	require.NoError(t, err)
	defer r.Close()
	sub := clk.Subscribe(func(seq uint64, ts int64) {
		assert.NoError(t, c.AddEntry(seq, 0xc0ffee))
	})
	defer sub.Cancel()
	clk.AdvanceTo(10)

	buf := make([]byte, 23)
	prev := uint64(0)
	for i := 0; i < 10; i++ {
		n, err := r.Read(buf)
		require.NoError(t, err)
		var frame, crc uint64
		_, err = fmt.Sscanf(string(buf[:n]), "0x%x 0x%x\n", &frame, &crc)
		require.NoError(t, err)
		if i > 0 {
			assert.Equal(t, prev+1, frame)
		}
		assert.Equal(t, uint64(0xc0ffee), crc)
		prev = frame
	}
	assert.Equal(t, uint64(10), prev)
}

func TestConcurrentProducerConsumer(t *testing.T) {
	c, _ := newCRTC(t)
	r, err := c.Open(false)
	require.NoError(t, err)
	defer r.Close()
	const n = 2000
	freed := make(chan struct{}, n) // one token per record read
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 1; i <= n; i++ {
			for {
				err := c.AddEntry(uint64(i), uint32(i))
				if err == nil {
					break
				}
				if !errors.Is(err, syscall.ENOBUFS) {
					t.Errorf("AddEntry %d: %v", i, err)
					return
				}
				<-freed // full: wait for the reader to free a slot
			}
		}
	}()
	buf := make([]byte, 23)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i := 1; i <= n; i++ {
		nr, err := r.ReadContext(ctx, buf)
		require.NoError(t, err)
		require.Equal(t, fmt.Sprintf("0x%08x 0x%08x\n\x00", i, i), string(buf[:nr]))
		freed <- struct{}{}
	}
	<-done
}
