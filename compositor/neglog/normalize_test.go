package neglog

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// run writes a small log the way the compositor would; runs differ only
// in volatile values.
func run(pid int, sec int64, socket string) string {
	var b Batch
	var out bytes.Buffer
	w := NewWriter(&out)
	name := func(ClientID) string { return "simple-shm" }
	b.Add(NoClient, Output(OutputInfo{"vkms", "1024x768@60", "XRGB8888", ClockLockstep, sec * 1e9, socket}))
	b.Add(1, ClientConnect("simple-shm", pid))
	b.Add(1, Bind("wl_shm", 1, 2))
	if err := b.Flush(w, name); err != nil {
		panic(err)
	}
	b.SetFrame(1)
	b.Add(1, Presentation(3, 1, []string{"vsync"}, 16666666, sec, 1234))
	b.Add(NoClient, FrameRender(Render{Surfaces: 1, Damaged: true, CRC: 0x1234abcd, HasCRC: true, PrimaryFormat: "XRGB8888"}))
	if err := b.Flush(w, name); err != nil {
		panic(err)
	}
	return out.String()
}

func TestNormalizeMakesRunsComparable(t *testing.T) {
	a, b := run(100, 5, "wayland-1"), run(200, 9, "wayland-7")
	require.NotEqual(t, a, b)
	var na, nb bytes.Buffer
	require.NoError(t, Normalize(strings.NewReader(a), &na))
	require.NoError(t, Normalize(strings.NewReader(b), &nb))
	assert.Equal(t, na.String(), nb.String())
	assert.Equal(t, `{"v":1,"frame":0,"event":"output","profile":"vkms","mode":"1024x768@60","primary_format":"XRGB8888","clock":"lockstep"}
{"v":1,"frame":0,"client":"simple-shm","ord":1,"event":"client_connect","comm":"simple-shm"}
{"v":1,"frame":0,"client":"simple-shm","ord":2,"event":"bind","interface":"wl_shm","version":1,"global":2}
{"v":1,"frame":1,"event":"frame_render","surfaces":1,"damaged":true,"crc":"0x1234abcd","primary_format":"XRGB8888"}
{"v":1,"frame":1,"client":"simple-shm","ord":3,"event":"presentation","surface":3,"kind":"presented","seq":1,"flags":["vsync"],"refresh_ns":16666666}
`, na.String())

	// Dropping "vol" is all it does: every normalized line is the
	// original with the ,"vol":{...} suffix cut.
	orig := strings.Split(a, "\n")
	norm := strings.Split(na.String(), "\n")
	require.Equal(t, len(orig), len(norm))
	for i := range orig {
		if j := strings.Index(orig[i], `,"vol":`); j >= 0 {
			assert.Equal(t, orig[i][:j]+"}", norm[i])
		} else {
			assert.Equal(t, orig[i], norm[i])
		}
	}

	var again bytes.Buffer
	require.NoError(t, Normalize(&na, &again))
	assert.Equal(t, nb.String(), again.String(), "normalizing is idempotent")
}

func TestNormalizeKeepsUnknownContent(t *testing.T) {
	in := `{"v":1,"frame":3,"client":"c","ord":1,"event":"future_event","x":[1,2.50,{"k":"v"}],"y":true,"vol":{"t":1}}` + "\n"
	var out bytes.Buffer
	require.NoError(t, Normalize(strings.NewReader(in), &out))
	assert.Equal(t, `{"v":1,"frame":3,"client":"c","ord":1,"event":"future_event","x":[1,2.50,{"k":"v"}],"y":true}`+"\n", out.String())
}

func TestNormalizeNamesTheBadLine(t *testing.T) {
	in := `{"v":1,"frame":0,"event":"a","vol":{"x":1}}` + "\n" +
		`{"v":1,"frame":0,"event":"b"}` + "\n" +
		`{"v":1,"frame":0,"event":"c",` + "\n" +
		`{"v":1,"frame":0,"event":"d"}` + "\n"
	var out bytes.Buffer
	err := Normalize(strings.NewReader(in), &out)
	var le *LineError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 3, le.Line)
	assert.ErrorIs(t, err, ErrMalformed)
	assert.Equal(t, `{"v":1,"frame":0,"event":"a"}`+"\n"+`{"v":1,"frame":0,"event":"b"}`+"\n", out.String(),
		"lines before the bad one are written")
}

func TestNormalizeReportsWriteErrors(t *testing.T) {
	in := strings.Repeat(`{"v":1,"frame":0,"event":"a"}`+"\n", 10000)
	err := Normalize(strings.NewReader(in), &failingWriter{failAt: 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "disk full")
	assert.Contains(t, err.Error(), "normalize")
}
