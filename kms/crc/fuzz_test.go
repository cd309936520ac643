package crc

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

func FuzzWriteControl(f *testing.F) {
	for _, s := range []string{"auto", "auto\n", "plane1", "plane4294967295\n", "plane0", "foo", "", "\n", "plane01"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := New(Config{VerifyPlane: func(uint32) error { return nil }})
		require.NoError(t, err)
		n, err := c.WriteControl(in)
		if err != nil {
			require.Zero(t, n)
			require.Equal(t, Auto, c.Source())
			return
		}
		require.Equal(t, len(in), n)
		if n == 0 {
			return
		}
		// Accepted names are canonical: they read back as written.
		name := in
		if name[len(name)-1] == '\n' {
			name = name[:len(name)-1]
		}
		require.Equal(t, string(name), c.Source().String())
		src, err := ParseSource(c.Source().AppendText(nil))
		require.NoError(t, err)
		require.Equal(t, c.Source(), src)
	})
}

func FuzzParseSource(f *testing.F) {
	for _, s := range []string{"auto", "plane7", "plane", "plane99999999999", "x"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		src, err := ParseSource(in)
		if err != nil {
			require.ErrorIs(t, err, syscall.EINVAL)
			return
		}
		require.Equal(t, string(in), src.String())
	})
}
