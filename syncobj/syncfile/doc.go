// Package syncfile models the kernel's sync_file (drivers/dma-buf/sync_file.c):
// the explicit-fencing handle a client passes across process boundaries as
// a file descriptor, holding exactly one fence for its whole life.
//
// A File stands for the fd. Its fence never changes (that is what sets a
// sync_file apart from a syncobj, whose fence is replaced), so readiness is
// a property of the fence alone: Ready and Wait are poll(POLLIN) on the fd,
// and they use the fence's callbacks, never a driver's custom wait, as the
// kernel's poll does. Close drops the fd's reference; a closed File answers
// EBADF, like an fd that has gone.
//
// Merge is SYNC_IOC_MERGE and follows dma_fence_unwrap_merge exactly,
// because clients see the result through FILE_INFO and IGT checks it:
//
//   - both files' fences are unwrapped (arrays and chains flattened);
//   - fences that have already signalled are dropped; if none is left the
//     result is a fresh signalled stub carrying the latest timestamp seen;
//   - the rest are sorted by context and only the latest fence of each
//     context is kept, "latest" by the kernel's is-later rule: 64-bit
//     seqno order, or 32-bit wrapping order for fences whose ops implement
//     fence.Seqno32 (sw_sync's do, as the kernel's sw_sync ops lack
//     use_64bit_seqno);
//   - a single survivor is returned itself; several become a fence array
//     (signal on all) on a freshly allocated context with seqno 1.
//
// Info is SYNC_IOC_FILE_INFO with room for every fence: one entry per
// unwrapped fence, in the merged order, strings cut to the kernel's 31
// bytes, and a file status computed as the kernel does (the first entry
// that is not signalled-ok decides). Status is the "num_fences = 0" form,
// the status of the file's fence itself.
//
// Errors follow the kernel: an operand that is not a sync_file (nil, a zero
// File, a closed one) given as the second file of a merge is ENOENT, as for
// a bad fd2; a closed File used directly is EBADF; a nil File used directly
// is EINVAL. Nothing here panics on odd input.
//
// # Mutants that live
//
// Gremlins leaves six mutants alive here, all equivalent: the size of
// merge's scratch slice (it only decides between the stack buffer and one
// allocation; append grows it either way), the "newer timestamp" test at
// equality (equal times give the same latest), and both bounds in Clip
// (a NUL at index NameMax, or a name of exactly NameMax bytes, is cut to
// the same NameMax bytes by the check that follows).
package syncfile
