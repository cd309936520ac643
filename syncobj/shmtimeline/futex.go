package shmtimeline

import (
	"math"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Linux futex constants not all exported by x/sys/unix.
const (
	futexWait        = 0
	futexWake        = 1
	futexPrivateFlag = 128
	sysFutexWaitv    = 449 // futex_waitv(2), Linux 5.16+, same number on every arch
	futex2SizeU32    = 0x02
	futex2Private    = futexPrivateFlag
	maxWaitv         = 128 // FUTEX_WAITV_MAX
)

// futexWaitv mirrors struct futex_waitv from include/uapi/linux/futex.h.
type futexWaitv struct {
	val      uint64
	uaddr    uint64
	flags    uint32
	reserved uint32
}

// futexWakeShared wakes every waiter on a word of a shared mapping. It
// must not use FUTEX_PRIVATE_FLAG: the waiters are in other processes and
// are keyed by (inode, offset), not by address.
func futexWakeShared(addr *uint32) {
	_, _, _ = unix.Syscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), futexWake, math.MaxInt32, 0, 0, 0)
}

// futexWakePrivate wakes waiters on a word of this process's own memory.
func futexWakePrivate(addr *uint32) {
	_, _, _ = unix.Syscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), futexWake|futexPrivateFlag, math.MaxInt32, 0, 0, 0)
}

// simulateNoWaitv makes futex_waitv fail with ENOSYS, as on kernels
// before 5.16, so tests run the fallback on any kernel.
var simulateNoWaitv atomic.Bool

// futexWaitvAbs sleeps until one of the words changes, a wake, or the
// absolute CLOCK_MONOTONIC deadline. Every outcome (woken, EAGAIN because a
// value already differs, ETIMEDOUT, EINTR, EFAULT on an unmapped word)
// means the same thing to the caller, re-check everything, so only the
// errno is returned for tests and diagnostics.
func futexWaitvAbs(ws []futexWaitv, deadline int64) syscall.Errno {
	if simulateNoWaitv.Load() {
		return syscall.ENOSYS
	}
	ts := unix.NsecToTimespec(deadline)
	_, _, e := unix.Syscall6(sysFutexWaitv, uintptr(unsafe.Pointer(&ws[0])), uintptr(len(ws)), 0,
		uintptr(unsafe.Pointer(&ts)), uintptr(unix.CLOCK_MONOTONIC), 0)
	return e
}

// futexWaitShared is a plain FUTEX_WAIT on a shared word with a relative
// timeout; the benchmark's bare ping-pong uses it as the baseline.
func futexWaitShared(addr *uint32, val uint32, timeoutNs int64) syscall.Errno {
	ts := unix.NsecToTimespec(timeoutNs)
	_, _, e := unix.Syscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), futexWait, uintptr(val),
		uintptr(unsafe.Pointer(&ts)), 0, 0)
	return e
}

// futexWaitPrivate is FUTEX_WAIT on this process's own memory.
func futexWaitPrivate(addr *uint32, val uint32, timeoutNs int64) syscall.Errno {
	ts := unix.NsecToTimespec(max(timeoutNs, 0))
	_, _, e := unix.Syscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), futexWait|futexPrivateFlag, uintptr(val),
		uintptr(unsafe.Pointer(&ts)), 0, 0)
	return e
}
