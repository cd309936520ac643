package shmtimeline

import (
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Page layout; doc.go describes it byte for byte.
const (
	PageSize = 4096

	offMagic    = 0
	offVersion  = 8
	offFlags    = 12
	offValue    = 16
	offSeq      = 24
	offSleepers = 28
	offError    = 32

	Version = 1

	flagDead  = 1 << 0
	knownFlag = flagDead

	// requiredSeals are the seals that make the mapping safe: without
	// SHRINK a peer could truncate the file under our mapping (SIGBUS on
	// the next read), without GROW/SEAL it could change the rules later.
	requiredSeals = unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_SEAL
)

// Magic is the first 8 bytes of every page.
var Magic = [8]byte{'H', 'W', 'Y', 'T', 'L', 'I', 'N', 'E'}

// Timeline is one mapping of a shared timeline page. Several Timelines,
// in one process or many, may map the same page; each sees the others'
// signals.
type Timeline struct {
	// mu guards the mapping's lifetime: every access to the page holds
	// it for reading, Close takes it for writing before munmap, so a
	// Close racing a Signal or Wait yields EBADF, never a fault. mem is
	// nil once closed, and in a zero Timeline, which acts closed.
	mu  sync.RWMutex
	fd  int
	mem []byte

	// shard is the per-process waiter this timeline's waits sleep in;
	// assigned on the first blocking Wait, under shardsMu.
	shard *shard

	// direct counts this mapping's direct waits that have raised the
	// page's sleeper count (see direct.go).
	direct atomic.Int32
}

func (t *Timeline) u32(off int) *uint32 { return (*uint32)(unsafe.Pointer(&t.mem[off])) }
func (t *Timeline) u64(off int) *uint64 { return (*uint64)(unsafe.Pointer(&t.mem[off])) }

// Create makes a new timeline page at value 0 in a sealed memfd.
func Create() (*Timeline, error) {
	fd, err := unix.MemfdCreate("headway-timeline", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("shmtimeline: memfd_create: %w", err)
	}
	if err := unix.Ftruncate(fd, PageSize); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("shmtimeline: ftruncate: %w", err)
	}
	mem, err := unix.Mmap(fd, 0, PageSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("shmtimeline: mmap: %w", err)
	}
	t := &Timeline{fd: fd, mem: mem}
	// The header is written before the seals, so no other process can
	// have the fd yet and plain stores suffice.
	copy(mem[offMagic:], Magic[:])
	*t.u32(offVersion) = Version
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, requiredSeals); err != nil {
		_ = unix.Munmap(mem)
		unix.Close(fd)
		return nil, fmt.Errorf("shmtimeline: sealing memfd: %w", err)
	}
	return t, nil
}

// Open maps the timeline page behind fd. It duplicates fd, so the caller
// keeps ownership of its own descriptor. Anything that is not a sealed
// timeline page of the right size, magic and version fails with an error
// wrapping EINVAL, which the compositor reports as invalid_timeline.
func Open(fd int) (*Timeline, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, fmt.Errorf("shmtimeline: fstat fd %d: %v: %w", fd, err, syscall.EINVAL)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, fmt.Errorf("shmtimeline: fd %d is not a memfd (mode %#o): %w", fd, st.Mode&unix.S_IFMT, syscall.EINVAL)
	}
	if st.Size != PageSize {
		return nil, fmt.Errorf("shmtimeline: fd %d has size %d, want %d: %w", fd, st.Size, PageSize, syscall.EINVAL)
	}
	seals, err := unix.FcntlInt(uintptr(fd), unix.F_GET_SEALS, 0)
	if err != nil {
		return nil, fmt.Errorf("shmtimeline: fd %d has no seals (%v): %w", fd, err, syscall.EINVAL)
	}
	if seals&requiredSeals != requiredSeals {
		return nil, fmt.Errorf("shmtimeline: fd %d seals %#x lack %#x: %w", fd, seals, requiredSeals, syscall.EINVAL)
	}
	if seals&(unix.F_SEAL_WRITE|unix.F_SEAL_FUTURE_WRITE) != 0 {
		return nil, fmt.Errorf("shmtimeline: fd %d is write-sealed (%#x): %w", fd, seals, syscall.EINVAL)
	}
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("shmtimeline: dup fd %d: %w", fd, err)
	}
	mem, err := unix.Mmap(dup, 0, PageSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		unix.Close(dup)
		return nil, fmt.Errorf("shmtimeline: mmap fd %d: %v: %w", fd, err, syscall.EINVAL)
	}
	t := &Timeline{fd: dup, mem: mem}
	if _, _, err := t.load(); err != nil {
		_ = unix.Munmap(mem)
		unix.Close(dup)
		return nil, err
	}
	return t, nil
}

// load reads and validates the header. Every field is read atomically
// (the page is shared with processes we do not trust), and every check is
// redone on every read: a peer may scribble on the page at any time.
// Caller holds t.mu (read) and t is open.
func (t *Timeline) load() (value uint64, dead syscall.Errno, err error) {
	for i := range Magic {
		// Byte loads of a shared page are single-copy atomic; a torn
		// magic is as invalid as a wrong one.
		if t.mem[offMagic+i] != Magic[i] {
			return 0, 0, fmt.Errorf("shmtimeline: bad magic %q: %w", t.mem[offMagic:offMagic+8], syscall.EINVAL)
		}
	}
	if v := atomic.LoadUint32(t.u32(offVersion)); v != Version {
		return 0, 0, fmt.Errorf("shmtimeline: page version %d, want %d: %w", v, Version, syscall.EINVAL)
	}
	flags := atomic.LoadUint32(t.u32(offFlags))
	if flags&^knownFlag != 0 {
		return 0, 0, fmt.Errorf("shmtimeline: unknown page flags %#x: %w", flags, syscall.EINVAL)
	}
	value = atomic.LoadUint64(t.u64(offValue))
	if flags&flagDead == 0 {
		return value, 0, nil
	}
	switch e := atomic.LoadUint32(t.u32(offError)); {
	case e == 0:
		return value, syscall.ENOENT, nil
	case e > maxErrno:
		return 0, 0, fmt.Errorf("shmtimeline: abandoned page holds error %d, above %d: %w", e, maxErrno, syscall.EINVAL)
	default:
		return value, syscall.Errno(e), nil
	}
}

// maxErrno bounds the error an abandoned page may carry, as
// dma_fence_set_error bounds a fence's (MAX_ERRNO).
const maxErrno = 4095

// gone reports a closed (or zero) Timeline; the caller holds t.mu.
func (t *Timeline) gone() bool { return t.mem == nil }

func errClosed(op string) error {
	return fmt.Errorf("shmtimeline: %s on a closed timeline: %w", op, syscall.EBADF)
}

// Query returns the signalled value, validating the page.
func (t *Timeline) Query() (uint64, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.gone() {
		return 0, errClosed("query")
	}
	v, _, err := t.load()
	return v, err
}

// PointStatus reports a point as sync_file's status field does: 1 when
// the timeline has reached it, 0 while pending, and the abandoned page's
// negative errno when the timeline died before reaching it. Corrupt pages
// and closed mappings return an error instead.
func (t *Timeline) PointStatus(point uint64) (int32, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.gone() {
		return 0, errClosed("status")
	}
	v, dead, err := t.load()
	switch {
	case err != nil:
		return 0, err
	case v >= point:
		return 1, nil
	case dead != 0:
		return -int32(dead), nil
	}
	return 0, nil
}

// Advance raises the value by n, as sw_sync's SW_SYNC_IOC_INC does, and
// returns the new value. Adding to the shared value (instead of storing
// a computed one) keeps two processes' increments from losing one.
// It refuses with EINVAL a step that would wrap the 64-bit value.
func (t *Timeline) Advance(n uint64) (uint64, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.gone() {
		return 0, errClosed("advance")
	}
	for {
		cur, dead, err := t.load()
		if err != nil {
			return 0, err
		}
		if dead != 0 {
			return 0, fmt.Errorf("shmtimeline: advance on an abandoned timeline: %w", syscall.ENOENT)
		}
		if cur+n < cur {
			return 0, fmt.Errorf("shmtimeline: advance %d from %d wraps: %w", n, cur, syscall.EINVAL)
		}
		if n == 0 {
			return cur, nil
		}
		if atomic.CompareAndSwapUint64(t.u64(offValue), cur, cur+n) {
			t.bumpAndWake()
			return cur + n, nil
		}
	}
}

// Value returns the signalled value, or 0 (nothing signalled) when the
// page is invalid or the Timeline closed; Query tells those apart.
func (t *Timeline) Value() uint64 {
	v, err := t.Query()
	if err != nil {
		return 0
	}
	return v
}

// Signal raises the timeline to point. Points at or below the current
// value are a no-op returning nil: the value is the highest signalled
// point and never goes back, as QUERY on a kernel timeline never does.
// A dead (abandoned) timeline refuses signals with ENOENT; a corrupted
// page with EINVAL.
func (t *Timeline) Signal(point uint64) error {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.gone() {
		return errClosed("signal")
	}
	for {
		cur, dead, err := t.load()
		if err != nil {
			return err
		}
		if dead != 0 {
			return fmt.Errorf("shmtimeline: signal %d on an abandoned timeline: %w", point, syscall.ENOENT)
		}
		if point <= cur {
			return nil
		}
		if atomic.CompareAndSwapUint64(t.u64(offValue), cur, point) {
			break
		}
	}
	t.bumpAndWake()
	return nil
}

// bumpAndWake publishes a change: the futex word moves after the value,
// so a waiter that read the word before checking the value either sees
// the new value or fails its futex wait with EAGAIN. The wake system call
// is skipped when no process announces a sleeper; the sleeper count is
// raised before a sleeper reads the futex word, so with sequentially
// consistent atomics a sleeper is either counted here or sees the change.
// A peer that zeroes the count only delays waiters to their next recheck.
func (t *Timeline) bumpAndWake() {
	seq := t.u32(offSeq)
	atomic.AddUint32(seq, 1)
	if atomic.LoadUint32(t.u32(offSleepers)) != 0 {
		futexWakeShared(seq)
	}
}

// Abandon marks the timeline dead: every process's waits for points not
// yet signalled fail with ENOENT, as sw_sync fails the points of a
// timeline released with points pending. Signals after it fail.
func (t *Timeline) Abandon() error { return t.AbandonWithError(syscall.ENOENT) }

// AbandonWithError is Abandon with the error that waits for unsignalled
// points fail with: the error of the fence this timeline stands in for,
// so a sync_file exported from a failed fence reports that fence's error
// in every process. errno must be in 1..4095 (EINVAL otherwise, as
// dma_fence_set_error refuses). The first abandon's error sticks.
func (t *Timeline) AbandonWithError(errno syscall.Errno) error {
	if errno == 0 || errno > maxErrno {
		return fmt.Errorf("shmtimeline: abandon with error %d, want 1..%d: %w", uint32(errno), maxErrno, syscall.EINVAL)
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.gone() {
		return errClosed("abandon")
	}
	if _, _, err := t.load(); err != nil {
		return err
	}
	// The error is published before the flag, so a reader that sees the
	// flag sees the error; a racing abandon that loses the CAS leaves
	// the first error in place.
	atomic.CompareAndSwapUint32(t.u32(offError), 0, uint32(errno))
	for {
		f := atomic.LoadUint32(t.u32(offFlags))
		if atomic.CompareAndSwapUint32(t.u32(offFlags), f, f|flagDead) {
			break
		}
	}
	t.bumpAndWake()
	return nil
}

// Fd returns the memfd of this mapping (owned by the Timeline; dup it to
// send it), or -1 after Close.
func (t *Timeline) Fd() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.gone() {
		return -1
	}
	return t.fd
}

// Close fails this mapping's pending waits with EBADF, unmaps the page and
// closes the fd. Other mappings of the page are unaffected: closing is not
// abandoning. A second Close returns EBADF.
func (t *Timeline) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gone() {
		return errClosed("close")
	}
	if s := t.shardOf(); s != nil {
		s.drop(t)
	}
	t.closeDirect()
	err := unix.Munmap(t.mem)
	t.mem = nil
	t.kickDirect()
	if cerr := unix.Close(t.fd); err == nil {
		err = cerr
	}
	t.fd = -1
	if err != nil {
		return fmt.Errorf("shmtimeline: close: %w", err)
	}
	return nil
}
