package resv

import (
	"fmt"
	"syscall"

	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/syncfile"
)

// The flags of struct dma_buf_export_sync_file and dma_buf_import_sync_file
// (include/uapi/linux/dma-buf.h), the same bits DMA_BUF_IOCTL_SYNC uses.
const (
	SyncRead  uint32 = 1 << 0 // DMA_BUF_SYNC_READ
	SyncWrite uint32 = 2 << 0 // DMA_BUF_SYNC_WRITE
	SyncRW           = SyncRead | SyncWrite
)

// UsageRW is dma_resv_usage_rw: the usage an access of the given kind must
// wait for. A writer must wait for everyone, readers included (Read); a
// reader only for the writers (Write), since readers do not conflict.
func UsageRW(write bool) Usage {
	if write {
		return Read
	}
	return Write
}

// checkSyncFlags is the ioctls' flag check: only READ and WRITE bits, and
// at least one of them. The kernel tests the unknown bits first, but both
// failures are the same EINVAL.
func checkSyncFlags(op string, flags uint32) error {
	if flags&^SyncRW != 0 {
		return fmt.Errorf("dma_buf %s: unknown flags %#x: %w", op, flags&^SyncRW, syscall.EINVAL)
	}
	if flags&SyncRW == 0 {
		return fmt.Errorf("dma_buf %s: neither DMA_BUF_SYNC_READ nor DMA_BUF_SYNC_WRITE: %w", op, syscall.EINVAL)
	}
	return nil
}

// ExportSyncFile is DMA_BUF_IOCTL_EXPORT_SYNC_FILE (dma_buf_export_sync_file):
// a new sync_file that signals once an access of the kind flags names may
// start. With SyncWrite (alone or with SyncRead) it holds every unsignalled
// Kernel, Write and Read fence; with SyncRead alone only the Kernel and
// Write fences. Bookkeep fences are never exported.
//
// The fences are combined as dma_resv_get_singleton does, not as a
// sync_file merge: none gives an already signalled stub, one gives that
// fence itself, several give a fence array (signal on all) on a fresh
// context with seqno 1, in slot order and without folding fences of the
// same context together (a context with a Write and a Read slot appears
// twice, as in the kernel). The file holds its own reference; the caller
// closes it. The object need not be locked, as the ioctl does not lock it.
func (o *Object) ExportSyncFile(flags uint32) (*syncfile.File, error) {
	if err := checkSyncFlags("export sync_file", flags); err != nil {
		return nil, err
	}
	usage := UsageRW(flags&SyncWrite != 0)
	// Most buffers carry a handful of fences: collect them on the stack,
	// since NewArray copies what it keeps.
	var buf [8]*fence.Fence
	fs := o.snapshotInto(buf[:0], usage)
	var f *fence.Fence
	switch len(fs) {
	case 0:
		f = fence.NewSignaled()
	case 1:
		f = fs[0]
	default:
		// The array takes over the snapshot's references, as the kernel's
		// dma_fence_array_create takes the array dma_resv_get_fences built.
		arr, err := fence.NewArray(fs, fence.AllocContext(), 1, false)
		if err != nil {
			for _, c := range fs {
				c.Put()
			}
			return nil, fmt.Errorf("dma_buf export sync_file: %w", err)
		}
		f = arr
	}
	sf := syncfile.New(f)
	f.Put()
	return sf, nil
}

// ImportSyncFile is DMA_BUF_IOCTL_IMPORT_SYNC_FILE (dma_buf_import_sync_file):
// sf's fence, unwrapped into its individual fences (arrays and timeline
// chains flattened), is added to the object with usage Write when flags has
// SyncWrite and Read otherwise. Adding follows AddFence, so a Write fence
// sits beside the existing readers and does not replace them; it only
// reuses slots of its own context (or signalled ones).
//
// A nil, zero or closed sf is EINVAL, as the kernel answers for an fd that
// is not a sync_file. ImportSyncFile takes the reservation lock itself for
// the whole import, as the ioctl does, so it must not be called with Lock
// held (that would deadlock, as a second dma_resv_lock would). sf stays
// open and unchanged.
func (o *Object) ImportSyncFile(sf *syncfile.File, flags uint32) error {
	if err := checkSyncFlags("import sync_file", flags); err != nil {
		return err
	}
	f := sf.Fence()
	if f == nil {
		return fmt.Errorf("dma_buf import sync_file: not an open sync_file: %w", syscall.EINVAL)
	}
	// Our own reference, as sync_file_get_fence takes one, so a Close of
	// sf during the import cannot drop the last reference under us.
	f.Get()
	defer f.Put()
	usage := Read
	if flags&SyncWrite != 0 {
		usage = Write
	}
	leaves := fence.Unwrap(f)
	o.Lock()
	defer o.Unlock()
	for _, leaf := range leaves {
		if err := o.AddFence(leaf, usage); err != nil {
			return fmt.Errorf("dma_buf import sync_file: %w", err)
		}
	}
	return nil
}
