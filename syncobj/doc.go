// Package syncobj is the root of headway's explicit-sync model: the
// kernel's fence objects, rebuilt in Go with the kernel's rules and error
// codes, so that the compositor can wait on clients' acquire points and
// signal their release points with no GPU and no /dev/dri. It holds no
// code; its subpackages do the work.
//
// # The model, and the kernel objects behind it
//
// A fence (package fence, the kernel's struct dma_fence) is a one-shot
// completion: pending, then signalled, exactly once, optionally carrying
// the error of the work it stood for. Fences live on contexts, timelines on
// which later sequence numbers never signal before earlier ones. Everything
// else is a way of naming fences.
//
// A syncobj (package drmsyncobj, struct drm_syncobj) is a container whose
// fence can be replaced: waiting on it means waiting on whatever fence it
// holds when the wait starts. A binary syncobj holds one fence or none; a
// timeline syncobj holds a chain (package chain, struct dma_fence_chain) in
// which each point wraps one fence, and point N counts as signalled once
// the fences of every point up to N have. drmsyncobj.File is the handle
// table a DRM file descriptor owns, and its methods are the SYNCOBJ ioctls
// (CREATE, WAIT, TIMELINE_WAIT, QUERY, TRANSFER, EVENTFD and the rest) with
// the same flags and errnos. Wayland's linux-drm-syncobj-v1 acquire and
// release points are points on such timelines.
//
// A sync_file (package syncfile, struct sync_file) wraps one fixed fence,
// possibly an array of several; merging two collapses fences of one
// context to the later. A sw_sync timeline (package swsync) is the kernel's
// test-only fence source: a counter whose increments signal every fence at
// or below the new value, and whose closing signals the rest with ENOENT.
// Reservation objects (package resv, struct dma_resv) carry the implicit
// fences of a buffer, each tagged with a usage: kernel, write, read or
// bookkeep.
//
// # Invariants
//
//   - Every subpackage is a leaf of headway: it knows nothing of Wayland or
//     KMS, which use it.
//   - Errors are syscall.Errno values the kernel would return, so callers
//     test them with errors.Is; multi-object calls change nothing when they
//     fail.
//   - No waiter costs an OS thread: pending waits park goroutines on
//     channels, so a hostile client with thousands of waits costs memory.
//   - Misuse the kernel answers with a WARN is counted and reported through
//     fence's warning handler, never a panic.
//
// # Across processes
//
// Clients and the compositor are separate processes, so the fences they
// share must live where both can see them. Package shmtimeline keeps a
// timeline's signalled value in a sealed memfd page that every process
// holding the fd maps, and wakes waiters through futexes on it: that fd is
// what travels in linux-drm-syncobj-v1's import_timeline. Package syncfd
// makes sync_file fds of points on such pages (a datagram socket holding
// the page fds in flight, so a merged file outlives whoever merged it),
// accepts the kernel's own sync_files, and bridges both ways between those
// fds and the in-process fences above: a point becomes a fence.Fence, and
// any fence.Fence can be exported as an fd.
package syncobj
