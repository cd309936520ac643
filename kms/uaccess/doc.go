// Package uaccess simulates a user address space so the fake KMS device can
// fail exactly where the kernel fails with EFAULT.
//
// drmModeAtomicCommit hands the kernel pointers (objs_ptr,
// count_props_ptr, props_ptr, prop_values_ptr, and the OUT_FENCE_PTR and
// WRITEBACK_OUT_FENCE_PTR property values) that it reads with get_user /
// copy_from_user and writes with put_user. IGT's kms_atomic
// (atomic_invalid_params, crtc_invalid_params_fence) checks the EFAULT for
// NULL, for addresses near UINT64_MAX, and for out-fence pointers into
// PROT_READ, PROT_EXEC and PROT_NONE pages. A Go slice cannot express those
// cases, so each DRM file of the fake device owns one Space: callers map
// memory in it, place argument arrays there and pass plain uint64
// addresses, and the device reads and writes through the Space.
//
// Invariants, and how they map to the kernel:
//
//   - Addresses are deterministic: a fresh Space puts its first mapping at
//     FirstAddr (0x10000, Linux's default vm.mmap_min_addr, so NULL and
//     small offsets from it always fault), and each later mapping right
//     after the previous one plus one unmapped guard page. Addresses are
//     never reused, even after Unmap, so a stale pointer faults instead of
//     aliasing new memory and the same sequence of calls gives the same
//     addresses in every run. 0 is never returned.
//   - Map, Protect and Unmap follow mmap(2), mprotect(2) and munmap(2) on
//     whole pages, including the kernel's errno order: Map of 0 bytes is
//     EINVAL; Protect of an unaligned address is EINVAL, of 0 bytes a
//     no-op, of a range with a hole ENOMEM; Unmap of an unaligned address
//     or 0 bytes is EINVAL and skips holes silently. Protect and Unmap split
//     mappings as the kernel splits VMAs. Unlike the kernel, a Protect that
//     fails on a hole changes nothing at all. The bytes mapped at once are
//     capped (MaxMapped, like RLIMIT_AS) so a client cannot make the device
//     hold unbounded memory; going over is ENOMEM. Splits never leave two
//     mappings sharing one Go array and keep each array at most twice its
//     mapping's size, so unmapped pages are freed and the memory held stays
//     below twice the cap whatever the split pattern.
//   - Readable means ProtRead is set. ProtExec alone is NOT readable here.
//     On x86 the MMU cannot express execute-only pages, so PROT_EXEC
//     implies read and a real get_user from a PROT_EXEC page succeeds;
//     on arm64 with execute-only support it faults. We pick the strict
//     model so tests written against headway give the same answer on
//     every host, and so a device that reads through an exec-only pointer
//     is caught. Writable means ProtWrite is set; write never implies read
//     here either.
//   - Accesses may be unaligned (x86 get_user allows it) and may straddle
//     adjacent mappings if every byte is accessible. A range whose end
//     wraps past 2^64 (IGT's objs_ptr = UINT64_MAX-4) is EFAULT, as
//     access_ok refuses it. A zero-length copy succeeds anywhere, as
//     access_ok(ptr, 0) does.
//   - Writes are all or nothing: a CopyToUser or Put that would fault on
//     any byte writes no byte. The kernel may write a prefix before
//     faulting; the atomic ioctl's callers never depend on that prefix,
//     and all or nothing makes failure tests exact.
//   - Copy errors wrap syscall.EFAULT with the address and size. Get and
//     Put return bare syscall.EFAULT: they run once per object and per
//     property of every commit and must not allocate, and the device adds
//     its own context (which pointer) when it reports the failure.
//   - A Space is safe for concurrent use: reads share a read lock, writes
//     and layout changes take it exclusively, so concurrent readers and
//     writers of the same bytes see whole values. Lookups use a sorted
//     mapping slice with binary search behind a last-hit cache.
//
// # Mutants that live
//
// gremlins' mutants that no test kills, and why none changes a byte or an
// errno a caller sees:
//
//   - Wrap checks at exactly 2^64-1-n in Protect, Unmap and span: a page-
//     aligned address never equals that odd value, and nothing is mapped
//     that high, so the neighbouring values get the same answer.
//   - Memory only: which half of a split gets its own array, and when the
//     larger half is copied to drop unused backing; Unmap's splice of zero
//     mappings.
//   - Hints: the last-hit cache taking a hit at a mapping's first byte or
//     not (the binary search that follows finds the same mapping).
//   - Indices never read: the -1 find and span return for a miss, which
//     callers see only with ok false (find's, read as an index, starts a
//     walk that meets the hole before the access's range).
package uaccess
