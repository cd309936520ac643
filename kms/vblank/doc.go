// Package vblank provides the vertical-blank clocks the fake KMS device runs
// on: a virtual clock the caller advances, and a real-time clock that ticks
// at the mode's refresh rate on CLOCK_MONOTONIC.
//
// The device takes a Clock as a parameter so that the same commit, fence and
// CRC code runs deterministically in tests and scenarios (virtual) and at
// display pace for external clients (real time). Choosing between them
// belongs to the layers above.
//
// Invariants, and how they map to the kernel's DRM vblank code:
//
//   - Sequence numbers count every vblank, as drm_vblank's counter does:
//     a frame is never skipped. Seq 0 is the state before the first vblank;
//     the first vblank is seq 1. Handlers see every sequence exactly once,
//     in increasing order, each with its own timestamp. On the real-time
//     clock a late tick (the ticker goroutine was descheduled past one or
//     more deadlines) delivers every missed sequence in order, the way
//     drm_update_vblank_count derives the number of missed vblanks from
//     elapsed time and VKMS's composer worker adds one CRC entry per frame
//     in [frame_start, frame_end]; Missed counts such catch-ups, the
//     analogue of VKMS's "vblank timer overrun" warning.
//   - Timestamps are integer nanoseconds. The virtual clock's timestamp of
//     seq is exactly seq*period, so runs are identical. The real-time clock
//     keeps an absolute schedule, start + seq*period in fence.Now()'s
//     CLOCK_MONOTONIC domain, like VKMS's hrtimer (whose vblank timestamp
//     is the timer's expiry), so error never accumulates across frames.
//   - The period follows the kernel: PeriodFromMode computes
//     drm_calc_timestamping_constants' framedur_ns, htotal*vtotal*10^6 /
//     clock_kHz rounded down and halved for interlaced modes, which is
//     what VKMS programs its hrtimer with. PeriodFromRefresh (a rate in
//     mHz) exists for callers that have no mode; it rounds to nearest.
//   - No goroutine per waiter: handlers run synchronously on the goroutine
//     that produces the vblank (the caller of Advance, or the real-time
//     clock's single ticker goroutine), and Wait parks on a reused
//     per-waiter channel. Delivering a vblank allocates nothing.
//   - Delivery is serialized and re-entrant safe: an Advance issued while
//     another delivery runs (from a handler, or concurrently) only raises
//     the target; the goroutine already delivering delivers the new
//     sequences too, in order. It therefore never deadlocks, and a nested
//     or concurrent Advance may return before its sequences are delivered
//     (use Wait to synchronise on them).
//   - A panicking handler is recovered, logged with log/slog and counted
//     (Panics); it cannot take down the ticker or the caller.
//
// Errors are syscall.Errno values, wrapped with context: EINVAL for bad
// parameters, EINTR when a wait's context ends (the kernel's interrupted
// DRM_IOCTL_WAIT_VBLANK), ECANCELED when the clock is stopped under a
// waiter. The last is headway's choice: the kernel wakes waiters of a
// disabled vblank with success and the current count, which would let a
// test mistake a stopped clock for a delivered frame.
//
// # Mutants that live
//
// Raising the target with >= instead of > (advanceTo) stores the same
// value. Wait's two "already reached" checks (before and under the lock)
// each catch what the other's >= as > would let through, so neither alone
// changes a result. The realtime ticker's count of missed vblanks depends
// on how late the machine runs it, so no deterministic test can tell a
// wrong count from a busy machine.
package vblank
