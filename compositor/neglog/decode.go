package neglog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

var (
	// ErrMalformed is wrapped by every error about a line that is not a
	// version-1 log line.
	ErrMalformed = errors.New("malformed negotiation log line")
	// ErrVersion is wrapped, with ErrMalformed, when a line declares a
	// schema version this package does not read.
	ErrVersion = errors.New("unsupported negotiation log version")
)

// LineError locates a reading error.
type LineError struct {
	Line int // 1-based
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// maxDepth bounds nesting inside a line: the schema nests a few levels,
// and the bound keeps a hostile line from recursing deeply.
const maxDepth = 32

// MaxLineBytes is the longest line a Reader accepts. Lines with dmabuf
// feedback tables are long, but not this long.
const MaxLineBytes = 16 << 20

// Decode parses one version-1 line (without its newline). The envelope is
// checked strictly: keys "v", "frame", "client" and "ord" (together or not
// at all), "event", then the event's fields, then "vol" last if present,
// each of its type, no key twice at any level, no null anywhere. The
// event type and its fields are not checked against the schema, because
// fields and events are added within version 1 and an older reader must
// still read a newer log.
func Decode(line []byte) (Event, error) {
	var e Event
	if len(bytes.TrimSpace(line)) == 0 {
		return e, fmt.Errorf("%w: empty line", ErrMalformed)
	}
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	if err := expectDelim(d, '{', "a JSON object"); err != nil {
		return e, err
	}

	key, err := nextKey(d)
	if err != nil {
		return e, err
	}
	if key != "v" {
		return e, fmt.Errorf(`%w: the first key is %q, not "v"`, ErrMalformed, key)
	}
	v, err := readUint(d, "v")
	if err != nil {
		return e, err
	}
	if v != Version {
		return e, fmt.Errorf("%w: %w: version %d, this reader knows %d", ErrMalformed, ErrVersion, v, Version)
	}

	if key, err = nextKey(d); err != nil {
		return e, err
	}
	if key != "frame" {
		return e, fmt.Errorf(`%w: key %q where "frame" belongs`, ErrMalformed, key)
	}
	if e.Frame, err = readUint(d, "frame"); err != nil {
		return e, err
	}

	if key, err = nextKey(d); err != nil {
		return e, err
	}
	if key == "client" {
		if e.Client, err = readString(d, "client"); err != nil {
			return e, err
		}
		if e.Client == "" {
			return e, fmt.Errorf(`%w: "client" is empty (compositor-wide lines leave it out)`, ErrMalformed)
		}
		if key, err = nextKey(d); err != nil {
			return e, err
		}
		if key != "ord" {
			return e, fmt.Errorf(`%w: key %q where "ord" belongs`, ErrMalformed, key)
		}
		if e.Ord, err = readUint(d, "ord"); err != nil {
			return e, err
		}
		if e.Ord == 0 {
			return e, fmt.Errorf(`%w: "ord" is 0; ordinals start at 1`, ErrMalformed)
		}
		if key, err = nextKey(d); err != nil {
			return e, err
		}
	}
	if key != "event" {
		return e, fmt.Errorf(`%w: key %q where "event" belongs`, ErrMalformed, key)
	}
	if e.Type, err = readString(d, "event"); err != nil {
		return e, err
	}
	if e.Type == "" {
		return e, fmt.Errorf(`%w: "event" is empty`, ErrMalformed)
	}

	var keys keySet
	for d.More() {
		if key, err = nextKey(d); err != nil {
			return e, err
		}
		switch key {
		case "v", "frame", "client", "ord", "event":
			return e, fmt.Errorf("%w: key %q out of place", ErrMalformed, key)
		case "vol":
			if e.Vol, err = readVol(d); err != nil {
				return e, err
			}
			if d.More() {
				return e, fmt.Errorf(`%w: "vol" is not the last key`, ErrMalformed)
			}
			continue
		}
		if keys.seen(e.Fields, key) {
			return e, fmt.Errorf("%w: key %q appears twice", ErrMalformed, key)
		}
		val, err := readValue(d, key, 1)
		if err != nil {
			return e, err
		}
		e.Fields = append(e.Fields, Field{key, val})
	}
	if err := expectDelim(d, '}', "the end of the object"); err != nil {
		return e, err
	}
	if _, err := d.Token(); err != io.EOF {
		return e, fmt.Errorf("%w: more data after the object", ErrMalformed)
	}
	return e, nil
}

func token(d *json.Decoder) (json.Token, error) {
	t, err := d.Token()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: the line ends inside the object", ErrMalformed)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return t, nil
}

func expectDelim(d *json.Decoder, want json.Delim, what string) error {
	t, err := token(d)
	if err != nil {
		return err
	}
	if t != want {
		return fmt.Errorf("%w: %s where %s belongs", ErrMalformed, describe(t), what)
	}
	return nil
}

func nextKey(d *json.Decoder) (string, error) {
	if !d.More() {
		return "", fmt.Errorf(`%w: the object ends before "event"`, ErrMalformed)
	}
	t, err := token(d)
	if err != nil {
		return "", err
	}
	return t.(string), nil // the decoder only yields strings in key position
}

func readUint(d *json.Decoder, key string) (uint64, error) {
	t, err := token(d)
	if err != nil {
		return 0, err
	}
	n, ok := t.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%w: %q is %s, not a number", ErrMalformed, key, describe(t))
	}
	u, err := strconv.ParseUint(string(n), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q is %s, not an integer from 0 to 2^64-1", ErrMalformed, key, n)
	}
	return u, nil
}

func readString(d *json.Decoder, key string) (string, error) {
	t, err := token(d)
	if err != nil {
		return "", err
	}
	s, ok := t.(string)
	if !ok {
		return "", fmt.Errorf("%w: %q is %s, not a string", ErrMalformed, key, describe(t))
	}
	return s, nil
}

func readVol(d *json.Decoder) ([]Field, error) {
	v, err := readValue(d, "vol", 1)
	if err != nil {
		return nil, err
	}
	if v.kind != KindObject {
		return nil, fmt.Errorf(`%w: "vol" is a %s, not an object`, ErrMalformed, v.kind)
	}
	return v.fields, nil
}

// readValue reads the value of key (a path for nested values, used in
// errors).
func readValue(d *json.Decoder, key string, depth int) (Value, error) {
	if depth > maxDepth {
		return Value{}, fmt.Errorf("%w: %q nests deeper than %d levels", ErrMalformed, key, maxDepth)
	}
	t, err := token(d)
	if err != nil {
		return Value{}, err
	}
	switch t := t.(type) {
	case string:
		return Str(t), nil
	case bool:
		return Bool(t), nil
	case json.Number:
		return number(string(t)), nil
	case nil:
		return Value{}, fmt.Errorf("%w: %q is null; absent fields are left out", ErrMalformed, key)
	case json.Delim:
		switch t {
		case '[':
			var vs []Value
			for i := 0; d.More(); i++ {
				v, err := readValue(d, key+"["+strconv.Itoa(i)+"]", depth+1)
				if err != nil {
					return Value{}, err
				}
				vs = append(vs, v)
			}
			if _, err := token(d); err != nil {
				return Value{}, err
			}
			if vs == nil {
				vs = []Value{}
			}
			return List(vs...), nil
		case '{':
			var fs []Field
			var keys keySet
			for d.More() {
				kt, err := token(d)
				if err != nil {
					return Value{}, err
				}
				k := kt.(string)
				if keys.seen(fs, k) {
					return Value{}, fmt.Errorf("%w: key %q appears twice in %q", ErrMalformed, k, key)
				}
				v, err := readValue(d, key+"."+k, depth+1)
				if err != nil {
					return Value{}, err
				}
				fs = append(fs, Field{k, v})
			}
			if _, err := token(d); err != nil {
				return Value{}, err
			}
			return Object(fs...), nil
		}
	}
	return Value{}, fmt.Errorf("%w: unexpected %s in %q", ErrMalformed, describe(t), key)
}

// keySet detects repeated keys: by scanning while an object is small,
// which all schema objects are, and with a map beyond that, so that a
// hostile line with a million keys is not quadratic.
type keySet struct{ m map[string]struct{} }

// seen reports whether key is among fs, the keys read so far, and then
// counts it as read.
func (k *keySet) seen(fs []Field, key string) bool {
	const small = 16
	if k.m == nil {
		if len(fs) < small {
			_, dup := lookup(fs, key)
			return dup
		}
		k.m = make(map[string]struct{}, 2*len(fs))
		for _, f := range fs {
			k.m[f.Key] = struct{}{}
		}
	}
	if _, dup := k.m[key]; dup {
		return true
	}
	k.m[key] = struct{}{}
	return false
}

// number keeps integers as integers and everything else as its literal,
// so a float added in a later revision survives normalization unchanged.
func number(lit string) Value {
	if !strings.ContainsAny(lit, ".eE") {
		if i, err := strconv.ParseInt(lit, 10, 64); err == nil {
			return Int(i)
		}
	}
	return Value{kind: KindNumber, str: lit}
}

func describe(t json.Token) string {
	switch t := t.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", string(t))
	case string:
		return "a string"
	case json.Number:
		return "the number " + string(t)
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", t)
}

// Reader reads a log line by line.
type Reader struct {
	sc   *bufio.Scanner
	line int
}

// NewReader returns a Reader of r.
func NewReader(r io.Reader) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLineBytes)
	return &Reader{sc: sc}
}

// Next returns the next line's event. It returns io.EOF after the last
// line, and otherwise only *LineError errors. A trailing "\r" is ignored
// so that logs that went through a CRLF checkout still read.
func (r *Reader) Next() (Event, error) {
	if !r.sc.Scan() {
		if err := r.sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				err = fmt.Errorf("%w: longer than %d bytes", ErrMalformed, MaxLineBytes)
			}
			return Event{}, &LineError{Line: r.line + 1, Err: err}
		}
		return Event{}, io.EOF
	}
	r.line++
	e, err := Decode(bytes.TrimSuffix(r.sc.Bytes(), []byte{'\r'}))
	if err != nil {
		return Event{}, &LineError{Line: r.line, Err: err}
	}
	return e, nil
}

// Line returns the number of the line Next last returned.
func (r *Reader) Line() int { return r.line }
