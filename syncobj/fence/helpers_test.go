package fence

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// hookOps is a fence kind with an enable_signaling hook (like sw_sync's):
// it counts the calls and answers with ret; when ret is false it may set
// errOnFalse first, the only case the kernel allows the hook to set one.
type hookOps struct {
	calls      atomic.Int32
	ret        bool
	errOnFalse syscall.Errno
}

func (*hookOps) DriverName() string           { return "hook" }
func (*hookOps) TimelineName(f *Fence) string { return "hook-tl" }
func (h *hookOps) EnableSignaling(f *Fence) bool {
	h.calls.Add(1)
	if !h.ret && h.errOnFalse != 0 {
		_ = f.SetError(h.errOnFalse)
	}
	return h.ret
}

// customOps is a fence kind with its own wait (like a syncobj-backed or a
// hardware fence). With lockup set its wait reports that error at once, a
// hardware lockup; otherwise it falls back to the default wait.
type customOps struct {
	waits  atomic.Int32
	lockup syscall.Errno
}

func (*customOps) DriverName() string           { return "custom" }
func (*customOps) TimelineName(f *Fence) string { return "custom-tl" }
func (c *customOps) Wait(ctx context.Context, f *Fence, timeout time.Duration) (time.Duration, error) {
	c.waits.Add(1)
	if c.lockup != 0 {
		return 0, c.lockup
	}
	return f.DefaultWait(ctx, timeout)
}

// releaseOps counts Release calls.
type releaseOps struct{ released atomic.Int32 }

func (*releaseOps) DriverName() string           { return "release" }
func (*releaseOps) TimelineName(f *Fence) string { return "release-tl" }
func (r *releaseOps) Release(f *Fence)           { r.released.Add(1) }

// pollOps is a fence kind whose signaled hook says the hardware has passed
// the fence once done is set, optionally discovering an error with it.
type pollOps struct {
	done atomic.Bool
	err  syscall.Errno
}

func (*pollOps) DriverName() string           { return "poll" }
func (*pollOps) TimelineName(f *Fence) string { return "poll-tl" }
func (p *pollOps) Signaled(f *Fence) bool {
	if !p.done.Load() {
		return false
	}
	if p.err != 0 {
		_ = f.SetError(p.err)
	}
	return true
}

// warnings captures every warning for the rest of the test and restores
// the previous handler afterwards.
type warnings struct {
	mu   sync.Mutex
	list []Warning
}

func captureWarnings(t *testing.T) *warnings {
	t.Helper()
	w := &warnings{}
	prev := SetWarningHandler(func(x Warning) {
		w.mu.Lock()
		w.list = append(w.list, x)
		w.mu.Unlock()
	})
	t.Cleanup(func() { SetWarningHandler(prev) })
	return w
}

func (w *warnings) all() []Warning {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Warning(nil), w.list...)
}

func (w *warnings) kinds() []WarningKind {
	var ks []WarningKind
	for _, x := range w.all() {
		ks = append(ks, x.Kind)
	}
	return ks
}

// testDeadline bounds every wait for an event in these tests; it is a
// hang guard, never a timing assertion.
const testDeadline = 20 * time.Second

func recvErr(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(testDeadline):
		t.Fatal("waiter never returned")
		return nil
	}
}

func waitClosed(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(testDeadline):
		t.Fatalf("%s never happened", what)
	}
}

// asyncWait runs f.Wait in a goroutine and hands back its error.
func asyncWait(ctx context.Context, f *Fence, timeout time.Duration) <-chan error {
	ch := make(chan error, 1)
	go func() {
		_, err := f.Wait(ctx, timeout)
		ch <- err
	}()
	return ch
}

// waitForWaiter blocks until f has a callback registered, i.e. a waiter
// is parked on it, so a test can signal knowing the wait is in progress.
func waitForWaiter(t *testing.T, f *Fence) {
	t.Helper()
	deadline := time.Now().Add(testDeadline)
	for {
		f.mu.Lock()
		parked := f.cbs.next != &f.cbs
		f.mu.Unlock()
		if parked {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no waiter parked on the fence")
		}
		// Yield to the waiter goroutine; this polls a state, it does not
		// sleep for a guessed duration.
		runtime.Gosched()
	}
}

func requireSignaledOnce(t *testing.T, f *Fence) {
	t.Helper()
	require.True(t, f.IsSignaled())
	require.ErrorIs(t, f.Signal(), syscall.EINVAL)
}
