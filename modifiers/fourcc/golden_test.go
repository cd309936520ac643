package fourcc

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// readTSV returns the two tab-separated columns of each line of a testdata
// file written by ../internal/libdrmgen/formatnames.c.
func readTSV(t *testing.T, name string) [][2]string {
	t.Helper()
	fh, err := os.Open("testdata/" + name)
	require.NoError(t, err)
	defer fh.Close()
	var rows [][2]string
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		a, b, ok := strings.Cut(sc.Text(), "\t")
		require.True(t, ok, "line %q has no tab", sc.Text())
		rows = append(rows, [2]string{a, b})
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, rows)
	return rows
}

// unescape undoes formatnames.c's \xNN escaping.
func unescape(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		require.LessOrEqual(t, i+4, len(s), "short escape in %q", s)
		require.Equal(t, byte('x'), s[i+1], "bad escape in %q", s)
		v, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
		require.NoError(t, err)
		b.WriteByte(byte(v))
		i += 3
	}
	return b.String()
}

func parseHex(t *testing.T, s string) Format {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 32)
	require.NoError(t, err, s)
	return Format(v)
}

// TestLibdrmNamesGolden compares LibdrmName with what libdrm 2.4.114's
// drmGetFormatName printed for every table format, its BigEndian variant and
// the odd codes.
func TestLibdrmNamesGolden(t *testing.T) {
	rows := readTSV(t, "libdrm-format-names.tsv")
	seen := make(map[Format]bool, len(rows))
	for _, r := range rows {
		f := parseHex(t, r[0])
		want := unescape(t, r[1])
		seen[f] = true
		require.Equal(t, want, LibdrmName(f), "LibdrmName(%#08x)", uint32(f))
		require.Equal(t, want, f.String(), "String(%#08x)", uint32(f))
	}
	inputs := make(map[Format]bool, len(rows))
	for _, f := range GoldenInputs() {
		require.True(t, seen[f], "%#08x (%s) has no golden row: run go generate", uint32(f), DRMName(f))
		inputs[f] = true
	}
	// And the other way: the recorded rows are exactly the inputs, so a
	// code dropped from GoldenInputs shows.
	for f := range seen {
		require.True(t, inputs[f], "golden row %#08x is no longer an input", uint32(f))
	}
}

// newerThanLibdrm lists the names this package knows that libdrm 2.4.114's
// drm_fourcc.h does not define; their codes come from the kernel's uapi
// header alone. Any other known name missing from the golden macros is a
// typo.
var newerThanLibdrm = map[string]bool{
	"ABGR32323232F": true, "AVUY8888": true, "BGR161616": true, "BGR161616F": true,
	"BGR323232F": true, "C1": true, "C2": true, "C4": true, "D1": true, "D2": true,
	"D4": true, "D8": true, "GR1616F": true, "GR3232F": true, "NV20": true,
	"NV30": true, "R1": true, "R16F": true, "R2": true, "R32F": true, "R4": true,
	"RGB161616": true, "S010": true, "S012": true, "S016": true, "S210": true,
	"S212": true, "S216": true, "S410": true, "S412": true, "S416": true,
	"XVUY8888": true,
}

// TestMacroValuesGolden checks every code against the DRM_FORMAT_ macro of
// the same name in libdrm's header, so a typo in a fourcc is caught.
func TestMacroValuesGolden(t *testing.T) {
	rows := readTSV(t, "libdrm-macros.tsv")
	inLibdrm := make(map[string]bool, len(rows))
	for _, r := range rows {
		name, f := r[0], parseHex(t, r[1])
		inLibdrm[name] = true
		require.Equal(t, name, DRMName(f), "DRMName(%#08x)", uint32(f))
		got, err := Parse("DRM_FORMAT_" + name)
		require.NoError(t, err)
		require.Equal(t, f, got, name)
	}
	for name := range byName {
		if !inLibdrm[name] {
			require.True(t, newerThanLibdrm[name], "%s is neither in libdrm's header nor listed as newer", name)
		}
	}
	for name := range newerThanLibdrm {
		require.False(t, inLibdrm[name], "%s is in libdrm's header: drop it from newerThanLibdrm", name)
		_, ok := byName[name]
		require.True(t, ok, "%s listed as newer but unknown", name)
	}
}
