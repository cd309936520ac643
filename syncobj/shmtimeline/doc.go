// Package shmtimeline is a timeline syncobj that lives in one shared page,
// so that a client and the compositor, separate processes, can signal and
// wait on the same timeline through the fd that travels in
// wp_linux_drm_syncobj_manager_v1.import_timeline. It stands in for the
// kernel's DRM timeline syncobj fd: the page holds what
// DRM_IOCTL_SYNCOBJ_QUERY returns (the highest signalled point) and a futex
// word in place of the syncobj's wait queue.
//
// # Page format
//
// The page is a memfd of exactly PageSize (4096) bytes sealed with
// F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_SEAL (and not write-sealed). Multi-byte
// fields are in the host's native byte order, little-endian on every
// platform headway runs on (amd64, arm64); the page never leaves the
// machine, and futexes and atomics work on native words. All fields are
// naturally aligned.
//
//	offset size field
//	0      8    magic    "HWYTLINE" (ASCII, no terminator)
//	8      4    version  1
//	12     4    flags    bit 0: dead (abandoned); other bits must be 0
//	16     8    value    highest signalled point; 0 when new
//	24     4    seq      futex word: +1 (wrapping) after every change
//	28     4    sleepers processes' waiter shards sleeping on seq (a hint)
//	32     4    error    when dead: the errno (1..4095) that waits for
//	                     unsignalled points fail with; 0 means ENOENT
//	36     4060 reserved, written as zero, ignored on read
//
// # Invariants and why
//
//   - The seals are checked by Open because a mapping of a file that a
//     peer could shrink faults (SIGBUS) on the next access; a sealed
//     page cannot fail under us. Anything not matching this format is
//     refused with an error wrapping EINVAL (invalid_timeline).
//   - The page is shared with processes we do not trust, so every read
//     is atomic and revalidated every time (magic, version, flags). A
//     corrupt page makes Query, Signal and Wait fail with EINVAL; it
//     cannot crash us or stretch a wait past its deadline.
//   - value only grows: Signal with a point at or below it is a no-op
//     returning nil (a CAS loop, so racing signallers in any process
//     keep the maximum). QUERY on a kernel timeline never goes back
//     either.
//   - Signal stores value, then bumps seq, then FUTEX_WAKEs seq (a shared
//     futex, keyed by the memfd's inode, so other processes' waiters are
//     found) when sleepers is non-zero. Sleepers read seq before value,
//     so a signal between the two fails their sleep with EAGAIN: no lost
//     wakes between honest peers.
//   - Abandon sets dead: waits for unsignalled points fail with ENOENT,
//     as sw_sync fails a released timeline's pending points with -ENOENT.
//     AbandonWithError stores another errno first (a failed fence's
//     error, carried across processes); an error above 4095 is corruption.
//     A peer that dies without abandoning is covered by deadlines: every
//     sleep is bounded by the earliest deadline (and by one second, so a
//     peer that moves value without seq costs at most that).
//
// # Waiting without a thread per waiter
//
// A blocking wait takes one of two paths, both sleeping in futex_waitv(2)
// (Linux 5.16+) on the page's seq word plus a private word of our own
// that cancellation and Close bump:
//
//   - Direct: up to 4 waits per process sleep on their own goroutine's
//     thread, so the kernel wakes the waiter itself: the latency of a bare
//     futex ping-pong, and no allocation with a nil or never-cancelled
//     ctx. Four threads is a constant, not a cost per waiter.
//   - Shard: every further wait parks its goroutine on a channel and is
//     handed to a shard, one goroutine per process per 127 timelines,
//     sleeping on the seq words of all its timelines at once plus a
//     "kick" word that new waits and Close bump. When woken, the shard
//     rechecks all its waits. 20,000 waits on a few hundred timelines
//     cost a handful of OS threads.
//
// Every sleep ends by the earliest deadline involved (and within one
// second, see above), and a wait's fast path (already signalled, dead,
// corrupt or past its deadline) never sleeps. On kernels without
// futex_waitv, waits go to the shards, which then recheck every
// millisecond.
//
// Close of one mapping fails that mapping's waits with EBADF after
// removing them from the shard, and only then unmaps, so the shard never
// reads an unmapped page. A zero Timeline behaves as a closed one.
//
// The periodic recheck is a backstop against hostile peers, not part of
// how honest wakes arrive, so the tests run the direct and shard paths
// with it raised to an hour: a lost wake (a missing cancel hook, Close
// kicking the wrong slots) hangs the test rather than arriving a second
// late. Mutants that only change how often a sleep ends early, such as
// the recheck added to or subtracted from the clock, or a Signal to the
// current value publishing a change anyway (waiters wake, recheck and
// sleep again), stay alive: they cost CPU, never a result. So do the
// fallback for kernels without futex_waitv (before 5.16), which the test
// machines do not run; the shard load count that only spreads timelines
// over shards; and Close's bookkeeping after the unmap (the error it
// keeps when both munmap and close fail, which neither does for a page
// this package mapped, and the -1 it stores in a field Fd no longer
// reads).
package shmtimeline
