package shmtimeline

import (
	"encoding/binary"
	"errors"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/syncobj/fence"
)

// FuzzOpenPage feeds arbitrary bytes as a sealed timeline page, then
// opens, queries, signals and waits with a tiny deadline. Whatever the
// bytes, nothing may panic or hang, and refusals must be EINVAL.
func FuzzOpenPage(f *testing.F) {
	good := goodPage()
	f.Add(good, uint64(1), uint64(1))
	signalled := goodPage()
	binary.NativeEndian.PutUint64(signalled[offValue:], 1<<63)
	f.Add(signalled, uint64(5), uint64(1<<63))
	dead := goodPage()
	dead[offFlags] = flagDead
	f.Add(dead, uint64(0), uint64(1))
	f.Add([]byte("HWYTLINE"), uint64(2), uint64(3))
	f.Add([]byte{}, uint64(0), uint64(0))
	f.Fuzz(func(t *testing.T, data []byte, sig, point uint64) {
		page := make([]byte, PageSize)
		copy(page, data)
		fd, err := unix.MemfdCreate("fuzz", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
		if err != nil {
			t.Fatal(err)
		}
		defer unix.Close(fd)
		if err := unix.Ftruncate(fd, PageSize); err != nil {
			t.Fatal(err)
		}
		if _, err := unix.Pwrite(fd, page, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, requiredSeals); err != nil {
			t.Fatal(err)
		}
		tl, err := Open(fd)
		if err != nil {
			if !errors.Is(err, syscall.EINVAL) {
				t.Fatalf("Open refused with %v, want EINVAL", err)
			}
			return
		}
		defer tl.Close()
		v0, qerr := tl.Query()
		_ = tl.Value()
		serr := tl.Signal(sig)
		if qerr == nil && serr == nil {
			if v := tl.Value(); v < v0 || v < sig {
				t.Fatalf("value %d after signalling %d from %d", v, sig, v0)
			}
		}
		// Bytes written through the fd after Open are seen too; a second
		// scribble (the data reversed) lands while a wait may be pending.
		// The scribbler has its own fd and is waited for, so it can never
		// write to a recycled fd number after this iteration.
		scrib, err := unix.Dup(fd)
		if err != nil {
			t.Fatal(err)
		}
		scribbled := make(chan struct{})
		time.AfterFunc(100*time.Microsecond, func() {
			defer close(scribbled)
			rev := make([]byte, len(page))
			for i := range page {
				rev[i] = page[len(page)-1-i]
			}
			_, _ = unix.Pwrite(scrib, rev[:32], 0)
		})
		defer func() { <-scribbled; unix.Close(scrib) }()
		deadline := fence.Now() + int64(time.Millisecond)
		err = tl.Wait(nil, point, deadline)
		switch {
		case err == nil, errors.Is(err, syscall.ETIME), errors.Is(err, syscall.EINVAL), errors.Is(err, syscall.ENOENT):
		default:
			t.Fatalf("Wait: unexpected %v", err)
		}
	})
}
