package modeinfo

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzDecodeValidate feeds arbitrary MODE_ID blob payloads, as a client
// may create any blob it likes.
func FuzzDecodeValidate(f *testing.F) {
	m, _ := DMT(1920, 1080, 60)
	f.Add(m.Append(nil))
	f.Add(make([]byte, Size))
	f.Add([]byte{1, 2, 3})
	bad := m
	bad.Flags |= FlagPicARMask
	f.Add(bad.Append(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if len(b) != Size {
			require.Error(t, err)
			return
		}
		require.NoError(t, err)
		_ = m.Validate()
		_, _ = m.Period()
		_ = m.RefreshRate()
		_ = m.String()
		require.True(t, m.Equal(&m))
		require.LessOrEqual(t, len(m.NameString()), NameLen-1)
		enc := m.Append(nil)
		require.True(t, bytes.Equal(b, enc), "Append(Decode(b)) == b")
		again, err := Decode(enc)
		require.NoError(t, err)
		require.Equal(t, m, again)
	})
}

// FuzzCVT checks that CVT never panics and only returns valid modes, since
// user-written profiles choose its inputs.
func FuzzCVT(f *testing.F) {
	f.Add(1920, 1080, 60, false, false, false)
	f.Add(2560, 1440, 60, true, false, false)
	f.Add(720, 480, 30, false, true, true)
	f.Fuzz(func(t *testing.T, h, v, r int, reduced, interlaced, margins bool) {
		m, err := CVT(h, v, r, reduced, interlaced, margins)
		if err != nil {
			return
		}
		require.NoError(t, m.Validate())
		_, err = m.Period()
		require.NoError(t, err)
	})
}
