package formatset

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

const (
	devCard0   = 0xe200 // makedev(226, 0): /dev/dri/card0
	devRender0 = 0xe280 // makedev(226, 128): /dev/dri/renderD128
)

func TestMessageSize(t *testing.T) {
	tests := []struct{ n, want int }{
		{0, 12}, {1, 16}, {2, 16}, {3, 20}, {4, 20},
		{2041, 4096}, {2042, 4096}, {2043, 4100}, {2044, 4100},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, TrancheFormatsMessageSize(tc.n), "n=%d", tc.n)
	}
	assert.Equal(t, 2042, MaxIndicesPerMessage)
	assert.LessOrEqual(t, TrancheFormatsMessageSize(MaxIndicesPerMessage), MaxMessageSize)
	assert.Greater(t, TrancheFormatsMessageSize(MaxIndicesPerMessage+1), MaxMessageSize)
}

// oneFormat returns a set of n pairs: one format with n distinct modifiers.
func oneFormat(f fourcc.Format, n int) *Set {
	s := &Set{}
	for i := range n {
		s.Add(f, modifier.Code(modifier.VendorAMD, uint64(i)))
	}
	return s
}

func decodeChunks(t *testing.T, chunks [][]byte) []uint16 {
	t.Helper()
	var all []uint16
	for _, c := range chunks {
		idx, err := ParseIndices(c)
		require.NoError(t, err)
		all = append(all, idx...)
	}
	return all
}

func TestChunkBoundary(t *testing.T) {
	tests := []struct {
		pairs      int
		wantChunks []int // indices per chunk
	}{
		{1, []int{1}},
		{2041, []int{2041}},
		{2042, []int{2042}},
		{2043, []int{2042, 1}},
		{4084, []int{2042, 2042}},
		{4085, []int{2042, 2042, 1}},
		{65536, append(repeat(2042, 32), 65536-32*2042)},
	}
	for _, tc := range tests {
		fb, err := BuildFeedback([]Tranche{{TargetDevice: devRender0, Formats: oneFormat(xr24, tc.pairs)}})
		require.NoError(t, err, "%d pairs", tc.pairs)
		require.Len(t, fb.Tranches, 1)
		tr := fb.Tranches[0]
		var got []int
		largest := 0
		for _, c := range tr.Chunks {
			require.Equal(t, 0, len(c)%2)
			got = append(got, len(c)/2)
			largest = max(largest, TrancheFormatsMessageSize(len(c)/2))
		}
		assert.Equal(t, tc.wantChunks, got, "%d pairs", tc.pairs)
		assert.LessOrEqual(t, largest, MaxMessageSize)
		if tc.pairs > MaxIndicesPerMessage {
			// Full chunks sit exactly at the limit: one more index would
			// push the message past it.
			assert.Equal(t, MaxMessageSize, largest)
			assert.Greater(t, TrancheFormatsMessageSize(got[0]+1), MaxMessageSize)
		}
		assert.Equal(t, tr.Indices, decodeChunks(t, tr.Chunks))
		assert.Equal(t, tc.pairs, fb.Table.Len())
	}
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func TestBuildFeedbackTableLimit(t *testing.T) {
	_, err := BuildFeedback([]Tranche{{Formats: oneFormat(xr24, MaxTableEntries)}})
	require.NoError(t, err)

	_, err = BuildFeedback([]Tranche{{Formats: oneFormat(xr24, MaxTableEntries+1)}})
	require.ErrorIs(t, err, ErrTableTooLarge)

	// The limit counts distinct pairs across tranches, not per tranche.
	_, err = BuildFeedback([]Tranche{
		{TargetDevice: devCard0, Flags: FlagScanout, Formats: oneFormat(xr24, MaxTableEntries)},
		{TargetDevice: devRender0, Formats: oneFormat(xr24, MaxTableEntries)},
	})
	require.NoError(t, err)
	_, err = BuildFeedback([]Tranche{
		{TargetDevice: devCard0, Flags: FlagScanout, Formats: oneFormat(xr24, MaxTableEntries)},
		{TargetDevice: devRender0, Formats: oneFormat(ar24, 1)},
	})
	require.ErrorIs(t, err, ErrTableTooLarge)
}

func TestBuildFeedbackDedupAcrossTranches(t *testing.T) {
	scanout := mk(fm{xr24, ms(yt, lin)})
	render := mk(fm{xr24, ms(lin, yt, inv)}, fm{ar24, ms(lin)})
	fb, err := BuildFeedback([]Tranche{
		{TargetDevice: devCard0, Flags: FlagScanout, Formats: scanout},
		{TargetDevice: devRender0, Formats: render},
	})
	require.NoError(t, err)

	// The first tranche's pairs lead the table in its order; later
	// tranches only add what is new.
	assert.Equal(t, []Pair{{xr24, yt}, {xr24, lin}, {xr24, inv}, {ar24, lin}}, fb.Table.Entries())
	require.Len(t, fb.Tranches, 2)

	s0 := fb.Tranches[0]
	assert.Equal(t, 0, s0.Source)
	assert.Equal(t, uint64(devCard0), s0.TargetDevice)
	assert.Equal(t, FlagScanout, s0.Flags)
	assert.Equal(t, []uint16{0, 1}, s0.Indices)

	r := fb.Tranches[1]
	assert.Equal(t, 1, r.Source)
	assert.Equal(t, uint64(devRender0), r.TargetDevice)
	assert.Equal(t, TrancheFlags(0), r.Flags)
	assert.Equal(t, []uint16{1, 0, 2, 3}, r.Indices)

	// The wire array is native-endian u16s.
	require.Len(t, r.Chunks, 1)
	want := []byte{1, 0, 0, 0, 2, 0, 3, 0}
	if !littleEndianHost() {
		want = []byte{0, 1, 0, 0, 0, 2, 0, 3}
	}
	assert.Equal(t, want, r.Chunks[0])

	// A client that parses what was sent gets the tranches back, in order.
	table, err := ParseTable(fb.Table.Bytes())
	require.NoError(t, err)
	for i, want := range []*Set{scanout, render} {
		got, err := table.Resolve(decodeChunks(t, fb.Tranches[i].Chunks))
		require.NoError(t, err)
		assert.True(t, got.EqualOrdered(want), "tranche %d: got %v want %v", i, got, want)
	}
}

func TestBuildFeedbackSameDeviceAndFlags(t *testing.T) {
	// Two tranches with the same target and flags must not repeat a pair
	// (linux-dmabuf-v1.xml, tranche_formats): the later repeat is dropped,
	// and a tranche with nothing new is left out altogether.
	a := mk(fm{xr24, ms(lin, yt)})
	b := mk(fm{xr24, ms(yt, inv)}, fm{ar24, ms(lin)})
	c := mk(fm{xr24, ms(lin)})
	fb, err := BuildFeedback([]Tranche{
		{TargetDevice: devRender0, Formats: a},
		{TargetDevice: devRender0, Formats: b},
		{TargetDevice: devRender0, Formats: c},
		{TargetDevice: devRender0, Flags: FlagScanout, Formats: c},
	})
	require.NoError(t, err)
	require.Len(t, fb.Tranches, 3)
	assert.Equal(t, []uint16{0, 1}, fb.Tranches[0].Indices)
	assert.Equal(t, []uint16{2, 3}, fb.Tranches[1].Indices)
	assert.Equal(t, 1, fb.Tranches[1].Source)
	// Tranche 2 added nothing; tranche 3 differs in flags so it may repeat.
	assert.Equal(t, 3, fb.Tranches[2].Source)
	assert.Equal(t, []uint16{0}, fb.Tranches[2].Indices)
	assert.Equal(t, 4, fb.Table.Len())
}

func TestBuildFeedbackErrors(t *testing.T) {
	_, err := BuildFeedback(nil)
	assert.ErrorIs(t, err, ErrNoTranches)

	_, err = BuildFeedback([]Tranche{{Formats: mk(fm{xr24, ms(lin)})}, {Formats: &Set{}}})
	assert.ErrorIs(t, err, ErrEmptyTranche)
	_, err = BuildFeedback([]Tranche{{}})
	assert.ErrorIs(t, err, ErrEmptyTranche)
}

func TestDev(t *testing.T) {
	b := DevBytes(devRender0)
	require.Len(t, b, 8)
	assert.Equal(t, uint64(devRender0), binary.NativeEndian.Uint64(b))
	got, err := ParseDev(b)
	require.NoError(t, err)
	assert.Equal(t, uint64(devRender0), got)
	for _, n := range []int{0, 4, 7, 9, 16} {
		_, err := ParseDev(make([]byte, n))
		assert.ErrorIs(t, err, ErrDevSize, "%d bytes", n)
	}
}

func FuzzParseDev(f *testing.F) {
	f.Add(DevBytes(devCard0))
	f.Add([]byte{1, 2, 3})
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8})
	f.Add([]byte{0xff, 0, 0, 0, 0, 0, 0, 0x80, 9})
	f.Fuzz(func(t *testing.T, b []byte) {
		// Whatever the length, the first eight bytes (zero-padded) name a
		// dev_t that must survive the trip through the wire form.
		x := modelDev(b)
		enc := DevBytes(x)
		require.Len(t, enc, 8)
		assert.Equal(t, x, modelDev(enc), "DevBytes is not the native-endian encoding")
		back, err := ParseDev(enc)
		require.NoError(t, err)
		assert.Equal(t, x, back)

		d, err := ParseDev(b)
		if len(b) != 8 {
			require.ErrorIs(t, err, ErrDevSize)
			return
		}
		require.NoError(t, err)
		assert.Equal(t, modelDev(b), d, "ParseDev is not the native-endian decoding")
		require.Equal(t, b, DevBytes(d))
	})
}

// modelDev decodes up to eight bytes as a native-endian dev_t, one byte at
// a time, so that it shares no code with ParseDev.
func modelDev(b []byte) uint64 {
	little := binary.NativeEndian.Uint16([]byte{1, 0}) == 1
	var v uint64
	for i := 0; i < 8 && i < len(b); i++ {
		shift := 8 * i
		if !little {
			shift = 8 * (7 - i)
		}
		v |= uint64(b[i]) << shift
	}
	return v
}

// realisticTranches is a scanout tranche (a plane's formats intersected
// with the renderer's) in front of the renderer tranche.
func realisticTranches() []Tranche {
	plane, renderer := realisticSets()
	return []Tranche{
		{TargetDevice: devCard0, Flags: FlagScanout, Formats: plane.Intersect(renderer)},
		{TargetDevice: devRender0, Formats: renderer},
	}
}

func BenchmarkBuildFeedback(b *testing.B) {
	tranches := realisticTranches()
	b.ReportAllocs()
	for b.Loop() {
		fb, err := BuildFeedback(tranches)
		if err != nil || fb.Table.Len() != 800 {
			b.Fatal("wrong feedback", err)
		}
	}
}

// Within one (device, flags) group, a pair already sent is dropped from
// every later tranche, wherever its index falls in the table (the bitset's
// word and bit for indices past 64 too); a tranche left empty is omitted.
func TestBuildFeedbackDropsRepeatsPastTheFirstWord(t *testing.T) {
	const n = 200
	first := oneFormat(xr24, n)
	second := oneFormat(xr24, n+3) // the same 200 and three new ones
	fb, err := BuildFeedback([]Tranche{
		{TargetDevice: devRender0, Formats: first},
		{TargetDevice: devRender0, Formats: second},
		{TargetDevice: devRender0, Formats: oneFormat(xr24, n)}, // nothing new
	})
	require.NoError(t, err)
	require.Len(t, fb.Tranches, 2, "the third tranche adds nothing")
	assert.Len(t, fb.Tranches[0].Indices, n)
	require.Len(t, fb.Tranches[1].Indices, 3)
	for _, idx := range fb.Tranches[1].Indices {
		assert.GreaterOrEqual(t, int(idx), n, "only the three pairs the first tranche did not send")
	}
	assert.Equal(t, n+3, fb.Table.Len())
}
