// Package swsync models the kernel's sw_sync test timelines
// (drivers/dma-buf/sw_sync.c): a 32-bit counter that userspace advances by
// hand, with fences ("points") that signal when the counter reaches them.
// IGT and compositor tests use it to stand in for a GPU they do not have;
// the kernel calls it test and debug only, because a point nobody advances
// never signals. That is a legitimate input: waits on it time out, and
// nothing else on the timeline or elsewhere is held up.
//
// A Timeline stands for one open of /dev/sw_sync and owns one fence
// context. Its rules are the kernel's:
//
//   - CreateFence(v) makes a point with seqno v on that context and returns
//     it in a sync_file. If the timeline has already passed v the point is
//     signalled at once; if an unsignalled point with seqno v exists, that
//     same fence is returned again. The name argument is ignored, as the
//     kernel ignores sw_sync_create_fence_data.name: the file's name is the
//     derived "sw_sync-<timeline><context>-<seqno>".
//   - "Passed" is 32-bit wrapping arithmetic: value v has passed seqno s
//     when (int32)(s - v) <= 0. Fence ops implement fence.Seqno32 so
//     that merges and the order check compare these seqnos the same way.
//   - Inc(n) adds n in steps of at most MaxInt32 (the kernel's SW_SYNC_IOC_INC
//     loop, which matters because of the wrapping rule) and, after each
//     step, signals the pending points it has passed, in timeline order,
//     stopping at the first point not passed. Inc returns after they have
//     all signalled, and concurrent Incs are serialised, so signals on a
//     timeline come in seqno order.
//   - Close is the release of the fd: every pending point gets error ENOENT
//     and signals. Every later call is EBADF, as on a closed fd; a nil
//     Timeline is EBADF too, like fd -1.
//
// The fence hooks are sw_sync's: EnableSignaling returns true (signalling
// is always on), and Signaled reports whether the timeline has passed the
// point. Signaled compares with the value as of the end of the last
// completed Inc, so it never lets a point signal ahead of an earlier point
// that Inc is about to signal.
//
// Callbacks run in the goroutine that calls Inc or Close, without the
// timeline's state lock held, so a callback may create fences on the
// timeline or query it; calling Inc or Close on the same timeline from a
// callback deadlocks, as it would in the kernel.
//
// One difference from the kernel is deliberate. Points are not dropped
// from the timeline when their last reference goes (Go's collector frees
// memory, and fence references are advisory here), so CreateFence may hand
// back a pending point every earlier file of which was closed, where the
// kernel would make a new, equivalent one.
//
// # Mutants that live
//
// Three boundary mutants gremlins reports are equivalent: cutting a name of
// exactly syncfile.NameMax bytes to NameMax bytes changes nothing; an
// increment of exactly MaxInt32 gives the same value whether it goes
// through the chunking loop or not; and insert never meets an equal seqno,
// because CreateFence hands back the existing point for a value it has.
package swsync
