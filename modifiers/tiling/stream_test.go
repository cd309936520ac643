package tiling

import (
	"math/rand/v2"
	"testing"

	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/stretchr/testify/require"
)

// TestStreamMatchesRows forces the streaming kernels onto small planes and
// compares every byte of the linear destination, stride padding included,
// with the portable row path. The sizes cover partial last tiles, heights
// that are not whole quads or tiles, and strides with spare bytes.
func TestStreamMatchesRows(t *testing.T) {
	if !haveStream {
		t.Skip("no streaming kernels on this architecture; Detile always takes the row path")
	}
	old := streamMinBytes
	streamMinBytes = 0
	t.Cleanup(func() { streamMinBytes = old })

	sizes := [][2]int{{1, 1}, {32, 4}, {33, 7}, {130, 70}, {520, 37}, {1000, 64}, {257, 130}}
	kernels := map[streamPath]int{}
	for _, mc := range implemented() {
		tl, err := For(mc.mod, mc.cpp)
		require.NoError(t, err)
		for _, sz := range sizes {
			w, h := sz[0]*mc.cpp, sz[1]
			for _, pad := range []int{0, 48} {
				linStride := alignUp(w, 16) + pad
				stride := alignUp(w, tl.StrideAlign())
				size, err := tl.MinSize(stride, w, h)
				require.NoError(t, err)
				r := rand.New(rand.NewPCG(uint64(w), uint64(h)))
				tiled := make([]byte, size)
				for i := range tiled {
					tiled[i] = byte(r.Uint32())
				}
				got := make([]byte, (h-1)*linStride+w)
				want := make([]byte, len(got))
				for i := range got {
					got[i], want[i] = 0x5a, 0x5a
				}
				for y := 0; y < h; y++ {
					require.NoError(t, tl.DetileRow(want[y*linStride:], tiled, stride, h, y, w))
				}
				p := tl.streamPathFor(got, linStride, w, h)
				kernels[p]++
				require.NoError(t, tl.Detile(got, linStride, tiled, stride, w, h))
				require.Equal(t, want, got, "%#x cpp %d %dx%d linear stride %d (path %d)", uint64(mc.mod), mc.cpp, sz[0], h, linStride, p)
			}
		}
	}
	// The table must reach both kernels, or it proves nothing about them.
	require.NotZero(t, kernels[pathSpans], "no case used the span kernel")
	require.NotZero(t, kernels[pathQuads], "no case used the quad kernel")
}

// TestStreamPathChoice pins which layouts stream, so a change to the
// tables cannot silently send the benchmarked surfaces down the slow path.
func TestStreamPathChoice(t *testing.T) {
	if !haveStream {
		t.Skip("no streaming kernels on this architecture")
	}
	const w, h = 1920 * 4, 1080
	lin := make([]byte, w*h)
	for _, c := range []struct {
		name string
		mod  modifier.Modifier
		want streamPath
	}{
		{"linear", modifier.Linear, pathNone},
		{"X", modifier.IntelXTiled, pathSpans},
		{"Y", modifier.IntelYTiled, pathQuads},
		{"Yf", modifier.IntelYfTiled, pathQuads},
		{"4", modifier.Intel4Tiled, pathQuads},
		{"NVIDIA 16Bx2 h4", modifier.NVIDIA16Bx2Block(4), pathQuads},
		{"Samsung 64x32", modifier.Samsung64x32Tile, pathNone},
	} {
		t.Run(c.name, func(t *testing.T) {
			tl, err := For(c.mod, 4)
			require.NoError(t, err)
			require.Equal(t, c.want, tl.streamPathFor(lin, w, w, h))
			// Small planes, odd strides and unaligned destinations keep
			// ordinary stores.
			require.Equal(t, pathNone, tl.streamPathFor(lin, w, w, 16))
			require.Equal(t, pathNone, tl.streamPathFor(lin, w+4, w, h))
			require.Equal(t, pathNone, tl.streamPathFor(lin[4:], w, w, h))
		})
	}
}
