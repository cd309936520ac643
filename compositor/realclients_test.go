package compositor_test

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/compositor"
	"github.com/headwaywl/headway/compositor/neglog"
	"github.com/headwaywl/headway/kms/profile"
	"github.com/headwaywl/headway/protocol/headwaytest"
	"github.com/headwaywl/headway/protocol/wire"
)

// These tests drive unmodified Debian clients. A missing program fails
// the test with the package to install (make test installs them).

func need(t *testing.T, prog, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(prog)
	if err != nil {
		t.Fatalf("%s is not installed: apt-get install %s (make test does this as root)", prog, pkg)
	}
	return p
}

// client starts prog against the rig with WAYLAND_DEBUG=1 so its trace
// can be checked for protocol errors.
type runningClient struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	done   chan error
}

func (r *rig) start(t *testing.T, env []string, prog string, args ...string) *runningClient {
	t.Helper()
	cmd := exec.Command(prog, args...)
	cmd.Env = append(os.Environ(), "WAYLAND_DISPLAY="+r.path, "WAYLAND_DEBUG=1", "XDG_RUNTIME_DIR="+t.TempDir())
	cmd.Env = append(cmd.Env, env...)
	rc := &runningClient{cmd: cmd, stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stderr = rc.stderr
	cmd.Stdout = rc.stderr
	require.NoError(t, cmd.Start())
	go func() { rc.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-rc.done
	})
	return rc
}

// stop kills the client and returns its trace.
func (rc *runningClient) stop() string {
	_ = rc.cmd.Process.Kill()
	<-rc.done
	rc.done <- nil
	return rc.stderr.String()
}

func (rc *runningClient) wait(t *testing.T) (int, string) {
	t.Helper()
	select {
	case err := <-rc.done:
		rc.done <- err
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			code = -1
		}
		return code, rc.stderr.String()
	case <-ctxT(t).Done():
		t.Fatalf("%s did not exit", rc.cmd.Path)
		return 0, ""
	}
}

// requireCleanTrace checks a WAYLAND_DEBUG=1 client trace for protocol
// errors.
func requireCleanTrace(t *testing.T, trace string) {
	t.Helper()
	for _, bad := range []string{"wl_display@1.error(", "wl_display#1.error(", "Protocol error", "protocol error"} {
		require.NotContains(t, trace, bad, "client trace:\n%s", tail(trace))
	}
	require.Contains(t, trace, "wl_display@1.get_registry", "WAYLAND_DEBUG=1 trace missing:\n%s", tail(trace))
}

func tail(s string) string {
	if len(s) > 4000 {
		return "..." + s[len(s)-4000:]
	}
	return s
}

func TestWaylandInfoListsEveryGlobal(t *testing.T) {
	prog := need(t, "wayland-info", "wayland-utils")
	r := startRig(t, compositor.Config{Profile: fullVKMS(t), Clock: compositor.Manual})
	code, out := r.start(t, nil, prog).wait(t)
	require.Equal(t, 0, code, out)
	requireCleanTrace(t, out)
	re := regexp.MustCompile(`interface: '([a-z0-9_]+)',\s+version:\s+(\d+)`)
	got := map[string]int{}
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.Atoi(m[2])
		got[m[1]] = v
	}
	assert.Equal(t, map[string]int{
		"wl_compositor": 6, "wl_subcompositor": 1, "wl_shm": 2, "wl_output": 4,
		"xdg_wm_base": 6, "wl_seat": 9, "wl_data_device_manager": 3, "wp_viewporter": 1,
		"wp_presentation": 2, "wp_single_pixel_buffer_manager_v1": 1, "headway_test_v1": 2,
		"zwp_linux_dmabuf_v1": 5, "wp_linux_drm_syncobj_manager_v1": 1,
		"zwp_linux_explicit_synchronization_v1": 2,
	}, got)
	// The default feedback: headway's fake main device (dev_t 4095:1048575,
	// printed as the raw value) and vkms's render set, every format LINEAR.
	assert.Contains(t, out, "main device: 0xFFFFFFFF")
	assert.Contains(t, out, "target device: 0xFFFFFFFF")
	for _, f := range []string{"'XR24'", "'AR24'", "'XR48'", "'NV12'"} {
		assert.Contains(t, out, f+"; 0x0000000000000000 = LINEAR")
	}
	assert.NotContains(t, out, "TILED", "vkms has no GPU: LINEAR only")
}

// frameCRCs runs weston-simple-shm on a lockstep compositor until frame n
// and returns the CRCs of frames 1..n.
func simpleShmRun(t *testing.T, n uint64) []uint32 {
	prog := need(t, "weston-simple-shm", "weston")
	r := startRig(t, compositor.Config{Profile: fullVKMS(t), Clock: compositor.Lockstep})
	rc := r.start(t, nil, prog)
	require.NoError(t, r.comp.WaitFrame(ctxT(t), n))
	trace := rc.stop()
	requireCleanTrace(t, trace)
	crcs := make([]uint32, n)
	for i := range crcs {
		crcs[i] = r.crc(uint64(i + 1))
	}
	return crcs
}

func TestWestonSimpleShmLockstepIsDeterministic(t *testing.T) {
	const n = 30
	a := simpleShmRun(t, n)
	b := simpleShmRun(t, n)
	require.Equal(t, a, b, "two lockstep runs give the same CRC sequence")
	// simple-shm animates from the frame callback's time: once it shows,
	// every frame differs from the one before.
	first := 0
	for first < n && a[first] == a[0] {
		first++
	}
	require.Less(t, first, n/2, "content appears early")
	for i := first + 1; i < n; i++ {
		assert.NotEqual(t, a[i-1], a[i], "frames %d and %d", i, i+1)
	}
}

// waitContent waits (on frames, with the test's deadline) until a frame's
// CRC differs from the black output's.
func waitContent(t *testing.T, r *rig, rc *runningClient) uint64 {
	t.Helper()
	ctx := ctxT(t)
	black, ok := r.comp.CRC(1)
	for seq := uint64(2); ; seq++ {
		if err := r.comp.WaitFrame(ctx, seq); err != nil {
			t.Fatalf("no frame with content before the deadline: %v\n%s", err, tail(rc.stderr.String()))
		}
		if v, ok2 := r.comp.CRC(seq); ok && ok2 && v != black {
			return seq
		}
		if !ok {
			black, ok = r.comp.CRC(seq)
		}
	}
}

func TestWestonSimpleEGLSoftware(t *testing.T) {
	prog := need(t, "weston-simple-egl", "weston")
	need(t, "true", "coreutils")
	r := startRig(t, compositor.Config{Profile: fullVKMS(t), Clock: compositor.Realtime})
	rc := r.start(t, []string{"LIBGL_ALWAYS_SOFTWARE=1"}, prog)
	waitContent(t, r, rc)
	requireCleanTrace(t, rc.stop())
}

func TestFootStarts(t *testing.T) {
	prog := need(t, "foot", "foot")
	r := startRig(t, compositor.Config{Profile: fullVKMS(t), Clock: compositor.Realtime})
	// foot runs the command in its terminal and exits with its status once
	// the window has been mapped with a seat and a keymap.
	rc := r.start(t, nil, prog, "sh", "-c", "exit 7")
	code, out := rc.wait(t)
	requireCleanTrace(t, out)
	require.Equal(t, 7, code, "foot exits with its child's status:\n%s", tail(out))
	require.Contains(t, out, "wl_keyboard@", "foot got a keyboard")
	require.Contains(t, out, ".keymap(1, fd", "foot got the xkb_v1 keymap")
}

func TestGtk4WidgetFactoryStarts(t *testing.T) {
	prog := need(t, "gtk4-widget-factory", "gtk-4-examples")
	r := startRig(t, compositor.Config{Profile: fullVKMS(t), Clock: compositor.Realtime})
	rc := r.start(t, []string{"GSK_RENDERER=cairo", "GTK_A11Y=none", "NO_AT_BRIDGE=1"}, prog)
	waitContent(t, r, rc)
	requireCleanTrace(t, rc.stop())
}

// TestLauncherNamesClientByPid: a launcher names the client it starts by
// pid; every log line of that client carries the name, whichever of the
// naming and the connection reaches the compositor first.
func TestLauncherNamesClientByPid(t *testing.T) {
	prog := need(t, "wayland-info", "wayland-utils")
	var log lockedBuffer
	r := startRig(t, compositor.Config{Profile: fullVKMS(t), Clock: compositor.Manual, NegotiationLog: &log})
	launcher := r.dial()
	test := launcher.bind("headway_test_v1")
	launcher.send(test, headwaytest.HeadwayTestV1RequestSetClientName, func(e *wire.Encoder) { e.String("launcher") })
	cmd := exec.Command(prog)
	cmd.Env = append(os.Environ(), "WAYLAND_DISPLAY="+r.path)
	require.NoError(t, cmd.Start())
	launcher.send(test, headwaytest.HeadwayTestV1RequestNameClientPid, func(e *wire.Encoder) { e.Uint(uint32(cmd.Process.Pid)); e.String("info-under-test") })
	launcher.sync()
	require.NoError(t, cmd.Wait())
	launcher.Close()
	r.comp.Close()
	<-r.done
	r.done <- nil
	log.mu.Lock()
	defer log.mu.Unlock()
	var binds int
	rd := neglog.NewReader(bytes.NewReader(log.b.Bytes()))
	for {
		ev, err := rd.Next()
		if err != nil {
			break
		}
		if ev.Client == "" || ev.Client == "launcher" {
			continue
		}
		require.Equal(t, "info-under-test", ev.Client, "line %d", rd.Line())
		require.NotEqual(t, neglog.TypeClientName, ev.Type, "a name given before any line was written is no event")
		if ev.Type == neglog.TypeBind {
			binds++
		}
		if ev.Type == neglog.TypeClientConnect {
			_, ok := ev.GetVol("pid")
			require.True(t, ok, "the pid is volatile")
		}
	}
	require.Positive(t, binds, "wayland-info binds globals under its given name")
}

// fullVKMS is vkms as the profile defines it: real clients see its
// preferred mode.
func fullVKMS(t *testing.T) *profile.Profile {
	p, err := profile.Load("vkms")
	require.NoError(t, err)
	return p
}
