package compositor_test

// Compositor benchmarks. They run only with -bench; each is bounded to a
// few seconds at the default -benchtime. Servers and clients that run as
// processes are built into temporary directories by the benchmark itself:
// headway serve (cmd/headway) and benchclient (internal/benchclient, a
// hand-written wire client that behaves the same against headway and
// weston).
//
//	go test -run '^$' -bench . ./compositor/
//
//   - BenchmarkHandlerRequest: one wl_surface request through the generated
//     dispatcher and the compositor's handler on the loop, no socket; and
//     the same requests batched over a socket.
//   - BenchmarkSyncRoundtrip: wl_display.sync p50/p99 against headway serve
//     and weston, idle and under a 1080p load, unpinned and with server and
//     client on CPU 0.
//   - BenchmarkExecToFirstRoundtrip: exec of benchclient to its first
//     completed round trip, headway serve and weston.
//   - BenchmarkManyClients: 100 clients × 2 surfaces committing every
//     lockstep frame: compositor CPU per frame and memory per client.

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
)

const (
	benchHeadwayPkg = "github.com/headwaywl/headway/cmd/headway"
	benchClientPkg  = "github.com/headwaywl/headway/compositor/internal/benchclient"
	// benchStartTimeout bounds waiting for a server or client process.
	benchStartTimeout = 30 * time.Second
)

// ---------------------------------------------------------------------------
// BenchmarkHandlerRequest

// benchProbe is a global the benchmark adds to the in-process compositor: its
// bind callback hands over the *server.Client, through which the
// benchmark finds the compositor's own wl_surface resource.
var benchProbe = &server.Interface{Name: "headway_bench_probe", Version: 1}

type benchNoRequests struct{}

func (benchNoRequests) Dispatch(*server.Resource, uint16, *wire.Decoder) error {
	return errors.New("headway_bench_probe has no requests")
}

// BenchmarkHandlerRequest measures one wl_surface request in the in-process
// compositor.
//
// direct/*: on the display's loop goroutine (inside one Display.Call, so
// nothing else runs), the request body is decoded by the generated
// wayland.WlSurfaceDispatcher wrapped around the compositor's own surface
// handler (the *surface the compositor stores as the resource's data and
// installs with the same WlSurfaceDispatcher), on the compositor's real
// wl_surface resource. It excludes what the runtime does before a handler:
// header parsing, the object lookup, wire.Validate and the object/new-id
// pre-check (protocol/server's detached-client path that would include them
// is package-private). The timer and the allocation count run only around
// the loop of requests.
//
// socket/*: the whole path over the rig's socket: the client writes 256
// damage_buffer requests and one wl_display.sync in one write and reads the
// sync's reply. ns/op is per batch; ns/req is ns/op/257; ns/req-marginal is
// (batch - a lone sync round trip) / 256, the server's cost of one more
// request in a stream (kernel copy, checks, dispatch).
func BenchmarkHandlerRequest(b *testing.B) {
	r := startRig(b, compositor.Config{Clock: compositor.Manual, CRCOnDemand: true})
	d := r.comp.Display()
	ctx := context.Background()
	var cl *server.Client
	if err := d.Call(ctx, func() {
		d.AddGlobal(benchProbe, 1, func(c *server.Client, res *server.Resource) {
			cl = c
			res.SetHandler(benchNoRequests{})
		})
	}); err != nil {
		b.Fatal(err)
	}
	tc := r.dial()
	tc.bind(benchProbe.Name)
	surf := tc.newSurface()
	tc.sync()
	var res *server.Resource
	var h wayland.WlSurfaceHandler
	if err := d.Call(ctx, func() {
		if cl == nil {
			return
		}
		res = cl.Lookup(surf)
		if res != nil {
			h, _ = res.Data().(wayland.WlSurfaceHandler)
		}
	}); err != nil {
		b.Fatal(err)
	}
	if res == nil || h == nil || res.Interface() != wayland.WlSurfaceInterface {
		b.Fatalf("no compositor wl_surface handler behind object %d (resource %v)", surf, res)
	}
	disp := wayland.WlSurfaceDispatcher(h)

	body := func(args ...int32) []byte {
		var out []byte
		for _, a := range args {
			out = binary.NativeEndian.AppendUint32(out, uint32(a))
		}
		return out
	}
	direct := func(name string, opcode uint16, bodies ...[]byte) {
		b.Run("direct/"+name, func(b *testing.B) {
			var dec wire.Decoder
			var derr error
			b.ReportAllocs()
			b.ResetTimer()
			b.StopTimer()
			// The timer runs on the loop goroutine, around the requests
			// only; the benchmark goroutine waits in Call meanwhile.
			err := d.Call(ctx, func() {
				// Warm up: the first request may grow a region's storage.
				for i := 0; i < 16 && derr == nil; i++ {
					dec.Reset(bodies[i%len(bodies)], nil)
					derr = disp.Dispatch(res, opcode, &dec)
				}
				if derr != nil {
					return
				}
				b.StartTimer()
				for i := 0; i < b.N; i++ {
					dec.Reset(bodies[i%len(bodies)], nil)
					if err := disp.Dispatch(res, opcode, &dec); err != nil {
						derr = err
						break
					}
				}
				b.StopTimer()
			})
			if err == nil {
				err = derr
			}
			if err != nil {
				b.Fatal(err)
			}
		})
	}
	// Full damage every time: the region keeps one rectangle (pixman's fast
	// path, as a client that damages its whole buffer hits).
	direct("damage_buffer", wayland.WlSurfaceRequestDamageBuffer, body(0, 0, 64, 64))
	// Two overlapping rectangles in turn: every request is a real union
	// (three bands), the region stays bounded.
	direct("damage_buffer-union", wayland.WlSurfaceRequestDamageBuffer, body(0, 0, 100, 100), body(50, 50, 100, 100))
	direct("set_buffer_scale", wayland.WlSurfaceRequestSetBufferScale, body(2))

	b.Run("socket/damage_buffer-batch256", func(b *testing.B) {
		const batchN = 256
		conn := tc.Conn()
		if err := conn.SetDeadline(time.Time{}); err != nil {
			b.Fatal(err)
		}
		cb := tc.NewID()
		syncMsg := benchMsg(1, 0, uint32(cb))
		var batch []byte
		for i := 0; i < batchN; i++ {
			batch = append(batch, benchMsg(surf, wayland.WlSurfaceRequestDamageBuffer, 0, 0, 64, 64)...)
		}
		batch = append(batch, syncMsg...)
		reply := make([]byte, 24) // wl_callback.done + wl_display.delete_id
		rt := func(msg []byte) {
			if _, err := conn.Write(msg); err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(conn, reply); err != nil {
				b.Fatal(err)
			}
			if binary.NativeEndian.Uint32(reply[0:]) != cb || binary.NativeEndian.Uint32(reply[12:]) != 1 ||
				binary.NativeEndian.Uint32(reply[20:]) != cb {
				b.Fatalf("unexpected reply % x", reply)
			}
		}
		// A lone sync round trip, for the marginal cost.
		for i := 0; i < 200; i++ {
			rt(syncMsg)
		}
		const syncN = 2000
		t0 := time.Now()
		for i := 0; i < syncN; i++ {
			rt(syncMsg)
		}
		syncNs := float64(time.Since(t0).Nanoseconds()) / syncN
		for i := 0; i < 20; i++ {
			rt(batch)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			rt(batch)
		}
		b.StopTimer()
		perBatch := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(perBatch/(batchN+1), "ns/req")
		b.ReportMetric((perBatch-syncNs)/batchN, "ns/req-marginal")
		b.ReportMetric(syncNs/1000, "sync-µs")
	})
}

// benchMsg encodes a request whose arguments are all 32-bit words.
func benchMsg(obj uint32, opcode uint16, args ...uint32) []byte {
	out := binary.NativeEndian.AppendUint32(nil, obj)
	out = binary.NativeEndian.AppendUint32(out, uint32(8+4*len(args))<<16|uint32(opcode))
	for _, a := range args {
		out = binary.NativeEndian.AppendUint32(out, a)
	}
	return out
}

// ---------------------------------------------------------------------------
// BenchmarkSyncRoundtrip

// BenchmarkSyncRoundtrip measures wl_display.sync → wl_callback.done +
// wl_display.delete_id from a client in the benchmark process using
// blocking write/read syscalls on a raw socket (the callback id is reused,
// as libwayland reuses freed ids), against headway serve (a subprocess,
// --clock realtime --size 1920x1080) and weston 10 (headless backend,
// pixman renderer, 1920x1080, desktop shell).
//
// pin=cpu0 runs the server under taskset -c 0 (headway serve then has
// GOMAXPROCS=1) and pins the benchmark's thread to CPU 0
// (runtime.LockOSThread + sched_setaffinity); pin=none pins nothing.
// load=1080p adds a benchclient process (under the same taskset when
// pinned) with a fullscreen 1920x1080 XRGB8888 toplevel that attaches its
// buffer with full damage and commits on every frame callback; the frame
// rate it got is logged.
func BenchmarkSyncRoundtrip(b *testing.B) {
	benchNeedTaskset(b)
	bins := benchBuild(b, benchHeadwayPkg, benchClientPkg)
	headway, client := bins[0], bins[1]
	servers := []struct {
		name  string
		start func(b *testing.B, pinned bool) string
	}{
		{"headway", func(b *testing.B, pinned bool) string {
			return benchStartServe(b, headway, pinned, "--clock", "realtime", "--size", "1920x1080")
		}},
		{"weston", func(b *testing.B, pinned bool) string { return benchStartWeston(b, pinned) }},
	}
	for _, srv := range servers {
		b.Run("server="+srv.name, func(b *testing.B) {
			for _, pinned := range []bool{false, true} {
				b.Run("pin="+benchPinName(pinned), func(b *testing.B) {
					path := srv.start(b, pinned)
					b.Run("load=idle", func(b *testing.B) { benchSyncLoop(b, path, pinned) })
					b.Run("load=1080p", func(b *testing.B) {
						load := benchStartClients(b, client, path, pinned, "-width", "1920", "-height", "1080", "-fullscreen")
						benchSyncLoop(b, path, pinned)
						frames, ns := load.finish(b)
						if ns >= int64(200*time.Millisecond) {
							b.ReportMetric(float64(frames)/(float64(ns)/1e9), "load-fps")
						}
					})
				})
			}
		})
	}
}

func benchPinName(pinned bool) string {
	if pinned {
		return "cpu0"
	}
	return "none"
}

func benchSyncLoop(b *testing.B, path string, pinned bool) {
	c, err := benchDialRaw(path)
	if err != nil {
		b.Fatal(err)
	}
	defer c.close()
	if pinned {
		defer benchPin(b)()
	}
	for i := 0; i < 200; i++ {
		if err := c.roundtrip(); err != nil {
			b.Fatal(err)
		}
	}
	samples := make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range samples {
		t0 := time.Now()
		if err := c.roundtrip(); err != nil {
			b.Fatal(err)
		}
		samples[i] = time.Since(t0)
	}
	b.StopTimer()
	p50, p99 := benchPercentiles(samples)
	b.ReportMetric(float64(p50.Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(p99.Nanoseconds())/1e3, "p99-µs")
}

// benchRaw is a wire client on a blocking socket: write and read are plain
// syscalls, as a libwayland client's sendmsg/recvmsg after poll.
type benchRaw struct {
	fd   int
	req  [12]byte
	buf  [4096]byte
	have int
}

func benchDialRaw(path string) (*benchRaw, error) {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	if err := unix.Connect(fd, &unix.SockaddrUnix{Name: path}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("connect %s: %w", path, err)
	}
	c := &benchRaw{fd: fd}
	copy(c.req[:], benchMsg(1, 0, 2)) // wl_display.sync(new id 2)
	return c, nil
}

func (c *benchRaw) close() { unix.Close(c.fd) }

// roundtrip sends wl_display.sync and reads until wl_display.delete_id of
// the callback (after its done), skipping anything else.
func (c *benchRaw) roundtrip() error {
	if _, err := unix.Write(c.fd, c.req[:]); err != nil {
		return err
	}
	for {
		off := 0
		for c.have-off >= 8 {
			obj := binary.NativeEndian.Uint32(c.buf[off:])
			w := binary.NativeEndian.Uint32(c.buf[off+4:])
			size := int(w >> 16)
			if size < 8 {
				return fmt.Errorf("bad event size %d", size)
			}
			if c.have-off < size {
				break
			}
			op := uint16(w)
			switch {
			case obj == 1 && op == 0:
				return errors.New("protocol error from the server")
			case obj == 1 && op == 1 && size == 12 && binary.NativeEndian.Uint32(c.buf[off+8:]) == 2:
				off += size
				c.have = copy(c.buf[:], c.buf[off:c.have])
				return nil
			}
			off += size
		}
		c.have = copy(c.buf[:], c.buf[off:c.have])
		n, err := unix.Read(c.fd, c.buf[c.have:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return io.ErrUnexpectedEOF
		}
		c.have += n
	}
}

// benchPin pins the calling goroutine's thread to CPU 0 and returns the
// undo.
func benchPin(b *testing.B) func() {
	runtime.LockOSThread()
	var old, cpu0 unix.CPUSet
	if err := unix.SchedGetaffinity(0, &old); err != nil {
		runtime.UnlockOSThread()
		b.Fatal(err)
	}
	cpu0.Set(0)
	if err := unix.SchedSetaffinity(0, &cpu0); err != nil {
		runtime.UnlockOSThread()
		b.Fatal(err)
	}
	return func() {
		_ = unix.SchedSetaffinity(0, &old)
		runtime.UnlockOSThread()
	}
}

func benchPercentiles(s []time.Duration) (p50, p99 time.Duration) {
	if len(s) == 0 {
		return 0, 0
	}
	s = slices.Clone(s)
	slices.Sort(s)
	return s[len(s)*50/100], s[min(len(s)-1, len(s)*99/100)]
}

// ---------------------------------------------------------------------------
// BenchmarkExecToFirstRoundtrip

// BenchmarkExecToFirstRoundtrip measures the time from just before
// exec.Cmd.Start of the prebuilt benchclient (-mode sync) to the moment its
// first wl_display.sync round trip completed (CLOCK_MONOTONIC read by the
// client on wl_callback.done and printed); the client's exit and the wait
// are outside the sample but inside ns/op. Servers: headway serve
// (--size 1920x1080, realtime clock) and weston as in
// BenchmarkSyncRoundtrip, nothing pinned.
func BenchmarkExecToFirstRoundtrip(b *testing.B) {
	bins := benchBuild(b, benchHeadwayPkg, benchClientPkg)
	headway, client := bins[0], bins[1]
	run := func(b *testing.B, path string) {
		env := append(os.Environ(), "WAYLAND_DISPLAY="+path)
		one := func() time.Duration {
			cmd := exec.Command(client, "-mode", "sync")
			cmd.Env = env
			var errBuf strings.Builder
			cmd.Stderr = &errBuf
			t0 := benchMono()
			out, err := cmd.Output()
			if err != nil {
				b.Fatalf("benchclient: %v: %s", err, errBuf.String())
			}
			f := strings.Fields(string(out))
			if len(f) != 2 || f[0] != "done" {
				b.Fatalf("benchclient printed %q", out)
			}
			t1, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return time.Duration(t1 - t0)
		}
		for i := 0; i < 3; i++ {
			one()
		}
		samples := make([]time.Duration, b.N)
		b.ResetTimer()
		for i := range samples {
			samples[i] = one()
		}
		b.StopTimer()
		p50, p99 := benchPercentiles(samples)
		b.ReportMetric(float64(p50.Nanoseconds())/1e6, "p50-ms")
		b.ReportMetric(float64(p99.Nanoseconds())/1e6, "p99-ms")
	}
	b.Run("server=headway", func(b *testing.B) {
		run(b, benchStartServe(b, headway, false, "--clock", "realtime", "--size", "1920x1080"))
	})
	b.Run("server=weston", func(b *testing.B) { run(b, benchStartWeston(b, false)) })
}

// ---------------------------------------------------------------------------
// BenchmarkManyClients

// BenchmarkManyClients runs the compositor in process (lockstep clock,
// vkms's preferred 1024x768 mode, CRC collection off as headway serve has
// it) with 100 clients in one benchclient process, each with 2 xdg
// toplevels that attach their own (reused) shm buffer with full damage,
// ask for a frame callback and commit on every frame. An op is one frame
// (one vblank of the lockstep clock).
//
// cpu-µs/frame is this process's CPU time (getrusage RUSAGE_SELF; the
// clients are another process) per frame. base-cpu-µs/frame is the same
// for 1 client with 2 surfaces, measured first on the same compositor
// (300 frames): the output path's fixed cost, which is dominated by
// composing the whole 1024x768 frame every frame. clients-cpu-µs/frame is
// (cpu − base) · 100/99: the CPU the 100 clients cost per frame. With
// surface=1x1 their pixel work is 200 pixels, so that figure is
// compositor work outside pixel work (protocol, commits, latching, frame
// callbacks, per-layer setup); surface=32x32 adds 200 small blends.
// heap-KiB/client is the HeapInuse difference after runtime.GC between
// 100 connected, drawing clients and none, divided by 100;
// stack-KiB/client the same for StackInuse (the server has no per-client
// goroutines, so this is near zero). allocs/op are the compositor's allocations per frame.
func BenchmarkManyClients(b *testing.B) {
	bins := benchBuild(b, benchClientPkg)
	client := bins[0]
	const nClients = 100
	for _, px := range []int{1, 32} {
		size := strconv.Itoa(px)
		b.Run("surface="+size+"x"+size, func(b *testing.B) {
			r := startRig(b, compositor.Config{Clock: compositor.Lockstep, CRCOnDemand: true})
			shape := []string{"-surfaces", "2", "-width", size, "-height", size}
			frames := func(b *testing.B, n uint64) (cpu time.Duration, got uint64) {
				seq0, cpu0 := r.comp.Seq(), benchCPU(b)
				deadline := time.Now().Add(benchStartTimeout)
				for r.comp.Seq() < seq0+n {
					if time.Now().After(deadline) {
						b.Fatalf("only %d of %d frames in %v", r.comp.Seq()-seq0, n, benchStartTimeout)
					}
					time.Sleep(time.Millisecond)
				}
				return benchCPU(b) - cpu0, r.comp.Seq() - seq0
			}
			// The fixed cost: one client, two surfaces.
			one := benchStartClients(b, client, r.path, false, append([]string{"-clients", "1"}, shape...)...)
			frames(b, 50)
			cpu, n := frames(b, 300)
			base := float64(cpu.Nanoseconds()) / float64(n) / 1e3
			one.finish(b)
			time.Sleep(100 * time.Millisecond) // the server sees the hang-up
			heap0, stack0 := benchHeap(b, r)

			many := benchStartClients(b, client, r.path, false, append([]string{"-clients", strconv.Itoa(nClients)}, shape...)...)
			frames(b, 20)
			heap1, stack1 := benchHeap(b, r)
			heapPer := float64(heap1-heap0) / nClients / 1024
			stackPer := float64(stack1-stack0) / nClients / 1024

			b.Run("clients="+strconv.Itoa(nClients), func(b *testing.B) {
				frames(b, 10)
				renders0 := r.comp.Renders()
				b.ReportAllocs()
				b.ResetTimer()
				cpu, n := frames(b, uint64(b.N))
				b.StopTimer()
				if r.comp.Renders()-renders0 < n/2 {
					b.Fatalf("%d frames but only %d renders", n, r.comp.Renders()-renders0)
				}
				per := float64(cpu.Nanoseconds()) / float64(n) / 1e3
				b.ReportMetric(per, "cpu-µs/frame")
				b.ReportMetric(base, "base-cpu-µs/frame")
				b.ReportMetric((per-base)*nClients/(nClients-1), "clients-cpu-µs/frame")
				b.ReportMetric(heapPer, "heap-KiB/client")
				b.ReportMetric(stackPer, "stack-KiB/client")
				b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "fps")
			})
			many.finish(b)
		})
	}
}

// benchCPU is the process's user+system CPU time.
func benchCPU(b *testing.B) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchHeap is HeapInuse and StackInuse after a full GC, with a loop round
// first so that work queued for the compositor has run.
func benchHeap(b *testing.B, r *rig) (heap, stack uint64) {
	if err := r.comp.Display().Call(context.Background(), func() {}); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse, ms.StackInuse
}

// ---------------------------------------------------------------------------
// Processes

func benchMono() int64 {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return ts.Nano()
}

func benchNeedTaskset(b *testing.B) {
	if _, err := exec.LookPath("taskset"); err != nil {
		b.Skip("taskset (util-linux) is not installed: the pinned variants cannot run")
	}
}

// benchTempDir is a short temporary directory (socket paths must fit in
// sun_path, and b.TempDir's names grow with sub-benchmark names).
func benchTempDir(b *testing.B) string {
	dir, err := os.MkdirTemp("", "hwbench")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// benchBuild builds packages with go build into a temporary directory and
// returns the binaries' paths.
func benchBuild(b *testing.B, pkgs ...string) []string {
	b.Helper()
	dir := b.TempDir()
	goBin := "go"
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); runtime.GOROOT() != "" {
		if _, err := os.Stat(p); err == nil {
			goBin = p
		}
	}
	var out []string
	for _, pkg := range pkgs {
		bin := filepath.Join(dir, filepath.Base(pkg))
		cmd := exec.Command(goBin, "build", "-o", bin, pkg)
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("go build %s: %v\n%s", pkg, err, msg)
		}
		out = append(out, bin)
	}
	return out
}

// benchProc is a server or client process of a benchmark.
type benchProc struct {
	name    string
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	lines   chan string
	logPath string
	done    chan struct{}
	waitErr error
}

// benchStart starts argv (under taskset -c 0 when pinned) with env added
// to the environment; stdout lines arrive on lines, stderr goes to a file
// shown when something fails. It is stopped with SIGTERM at cleanup.
func benchStart(b *testing.B, pinned bool, env []string, argv ...string) *benchProc {
	b.Helper()
	if pinned {
		argv = append([]string{"taskset", "-c", "0"}, argv...)
	}
	p := &benchProc{name: filepath.Base(argv[0]), lines: make(chan string, 16), done: make(chan struct{})}
	if pinned {
		p.name = filepath.Base(argv[3])
	}
	logf, err := os.CreateTemp("", "hwbench-*.log")
	if err != nil {
		b.Fatal(err)
	}
	p.logPath = logf.Name()
	b.Cleanup(func() { os.Remove(p.logPath) })
	p.cmd = exec.Command(argv[0], argv[1:]...)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stderr = logf
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		b.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		b.Fatalf("start %s: %v", argv[0], err)
	}
	logf.Close()
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
		p.waitErr = p.cmd.Wait()
		close(p.done)
	}()
	b.Cleanup(p.stop)
	return p
}

func (p *benchProc) log() string {
	msg, _ := os.ReadFile(p.logPath)
	if len(msg) > 4000 {
		msg = msg[len(msg)-4000:]
	}
	return string(msg)
}

// line waits for the next stdout line starting with prefix.
func (p *benchProc) line(b *testing.B, prefix string) string {
	b.Helper()
	t := time.NewTimer(benchStartTimeout)
	defer t.Stop()
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				<-p.done
				b.Fatalf("%s exited (%v) before printing %q; stderr:\n%s", p.name, p.waitErr, prefix, p.log())
			}
			if strings.HasPrefix(l, prefix) {
				return l
			}
		case <-t.C:
			b.Fatalf("%s did not print %q within %v; stderr:\n%s", p.name, prefix, benchStartTimeout, p.log())
		}
	}
}

func (p *benchProc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// benchStartServe runs headway serve on a socket in a temporary directory
// and returns the socket's path once it accepts connections.
func benchStartServe(b *testing.B, bin string, pinned bool, args ...string) string {
	b.Helper()
	path := filepath.Join(benchTempDir(b), "wayland-bench")
	p := benchStart(b, pinned, nil, append([]string{bin, "serve", "--socket", path}, args...)...)
	l := p.line(b, "WAYLAND_DISPLAY=")
	if got := strings.TrimPrefix(l, "WAYLAND_DISPLAY="); got != path {
		b.Fatalf("headway serve listens on %q, want %q", got, path)
	}
	benchWaitReady(b, p, path)
	return path
}

// benchStartWeston runs weston 10's headless backend with the pixman
// renderer at 1920x1080 (desktop shell: kiosk-shell never repaints on the
// headless backend here) and returns its socket's path once a round trip
// works.
func benchStartWeston(b *testing.B, pinned bool) string {
	b.Helper()
	if _, err := exec.LookPath("weston"); err != nil {
		b.Fatalf("weston is not installed (apt-get install weston): %v", err)
	}
	dir := benchTempDir(b)
	if err := os.Chmod(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	p := benchStart(b, pinned, []string{"XDG_RUNTIME_DIR=" + dir, "WAYLAND_DISPLAY=", "DISPLAY="},
		"weston", "--backend=headless-backend.so", "--use-pixman", "--width=1920", "--height=1080",
		"--socket=wayland-bench", "--no-config", "--idle-time=0")
	path := filepath.Join(dir, "wayland-bench")
	benchWaitReady(b, p, path)
	return path
}

// benchWaitReady waits until a sync round trip on path works.
func benchWaitReady(b *testing.B, p *benchProc, path string) {
	b.Helper()
	deadline := time.Now().Add(benchStartTimeout)
	for {
		c, err := benchDialRaw(path)
		if err == nil {
			err = c.roundtrip()
			c.close()
			if err == nil {
				return
			}
		}
		select {
		case <-p.done:
			b.Fatalf("%s exited (%v); stderr:\n%s", p.name, p.waitErr, p.log())
		default:
		}
		if time.Now().After(deadline) {
			b.Fatalf("%s not answering on %s within %v: %v; stderr:\n%s", p.name, path, benchStartTimeout, err, p.log())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// benchStartClients runs benchclient -mode surfaces against path and waits
// until every surface has had a frame callback.
func benchStartClients(b *testing.B, bin, path string, pinned bool, args ...string) *benchProc {
	b.Helper()
	p := benchStart(b, pinned, []string{"WAYLAND_DISPLAY=" + path}, append([]string{bin, "-mode", "surfaces"}, args...)...)
	p.line(b, "ready")
	return p
}

// finish closes the clients' stdin and returns the frame callbacks they
// got since ready and over how long.
func (p *benchProc) finish(b *testing.B) (frames uint64, ns int64) {
	b.Helper()
	p.stdin.Close()
	f := strings.Fields(p.line(b, "frames "))
	if len(f) != 3 {
		b.Fatalf("benchclient printed %q", f)
	}
	frames, err1 := strconv.ParseUint(f[1], 10, 64)
	ns, err2 := strconv.ParseInt(f[2], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		b.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(benchStartTimeout):
		b.Fatalf("benchclient did not exit")
	}
	return frames, ns
}
