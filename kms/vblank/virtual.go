package vblank

import (
	"fmt"
	"syscall"
)

// Virtual is a clock whose vblanks happen only when the caller advances it.
// Timestamps are exactly seq*period and nothing reads wall time, so every
// run of a scenario sees the same sequences and timestamps.
type Virtual struct {
	core
}

var _ Clock = (*Virtual)(nil)

// NewVirtual returns a virtual clock at seq 0 with the given period in ns.
func NewVirtual(period int64) (*Virtual, error) {
	if period <= 0 {
		return nil, fmt.Errorf("vblank: virtual clock period %d ns: %w", period, syscall.EINVAL)
	}
	v := &Virtual{}
	v.init(period, 0)
	return v, nil
}

// Advance makes one vblank happen and delivers it; see AdvanceTo.
func (v *Virtual) Advance() {
	v.advanceBy(1)
}

// AdvanceTo makes every vblank up to seq happen, delivering each in order.
// A seq at or behind the target is a no-op: time never runs backwards.
// Called from a handler (or while another goroutine delivers), it only
// raises the target and returns; the delivering goroutine catches up.
func (v *Virtual) AdvanceTo(seq uint64) {
	v.advanceTo(seq)
}
