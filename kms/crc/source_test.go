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
