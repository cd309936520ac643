package neglog

import (
	"errors"
	"fmt"
)

// Version is the schema version this package writes and reads.
const Version = 1

// Event is one line of the log in generic form: the envelope, then the
// event's fields and its volatile fields in line order. Constructors such
// as Bind build events of the schema; Decode builds them from any
// version-1 line, including events and fields added after this reader was
// written.
type Event struct {
	Frame  uint64 // the vblank sequence of the frame the line belongs to
	Client string // the client's stable name; "" for compositor-wide lines
	Ord    uint64 // per-client ordinal from 1; 0 when Client is ""
	Type   string // the "event" key
	Fields []Field
	Vol    []Field // volatile fields, dropped by Normalize
}

// Get returns the field key, or false when the line does not have it.
func (e *Event) Get(key string) (Value, bool) { return lookup(e.Fields, key) }

// GetVol returns the volatile field key.
func (e *Event) GetVol(key string) (Value, bool) { return lookup(e.Vol, key) }

// Equal reports whether e and o encode to the same line.
func (e *Event) Equal(o *Event) bool {
	return e.Frame == o.Frame && e.Client == o.Client && e.Ord == o.Ord && e.Type == o.Type &&
		fieldsEqual(e.Fields, o.Fields) && fieldsEqual(e.Vol, o.Vol)
}

// ErrInvalid is wrapped by Validate's errors.
var ErrInvalid = errors.New("invalid negotiation log event")

// Validate checks e against the schema before it is written: the event
// type is known, the envelope fits its scope, and its fields are the
// schema's, in schema order, of the schema's kinds, with every required
// one present. Readers are more lenient (see Decode); the writer is strict
// so that headway itself never writes a line the documentation does not
// describe.
func (e *Event) Validate() error {
	spec, ok := Lookup(e.Type)
	if !ok {
		return fmt.Errorf("%w: unknown event type %q", ErrInvalid, e.Type)
	}
	switch spec.Scope {
	case ScopeClient:
		if e.Client == "" || e.Ord == 0 {
			return fmt.Errorf("%w: %s is a client event and needs a client name and an ordinal (have %q, %d)",
				ErrInvalid, e.Type, e.Client, e.Ord)
		}
	case ScopeCompositor:
		if e.Client != "" || e.Ord != 0 {
			return fmt.Errorf("%w: %s is compositor-wide but has client %q, ordinal %d", ErrInvalid, e.Type, e.Client, e.Ord)
		}
	}
	if err := checkFields(spec.Fields, e.Fields); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalid, e.Type, err)
	}
	if err := checkFields(spec.Vol, e.Vol); err != nil {
		return fmt.Errorf("%w: %s: vol: %w", ErrInvalid, e.Type, err)
	}
	return nil
}

// checkFields matches fs against specs in order, skipping optional specs
// that fs leaves out.
func checkFields(specs []FieldSpec, fs []Field) error {
	i := 0
	for _, f := range fs {
		for i < len(specs) && specs[i].Name != f.Key {
			if !specs[i].Optional {
				return fmt.Errorf("missing field %q before %q", specs[i].Name, f.Key)
			}
			i++
		}
		if i == len(specs) {
			if _, known := findSpec(specs, f.Key); known {
				return fmt.Errorf("field %q out of order or repeated", f.Key)
			}
			return fmt.Errorf("unknown field %q", f.Key)
		}
		if err := specs[i].check(f.Value); err != nil {
			return fmt.Errorf("field %q: %w", f.Key, err)
		}
		i++
	}
	for ; i < len(specs); i++ {
		if !specs[i].Optional {
			return fmt.Errorf("missing field %q", specs[i].Name)
		}
	}
	return nil
}

func findSpec(specs []FieldSpec, name string) (FieldSpec, bool) {
	for _, s := range specs {
		if s.Name == name {
			return s, true
		}
	}
	return FieldSpec{}, false
}

func (s FieldSpec) check(v Value) error {
	if v.kind != s.Kind {
		return fmt.Errorf("is %s, the schema says %s", v.kind, s.TypeName())
	}
	if s.Kind == KindList {
		for i, e := range v.list {
			if e.kind != s.Elem {
				return fmt.Errorf("element %d is %s, the schema says %s", i, e.kind, s.TypeName())
			}
		}
	}
	return nil
}
