package fence

import "golang.org/x/sys/unix"

// Now returns CLOCK_MONOTONIC in ns, the clock of fence timestamps and of
// the absolute deadlines the syncobj waits take, as in the kernel; it is
// shared by every process on the machine.
func Now() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0 // cannot fail for CLOCK_MONOTONIC on Linux
	}
	return ts.Nano()
}
