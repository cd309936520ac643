package neglog

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzDecode feeds untrusted lines to Decode. It must never panic; every
// failure must wrap ErrMalformed; and a success must be stable: encoding
// it gives a line that decodes to the same event and re-encodes to the
// same bytes, and Normalize of the line is that encoding without "vol".
func FuzzDecode(f *testing.F) {
	for _, g := range goldenEvents {
		f.Add([]byte(g.line))
	}
	for _, s := range []string{
		``, `{}`, `{"v":1}`, `{"v":1,"frame":0,"event":"x","a":[[],{}],"vol":{}}`,
		`{"v":1,"frame":0,"event":"x","a":"\ud800\u2028\\\"","b":-0,"c":1e400,"d":-9223372036854775809}`,
		`{"v":1,"frame":0,"client":"c","ord":1,"event":"x","a":null}`, "{\"v\":1,\"frame\":0,\"event\":\"\xff\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		e, err := Decode(line)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Decode(%q): %v does not wrap ErrMalformed", line, err)
			}
			return
		}
		enc := Append(nil, e)
		back, err := Decode(enc)
		if err != nil {
			t.Fatalf("Decode(%q) succeeded, but its encoding %q does not decode: %v", line, enc, err)
		}
		if !back.Equal(&e) {
			t.Fatalf("round trip of %q changed the event:\n%+v\n%+v", line, e, back)
		}
		if again := Append(nil, back); !bytes.Equal(again, enc) {
			t.Fatalf("encoding is not a fixed point: %q then %q", enc, again)
		}
		if bytes.IndexByte(line, '\n') >= 0 {
			return // Decode takes one line; Normalize would split it
		}
		var norm bytes.Buffer
		if err := Normalize(bytes.NewReader(line), &norm); err != nil {
			t.Fatalf("Decode accepted %q but Normalize refused it: %v", line, err)
		}
		e.Vol = nil
		if want := append(Append(nil, e), '\n'); !bytes.Equal(norm.Bytes(), want) {
			t.Fatalf("Normalize(%q) = %q, want %q", line, norm.Bytes(), want)
		}
	})
}
