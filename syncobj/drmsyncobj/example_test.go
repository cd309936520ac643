package drmsyncobj_test

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/headwaywl/headway/syncobj/drmsyncobj"
	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/swsync"
)

// A client attaches rendering fences to points 1 and 2 of a timeline; the
// compositor waits for its acquire point with an absolute deadline and
// reads the timeline's progress, as it would with the real ioctls.
func Example() {
	file := drmsyncobj.NewFile()
	h, _ := file.Create(0)

	gpu := swsync.NewTimeline("gpu")
	job1, _ := gpu.CreateFence(1, "job1")
	job2, _ := gpu.CreateFence(2, "job2")
	_ = file.ImportFence(h, 1, job1.Fence())
	_ = file.ImportFence(h, 2, job2.Fence())

	// Deadlines are absolute CLOCK_MONOTONIC ns, as the kernel takes them.
	deadline := func(d time.Duration) int64 { return fence.Now() + int64(d) }
	_, err := file.TimelineWait(context.Background(), []drmsyncobj.Handle{h}, []uint64{2}, deadline(0), 0)
	fmt.Println("point 2 before the GPU ran:", errors.Is(err, syscall.ETIME))

	_ = gpu.Inc(1)
	points := make([]uint64, 1)
	_ = file.Query([]drmsyncobj.Handle{h}, points, 0)
	fmt.Println("signalled up to:", points[0])

	_ = gpu.Inc(1)
	_, err = file.TimelineWait(context.Background(), []drmsyncobj.Handle{h}, []uint64{2}, deadline(time.Second), 0)
	fmt.Println("point 2 after:", err)
	// Output:
	// point 2 before the GPU ran: true
	// signalled up to: 1
	// point 2 after: <nil>
}
