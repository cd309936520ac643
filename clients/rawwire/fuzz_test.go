package rawwire_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"testing"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/protocol/wire"
	"golang.org/x/sys/unix"
)

// FuzzRead plays a hostile server: arbitrary bytes, cut into arbitrary
// writes, some carrying an fd, then a close. Read must never panic, must
// frame only what the bytes say, must hand every received fd to exactly one
// event, and must end in an error. The decoding helpers run on every event.
func FuzzRead(f *testing.F) {
	var seed []byte
	seed = append(seed, event(f, 2, rawwire.EvRegistryGlobal, func(e *wire.Encoder) { e.Uint(1); e.String("wl_seat"); e.Uint(9) })...)
	seed = append(seed, event(f, 3, rawwire.EvCallbackDone, func(e *wire.Encoder) { e.Uint(0) })...)
	seed = append(seed, event(f, 1, rawwire.EvDisplayDeleteID, func(e *wire.Encoder) { e.Uint(3) })...)
	seed = append(seed, event(f, 1, rawwire.EvDisplayError, func(e *wire.Encoder) { e.Object(2); e.Uint(1); e.String("bad") })...)
	f.Add(seed, uint8(3), uint8(0))
	f.Add(seed, uint8(200), uint8(7))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 4, 0}, uint8(1), uint8(1))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0x10, 0x20}, uint8(8), uint8(0))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0x10, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}, uint8(16), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, chunk, fdEvery uint8) {
		fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		srv, cli := fds[0], fds[1]
		// Not the socket itself: a received copy of the server's end
		// would keep the connection open and hide the close.
		payload, err := unix.MemfdCreate("rawwire-fuzz", unix.MFD_CLOEXEC)
		if err != nil {
			t.Fatal(err)
		}
		defer unix.Close(payload)
		c := rawwire.New(fileConn(t, cli))

		// The writer runs apart from the reader: more data than the
		// socket buffers must not deadlock the test.
		type result struct {
			nfds     int
			complete bool
		}
		sent := make(chan result, 1)
		go func() {
			defer unix.Close(srv)
			step := int(chunk)%61 + 1
			r := result{complete: true}
			for i, off := 0, 0; off < len(data); i, off = i+1, off+step {
				b := data[off:min(off+step, len(data))]
				var oob []byte
				if fdEvery > 0 && i%int(fdEvery) == 0 {
					oob = unix.UnixRights(payload)
				}
				if err := unix.Sendmsg(srv, b, oob, nil, 0); err != nil {
					// The client stopped reading after a framing error,
					// or the kernel refused more fds in flight.
					r.complete = false
					break
				}
				if oob != nil {
					r.nfds++
				}
			}
			sent <- r
		}()

		var total, gotFDs int
		var end error
		for {
			m, err := c.Read(context.Background())
			if err != nil {
				end = err
				break
			}
			size := m.Size()
			if size < wire.HeaderSize || size%4 != 0 || size > wire.MaxMessageSize {
				t.Fatalf("framed an impossible size %d", size)
			}
			total += size
			if total > len(data) {
				t.Fatalf("framed %d bytes out of %d", total, len(data))
			}
			gotFDs += len(m.FDs)
			_, _ = m.Args("uso")
			_, _ = m.Uint()
			_, _ = rawwire.ParseGlobal(m)
			if m.Is(rawwire.DisplayID, rawwire.EvDisplayError) {
				_, _ = c.ParseError(m)
			}
			m.CloseFDs()
		}
		// Closing first unblocks a writer stuck on a full socket.
		c.Close()
		r := <-sent
		if !errors.Is(end, rawwire.ErrDisconnected) && !errors.Is(end, wire.ErrMalformed) && !errors.Is(end, wire.ErrTooLarge) {
			t.Fatalf("unexpected end of reading: %v", end)
		}
		if r.complete && errors.Is(end, rawwire.ErrDisconnected) && !errors.Is(end, io.ErrUnexpectedEOF) {
			// A clean close: every byte was framed and every fd handed out.
			if total != len(data) {
				t.Fatalf("clean close after %d of %d bytes", total, len(data))
			}
			if gotFDs != r.nfds {
				t.Fatalf("%d fds sent, %d handed to events", r.nfds, gotFDs)
			}
		}
	})
}

func fileConn(t testing.TB, fd int) *net.UnixConn {
	t.Helper()
	f := os.NewFile(uintptr(fd), "rawwire-fuzz")
	defer f.Close()
	fc, err := net.FileConn(f)
	if err != nil {
		t.Fatal(err)
	}
	return fc.(*net.UnixConn)
}
