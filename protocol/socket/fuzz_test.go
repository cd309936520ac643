package socket

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// FuzzResolvePath feeds the two untrusted inputs of Listen (the display name,
// usually from WAYLAND_DISPLAY, and XDG_RUNTIME_DIR) to the path rules.
func FuzzResolvePath(f *testing.F) {
	f.Add("wayland-0", "/run/user/1000")
	f.Add("/tmp/abs", "")
	f.Add("", "/run")
	f.Add("wayland\x00-1", "/run")
	f.Add("w", "relative")
	f.Add(strings.Repeat("n", 120), "/r")
	f.Add("../x", "/run/user/0")
	f.Fuzz(func(t *testing.T, name, dir string) {
		p, err := resolvePath(name, dir)
		if err != nil {
			assert.Empty(t, p)
			return
		}
		require.NotEmpty(t, p)
		assert.Equal(t, byte('/'), p[0], "resolved path must be absolute")
		assert.Less(t, len(p), sunPathMax, "path plus NUL must fit sun_path")
		assert.NotContains(t, p, "\x00")
		assert.True(t, strings.HasSuffix(p, name))
	})
}

// FuzzParseSocketEnv feeds WAYLAND_SOCKET values, which come from whoever
// launched the process.
func FuzzParseSocketEnv(f *testing.F) {
	for _, s := range []string{"3", " 4", "+5", "-1", "", "0x3", "3\x00", "99999999999999999999"} {
		f.Add(s)
	}
	for _, s := range []string{"007", "-0", "2147483647", "2147483648", "\t\v\f\r\n 8", "8 ", "+", "+-1", "1_0", "\u00a01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		fd, err := parseSocketEnv(v)
		want, ok := modelSocketEnv(v)
		if !ok {
			require.Error(t, err, "accepted as %d", fd)
			assert.ErrorIs(t, err, unix.EBADF)
			assert.Equal(t, -1, fd)
			return
		}
		require.NoError(t, err)
		assert.Equal(t, want, fd)
		// The number is all there is: it prints back as the input less
		// the leading space, the sign and the leading zeros.
		assert.Equal(t, canonicalDecimal(v), strconv.Itoa(fd))
		again, err := parseSocketEnv(strconv.Itoa(fd))
		require.NoError(t, err)
		assert.Equal(t, fd, again)
	})
}

// modelSocketEnv is libwayland's check spelled out byte by byte: strtol's
// leading isspace and optional sign, at least one digit, nothing after
// the digits, no overflow of an int fd, and not negative (-0 is 0).
func modelSocketEnv(v string) (int, bool) {
	i := 0
	for i < len(v) && strings.IndexByte(" \t\n\v\f\r", v[i]) >= 0 {
		i++
	}
	neg := false
	if i < len(v) && (v[i] == '+' || v[i] == '-') {
		neg = v[i] == '-'
		i++
	}
	if i == len(v) {
		return -1, false
	}
	n := 0
	for ; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return -1, false
		}
		n = n*10 + int(c-'0')
		if n > math.MaxInt32 {
			return -1, false
		}
	}
	if neg && n != 0 {
		return -1, false
	}
	return n, true
}

// canonicalDecimal strips what strtol skips or ignores from an accepted
// value, leaving what strconv.Itoa prints for it.
func canonicalDecimal(v string) string {
	v = strings.TrimLeft(v, " \t\n\v\f\r")
	v = strings.TrimLeft(strings.TrimLeft(v, "+-"), "0")
	if v == "" {
		return "0"
	}
	return v
}
