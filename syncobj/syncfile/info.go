package syncfile

import (
	"github.com/headwaywl/headway/syncobj/fence"
)

// Info is what SYNC_IOC_FILE_INFO returns when given room for every fence.
type Info struct {
	Name   string // as Name returns it
	Status int32  // 1 signalled, 0 active, <0 the error of a signalled fence
	Fences []FenceInfo
}

// FenceInfo is struct sync_fence_info for one unwrapped fence.
type FenceInfo struct {
	ObjName     string // the fence's timeline name, cut to NameMax bytes
	DriverName  string // cut to NameMax bytes
	Status      int32  // dma_fence_get_status: 1, 0 or -errno
	Flags       uint32 // always 0: the kernel defines none
	TimestampNs int64  // signal time on the CLOCK_MONOTONIC of fence.Now; 0 while active
}

// Info returns the file's FILE_INFO. A nil or closed file gives the zero
// Info; use FillInfo to get the error.
func (sf *File) Info() Info {
	var in Info
	_ = sf.FillInfo(&in)
	return in
}

// FillInfo is Info into dst, reusing dst.Fences' storage: a caller that
// polls a merged file's state keeps one Info and allocates nothing. The
// status is the kernel's: it starts at 1 and the first fence whose status
// is not 1 decides it, so an active fence listed before an errored one
// makes the file active.
func (sf *File) FillInfo(dst *Info) error {
	f, err := sf.fence("info")
	if err != nil {
		return err
	}
	dst.Fences = fillLeaves(dst.Fences[:0], f)
	dst.Status = 1
	for i := range dst.Fences {
		if dst.Status > 0 {
			dst.Status = dst.Fences[i].Status
		}
	}
	dst.Name = sf.Name()
	return nil
}

func fillLeaves(out []FenceInfo, f *fence.Fence) []FenceInfo {
	for l := range fence.Leaves(f) {
		// Status before the timestamp: Status may signal the fence (through
		// its signalled hook), and the kernel fills the timestamp of a fence
		// it has just seen signalled.
		fi := FenceInfo{
			ObjName:    Clip(l.Ops().TimelineName(l)),
			DriverName: Clip(l.Ops().DriverName()),
			Status:     int32(l.Status()),
		}
		if ts, ok := l.Timestamp(); ok {
			fi.TimestampNs = ts
		}
		out = append(out, fi)
	}
	return out
}
