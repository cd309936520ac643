// Package resv models the kernel's reservation object, struct dma_resv in
// its modern form (drivers/dma-buf/dma-resv.c since Linux 5.19/6.0): the
// implicit-sync state a shared buffer carries, a set of fences each with a
// usage.
//
// Usages are ordered Kernel < Write < Read < Bookkeep, and asking for a
// usage means "that usage and every stronger one": Fences(Read) returns the
// Kernel, Write and Read fences, and a reader must wait for exactly those.
// This replaces the 2018 model of one exclusive fence plus shared fences:
// there, setting the exclusive fence dropped every shared fence, so a
// writer had to absorb the readers' fences; now a Write fence is one more
// entry beside the Read fences, and writers and readers coexist until each
// signals.
//
// Invariants, each as dma_resv keeps them:
//
//   - Adding a fence reuses the first slot whose fence has the same context
//     and an equal or weaker usage, or has signalled; otherwise it appends.
//     So a context holds one slot per usage strength it used, and a later
//     fence with a weaker usage never hides an earlier, stronger one.
//   - Signalled fences are pruned when fences are added (the kernel does it
//     in dma_resv_reserve_fences); readers never see them.
//   - Fences, Wait and Test are the kernel's unlocked (RCU) readers: they
//     take a consistent snapshot of the unsignalled fences and need no lock.
//     AddFence and Replace change the object and need Lock, as
//     dma_resv_assert_held demands.
//
// ExportSyncFile and ImportSyncFile are DMA_BUF_IOCTL_EXPORT_SYNC_FILE and
// IMPORT_SYNC_FILE (Linux 6.0+), how explicit-sync clients meet implicit
// sync. Flags must be a non-empty subset of SyncRead|SyncWrite, else
// EINVAL. The usage follows dma_resv_usage_rw: a writer must wait for
// everyone, so exporting for write returns every Kernel, Write and Read
// fence, while a reader only waits for writers, so exporting for read
// returns the Kernel and Write fences; Bookkeep fences are never exported.
// The export combines them as dma_resv_get_singleton does (a signalled
// stub for none, the fence itself for one, a fence array for several, with
// no per-context folding), so it is a snapshot that later fences do not
// join. An import unwraps the file's fence and adds each fence with usage
// Write if SyncWrite is set, else Read, through the ordinary slot rules: a
// Write fence sits beside the readers and never drops them, so a wait for
// every usage still covers the writer when all readers have signalled
// (seed scenario 17).
//
// Lock stands in for the ww_mutex. A plain mutex is enough here because
// headway never locks several reservation objects in an order that could
// deadlock, so the wound/wait back-off has nothing to do; TryLock is the
// shrinker's dma_resv_trylock. Holding the lock only stops new fences; it
// says nothing about idleness (waiting is still needed).
//
// The object holds a reference (Get) on each fence it stores and drops it
// when the slot is reused or replaced; Fences hands out references the
// caller must Put, as dma_resv_get_fences does.
package resv
