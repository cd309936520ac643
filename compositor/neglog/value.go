package neglog

import (
	"math"
	"strconv"
)

// Kind is the JSON type of a Value.
type Kind uint8

// The kinds a version-1 line may hold. There is no null: an optional
// field that does not apply is left out.
const (
	KindInvalid Kind = iota // the zero Value; never encoded
	KindString
	KindInt    // an integer that fits int64
	KindNumber // any other JSON number, kept as its literal text
	KindBool
	KindList
	KindObject
)

var kindNames = [...]string{"invalid", "string", "int", "number", "bool", "list", "object"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one JSON value of a line. Values are small and compared and
// encoded without reflection, so building events stays cheap on the
// compositor's dispatch loop.
type Value struct {
	kind   Kind
	str    string // KindString; the literal of KindNumber
	i      int64  // KindInt; 1 for true
	list   []Value
	fields []Field
}

// Field is one key and its value. Events and objects keep fields in a
// slice, not a map, because the key order is part of the format.
type Field struct {
	Key   string
	Value Value
}

// Str returns a string value.
func Str(s string) Value { return Value{kind: KindString, str: s} }

// Int returns an integer value.
func Int(v int64) Value { return Value{kind: KindInt, i: v} }

// Uint returns an integer value; one beyond int64 is kept as a number
// literal, which Validate refuses for int fields.
func Uint(v uint64) Value {
	if v <= math.MaxInt64 {
		return Int(int64(v))
	}
	return Value{kind: KindNumber, str: strconv.FormatUint(v, 10)}
}

// Bool returns a boolean value.
func Bool(b bool) Value {
	v := Value{kind: KindBool}
	if b {
		v.i = 1
	}
	return v
}

// List returns a list of values.
func List(vs ...Value) Value { return Value{kind: KindList, list: vs} }

// Strings returns a list of strings. A nil or empty slice gives [].
func Strings(ss []string) Value {
	vs := make([]Value, len(ss))
	for i, s := range ss {
		vs[i] = Str(s)
	}
	return List(vs...)
}

// Object returns an object with the fields in the given order.
func Object(fs ...Field) Value { return Value{kind: KindObject, fields: fs} }

// Kind returns v's kind; KindInvalid for the zero Value.
func (v Value) Kind() Kind { return v.kind }

// AsString returns the string of a KindString value.
func (v Value) AsString() (string, bool) { return v.str, v.kind == KindString }

// AsInt returns the integer of a KindInt value.
func (v Value) AsInt() (int64, bool) { return v.i, v.kind == KindInt }

// AsUint returns a non-negative integer, including one beyond int64.
func (v Value) AsUint() (uint64, bool) {
	switch v.kind {
	case KindInt:
		return uint64(v.i), v.i >= 0
	case KindNumber:
		u, err := strconv.ParseUint(v.str, 10, 64)
		return u, err == nil
	}
	return 0, false
}

// AsBool returns the boolean of a KindBool value.
func (v Value) AsBool() (bool, bool) { return v.i != 0, v.kind == KindBool }

// AsStrings returns the strings of a list that holds only strings.
func (v Value) AsStrings() ([]string, bool) {
	if v.kind != KindList {
		return nil, false
	}
	ss := make([]string, len(v.list))
	for i, e := range v.list {
		if e.kind != KindString {
			return nil, false
		}
		ss[i] = e.str
	}
	return ss, true
}

// Literal returns the text of a KindNumber value as it appeared.
func (v Value) Literal() (string, bool) { return v.str, v.kind == KindNumber }

// Elems returns the elements of a list, nil for other kinds. The slice is
// v's own.
func (v Value) Elems() []Value { return v.list }

// Fields returns the fields of an object, nil for other kinds. The slice
// is v's own.
func (v Value) Fields() []Field { return v.fields }

// Get returns the field key of an object.
func (v Value) Get(key string) (Value, bool) { return lookup(v.fields, key) }

// Equal reports whether v and o are the same value; number literals
// compare as text.
func (v Value) Equal(o Value) bool {
	if v.kind != o.kind || v.str != o.str || v.i != o.i || len(v.list) != len(o.list) {
		return false
	}
	for i := range v.list {
		if !v.list[i].Equal(o.list[i]) {
			return false
		}
	}
	return fieldsEqual(v.fields, o.fields)
}

// String returns v as JSON.
func (v Value) String() string { return string(appendValue(nil, v)) }

func lookup(fs []Field, key string) (Value, bool) {
	for _, f := range fs {
		if f.Key == key {
			return f.Value, true
		}
	}
	return Value{}, false
}

func fieldsEqual(a, b []Field) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key || !a[i].Value.Equal(b[i].Value) {
			return false
		}
	}
	return true
}
