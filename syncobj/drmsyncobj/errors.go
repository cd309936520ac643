package drmsyncobj

import (
	"fmt"
	"syscall"
)

var (
	errEINVAL error = syscall.EINVAL
	errETIME  error = syscall.ETIME
)

// errorf wraps a bare errno with context; errors.Is still sees the errno.
func errorf(errno error, format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, errno)...)
}
