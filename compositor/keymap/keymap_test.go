package keymap

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// generatorVersion is the libxkbcommon whose xkbcli made us.xkb (doc.go).
const generatorVersion = "1.5.0"

// xkbcli finds libxkbcommon's command line tool. Its absence is a failure,
// not a skip: without it nothing shows the keymap compiles.
func xkbcli(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("xkbcli")
	if err != nil {
		t.Fatalf("xkbcli not found (%v): apt-get install libxkbcommon-tools (scripts/test-deps installs it)", err)
	}
	return path
}

// compile has libxkbcommon parse the keymap file and print it back. The
// verdict comes from the output, not the exit status: xkbcli 1.5 with
// --from-xkb exits 1 after printing a keymap and 0 after failing to parse.
func compile(t *testing.T, file string) (out, stderr string) {
	t.Helper()
	bin := xkbcli(t)
	help, _ := exec.Command(bin, "compile-keymap", "--help").CombinedOutput()
	var cmd *exec.Cmd
	switch {
	case bytes.Contains(help, []byte("--from-xkb")):
		cmd = exec.Command(bin, "compile-keymap", "--from-xkb")
		f, err := os.Open(file)
		require.NoError(t, err)
		defer f.Close()
		cmd.Stdin = f
	case bytes.Contains(help, []byte("--keymap")):
		cmd = exec.Command(bin, "compile-keymap", "--keymap="+file)
	default:
		t.Fatalf("xkbcli compile-keymap has neither --from-xkb nor --keymap:\n%s", help)
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !assert.ErrorAs(t, err, &exit, "xkbcli did not run") {
		t.FailNow()
	}
	return o.String(), e.String()
}

func TestTextCompilesWithLibxkbcommon(t *testing.T) {
	file := t.TempDir() + "/us.xkb"
	require.NoError(t, os.WriteFile(file, Text(), 0o644))
	out, stderr := compile(t, file)
	assert.NotContains(t, stderr, "ERROR", "libxkbcommon rejected the keymap")
	require.True(t, strings.HasPrefix(out, "xkb_keymap {"), "xkbcli printed no keymap; stderr:\n%s", stderr)
	assert.Contains(t, out, "<AC01>")

	// The generator's own version prints a compiled keymap back unchanged
	// (but for the trailing newline), so us.xkb is exactly its output.
	v, err := exec.Command(xkbcli(t), "--version").Output()
	require.NoError(t, err)
	if strings.TrimSpace(string(v)) == generatorVersion {
		assert.Equal(t, strings.TrimRight(string(Text()), "\n"), strings.TrimRight(out, "\n"))
	}
}

// The verdict of compile must tell a broken keymap from a good one whatever
// xkbcli's exit status says.
func TestCompileRejectsGarbage(t *testing.T) {
	file := t.TempDir() + "/bad.xkb"
	require.NoError(t, os.WriteFile(file, []byte("xkb_keymap { garbage"), 0o644))
	out, stderr := compile(t, file)
	assert.False(t, strings.HasPrefix(out, "xkb_keymap {"), out)
	assert.Contains(t, stderr, "ERROR")
}

func TestTextIsFullyCompiled(t *testing.T) {
	text := string(Text())
	require.True(t, strings.HasPrefix(text, "xkb_keymap {"))
	assert.NotRegexp(t, `(?m)^\s*(include|augment|override|replace)\s+"`, text, "a client would need xkb-data")
	assert.NotContains(t, text, "\x00", "the NUL belongs to NewFD only")
	for _, section := range []string{"xkb_keycodes", "xkb_types", "xkb_compatibility", "xkb_symbols"} {
		assert.Regexp(t, `(?m)^`+section+` "[^"]*" \{`, text)
	}
}

// Evdev KEY_A is 30, xkb keycode 30+8; the US layout gives it a and A.
func TestKeyAIsA(t *testing.T) {
	text := string(Text())
	assert.Regexp(t, `(?m)^\s*<AC01>\s*=\s*38;`, text)
	assert.Regexp(t, `(?m)^\s*key <AC01>\s*\{\s*\[\s*a,\s*A\s*\]\s*\};`, text)
	// No other key name claims 38.
	assert.Len(t, regexp.MustCompile(`(?m)^\s*<[A-Z0-9]+>\s*=\s*38;`).FindAllString(text, -1), 1)
}

func TestTextIsACopy(t *testing.T) {
	a := Text()
	a[0] = 'X'
	assert.Equal(t, byte('x'), Text()[0])
}

func TestNewFD(t *testing.T) {
	fd, size, err := NewFD()
	require.NoError(t, err)
	defer unix.Close(fd)
	want := append(Text(), 0)
	assert.Equal(t, uint32(len(want)), size)

	got, err := unix.FcntlInt(uintptr(fd), unix.F_GET_SEALS, 0)
	require.NoError(t, err)
	assert.Equal(t, unix.F_SEAL_SHRINK|unix.F_SEAL_GROW|unix.F_SEAL_WRITE|unix.F_SEAL_SEAL, got)

	flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	require.NoError(t, err)
	assert.NotZero(t, flags&unix.FD_CLOEXEC, "close-on-exec")

	var st unix.Stat_t
	require.NoError(t, unix.Fstat(fd, &st))
	assert.Equal(t, int64(size), st.Size)

	// Mapped as v7 clients must map it.
	m, err := unix.Mmap(fd, 0, int(size), unix.PROT_READ, unix.MAP_PRIVATE)
	require.NoError(t, err)
	defer unix.Munmap(m)
	assert.True(t, bytes.Equal(want, m), "memfd holds the text and one NUL")

	// The seals hold: no write, no resize, no writable shared mapping.
	_, err = unix.Pwrite(fd, []byte("x"), 0)
	assert.ErrorIs(t, err, unix.EPERM)
	assert.ErrorIs(t, unix.Ftruncate(fd, 1), unix.EPERM)
	assert.ErrorIs(t, unix.Ftruncate(fd, int64(size)+1), unix.EPERM)
	_, err = unix.Mmap(fd, 0, int(size), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	assert.ErrorIs(t, err, unix.EPERM)
	_, err = unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, unix.F_SEAL_FUTURE_WRITE)
	assert.ErrorIs(t, err, unix.EPERM)

	// The offset stays at 0 for a client that reads rather than maps.
	off, err := unix.Seek(fd, 0, io.SeekCurrent)
	require.NoError(t, err)
	assert.Zero(t, off)
}

func TestNewFDIsFreshEachTime(t *testing.T) {
	a, _, err := NewFD()
	require.NoError(t, err)
	defer unix.Close(a)
	b, _, err := NewFD()
	require.NoError(t, err)
	defer unix.Close(b)
	var sa, sb unix.Stat_t
	require.NoError(t, unix.Fstat(a, &sa))
	require.NoError(t, unix.Fstat(b, &sb))
	assert.NotEqual(t, sa.Ino, sb.Ino, "one file per client, so no shared offset")
}
