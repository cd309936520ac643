package neglog_test

import (
	"fmt"
	"os"

	"github.com/headwaywl/headway/compositor/neglog"
)

// The compositor keeps one Batch: it sets the frame at each vblank, adds
// events as they happen, and flushes with the clients' current names.
func ExampleBatch() {
	names := map[neglog.ClientID]string{1: "weston-simple-shm-1", 2: "dmabuf-client-1"}
	var b neglog.Batch
	w := neglog.NewWriter(os.Stdout)

	b.SetFrame(12)
	b.Add(2, neglog.Bind("zwp_linux_dmabuf_v1", 5, 9))
	b.Add(1, neglog.Bind("wl_shm", 2, 3))
	b.Add(neglog.NoClient, neglog.FrameCommit(40, []string{"NONBLOCK", "PAGE_FLIP_EVENT"}, "ok"))
	if err := b.Flush(w, func(id neglog.ClientID) string { return names[id] }); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"v":1,"frame":12,"event":"frame_commit","fb":40,"flags":["NONBLOCK","PAGE_FLIP_EVENT"],"result":"ok"}
	// {"v":1,"frame":12,"client":"dmabuf-client-1","ord":1,"event":"bind","interface":"zwp_linux_dmabuf_v1","version":5,"global":9}
	// {"v":1,"frame":12,"client":"weston-simple-shm-1","ord":1,"event":"bind","interface":"wl_shm","version":2,"global":3}
}
