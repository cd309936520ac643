package vblank

import (
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/headwaywl/headway/syncobj/fence"
)

// Realtime is a clock that ticks at its period on CLOCK_MONOTONIC
// (fence.Now), driven by one ticker goroutine. Vblank seq is due at
// Start + seq*period: the schedule is absolute, so a late wake-up delays
// delivery but never shifts later vblanks.
type Realtime struct {
	core
	missed atomic.Uint64
	quit   chan struct{}
	done   chan struct{}
	once   sync.Once
}

var _ Clock = (*Realtime)(nil)

// NewRealtime starts a real-time clock with the given period in ns. Seq 0
// is the moment of the call; seq 1 follows one period later.
func NewRealtime(period int64) (*Realtime, error) {
	if period <= 0 {
		return nil, fmt.Errorf("vblank: real-time clock period %d ns: %w", period, syscall.EINVAL)
	}
	r := &Realtime{quit: make(chan struct{}), done: make(chan struct{})}
	r.init(period, fence.Now())
	go r.run()
	return r, nil
}

// Missed returns how many wake-ups found more than one vblank due, i.e.
// how often the ticker fell behind and caught up by delivering the
// missed sequences in a row.
func (r *Realtime) Missed() uint64 { return r.missed.Load() }

// Start returns the CLOCK_MONOTONIC timestamp of seq 0.
func (r *Realtime) Start() int64 { return r.origin }

// Stop stops the ticker: no vblank is delivered after Stop returns except
// the remaining handlers of one already being delivered, and waiters get
// ECANCELED. Stop does not wait for the ticker goroutine, so it is safe to
// call from a handler; Done reports the goroutine's exit. Idempotent.
func (r *Realtime) Stop() {
	r.once.Do(func() {
		r.stop()
		close(r.quit)
	})
}

// Done is closed once the ticker goroutine has exited after Stop.
func (r *Realtime) Done() <-chan struct{} { return r.done }

func (r *Realtime) run() {
	defer close(r.done)
	timer := time.NewTimer(time.Duration(r.period))
	defer timer.Stop()
	for {
		next := r.seq.Load() + 1
		wait := r.Timestamp(next) - fence.Now()
		if wait > 0 {
			timer.Reset(time.Duration(wait))
			select {
			case <-timer.C:
			case <-r.quit:
				return
			}
			continue
		}
		due := uint64((fence.Now() - r.origin) / r.period)
		if due > next {
			r.missed.Add(1)
		}
		r.advanceTo(due)
		select {
		case <-r.quit:
			return
		default:
		}
	}
}
