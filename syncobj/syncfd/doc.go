// Package syncfd is headway's sync_file as a real file descriptor: the
// fence handle a client and the compositor pass to each other over the
// Wayland socket (linux-explicit-synchronization's acquire fences, a
// syncobj point exported with EXPORT_SYNC_FILE). The in-process model of
// a sync_file is package syncfile; this package is the part that crosses
// processes, and it also accepts the kernel's own sync_files.
//
// # What an emulated sync_file fd is
//
// A kernel sync_file holds references to fences, and the fences belong to
// whoever signals them. headway's fences that cross processes are points
// on shared timeline pages (package shmtimeline), so an emulated sync_file
// holds references to timeline pages:
//
//   - The fd is one end of an AF_UNIX SOCK_DGRAM socket pair whose other
//     end is closed. Its receive queue holds exactly one datagram, never
//     consumed: a 48-byte header (magic "HWYSYNCF", version 1, the number
//     of points n, the file's name in 32 bytes, NUL-padded) and n 8-byte
//     points, with the n timeline memfds attached as SCM_RIGHTS, in point
//     order. Fields are in host byte order, as the timeline page's are.
//   - The fence signals when every timeline has reached its point; it is
//     the "signal on all" fence array a merged kernel sync_file holds. A
//     timeline abandoned before its point signals that point with the
//     page's error (ENOENT unless the abandoner said otherwise).
//   - The fds in the queue are held by the kernel for as long as the
//     socket lives, whoever holds it. That is the reference a sync_file
//     holds on its fences, and it is why a merged file keeps working after
//     the process that merged it exits: the merged file names the same
//     timelines as its operands, not anything of the merging process.
//   - Import reads the datagram with MSG_PEEK, which installs copies of
//     the fds and leaves the datagram for the next holder, then maps every
//     page and validates it (shmtimeline.Open). The File keeps its own
//     mappings from then on, a snapshot, as the kernel resolves an fd to
//     its fence once: a holder that later drains the queue cannot change
//     what an earlier importer waits for, only make the fd unimportable.
//   - Anything else (not a socket, an empty queue, a wrong magic, version
//     or count, truncation, an attached fd that is not a sealed timeline
//     page) is refused with an error wrapping EINVAL: invalid_fence or
//     invalid_timeline for the compositor.
//   - Waiting sleeps on the timeline pages' futexes (shmtimeline.Wait), so
//     a signal in any process wakes waiters in every other one, without a
//     thread per waiter. poll() on the fd itself says nothing about the
//     fence (the datagram is always readable): use Wait, or Fence.
//   - A file with no points is a signalled stub, what merging fences that
//     have all signalled gives, and what exporting a signalled fence gives.
//
// Exporting an in-process fence (FromFence, ExportSyncobj) that is not
// already a shared point creates a one-point timeline page that a callback
// on the fence signals, or abandons with the fence's error. That page is
// signalled by the exporting process: if it exits first, the point stays
// pending and waiters end at their deadlines, like a fence whose driver
// hung. Fences that are shared points (PointFence, File.Fence) export as
// those points themselves, with no proxy.
//
// # Merge
//
// Merge follows SYNC_IOC_MERGE: points already reached (or abandoned) are
// dropped, two points on one timeline (the same memfd inode) keep the
// later one, a result with none left is the signalled stub, and the order
// is first appearance, a's points before b's. At most MaxPoints (253, the
// kernel's SCM_MAX_FD) distinct timelines fit one file; more is ENOMEM,
// what a failed allocation in sync_file_merge returns.
//
// # Kernel sync_files
//
// An fd whose /proc/self/fd link reads "anon_inode:sync_file" and which
// answers SYNC_IOC_FILE_INFO is a kernel sync_file (from a udmabuf's
// DMA_BUF_IOCTL_EXPORT_SYNC_FILE, sw_sync, a GPU driver). Its status and
// fence list come from FILE_INFO, merging two of them is SYNC_IOC_MERGE,
// and waiting is poll(POLLIN) through Go's network poller (epoll), so a
// kernel sync_file costs no thread either. Merging a kernel file with an
// emulated one is ENOENT, what SYNC_IOC_MERGE says of an fd2 that is not a
// sync_file.
//
// # Results
//
// Wait returns nil once the fence has signalled, with or without an error
// (Status tells which), as poll on a sync_file does; ETIME at the deadline;
// ERESTARTSYS joined with ctx.Err() when ctx ends first; EBADF on a closed
// File. Deadlines are absolute CLOCK_MONOTONIC nanoseconds (fence.Now).
//
// # Mutants that live
//
// gremlins' mutants that no test kills, and why:
//
//   - "fd < 0" as "fd <= 0", in Import, PointFence, Merge and each File
//     method's closed check: they differ only for descriptor 0, which a test cannot
//     borrow without racing the rest of the process for that number.
//   - Same result either way: an empty SCM_RIGHTS message for a fence of
//     no points; Status's st < 0 as <= 0 (a 0 has returned before); a
//     poll deadline equal to now (ETIME either way) and the hundred-year
//     cut-off for "no deadline" (its comparison and its size); a poll
//     that reports no ready fd (n > 0 as >= 0: no revents then); the
//     byte count in the error text for an unterminated name.
//   - Locking only: Merge taking the second File's lock when it is the
//     first (a read lock taken twice) or skipping it (a race no test can
//     stage deterministically).
//   - Kernel sync_files only: whether the anon inode is named sync_file,
//     the second FILE_INFO call for the fences, and the error a signalled
//     kernel sync_file carries. No CI machine
//     has a source of kernel sync_files (sw_sync needs debugfs, udmabuf a
//     device node), so those lines run only on machines that do.
package syncfd
