package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/compositor/neglog"
)

// TestMain lets the test binary run as the headway command, so serve can be
// tested as a real process receiving real signals.
func TestMain(m *testing.M) {
	if args := os.Getenv("HEADWAY_TEST_RUN_MAIN"); args != "" {
		os.Exit(run(strings.Fields(args), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestServeAnnouncesSocketAndCleansUpOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			logPath := filepath.Join(dir, "neg.jsonl")
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "XDG_RUNTIME_DIR="+dir,
				"HEADWAY_TEST_RUN_MAIN=serve --socket hw-serve-test --clock manual --log-file "+logPath)
			out, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			t.Cleanup(func() { _ = cmd.Process.Kill() })

			line, err := bufio.NewReader(out).ReadString('\n')
			require.NoError(t, err)
			require.Equal(t, "WAYLAND_DISPLAY=hw-serve-test\n", line)
			sock := filepath.Join(dir, "hw-serve-test")
			// It accepts connections once it has said so.
			c, err := rawwire.Dial(sock)
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, globals, err := c.Registry(ctx)
			require.NoError(t, err)
			assert.GreaterOrEqual(t, len(globals), 11)
			c.Close()

			require.NoError(t, cmd.Process.Signal(sig))
			select {
			case err := <-done:
				require.NoError(t, err, "serve exits 0 on %v", sig)
			case <-ctx.Done():
				t.Fatalf("serve did not stop on %v", sig)
			}
			assert.NoFileExists(t, sock)
			assert.NoFileExists(t, sock+".lock")
			f, err := os.Open(logPath)
			require.NoError(t, err)
			defer f.Close()
			ev, err := neglog.NewReader(f).Next()
			require.NoError(t, err)
			assert.Equal(t, neglog.TypeOutput, ev.Type, "the log starts with the output line")
		})
	}
}

func TestServeUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--clock", "sometimes"}, "unknown clock"},
		{[]string{"--size", "12"}, "WIDTHxHEIGHT"},
		{[]string{"--profile", "nope"}, "nope"},
		{[]string{"--primary-format", "NOPE"}, "--primary-format"},
		{[]string{"extra"}, "unexpected argument"},
		{[]string{"--dmabuf-strict", "maybe"}, "want on or off"},
	} {
		var out, errOut strings.Builder
		code := run(append([]string{"serve"}, tc.args...), &out, &errOut)
		assert.Equal(t, exitUsage, code, "%v", tc.args)
		assert.Contains(t, errOut.String(), tc.want, "%v", tc.args)
		assert.Empty(t, out.String(), "%v", tc.args)
	}
}
