package neglog

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{"empty", ``, "empty line"},
		{"blank", "  \t", "empty line"},
		{"not json", `hello`, "invalid character"},
		{"array", `[1]`, `"[" where a JSON object belongs`},
		{"truncated", `{"v":1,"frame":0,"event":"x"`, "ends inside the object"},
		{"v not first", `{"frame":0,"v":1,"event":"x"}`, `first key is "frame"`},
		{"version 2", `{"v":2,"frame":0,"event":"x"}`, "version 2, this reader knows 1"},
		{"version as string", `{"v":"1","frame":0,"event":"x"}`, `"v" is a string, not a number`},
		{"version float", `{"v":1.0,"frame":0,"event":"x"}`, `"v" is 1.0, not an integer`},
		{"missing frame", `{"v":1,"event":"x"}`, `key "event" where "frame" belongs`},
		{"negative frame", `{"v":1,"frame":-1,"event":"x"}`, `"frame" is -1`},
		{"frame overflow", `{"v":1,"frame":18446744073709551616,"event":"x"}`, `"frame" is 18446744073709551616`},
		{"client without ord", `{"v":1,"frame":0,"client":"c","event":"x"}`, `key "event" where "ord" belongs`},
		{"ord without client", `{"v":1,"frame":0,"ord":1,"event":"x"}`, `key "ord" where "event" belongs`},
		{"ord zero", `{"v":1,"frame":0,"client":"c","ord":0,"event":"x"}`, "ordinals start at 1"},
		{"empty client", `{"v":1,"frame":0,"client":"","ord":1,"event":"x"}`, `"client" is empty`},
		{"client not string", `{"v":1,"frame":0,"client":3,"ord":1,"event":"x"}`, `"client" is the number 3, not a string`},
		{"no event", `{"v":1,"frame":0}`, `ends before "event"`},
		{"empty event", `{"v":1,"frame":0,"event":""}`, `"event" is empty`},
		{"envelope key repeated", `{"v":1,"frame":0,"event":"x","frame":1}`, `key "frame" out of place`},
		{"duplicate field", `{"v":1,"frame":0,"event":"x","a":1,"a":2}`, `key "a" appears twice`},
		{"duplicate nested key", `{"v":1,"frame":0,"event":"x","a":{"b":1,"b":1}}`, `key "b" appears twice in "a"`},
		{"null field", `{"v":1,"frame":0,"event":"x","a":null}`, `"a" is null`},
		{"null in list", `{"v":1,"frame":0,"event":"x","a":[1,null]}`, `"a[1]" is null`},
		{"vol not last", `{"v":1,"frame":0,"event":"x","vol":{"p":1},"a":1}`, `"vol" is not the last key`},
		{"vol not object", `{"v":1,"frame":0,"event":"x","vol":[1]}`, `"vol" is a list, not an object`},
		{"trailing data", `{"v":1,"frame":0,"event":"x"} {}`, "more data after the object"},
		{"trailing comma", `{"v":1,"frame":0,"event":"x",}`, "invalid character"},
		{"too deep", `{"v":1,"frame":0,"event":"x","a":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, "nests deeper than 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.line))
			require.ErrorIs(t, err, ErrMalformed)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	_, err := Decode([]byte(`{"v":3,"frame":0,"event":"x"}`))
	assert.ErrorIs(t, err, ErrVersion)
}

// TestDecodeIsForwardCompatible reads lines a later revision of version 1
// could write: unknown events, unknown fields, numbers that are not
// int64, nested objects.
func TestDecodeIsForwardCompatible(t *testing.T) {
	line := `{"v":1,"frame":7,"client":"c","ord":3,"event":"dmabuf_feedback","main_device":"0xe200","ratio":0.5,"big":18446744073709551615,"tranches":[{"flags":["scanout"],"formats":[["XR24","0x0"]]}],"vol":{"at_ns":12}}`
	e, err := Decode([]byte(line))
	require.NoError(t, err)
	assert.Equal(t, uint64(7), e.Frame)
	assert.Equal(t, "c", e.Client)
	assert.Equal(t, uint64(3), e.Ord)
	assert.Equal(t, "dmabuf_feedback", e.Type)

	ratio, ok := e.Get("ratio")
	require.True(t, ok)
	lit, ok := ratio.Literal()
	assert.True(t, ok)
	assert.Equal(t, "0.5", lit)
	big, _ := e.Get("big")
	u, ok := big.AsUint()
	assert.True(t, ok)
	assert.Equal(t, uint64(18446744073709551615), u)
	tr, _ := e.Get("tranches")
	require.Len(t, tr.Elems(), 1)
	flags, _ := tr.Elems()[0].Get("flags")
	fs, _ := flags.AsStrings()
	assert.Equal(t, []string{"scanout"}, fs)
	at, ok := e.GetVol("at_ns")
	require.True(t, ok)
	n, _ := at.AsInt()
	assert.Equal(t, int64(12), n)

	assert.Equal(t, line, string(Append(nil, e)), "re-encoding keeps every key and value in order")
	assert.ErrorIs(t, e.Validate(), ErrInvalid, "but the writer would not write an unknown event")
}

func TestReaderNamesLines(t *testing.T) {
	log := `{"v":1,"frame":0,"event":"output","profile":"p","mode":"m","primary_format":"f","clock":"manual"}` + "\r\n" +
		`{"v":1,"frame":0,"client":"c","ord":1,"event":"bind","interface":"i","version":1,"global":1}` + "\n" +
		`{"v":1,"frame":0,"client":"c","ord":2,"event":"bind","interface":"i","version":1}` + "\n" +
		`{"v":1,"frame":0,"client":"c","ord":2` + "\n"
	r := NewReader(strings.NewReader(log))
	var got []string
	var err error
	for {
		var e Event
		e, err = r.Next()
		if err != nil {
			break
		}
		got = append(got, e.Type)
	}
	assert.Equal(t, []string{"output", "bind", "bind"}, got, "CRLF is tolerated; unknown-field checks are not the reader's job")
	var le *LineError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 4, le.Line)
	assert.ErrorIs(t, err, ErrMalformed)
	assert.True(t, strings.HasPrefix(err.Error(), "line 4: "), err.Error())

	r = NewReader(strings.NewReader(""))
	_, err = r.Next()
	assert.Equal(t, io.EOF, err)

	r = NewReader(strings.NewReader("\n"))
	_, err = r.Next()
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 1, le.Line)
}

func TestReaderRefusesHugeLines(t *testing.T) {
	huge := `{"v":1,"frame":0,"event":"x","a":"` + strings.Repeat("a", MaxLineBytes) + `"}`
	r := NewReader(strings.NewReader(huge))
	_, err := r.Next()
	var le *LineError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 1, le.Line)
	assert.True(t, errors.Is(err, ErrMalformed))
	assert.Contains(t, err.Error(), "longer than")
}

func TestDecodeManyKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"v":1,"frame":0,"event":"x"`)
	for i := range 50000 {
		fmt.Fprintf(&b, `,"k%d":%d`, i, i)
	}
	line := b.String()
	e, err := Decode([]byte(line + "}"))
	require.NoError(t, err)
	assert.Len(t, e.Fields, 50000)

	_, err = Decode([]byte(line + `,"k49999":0}`))
	require.ErrorIs(t, err, ErrMalformed)
	assert.Contains(t, err.Error(), `key "k49999" appears twice`)
	_, err = Decode([]byte(line + `,"k3":0}`))
	assert.Contains(t, err.Error(), `key "k3" appears twice`, "keys read before the set switched to a map count too")
}
