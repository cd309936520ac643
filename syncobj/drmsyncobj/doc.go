// Package drmsyncobj models DRM sync objects (drivers/gpu/drm/drm_syncobj.c)
// and the per-file handle table through which userspace drives them: the
// explicit-sync primitive behind Vulkan fences and timeline semaphores.
//
// A Syncobj is a replaceable pointer to a fence. Used as binary, the
// pointer is replaced (ReplaceFence; RESET stores nil, SIGNAL a signalled
// stub); used as a timeline, each point is a package chain node appended
// to the pointer (AddPoint), and a point is found with chain.FindSeqno.
// A File is one drm_file's handle table, and its methods are the ioctls
// with the kernel's argument checks, in the kernel's order, and its errnos
// (every error wraps a syscall.Errno):
//
//   - Handles come from an idr based at 1: 0 is never valid and the lowest
//     free handle is reused. DESTROY of an unknown handle is EINVAL; every
//     other lookup is ENOENT, and array ioctls look up every handle before
//     touching any (all or nothing).
//   - RESET, SIGNAL, TIMELINE_SIGNAL and QUERY refuse an empty array with
//     EINVAL; WAIT and TIMELINE_WAIT accept it and return at once, as
//     kernels since 2024 do.
//   - A wait snapshots each syncobj's fence when it starts. A missing fence
//     is EINVAL unless WaitForSubmit or WaitAvailable is set; with
//     WaitForSubmit the wait also takes the first fence attached later, and
//     a reset meanwhile does not disturb it. Replacing a fence after the
//     snapshot does not change what the wait waits for.
//   - Deadlines are absolute CLOCK_MONOTONIC ns (fence.Now); 0 and any past
//     time poll. A timeout is ETIME, a cancelled context ERESTARTSYS (the
//     kernel's pending signal: callers restart with the same deadline, as
//     libdrm does). firstSignaled is meaningful only on success without
//     WaitAll. WaitDeadline is accepted; fences here take no deadline hint.
//   - QUERY reports the highest signalled point of an unbroken run on the
//     head's timeline: a host signal above pending device points does not
//     raise it until those points signal.
//
// Waiting parks one goroutine per wait on one channel that fence callbacks
// and fence attachments poke; no OS thread is held, and everything
// registered is removed before the wait returns. A poll, and a wait that
// is satisfied at once, on four handles or fewer allocates nothing.
//
// # Mutants that live
//
// gremlins' mutants that no test kills, and why none changes what a caller
// sees:
//
//   - Edges nothing reaches: eventfdGet's fd < 0 as <= 0 (descriptor 0 is
//     never an eventfd a test may borrow), and the handle table's limit
//     at exactly 2^31-1 live handles.
//   - Hints and bookkeeping: the lowest-free hint set one lower (the
//     search still finds the lowest free handle) or lowered to the value
//     it has; the walk that collects signalled chain links early (memory
//     only); the debug log for an unordered point.
//   - Same answers by another road: a deadline equal to now and one before
//     it are both no time left; the first pass counting signalled fences
//     wrongly falls through to the poll, which counts them again; the
//     stack arrays used for n < 4 rather than <= 4, since Go 1.25 and later
//     also place a make of four pointers on the stack; the sleeping loop's
//     check for cancellation before it parks, whose select sees the same
//     cancellation.
//   - A race window: the poll's second lookup of a point for
//     WaitForSubmit differs only when the point is submitted between the
//     first pass and the poll.
package drmsyncobj
