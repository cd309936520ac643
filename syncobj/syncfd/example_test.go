package syncfd_test

import (
	"fmt"
	"math"

	"github.com/headwaywl/headway/syncobj/shmtimeline"
	"github.com/headwaywl/headway/syncobj/syncfd"
)

// A client makes a shared timeline and a sync_file fd for point 1 on it;
// the compositor imports the fd it received and waits. Here both sides
// are one process; the tests run the same with two.
func Example() {
	tl, _ := shmtimeline.Create() // its Fd() is what import_timeline carries
	defer tl.Close()
	acquire, _ := syncfd.New("acquire", syncfd.Point{Timeline: tl, Value: 1})
	defer acquire.Close()

	got, err := syncfd.Import(acquire.Fd()) // the fd as the peer received it
	if err != nil {
		fmt.Println(err)
		return
	}
	defer got.Close()
	st, _ := got.Status()
	fmt.Println("before:", st)

	_ = tl.Signal(1) // in the client's process, usually
	fmt.Println("wait:", got.Wait(nil, math.MaxInt64))
	st, _ = got.Status()
	fmt.Println("after:", st)
	// Output:
	// before: 0
	// wait: <nil>
	// after: 1
}
