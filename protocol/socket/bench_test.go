package socket

import (
	"net"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkListenClose measures creating and removing a named socket with
// its lock (open, flock, lstat, bind, listen; unlink twice, close twice).
func BenchmarkListenClose(b *testing.B) {
	dir, err := os.MkdirTemp("", "hws")
	require.NoError(b, err)
	defer os.RemoveAll(dir)
	b.Setenv("XDG_RUNTIME_DIR", dir)
	b.ReportAllocs()
	for b.Loop() {
		l, err := Listen("wayland-0")
		if err != nil {
			b.Fatal(err)
		}
		if err := l.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDialAccept measures one client connection from dial to accept.
func BenchmarkDialAccept(b *testing.B) {
	dir, err := os.MkdirTemp("", "hws")
	require.NoError(b, err)
	defer os.RemoveAll(dir)
	b.Setenv("XDG_RUNTIME_DIR", dir)
	l, err := Listen("wayland-0")
	require.NoError(b, err)
	defer l.Close()
	addr := &net.UnixAddr{Name: l.Path(), Net: "unix"}
	b.ReportAllocs()
	for b.Loop() {
		c, err := net.DialUnix("unix", nil, addr)
		if err != nil {
			b.Fatal(err)
		}
		s, err := l.Accept()
		if err != nil {
			b.Fatal(err)
		}
		_ = s.Close()
		_ = c.Close()
	}
}

// BenchmarkPeerCred measures the per-connection credential lookup.
func BenchmarkPeerCred(b *testing.B) {
	s, c, err := Pair()
	require.NoError(b, err)
	defer s.Close()
	defer c.Close()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PeerCred(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPairRoundTrip moves a byte each way over a Pair, the path a
// WAYLAND_SOCKET client's first request and reply take.
func BenchmarkPairRoundTrip(b *testing.B) {
	s, cf, err := Pair()
	require.NoError(b, err)
	defer s.Close()
	cc, err := net.FileConn(cf)
	require.NoError(b, err)
	_ = cf.Close()
	defer cc.Close()
	buf := make([]byte, 1)
	b.SetBytes(2)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cc.Write(buf); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Read(buf); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Write(buf); err != nil {
			b.Fatal(err)
		}
		if _, err := cc.Read(buf); err != nil {
			b.Fatal(err)
		}
	}
}
