package fence

import (
	"log/slog"
	"sync/atomic"
)

// WarningKind names a misuse the kernel would WARN about. None of them
// stops the program; each is counted and passed to the warning handler.
type WarningKind int

const (
	WarnOutOfOrder           WarningKind = iota // a seqno signalled after a later one on its context
	WarnReleaseWithCallbacks                    // last reference dropped with callbacks registered
	WarnErrorAfterSignal                        // SetError on a signalled fence
	WarnBadError                                // SetError with 0 or a value beyond MaxErrno
	WarnZeroContexts                            // AllocContexts(0)
	WarnRefUnderflow                            // Put without a matching reference
	numWarningKinds
)

var warningNames = [numWarningKinds]string{
	"out-of-order-signal", "release-with-callbacks", "error-after-signal",
	"bad-error", "zero-contexts", "ref-underflow",
}

func (k WarningKind) String() string {
	if k < 0 || k >= numWarningKinds {
		return "unknown"
	}
	return warningNames[k]
}

// Warning is one reported misuse.
type Warning struct {
	Kind   WarningKind
	Fence  string // the fence, as String prints it; empty when none
	Detail string
}

var (
	warnCounts  [numWarningKinds]atomic.Uint64
	warnHandler atomic.Pointer[func(Warning)]
)

// SetWarningHandler replaces the function that receives warnings (by
// default they are logged with slog at Warn level) and returns the
// previous one, so tests can capture and restore.
func SetWarningHandler(h func(Warning)) (previous func(Warning)) {
	var p *func(Warning)
	if h != nil {
		p = &h
	}
	if old := warnHandler.Swap(p); old != nil {
		return *old
	}
	return nil
}

// WarningCount returns how many warnings of kind k have been reported
// since the program started.
func WarningCount(k WarningKind) uint64 {
	if k < 0 || k >= numWarningKinds {
		return 0
	}
	return warnCounts[k].Load()
}

func warn(k WarningKind, f *Fence, detail string) {
	warnCounts[k].Add(1)
	w := Warning{Kind: k, Detail: detail}
	if f != nil {
		w.Fence = f.String()
	}
	if h := warnHandler.Load(); h != nil {
		(*h)(w)
		return
	}
	slog.Warn("fence misuse", "kind", k.String(), "fence", w.Fence, "detail", detail)
}
