package syncfd

import (
	"context"
	"encoding/binary"
	"math"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/syncobj/drmsyncobj"
	"github.com/headwaywl/headway/syncobj/fence"
	"github.com/headwaywl/headway/syncobj/shmtimeline"
)

const forever = math.MaxInt64

func mustTimeline(t testing.TB) *shmtimeline.Timeline {
	tl, err := shmtimeline.Create()
	require.NoError(t, err)
	t.Cleanup(func() { _ = tl.Close() })
	return tl
}

func mustNew(t testing.TB, name string, pts ...Point) *File {
	sf, err := New(name, pts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = sf.Close() })
	return sf
}

func mustImport(t testing.TB, fd int) *File {
	sf, err := Import(fd)
	require.NoError(t, err)
	t.Cleanup(func() { _ = sf.Close() })
	return sf
}

func status(t testing.TB, sf *File) int32 {
	st, err := sf.Status()
	require.NoError(t, err)
	return st
}

// openFds counts this process's descriptors, to prove a refused import
// leaks none of the fds the peek installed.
func openFds(t testing.TB) int {
	ents, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(ents)
}

func TestNewImportRoundTrip(t *testing.T) {
	tl := mustTimeline(t)
	sf := mustNew(t, "acquire", Point{tl, 3})
	assert.Equal(t, Emulated, sf.Kind())
	assert.Equal(t, "acquire", sf.Name())

	in := mustImport(t, sf.Fd())
	assert.Equal(t, Emulated, in.Kind())
	assert.Equal(t, "acquire", in.Name())
	n, err := in.NumFences()
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, int32(0), status(t, in))
	require.ErrorIs(t, in.Wait(nil, 0), syscall.ETIME)

	require.NoError(t, tl.Signal(2))
	assert.Equal(t, int32(0), status(t, in), "point 2 is below the file's point 3")
	require.NoError(t, tl.Signal(3))
	assert.Equal(t, int32(1), status(t, in))
	require.NoError(t, in.Wait(nil, 0))

	info, err := in.Info()
	require.NoError(t, err)
	assert.Equal(t, int32(1), info.Status)
	require.Len(t, info.Fences, 1)
	assert.Equal(t, DriverName, info.Fences[0].DriverName)
	assert.Equal(t, ObjName, info.Fences[0].ObjName)
}

func TestNewFoldsPointsOfOnePage(t *testing.T) {
	tl := mustTimeline(t)
	peer, err := shmtimeline.Open(tl.Fd())
	require.NoError(t, err)
	defer peer.Close()
	other := mustTimeline(t)
	sf := mustNew(t, "", Point{tl, 5}, Point{other, 1}, Point{peer, 7}, Point{tl, 2})
	n, err := sf.NumFences()
	require.NoError(t, err)
	assert.Equal(t, 2, n, "two mappings of one page are one timeline")
	require.NoError(t, other.Signal(1))
	require.NoError(t, tl.Signal(5))
	assert.Equal(t, int32(0), status(t, sf), "the folded point is the highest, 7")
	require.NoError(t, tl.Signal(7))
	assert.Equal(t, int32(1), status(t, sf))
}

func TestNameClippedToKernelLength(t *testing.T) {
	sf := mustNew(t, "0123456789012345678901234567890123456789")
	assert.Equal(t, "0123456789012345678901234567890", sf.Name())
	in := mustImport(t, sf.Fd())
	assert.Equal(t, sf.Name(), in.Name())
}

// sendDatagram builds a hostile or broken "sync_file": a datagram socket
// with body queued and fds attached.
func sendDatagram(t *testing.T, body []byte, fds ...int) int {
	sv, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	defer unix.Close(sv[1])
	t.Cleanup(func() { unix.Close(sv[0]) })
	var oob []byte
	if len(fds) > 0 {
		oob = unix.UnixRights(fds...)
	}
	require.NoError(t, unix.Sendmsg(sv[1], body, oob, nil, 0))
	return sv[0]
}

func header(n uint32, version uint32) []byte {
	b := make([]byte, headerSize+pointSize*int(n))
	copy(b, Magic)
	binary.NativeEndian.PutUint32(b[8:], version)
	binary.NativeEndian.PutUint32(b[12:], n)
	return b
}

func TestImportRejects(t *testing.T) {
	tl := mustTimeline(t)
	memfd, err := unix.MemfdCreate("not-a-timeline", unix.MFD_CLOEXEC)
	require.NoError(t, err)
	defer unix.Close(memfd)
	var pipe [2]int
	require.NoError(t, unix.Pipe2(pipe[:], unix.O_CLOEXEC))
	defer unix.Close(pipe[0])
	defer unix.Close(pipe[1])
	stream, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	defer unix.Close(stream[0])
	defer unix.Close(stream[1])
	empty, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	defer unix.Close(empty[0])
	defer unix.Close(empty[1])

	badMagic := header(1, Version)
	copy(badMagic, "HWYSYNCX")
	noNUL := header(0, Version)
	copy(noNUL[16:48], "0123456789abcdef0123456789abcdef")
	long := append(header(1, Version), 0, 0, 0, 0)
	tooMany := header(0, Version)
	binary.NativeEndian.PutUint32(tooMany[12:], MaxPoints+1)

	cases := []struct {
		name string
		fd   func() int
		want syscall.Errno
	}{
		{"negative fd", func() int { return -1 }, syscall.EBADF},
		{"memfd", func() int { return memfd }, syscall.EINVAL},
		{"pipe", func() int { return pipe[0] }, syscall.EINVAL},
		{"stream socket", func() int { return stream[0] }, syscall.EINVAL},
		{"empty datagram socket", func() int { return empty[0] }, syscall.EINVAL},
		{"short header", func() int { return sendDatagram(t, []byte(Magic)) }, syscall.EINVAL},
		{"bad magic", func() int { return sendDatagram(t, badMagic, tl.Fd()) }, syscall.EINVAL},
		{"bad version", func() int { return sendDatagram(t, header(1, 2), tl.Fd()) }, syscall.EINVAL},
		{"name without NUL", func() int { return sendDatagram(t, noNUL) }, syscall.EINVAL},
		{"more points than fds", func() int { return sendDatagram(t, header(2, Version), tl.Fd()) }, syscall.EINVAL},
		{"more fds than points", func() int { return sendDatagram(t, header(0, Version), tl.Fd()) }, syscall.EINVAL},
		{"trailing bytes", func() int { return sendDatagram(t, long, tl.Fd()) }, syscall.EINVAL},
		{"count above the limit", func() int { return sendDatagram(t, tooMany) }, syscall.EINVAL},
		{"fd not a timeline", func() int { return sendDatagram(t, header(1, Version), memfd) }, syscall.EINVAL},
		{"pipe attached", func() int { return sendDatagram(t, header(1, Version), pipe[1]) }, syscall.EINVAL},
		{"one page twice", func() int { return sendDatagram(t, header(2, Version), tl.Fd(), tl.Fd()) }, syscall.EINVAL},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fd := tc.fd()
			before := openFds(t)
			sf, err := Import(fd)
			require.ErrorIs(t, err, tc.want)
			assert.Nil(t, sf)
			assert.Equal(t, before, openFds(t), "a refused import leaks no fds")
		})
	}
}

func TestImportIsASnapshot(t *testing.T) {
	tl := mustTimeline(t)
	sf := mustNew(t, "", Point{tl, 1})
	in := mustImport(t, sf.Fd())
	// A hostile holder drains the datagram: later imports fail, the
	// earlier importer keeps its fence.
	var buf [64]byte
	oob := make([]byte, unix.CmsgSpace(4))
	_, oobn, _, _, err := unix.Recvmsg(sf.Fd(), buf[:], oob, unix.MSG_CMSG_CLOEXEC)
	require.NoError(t, err)
	fds, err := parseRights(oob[:oobn])
	require.NoError(t, err)
	for _, fd := range fds {
		unix.Close(fd)
	}
	_, err = Import(sf.Fd())
	require.ErrorIs(t, err, syscall.EINVAL)
	require.NoError(t, tl.Signal(1))
	require.NoError(t, in.Wait(nil, forever))
	assert.Equal(t, int32(1), status(t, in))
}

func TestAbandonedPointsSignalWithError(t *testing.T) {
	for _, tc := range []struct {
		name  string
		errno syscall.Errno
	}{{"default", syscall.ENOENT}, {"eio", syscall.EIO}} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := mustTimeline(t), mustTimeline(t)
			sf := mustNew(t, "", Point{a, 1}, Point{b, 1})
			require.NoError(t, b.AbandonWithError(tc.errno))
			assert.Equal(t, int32(0), status(t, sf), "a is still pending")
			info, err := sf.Info()
			require.NoError(t, err)
			assert.Equal(t, int32(0), info.Status, "the first entry (pending) decides")
			assert.Equal(t, -int32(tc.errno), info.Fences[1].Status)
			require.NoError(t, a.Signal(1))
			require.NoError(t, sf.Wait(nil, forever), "an errored fence has signalled")
			assert.Equal(t, -int32(tc.errno), status(t, sf))
		})
	}
}

func TestWaitResults(t *testing.T) {
	tl := mustTimeline(t)
	sf := mustNew(t, "", Point{tl, 1})
	require.ErrorIs(t, sf.Wait(nil, fence.Now()+int64(time.Millisecond)), syscall.ETIME)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(time.Millisecond, cancel)
	err := sf.Wait(ctx, forever)
	require.ErrorIs(t, err, fence.ERESTARTSYS)
	require.ErrorIs(t, err, context.Canceled)

	time.AfterFunc(time.Millisecond, func() { _ = tl.Signal(1) })
	require.NoError(t, sf.Wait(nil, forever))

	require.NoError(t, sf.Close())
	require.ErrorIs(t, sf.Wait(nil, forever), syscall.EBADF)
	require.ErrorIs(t, sf.Close(), syscall.EBADF)
	_, err = sf.Status()
	require.ErrorIs(t, err, syscall.EBADF)
	assert.Equal(t, -1, sf.Fd())
}

func TestMerge(t *testing.T) {
	a, b, c := mustTimeline(t), mustTimeline(t), mustTimeline(t)
	require.NoError(t, c.Signal(9))
	fa := mustNew(t, "", Point{a, 1}, Point{c, 9})
	fb := mustNew(t, "", Point{b, 4}, Point{a, 3})

	m, err := Merge("merged", fa, fb)
	require.NoError(t, err)
	defer m.Close()
	assert.Equal(t, "merged", m.Name())
	info, err := m.Info()
	require.NoError(t, err)
	require.Len(t, info.Fences, 2, "c has signalled and is dropped; a appears once")

	require.NoError(t, a.Signal(1))
	require.NoError(t, b.Signal(4))
	assert.Equal(t, int32(0), status(t, m), "a's later point, 3, is kept")
	require.NoError(t, a.Signal(3))
	assert.Equal(t, int32(1), status(t, m))

	// Everything signalled: the stub.
	s, err := Merge("", fa, fb)
	require.NoError(t, err)
	defer s.Close()
	info, err = s.Info()
	require.NoError(t, err)
	require.Len(t, info.Fences, 1)
	assert.Equal(t, "stub", info.Fences[0].DriverName)
	assert.Equal(t, int32(1), info.Status)

	self, err := Merge("", fa, fa)
	require.NoError(t, err)
	require.NoError(t, self.Close())

	_, err = Merge("", fa, nil)
	require.ErrorIs(t, err, syscall.ENOENT)
	closed := mustNew(t, "")
	require.NoError(t, closed.Close())
	_, err = Merge("", fa, closed)
	require.ErrorIs(t, err, syscall.ENOENT)
	_, err = Merge("", closed, fa)
	require.ErrorIs(t, err, syscall.EBADF)
	_, err = Merge("", &File{fd: 0, kind: Kernel}, fa)
	require.ErrorIs(t, err, syscall.ENOENT, "an emulated fd2 is not a sync_file to the kernel")
}

func TestMergeLimit(t *testing.T) {
	pts := make([]Point, MaxPoints+1)
	for i := range pts {
		pts[i] = Point{mustTimeline(t), 1}
	}
	_, err := New("", pts...)
	require.ErrorIs(t, err, syscall.ENOMEM)
	a := mustNew(t, "", pts[:MaxPoints]...)
	b := mustNew(t, "", pts[MaxPoints])
	_, err = Merge("", a, b)
	require.ErrorIs(t, err, syscall.ENOMEM)
	in := mustImport(t, a.Fd())
	n, err := in.NumFences()
	require.NoError(t, err)
	assert.Equal(t, MaxPoints, n, "the largest file imports")
}

func TestFenceBridge(t *testing.T) {
	a, b := mustTimeline(t), mustTimeline(t)
	sf := mustNew(t, "", Point{a, 2}, Point{b, 1})
	f, err := sf.Fence()
	require.NoError(t, err)
	defer f.Put()
	assert.False(t, f.IsSignaled())
	require.NoError(t, sf.Close(), "the fence keeps its own mappings")
	time.AfterFunc(time.Millisecond, func() {
		_ = a.Signal(2)
		_ = b.AbandonWithError(syscall.EIO)
	})
	_, err = f.Wait(nil, fence.Forever)
	require.NoError(t, err)
	assert.Equal(t, -int(syscall.EIO), f.Status())

	one := mustNew(t, "", Point{a, 5})
	pf, err := one.Fence()
	require.NoError(t, err)
	defer pf.Put()
	assert.False(t, pf.IsSignaled())
	require.NoError(t, a.Signal(5))
	assert.True(t, pf.IsSignaled(), "a zero-timeout query reads the page")
	assert.Equal(t, 1, pf.Status())

	stub, err := mustNew(t, "").Fence()
	require.NoError(t, err)
	assert.Equal(t, 1, stub.Status())
}

type testOps struct{}

func (testOps) DriverName() string               { return "test" }
func (testOps) TimelineName(*fence.Fence) string { return "test" }

func TestFromFence(t *testing.T) {
	t.Run("signalled is the stub", func(t *testing.T) {
		sf, err := FromFence("", fence.NewSignaled())
		require.NoError(t, err)
		defer sf.Close()
		assert.Equal(t, int32(1), status(t, sf))
		assert.Empty(t, sf.points)
	})
	t.Run("in-process fence through a proxy page", func(t *testing.T) {
		f := fence.New(testOps{}, nil, 1)
		defer f.Put()
		sf, err := FromFence("proxy", f)
		require.NoError(t, err)
		defer sf.Close()
		in := mustImport(t, sf.Fd())
		assert.Equal(t, int32(0), status(t, in))
		time.AfterFunc(time.Millisecond, func() { _ = f.Signal() })
		require.NoError(t, in.Wait(nil, forever))
		assert.Equal(t, int32(1), status(t, in))
	})
	t.Run("errored fence carries its error", func(t *testing.T) {
		f := fence.New(testOps{}, nil, 1)
		defer f.Put()
		sf, err := FromFence("", f)
		require.NoError(t, err)
		defer sf.Close()
		require.NoError(t, f.SetError(syscall.ETIMEDOUT))
		require.NoError(t, f.Signal())
		require.NoError(t, sf.Wait(nil, forever))
		assert.Equal(t, -int32(syscall.ETIMEDOUT), status(t, sf))
	})
	t.Run("shared points export as themselves", func(t *testing.T) {
		tl := mustTimeline(t)
		orig := mustNew(t, "", Point{tl, 4})
		f, err := orig.Fence()
		require.NoError(t, err)
		defer f.Put()
		sf, err := FromFence("", f)
		require.NoError(t, err)
		defer sf.Close()
		require.Len(t, sf.points, 1)
		assert.Equal(t, orig.points[0].id, sf.points[0].id, "no proxy page")
		assert.Equal(t, uint64(4), sf.points[0].value)
	})
	t.Run("nil", func(t *testing.T) {
		_, err := FromFence("", nil)
		require.ErrorIs(t, err, syscall.EINVAL)
	})
}

func TestSyncobjExportImport(t *testing.T) {
	file := drmsyncobj.NewFile()
	h, err := file.Create(0)
	require.NoError(t, err)

	_, err = ExportSyncobj(file, h, 0)
	require.ErrorIs(t, err, syscall.EINVAL, "no fence to export")
	_, err = ExportSyncobj(file, h+100, 0)
	require.ErrorIs(t, err, syscall.ENOENT)

	tl := mustTimeline(t)
	sf := mustNew(t, "", Point{tl, 1})
	require.ErrorIs(t, ImportSyncobj(file, h, 0, nil), syscall.EINVAL)
	require.ErrorIs(t, ImportSyncobj(file, h+100, 0, sf), syscall.ENOENT)
	require.NoError(t, ImportSyncobj(file, h, 0, sf))

	out, err := ExportSyncobj(file, h, 0)
	require.NoError(t, err)
	defer out.Close()
	require.Len(t, out.points, 1)
	assert.Equal(t, sf.points[0].id, out.points[0].id, "the syncobj's fence is the shared point itself")

	time.AfterFunc(time.Millisecond, func() { _ = tl.Signal(1) })
	_, err = file.Wait(nil, []drmsyncobj.Handle{h}, fence.Now()+int64(time.Hour), 0)
	require.NoError(t, err)
	assert.Equal(t, int32(1), status(t, out))
}
