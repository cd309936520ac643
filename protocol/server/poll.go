package server

import (
	"encoding/binary"
	"fmt"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The loop's epoll set holds every client socket (data: slot and
// generation, see Client.slot) and one eventfd (data: Fd -1) that Do,
// AddClient, Close and the end of Run's context write to wake the loop.
// Sockets are level-triggered and read by the loop itself, as libwayland's
// event loop does: a request costs epoll_wait, recvmsg and the sendmsg of
// its reply, with no goroutine hand-off.
//
// The loop never blocks in epoll_wait: a goroutine in a blocking syscall
// keeps its P until sysmon takes it away (20 µs to 10 ms later), and with
// GOMAXPROCS=1 every other goroutine (the compositor's output path, timers,
// an in-process client) would wait that long. Instead the epoll fd itself
// is registered in Go's netpoller, which reports it readable when any fd
// in the set becomes ready; the loop polls the set with a zero timeout and
// parks in the netpoller when it is empty, so the runtime's scheduler
// decides when the thread sleeps.

// wakeValue is what an eventfd write adds: 1, native endian, 8 bytes.
var wakeValue = binary.NativeEndian.AppendUint64(nil, 1)

// maxEvents is how many ready fds one epoll_wait returns, libwayland's
// batch size; more stay ready for the next round.
const maxEvents = 32

// openPoll creates the epoll set and the wake eventfd. d.mu is held.
func (d *Display) openPoll() error {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return fmt.Errorf("epoll_create1: %w", err)
	}
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		unix.Close(ep)
		return fmt.Errorf("eventfd: %w", err)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: -1}
	if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, efd, &ev); err != nil {
		unix.Close(efd)
		unix.Close(ep)
		return fmt.Errorf("epoll_ctl: %w", err)
	}
	// Non-blocking, so that os.NewFile puts it in the netpoller.
	if err := unix.SetNonblock(ep, true); err != nil {
		unix.Close(efd)
		unix.Close(ep)
		return fmt.Errorf("epoll fd: %w", err)
	}
	f := os.NewFile(uintptr(ep), "epoll")
	// Only a file in the netpoller has deadlines: without it the loop
	// could not wait.
	if err := f.SetReadDeadline(time.Time{}); err != nil {
		f.Close()
		unix.Close(efd)
		return fmt.Errorf("epoll fd not in the netpoller: %w", err)
	}
	d.pollFile = f
	d.epfd, d.wakeFD = ep, efd
	d.wakeSent = false
	d.evs = make([]unix.EpollEvent, maxEvents)
	d.wakeBuf = make([]byte, 8)
	return nil
}

// closePoll closes the epoll set and the eventfd once every client is
// gone. d.mu is held, so no Do writes to a closed (or reused) fd number.
func (d *Display) closePoll() {
	if d.wakeFD >= 0 {
		unix.Close(d.wakeFD)
		d.wakeFD = -1
	}
	if d.pollFile != nil {
		d.pollFile.Close()
		d.pollFile = nil
		d.epfd = -1
	}
	clear(d.added)
	d.added = d.added[:0]
}

// runPoll is the loop: it returns when Close or the end of Run's context
// is seen, or on an epoll failure.
func (d *Display) runPoll() error {
	rc, err := d.pollFile.SyscallConn()
	if err != nil {
		return fmt.Errorf("server: Run: %w", err)
	}
	var perr error
	err = rc.Read(func(uintptr) bool {
		perr = d.pollRounds()
		return perr != nil || d.stopping
	})
	if perr != nil {
		return perr
	}
	if err != nil {
		return fmt.Errorf("server: Run: waiting on epoll: %w", err)
	}
	return nil
}

// pollRounds dispatches what is ready until nothing is known to be, then
// returns so that the netpoller parks the loop until the epoll set is
// readable again. Events arriving meanwhile are not lost: the netpoller
// remembers the edge and the next wait returns at once.
func (d *Display) pollRounds() error {
	for {
		n, err := epollPoll(d.epfd, d.evs)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("server: Run: epoll_wait: %w", err)
		}
		d.pollAgain = false
		for _, ev := range d.evs[:n] {
			if ev.Fd < 0 {
				if d.wakeUp() {
					d.stopping = true
				}
				continue
			}
			c := d.slots[ev.Fd]
			if c == nil || c.gen != uint32(ev.Pad) || c.closing {
				continue // destroyed earlier in this batch
			}
			if ev.Events&unix.EPOLLOUT != 0 {
				c.drain()
			}
			if ev.Events&^unix.EPOLLOUT != 0 && !c.errored && !c.closing {
				c.readInput()
			}
		}
		if n > 0 {
			d.endRound()
		}
		if d.stopping || (n < len(d.evs) && !d.pollAgain) {
			return nil
		}
	}
}

// epollPoll is epoll_wait with a zero timeout. Like the loop's recvmsg,
// sendmsg and eventfd calls it goes through RawSyscall: none of them can
// block, and the runtime's syscall entry (entersyscall) wakes sysmon when
// it sleeps, which happens whenever the process was idle for a moment;
// with server and client on one CPU that wake-up cost 25-35 µs every few
// round trips (the p99).
func epollPoll(epfd int, evs []unix.EpollEvent) (int, error) {
	r, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(epfd), uintptr(unsafe.Pointer(&evs[0])), uintptr(len(evs)), 0, 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}

// wakeLocked makes the loop's epoll_wait return, once per batch of
// requests: the loop clears wakeSent when it reads the eventfd, before it
// looks at what was queued. d.mu is held.
func (d *Display) wakeLocked() {
	if d.wakeSent || d.wakeFD < 0 {
		return
	}
	d.wakeSent = true
	// The only possible error, EAGAIN at a counter near 2^64, cannot
	// happen with one write per consumed wake.
	_, _, _ = unix.RawSyscall(unix.SYS_WRITE, uintptr(d.wakeFD), uintptr(unsafe.Pointer(&wakeValue[0])), uintptr(len(wakeValue)))
}

// wakeUp handles the eventfd on the loop: new clients join the epoll set,
// queued functions run. It reports whether the loop must stop.
func (d *Display) wakeUp() (stop bool) {
	_, _, _ = unix.RawSyscall(unix.SYS_READ, uintptr(d.wakeFD), uintptr(unsafe.Pointer(&d.wakeBuf[0])), uintptr(len(d.wakeBuf)))
	d.mu.Lock()
	d.wakeSent = false
	if d.shut || d.ctxDone {
		d.closedByClose = d.shut && !d.ctxDone
		d.mu.Unlock()
		return true
	}
	d.addedRun, d.added = d.added, d.addedRun[:0]
	d.funcsRun, d.funcs = d.funcs, d.funcsRun[:0]
	d.mu.Unlock()
	for i, c := range d.addedRun {
		d.register(c)
		d.addedRun[i] = nil
	}
	for i, fn := range d.funcsRun {
		d.safeCall(fn)
		d.funcsRun[i] = nil
	}
	return false
}

// register puts a new client's socket in the epoll set.
func (d *Display) register(c *Client) {
	if c.closing || c.fd < 0 || c.slot >= 0 {
		return
	}
	if n := len(d.freeSlots); n > 0 {
		c.slot = d.freeSlots[n-1]
		d.freeSlots = d.freeSlots[:n-1]
	} else {
		c.slot = int32(len(d.slots))
		d.slots = append(d.slots, nil)
	}
	d.gen++
	c.gen = d.gen
	d.slots[c.slot] = c
	ev := c.epollEvent()
	if err := unix.EpollCtl(d.epfd, unix.EPOLL_CTL_ADD, c.fd, &ev); err != nil {
		c.fail(fmt.Errorf("epoll_ctl add: %w", err))
	}
	d.pollAgain = true
}

// watch updates what the loop waits for on c's socket: always input, and
// room for output while c.waiting.
func (d *Display) watch(c *Client) {
	if c.slot < 0 || c.closing {
		return
	}
	ev := c.epollEvent()
	if err := unix.EpollCtl(d.epfd, unix.EPOLL_CTL_MOD, c.fd, &ev); err != nil {
		c.fail(fmt.Errorf("epoll_ctl mod: %w", err))
	}
	// An fd already on the set's ready list (level-triggered ones stay
	// there after epoll_wait reports them) that becomes ready for the new
	// events does not notify whoever polls the set, here the netpoller.
	d.pollAgain = true
}

// unwatch takes c's socket out of the epoll set before it is closed.
// Events already returned for it in this batch are skipped: its slot is
// empty or holds a client of a later generation.
func (d *Display) unwatch(c *Client) {
	if c.slot < 0 {
		return
	}
	if d.epfd >= 0 && c.fd >= 0 {
		_ = unix.EpollCtl(d.epfd, unix.EPOLL_CTL_DEL, c.fd, nil)
	}
	d.slots[c.slot] = nil
	d.freeSlots = append(d.freeSlots, c.slot)
	c.slot = -1
}

func (c *Client) epollEvent() unix.EpollEvent {
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: c.slot, Pad: int32(c.gen)}
	if c.waiting {
		ev.Events |= unix.EPOLLOUT
	}
	return ev
}
