package compose

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCRCLEMatchesKernelCheckValues(t *testing.T) {
	// The reference's check values for "123456789".
	assert.Equal(t, uint32(0x2dfd2d88), crcLE(0, []byte("123456789")))
	assert.Equal(t, uint32(0x340bc6d9), crcLE(^uint32(0), []byte("123456789")))
}

func TestCRCCombine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}, {7, 9}, {100, 3}, {15360, 15360}, {3, 4096}} {
		a := make([]byte, n[0])
		b := make([]byte, n[1])
		for i := range a {
			a[i] = byte(rng.Uint32())
		}
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		whole := crcLE(crcLE(0, a), b)
		got := crcCombine(crcLE(0, a), crcLE(0, b), xPow8n(uint64(len(b))))
		require.Equal(t, whole, got, "lengths %v", n)
	}
}

func TestXPow8nIsZeroBytes(t *testing.T) {
	// Advancing a state over n zero bytes with the table must equal the
	// multiplication by x^(8n).
	zeros := make([]byte, 1000)
	for _, c := range []uint32{1, 0xdeadbeef, 0x80000000} {
		for _, n := range []int{0, 1, 2, 5, 64, 1000} {
			require.Equal(t, crcLE(c, zeros[:n]), mulModP(c, xPow8n(uint64(n))), "c=%#x n=%d", c, n)
		}
	}
}
