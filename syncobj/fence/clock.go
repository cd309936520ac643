package fence

import (
	"time"

	"golang.org/x/sys/unix"
)

// Now returns CLOCK_MONOTONIC in ns, the clock of fence timestamps and of
// the absolute deadlines the syncobj waits take, as in the kernel; it is
// shared by every process on the machine.
//
// Reading it through clock_gettime(2) is a real system call from Go
// (x/sys/unix does not use the vDSO) and cost most of a Signal, so Now
// adds the runtime's own monotonic clock, which is CLOCK_MONOTONIC read
// through the vDSO, to one system-call reading taken at start-up. The two
// clocks are the same clock, so the only error is the start-up sampling
// offset (well under a microsecond), which is constant.
func Now() int64 {
	return monoBase + int64(time.Since(monoStart))
}

// monoErr bounds |Now() - CLOCK_MONOTONIC|: half the start-up sampling
// window.
var monoStart, monoBase, monoErr = sampleMonotonic()

func sampleMonotonic() (time.Time, int64, int64) {
	var a, b unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &a) // cannot fail for CLOCK_MONOTONIC on Linux
	start := time.Now()
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &b)
	half := (b.Nano() - a.Nano() + 1) / 2
	return start, a.Nano() + half, half
}
