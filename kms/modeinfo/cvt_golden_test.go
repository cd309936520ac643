package modeinfo

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCVTKernelGolden compares CVT with testdata/kernelcvt/golden.txt,
// printed by a C transcription of drm_cvt_mode that leaves the int and
// unsigned int conversions to the C compiler. The grid covers every
// combination of reduced blanking, interlace and margins, each vsync
// width, the 20% minimum blanking of long lines, and sizes whose
// timings overflow the uapi struct.
func TestCVTKernelGolden(t *testing.T) {
	f, err := os.Open("testdata/kernelcvt/golden.txt")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	var n, equal, minBlank int
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		n++
		var h, v, r, red, il, mg int
		_, err := fmt.Sscanf(line, "%d %d %d %d %d %d:", &h, &v, &r, &red, &il, &mg)
		require.NoError(t, err, line)
		got, gerr := CVT(h, v, r, red == 1, il == 1, mg == 1)
		rest := strings.TrimSpace(line[strings.Index(line, ":")+1:])
		if rest == "div0" {
			assert.ErrorIs(t, gerr, syscall.EINVAL, "%s: the kernel divides by zero", line)
			continue
		}
		var k [9]int64
		_, err = fmt.Sscanf(rest, "%d %d %d %d %d %d %d %d %d", &k[0], &k[1], &k[2], &k[3], &k[4], &k[5], &k[6], &k[7], &k[8])
		require.NoError(t, err, line)
		field := r
		if field == 0 {
			field = 60
		}
		if il == 1 {
			field *= 2
		}
		if field > cvtMaxFieldRefresh {
			// headway's own limit, past which the kernel's products
			// leave 32 bits.
			assert.ErrorIs(t, gerr, syscall.EINVAL, line)
			continue
		}
		fits := k[0] > 0 && k[0] <= math.MaxInt32
		for _, x := range k[1:] {
			fits = fits && x >= 0 && x <= math.MaxUint16
		}
		// drm_mode_validate_basic's ordering of the timings.
		fits = fits && k[1] > 0 && k[2] >= k[1] && k[3] >= k[2] && k[4] >= k[3] &&
			k[5] > 0 && k[6] >= k[5] && k[7] >= k[6] && k[8] >= k[7]
		if !fits {
			assert.ErrorIs(t, gerr, syscall.EINVAL, "%s: the kernel's mode does not fit or is not valid", line)
			continue
		}
		if !assert.NoError(t, gerr, line) {
			continue
		}
		equal++
		want := [9]int64{int64(got.Clock), int64(got.HDisplay), int64(got.HSyncStart), int64(got.HSyncEnd), int64(got.HTotal),
			int64(got.VDisplay), int64(got.VSyncStart), int64(got.VSyncEnd), int64(got.VTotal)}
		assert.Equal(t, k, want, line)
		flags := uint32(FlagNHSync | FlagPVSync)
		if red == 1 {
			flags = FlagPHSync | FlagNVSync
		}
		name := fmt.Sprintf("%dx%d", k[1], k[5])
		if il == 1 {
			flags |= FlagInterlace
			name += "i"
		}
		assert.Equal(t, flags, got.Flags, line)
		assert.Equal(t, name, got.NameString(), line)
		if red == 0 && k[4]-k[1] < k[4]/4 {
			minBlank++ // blanking near the 20% floor
		}
	}
	require.NoError(t, sc.Err())
	require.Equal(t, 27*13*8, n, "golden.txt rows")
	// The grid must keep exercising what it was built for.
	assert.Greater(t, equal, n/2, "rows compared timing by timing")
	assert.Positive(t, minBlank, "rows at the 20% minimum blanking")
}
