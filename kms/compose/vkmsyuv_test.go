package compose

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/kms/profile"
)

// goldenYUV is pixfmt's reference table of VKMS's YCbCr -> RGB results
// (testdata/vkmsyuv/golden.txt there, printed by a C transcription of the
// kernel's arithmetic), so expectations here come from that reference and
// not from pixfmt's Go code.
var goldenYUV struct {
	once sync.Once
	rows map[string]Pixel
	err  error
}

func goldenYUVKey(tables string, enc profile.ColorEncoding, rng profile.ColorRange, bits int, y, cb, cr uint16) string {
	encs := map[profile.ColorEncoding]string{profile.BT601: "BT601", profile.BT709: "BT709", profile.BT2020: "BT2020"}
	rngs := map[profile.ColorRange]string{profile.RangeLimited: "limited", profile.RangeFull: "full"}
	return fmt.Sprintf("%s %s %s %d %d %d %d", tables, encs[enc], rngs[rng], bits, y, cb, cr)
}

func loadGoldenYUV() (map[string]Pixel, error) {
	f, err := os.Open("../pixfmt/testdata/vkmsyuv/golden.txt")
	if err != nil {
		return nil, fmt.Errorf("golden YUV table: %w", err)
	}
	defer f.Close()
	rows := map[string]Pixel{}
	var section string
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) == 0 || strings.HasPrefix(fields[0], "#") || fields[0] == "const":
		case fields[0] == "case" && len(fields) == 5:
			section = strings.Join(fields[1:], " ")
		case len(fields) == 6 && section != "":
			var v [6]uint16
			for i, s := range fields {
				n, err := strconv.ParseUint(s, 10, 16)
				if err != nil {
					return nil, fmt.Errorf("golden YUV table line %d: %w", line, err)
				}
				v[i] = uint16(n)
			}
			rows[fmt.Sprintf("%s %d %d %d", section, v[0], v[1], v[2])] = Pixel{A: 0xffff, R: v[3], G: v[4], B: v[5]}
		default:
			return nil, fmt.Errorf("golden YUV table line %d: %q", line, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("golden YUV table: %w", err)
	}
	return rows, nil
}

// vkmsYUV is what mainline VKMS shows for one sample triple (8-bit samples
// or 16-bit words), from the golden table; the triple must be one of its.
func vkmsYUV(t testing.TB, enc profile.ColorEncoding, rng profile.ColorRange, bits int, y, cb, cr uint16) Pixel {
	t.Helper()
	goldenYUV.once.Do(func() { goldenYUV.rows, goldenYUV.err = loadGoldenYUV() })
	require.NoError(t, goldenYUV.err)
	k := goldenYUVKey("mainline256", enc, rng, bits, y, cb, cr)
	p, ok := goldenYUV.rows[k]
	require.True(t, ok, "golden YUV table has no %q", k)
	return p
}
