package socket

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

const childEnv = "HEADWAY_SOCKET_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(socketChild())
	}
	os.Exit(m.Run())
}

// socketChild plays a libwayland client launched with WAYLAND_SOCKET: it
// reports over the inherited socket what it found, so the parent asserts.
func socketChild() int {
	report := func() string {
		if v, ok := os.LookupEnv("WAYLAND_DISPLAY"); ok {
			return fmt.Sprintf("WAYLAND_DISPLAY still set to %q", v)
		}
		want := os.Getenv("HEADWAY_WANT_SOCKET")
		if got := os.Getenv("WAYLAND_SOCKET"); got != want {
			return fmt.Sprintf("WAYLAND_SOCKET=%q, want %q", got, want)
		}
		conn, ok, err := ConnFromEnv()
		if err != nil || !ok {
			return fmt.Sprintf("ConnFromEnv: ok=%v err=%v", ok, err)
		}
		defer conn.Close()
		if _, set := os.LookupEnv("WAYLAND_SOCKET"); set {
			return "WAYLAND_SOCKET not unset after use"
		}
		msg := "ok"
		if _, err := conn.Write([]byte(msg)); err != nil {
			return err.Error()
		}
		return ""
	}()
	if report != "" {
		// Best effort: tell the parent through the well-known fd.
		_, _ = os.NewFile(3, "ws").WriteString("child: " + report)
		return 1
	}
	return 0
}

func TestWaylandSocketHandoff(t *testing.T) {
	t.Setenv("WAYLAND_DISPLAY", "should-not-reach-child")
	server, client, err := Pair()
	require.NoError(t, err)
	defer server.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", "HEADWAY_WANT_SOCKET=3")
	require.NoError(t, ClientEnv(cmd, client))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	// The child has its copy; ours must go so EOF arrives when it exits.
	require.NoError(t, client.Close())

	require.NoError(t, server.SetReadDeadline(time.Now().Add(waitLimit)))
	got, err := io.ReadAll(server)
	require.NoError(t, err)
	werr := cmd.Wait()
	assert.Equal(t, "ok", string(got), "child stderr: %s", stderr.String())
	assert.NoError(t, werr)

	// SO_PEERCRED of a socketpair names its creator, this process.
	cred, err := PeerCred(server)
	require.NoError(t, err)
	assert.Equal(t, int32(os.Getpid()), cred.PID)
}

func TestClientEnv(t *testing.T) {
	other, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer other.Close()
	tests := []struct {
		name      string
		extra     []*os.File
		env       []string
		wantFD    string
		wantExtra int
	}{
		{name: "first extra file", wantFD: "3", wantExtra: 1,
			env: []string{"A=1", "WAYLAND_DISPLAY=wayland-1"}},
		{name: "after another extra file", extra: []*os.File{other}, wantFD: "4", wantExtra: 2,
			env: []string{"WAYLAND_SOCKET=9", "B=2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, client, err := Pair()
			require.NoError(t, err)
			defer client.Close()
			cmd := exec.Command("true")
			cmd.ExtraFiles = tc.extra
			cmd.Env = tc.env
			require.NoError(t, ClientEnv(cmd, client))
			require.Len(t, cmd.ExtraFiles, tc.wantExtra)
			assert.Same(t, client, cmd.ExtraFiles[tc.wantExtra-1])
			var sockets []string
			for _, kv := range cmd.Env {
				assert.False(t, strings.HasPrefix(kv, "WAYLAND_DISPLAY="), kv)
				if v, ok := strings.CutPrefix(kv, "WAYLAND_SOCKET="); ok {
					sockets = append(sockets, v)
				}
			}
			assert.Equal(t, []string{tc.wantFD}, sockets)
		})
	}
	assert.ErrorIs(t, ClientEnv(nil, other), unix.EINVAL)
	assert.ErrorIs(t, ClientEnv(exec.Command("true"), nil), unix.EINVAL)
}

func TestClientEnvInheritsEnvironment(t *testing.T) {
	t.Setenv("HEADWAY_INHERITED", "yes")
	_, client, err := Pair()
	require.NoError(t, err)
	defer client.Close()
	cmd := exec.Command("true")
	require.NoError(t, ClientEnv(cmd, client))
	assert.Contains(t, cmd.Env, "HEADWAY_INHERITED=yes")
}

func TestConnFromEnvUnset(t *testing.T) {
	t.Setenv("WAYLAND_SOCKET", "")
	require.NoError(t, os.Unsetenv("WAYLAND_SOCKET"))
	c, ok, err := ConnFromEnv()
	assert.Nil(t, c)
	assert.False(t, ok)
	assert.NoError(t, err)
}

func TestConnFromEnvBadValue(t *testing.T) {
	for _, v := range []string{"", "x", "3x", "-1", "99999999999", "1000000"} {
		t.Run(v, func(t *testing.T) {
			t.Setenv("WAYLAND_SOCKET", v)
			c, ok, err := ConnFromEnv()
			assert.Nil(t, c)
			assert.True(t, ok)
			assert.ErrorIs(t, err, unix.EBADF)
		})
	}
}

func TestParseSocketEnv(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"3", 3, true},
		{" 7", 7, true},
		{"+4", 4, true},
		{"0", 0, true},
		{"", -1, false},
		{"3 ", -1, false},
		{"-3", -1, false},
		{"0x3", -1, false},
		{"2147483648", -1, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseSocketEnv(tc.in)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, unix.EBADF)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}
