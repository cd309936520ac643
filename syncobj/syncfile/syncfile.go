package syncfile

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/headwaywl/headway/syncobj/fence"
)

// NameMax is the longest name, in bytes, the kernel keeps: the uapi name
// fields are char[32] with a terminating NUL.
const NameMax = 31

// File is a sync_file: one fence, fixed for the file's life, plus an
// optional name given at merge time. Create Files with New or Merge; the
// zero value is not a sync_file.
type File struct {
	f    atomic.Pointer[fence.Fence] // nil once closed
	name string                      // user name from Merge; empty: derived from the fence
}

// New returns a File holding f (sync_file_create); it takes its own
// reference on f. A nil f gives a nil File, as the kernel's NULL.
func New(f *fence.Fence) *File {
	if f == nil {
		return nil
	}
	return newOwned(f.Get(), "")
}

// newOwned wraps a fence whose reference the caller hands over.
func newOwned(f *fence.Fence, name string) *File {
	sf := &File{name: name}
	sf.f.Store(f)
	return sf
}

// fence returns the file's fence and an error when the file cannot be
// used: EINVAL for nil or a zero File, EBADF once closed.
func (sf *File) fence(op string) (*fence.Fence, error) {
	if sf == nil {
		return nil, fmt.Errorf("sync_file %s: nil file: %w", op, syscall.EINVAL)
	}
	f := sf.f.Load()
	if f == nil {
		return nil, fmt.Errorf("sync_file %s: file closed or never created: %w", op, syscall.EBADF)
	}
	return f, nil
}

// Fence returns the file's fence, borrowed: the file keeps its reference,
// so callers that keep the fence past Close must Get their own. It is nil
// for a nil or closed file.
func (sf *File) Fence() *fence.Fence {
	if sf == nil {
		return nil
	}
	return sf.f.Load()
}

// Close drops the file's reference on its fence, as the last close of the
// fd does (sync_file_release). A second Close is EBADF.
func (sf *File) Close() error {
	if sf == nil {
		return fmt.Errorf("sync_file close: nil file: %w", syscall.EINVAL)
	}
	f := sf.f.Swap(nil)
	if f == nil {
		return fmt.Errorf("sync_file close: already closed: %w", syscall.EBADF)
	}
	f.Put()
	return nil
}

// Name returns the name FILE_INFO reports (sync_file_get_name): the name
// given to Merge if it was not empty, otherwise
// "<driver>-<timeline><context>-<seqno>" of the file's fence, cut to
// NameMax bytes. It is empty for a nil or closed file.
func (sf *File) Name() string {
	f, err := sf.fence("name")
	if err != nil {
		return ""
	}
	if sf.name != "" {
		return sf.name
	}
	// The kernel prints the seqno with %lld, so a seqno above 2^63 shows
	// as negative; the same happens here on purpose.
	b := make([]byte, 0, 64)
	b = append(b, f.Ops().DriverName()...)
	b = append(b, '-')
	b = append(b, f.Ops().TimelineName(f)...)
	b = strconv.AppendUint(b, f.Context().ID(), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(f.Seqno()), 10)
	return Clip(string(b))
}

// Clip cuts s where the kernel's strscpy into a char[32] would: at the
// first NUL, and after NameMax bytes. Every name a sync_file reports,
// in process or as an fd, goes through it.
func Clip(s string) string {
	for i := 0; i < len(s) && i <= NameMax; i++ {
		if s[i] == 0 {
			return s[:i]
		}
	}
	if len(s) > NameMax {
		return s[:NameMax]
	}
	return s
}

// Ready reports whether poll(POLLIN) on the file would say readable: the
// fence has signalled, with or without an error. Like the kernel's poll it
// enables signalling first, so a lazily signalled fence gets going. A nil
// or closed file is never ready.
func (sf *File) Ready() bool {
	f, err := sf.fence("poll")
	if err != nil {
		return false
	}
	f.EnableSignaling()
	return f.IsSignaled()
}

// Wait is poll(POLLIN) with a timeout: nil once the fence has signalled
// (an error on the fence is still "ready", as for poll); an error matching
// syscall.ETIME when the timeout passes first; ERESTARTSYS with ctx.Err()
// when ctx is cancelled. A zero timeout is a non-blocking check that does
// not allocate; a negative timeout waits for ever, as poll's does. It uses
// callbacks, never the fence's custom wait, as the kernel's poll does.
func (sf *File) Wait(ctx context.Context, timeout time.Duration) error {
	f, err := sf.fence("wait")
	if err != nil {
		return err
	}
	if timeout < 0 {
		timeout = fence.Forever
	}
	_, err = f.DefaultWait(ctx, timeout)
	return err
}

// Status is dma_fence_get_status of the file's fence, what FILE_INFO
// reports when asked for no fence entries: 1 signalled, 0 active, a
// negative errno for signalled with an error. A nil or closed file gives
// the error instead.
func (sf *File) Status() (int32, error) {
	f, err := sf.fence("status")
	if err != nil {
		return 0, err
	}
	return int32(f.Status()), nil
}

// NumFences is the number of fences FILE_INFO would list: the file's fence
// unwrapped. It is 0 for a nil or closed file.
func (sf *File) NumFences() int {
	f, err := sf.fence("info")
	if err != nil {
		return 0
	}
	return countLeaves(f)
}

func countLeaves(f *fence.Fence) int {
	n := 0
	for range fence.Leaves(f) {
		n++
	}
	return n
}
