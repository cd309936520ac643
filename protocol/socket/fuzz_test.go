package socket

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	f.Fuzz(func(t *testing.T, v string) {
		fd, err := parseSocketEnv(v)
		if err != nil {
			assert.Equal(t, -1, fd)
			return
		}
		assert.GreaterOrEqual(t, fd, 0)
	})
}
