package syncfd

import (
	"fmt"
	"syscall"
)

// Merge is SYNC_IOC_MERGE: a new file whose fence signals when both a's
// and b's have; see the package doc for the rules. a and b stay open. A
// nil or closed b is ENOENT and a closed a is EBADF, as the kernel treats
// fd2 and the ioctl's own fd.
func Merge(name string, a, b *File) (*File, error) {
	if a == nil {
		return nil, fmt.Errorf("syncfd: merge: no first file: %w", syscall.EINVAL)
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.fd < 0 {
		return nil, errClosed("merge")
	}
	if b == nil {
		return nil, fmt.Errorf("syncfd: merge: the second file is not a sync_file: %w", syscall.ENOENT)
	}
	if b != a {
		b.mu.RLock()
		defer b.mu.RUnlock()
	}
	if b.fd < 0 {
		return nil, fmt.Errorf("syncfd: merge: the second file is closed: %w", syscall.ENOENT)
	}
	if a.kind != b.kind {
		return nil, fmt.Errorf("syncfd: merge of a %s and a %s sync_file: the second is not a sync_file to the first: %w", a.kind, b.kind, syscall.ENOENT)
	}
	if a.kind == Kernel {
		return mergeKernel(name, a.fd, b.fd)
	}
	var ps []point
	ok := false
	defer func() {
		if !ok {
			for _, p := range ps {
				_ = p.tl.Close()
			}
		}
	}()
	for _, src := range [2][]point{a.points, b.points} {
		for _, p := range src {
			st, err := p.tl.PointStatus(p.value)
			if err != nil {
				return nil, fmt.Errorf("syncfd: merge: %w", err)
			}
			if st != 0 {
				continue // signalled fences are dropped, as dma_fence_unwrap_merge does
			}
			if ps, err = fold(ps, p.tl.Fd(), p.id, p.value); err != nil {
				return nil, fmt.Errorf("syncfd: merge: %w", err)
			}
		}
	}
	f, err := build(name, ps)
	if err != nil {
		return nil, err
	}
	ok = true
	return f, nil
}
