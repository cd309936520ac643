package crc

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The names ParseSource takes, at each edge of its rule: "auto", and
// "plane<id>" with the id a decimal in 1..2^32-1 without sign or leading
// zero. Everything else is EINVAL, the errno of every driver's
// verify_crc_source for a name it does not know.
func TestParseSourceEdges(t *testing.T) {
	cases := []struct {
		in    string
		plane uint32
		ok    bool
	}{
		{"auto", 0, true},
		{"plane1", 1, true},
		{"plane9", 9, true},
		{"plane10", 10, true},
		{"plane4294967295", 0xffffffff, true},
		{"plane4294967296", 0, false},  // past u32
		{"plane9999999999", 0, false},  // ten digits, past u32
		{"plane10000000000", 0, false}, // eleven digits
		{"plane0", 0, false},
		{"plane01", 0, false},
		{"plane/", 0, false}, // '0'-1
		{"plane:", 0, false}, // '9'+1
		{"plane1/", 0, false},
		{"plane1:", 0, false},
		{"plane", 0, false},
		{"Plane1", 0, false},
		{"auto\n", 0, false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			src, err := ParseSource([]byte(c.in))
			if !c.ok {
				require.ErrorIs(t, err, syscall.EINVAL)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.plane, src.Plane)
		})
	}
}

// The kernel's limits at their edges: DRM_MAX_CRC_NR values per entry, and
// control writes up to PAGE_SIZE-1 bytes (a longer one is E2BIG before its
// content is looked at).
func TestLimitsAtTheirEdges(t *testing.T) {
	for _, tc := range []struct {
		values int
		ok     bool
	}{{MaxValues, true}, {MaxValues + 1, false}, {-1, false}, {1, true}} {
		c, err := New(Config{Values: tc.values})
		if tc.ok {
			require.NoError(t, err, "%d values", tc.values)
			assert.Equal(t, tc.values, c.Values())
		} else {
			require.ErrorIs(t, err, syscall.EINVAL, "%d values", tc.values)
		}
	}

	c, err := New(Config{})
	require.NoError(t, err)
	longest := make([]byte, PageSize-1)
	for i := range longest {
		longest[i] = 'x'
	}
	_, err = c.WriteControl(longest)
	require.ErrorIs(t, err, syscall.EINVAL, "PAGE_SIZE-1 bytes are read, and the name is unknown")
	_, err = c.WriteControl(append(longest, 'x'))
	require.ErrorIs(t, err, syscall.E2BIG)
}

// The ring's count and the reader's wake-ups after the tail has moved:
// every entry added is read, one per read, without waiting.
func TestRingAfterTheTailMoves(t *testing.T) {
	c, err := New(Config{})
	require.NoError(t, err)
	r, err := c.Open(true)
	require.NoError(t, err)
	defer r.Close()
	for f := uint64(1); f <= 5; f++ {
		require.NoError(t, c.AddEntry(f, uint32(f)))
	}
	buf := make([]byte, LineLen(1))
	for i := 0; i < 2; i++ {
		_, err := r.Read(buf)
		require.NoError(t, err)
	}
	assert.Equal(t, 3, c.Pending())
	for i := 0; i < 3; i++ {
		_, err := r.Read(buf)
		require.NoError(t, err, "entry %d is ready without waiting", i+3)
	}
	assert.Equal(t, 0, c.Pending())
	_, err = r.Read(buf)
	require.ErrorIs(t, err, syscall.EAGAIN)
}
