// Package fence models the kernel's dma_fence: the one-shot completion
// object behind every explicit-sync primitive headway emulates (syncobj
// points, sync_files, sw_sync timelines, reservation objects).
//
// A Fence belongs to a Context (a dma_fence context: one timeline, fully
// ordered by seqno) and moves from pending to signalled exactly once.
// Independently of that, it may carry an error: the outcome of the work it
// stands for, set before the signal and never after. The kernel's rules
// hold exactly, because compositors and clients depend on them:
//
//   - Signal succeeds once; later calls return EINVAL and run nothing.
//   - AddCallback on a signalled fence returns ENOENT and registers
//     nothing, even when the fence carries an error: the return code says
//     whether the registration worked, never how the work went.
//   - An error does not mean signalled, and Status reports an error only
//     once the fence has signalled.
//   - The optional EnableSignaling hook runs once, on the first wait or
//     callback, even for a zero-timeout wait; returning false signals the
//     fence at once. A true return holds an extra reference until the
//     signal, the kernel's answer to the hook racing the signaller.
//   - Waits tell signalled (nil), timed out (ETIME) and interrupted
//     (ERESTARTSYS, via context cancellation) apart. A zero timeout is a
//     status query that neither blocks nor allocates.
//   - WaitAny and arrays use callbacks only, so every fence kind works in
//     them, including ones with a custom wait. An array passes on its
//     members' first error only through those callbacks, i.e. once someone
//     waited on it; a merely polled array signals without error, exactly as
//     dma_fence_array_signaled does.
//   - The enable hook's extra reference is taken together with the
//     "enabled" flag, in one atomic step that fails if the fence has
//     signalled, so a signal racing the first waiter can neither leak it
//     nor drop it twice.
//
// Misuse the kernel WARNs about (a seqno signalling behind a later one on
// its context, an error set after the signal or outside 1..MaxErrno, the
// last reference dropped with callbacks registered) is refused where it
// can be, counted, and reported to the warning handler; it never panics.
//
// Errors are syscall.Errno values, bare on the hot paths (ENOENT from
// AddCallback, ETIME from a wait) and wrapped with context elsewhere, so
// errors.Is(err, syscall.ETIME) always works. Blocked waiters park their
// goroutine on a channel: thousands of pending waits cost memory, not OS
// threads.
//
// # Mutants that live
//
// `make mutate` (gremlins) leaves a few mutants alive on purpose; none can
// change what a caller sees:
//   - The start-up sampling of CLOCK_MONOTONIC (sampleMonotonic): changing
//     how the midpoint or its half-width is computed moves Now by well
//     under a microsecond, inside the bound the clock test allows.
//   - An array's "pending <= 0" with signalling enabled: pending reaches 0
//     in the member callback that signals the array in the same step, so
//     no poll observes pending at 0 with the array unsignalled.
//   - EnableSignaling's reference drop when the CompareAndSwap loses to
//     another waiter or the signaller: reached only by a race the first
//     check normally settles; the stress tests run it, but not
//     deterministically.
package fence
