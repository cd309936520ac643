package compositor

import (
	"context"
	"math"
	"time"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/protocol/headwaytest"
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/resv"
	"github.com/headwaywl/headway/syncobj/syncfd"
	"github.com/headwaywl/headway/syncobj/syncfile"
)

// Implicit sync: every dmabuf buffer carries a reservation object
// (syncobj/resv, the kernel's dma_resv usage model). headway_test_v1's
// import_sync_file and export_sync_file stand in for the dma-buf ioctls
// DMA_BUF_IOCTL_IMPORT_SYNC_FILE and EXPORT_SYNC_FILE, which a memfd
// standing in for a dma-buf does not have.
//
// A commit of a dmabuf without explicit sync takes the buffer's write
// fences at commit (as mutter and KWin export the implicit fence when
// the client commits) and is held until they signal, exactly as a held
// acquire point. When a frame first reads the buffer, the compositor adds
// a read fence of its own (usage Read), signalled when the buffer is next
// free, so a client that waits for write access (export_sync_file with
// WRITE) waits for the compositor's last read.

func (b *buffer) reservation() *resv.Object {
	if b.resv == nil {
		b.resv = resv.New()
	}
	return b.resv
}

// ImportSyncFile is DMA_BUF_IOCTL_IMPORT_SYNC_FILE on a dmabuf: the
// sync_file's fences join the buffer's reservation as writers (WRITE) or
// readers (READ). The fd is the handler's.
func (g *testGlobal) ImportSyncFile(r *server.Resource, br *server.Resource, fd int, flags uint32) error {
	defer unix.Close(fd)
	b := bufferFrom(br)
	if b == nil || b.kind != bufferDmabuf {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorNotDmabuf), "import_sync_file needs a linux-dmabuf buffer, wl_buffer@%d is not one", br.ID())
	}
	sfd, err := syncfd.Import(fd)
	if err != nil {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorInvalidSyncFile), "fd %d is not a sync_file: %v", fd, err)
	}
	defer sfd.Close()
	f, err := sfd.Fence()
	if err != nil {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorInvalidSyncFile), "fd %d: %v", fd, err)
	}
	sf := syncfile.New(f)
	defer sf.Close()
	if err := b.reservation().ImportSyncFile(sf, flags); err != nil {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorInvalidSyncFile), "import_sync_file flags %#x on wl_buffer@%d: %v", flags, br.ID(), err)
	}
	return nil
}

// ExportSyncFile is DMA_BUF_IOCTL_EXPORT_SYNC_FILE: a sync_file that
// signals once an access of the kind flags names may start (WRITE waits
// for readers and writers, READ for writers only).
func (g *testGlobal) ExportSyncFile(r *server.Resource, res *server.Resource, br *server.Resource, flags uint32) error {
	res.SetHandler(headwaytest.HeadwayTestSyncFileV1Dispatcher(nil))
	b := bufferFrom(br)
	if b == nil || b.kind != bufferDmabuf {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorNotDmabuf), "export_sync_file needs a linux-dmabuf buffer, wl_buffer@%d is not one", br.ID())
	}
	sf, err := b.reservation().ExportSyncFile(flags)
	if err != nil {
		return server.Errorf(r, uint32(headwaytest.HeadwayTestV1ErrorInvalidSyncFile), "export_sync_file flags %#x on wl_buffer@%d: %v", flags, br.ID(), err)
	}
	defer sf.Close()
	out, err := syncfd.FromFence("headway-resv", sf.Fence())
	if err != nil {
		g.c.log.Warn("compositor: export_sync_file", "err", err)
		res.Destroy()
		return nil
	}
	_ = headwaytest.HeadwayTestSyncFileV1SendFence(res, out.Fd())
	_ = out.Close() // the event carried its own copy
	res.Destroy()
	return nil
}

// takeImplicit gives a commit of a dmabuf without explicit sync the
// buffer's current write fences to wait for.
func (st *surfaceState) takeImplicit(s *surface) {
	if !st.attached || st.acquire.set() || st.acquireFence != nil || st.implicit != nil {
		return
	}
	b := bufferFrom(st.buffer)
	if b == nil || b.kind != bufferDmabuf || b.resv == nil {
		return
	}
	sf, err := b.resv.ExportSyncFile(resv.SyncRead)
	if err != nil {
		s.c.log.Warn("compositor: implicit fence", "err", err)
		return
	}
	defer sf.Close()
	if f := sf.Fence(); !f.IsSignaled() {
		st.implicit = f.Get()
	}
}

// waitFence waits for f without a timeout, until ctx ends.
func waitFence(ctx context.Context, f *fence.Fence) error {
	_, err := f.Wait(ctx, time.Duration(math.MaxInt64))
	return err
}

// readOps names the compositor's read fences.
type readOps struct{}

func (readOps) DriverName() string                 { return "headway" }
func (readOps) TimelineName(f *fence.Fence) string { return "compositor-read" }

// addReadFence puts the compositor's read fence on b's reservation the
// first time a frame reads it while it is held; it signals in unref.
func (b *buffer) addReadFence() {
	if b.resv == nil || b.readFence != nil {
		return
	}
	f := fence.New(readOps{}, nil, 1)
	b.resv.Lock()
	err := b.resv.AddFence(f, resv.Read)
	b.resv.Unlock()
	if err != nil {
		b.c.log.Warn("compositor: read fence", "err", err)
		_ = f.Signal()
		f.Put()
		return
	}
	b.readFence = f
}

// signalReadFence ends the compositor's read of b.
func (b *buffer) signalReadFence() {
	if f := b.readFence; f != nil {
		_ = f.Signal()
		f.Put()
		b.readFence = nil
	}
}
