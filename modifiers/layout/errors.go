package layout

import (
	"errors"
	"strconv"
)

// Kind classifies a layout failure the way zwp_linux_buffer_params_v1
// classifies its errors, so the compositor can map a failure to the
// protocol error code without parsing text.
type Kind uint8

// The failure kinds. The zero value is deliberately not a valid kind so an
// uninitialised Error never looks like a specific protocol error.
const (
	// Incomplete: the number of planes does not match the format and
	// modifier (protocol error incomplete).
	Incomplete Kind = iota + 1
	// InvalidFormat: the format is unknown, or the format and modifier
	// cannot be combined (protocol error invalid_format).
	InvalidFormat
	// InvalidDimensions: width or height is zero, too large to lay out, or
	// not a multiple the modifier requires (protocol error
	// invalid_dimensions).
	InvalidDimensions
	// OutOfBounds: an offset, stride or size overflows 32 bits or reaches
	// past the end of the object (protocol error out_of_bounds).
	OutOfBounds
	// InvalidLayout: the offsets and strides are in range but break a rule
	// of the format or modifier (minimum pitch, tile-width multiple,
	// alignment). The protocol has no dedicated code; compositors raise
	// out_of_bounds or fail the import.
	InvalidLayout
)

// String returns the protocol-style name of the kind.
func (k Kind) String() string {
	switch k {
	case Incomplete:
		return "incomplete"
	case InvalidFormat:
		return "invalid_format"
	case InvalidDimensions:
		return "invalid_dimensions"
	case OutOfBounds:
		return "out_of_bounds"
	case InvalidLayout:
		return "invalid_layout"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Sentinels, one per Kind, so callers can use errors.Is without a type
// assertion.
var (
	ErrIncomplete        = errors.New("incomplete planes")
	ErrInvalidFormat     = errors.New("invalid format")
	ErrInvalidDimensions = errors.New("invalid dimensions")
	ErrOutOfBounds       = errors.New("out of bounds")
	ErrInvalidLayout     = errors.New("invalid layout")
)

// Cause sentinels: they explain why a kind fired and are matched by
// errors.Is alongside the kind's sentinel.
var (
	// ErrUnsupportedModifier: the modifier's vendor or value is unknown to
	// headway, or malformed. Headway never guesses a layout for it.
	ErrUnsupportedModifier = errors.New("unsupported modifier")
	// ErrOverflow: a size or offset does not fit in the 32-bit fields of
	// the protocol (or 64-bit arithmetic would wrap).
	ErrOverflow = errors.New("size overflow")
	// ErrNoCanonicalLayout: the modifier is understood well enough to
	// validate buffers, but its exact allocation depends on hardware
	// tables headway does not model, so Compute refuses to invent one.
	ErrNoCanonicalLayout = errors.New("no canonical layout")
)

func (k Kind) sentinel() error {
	switch k {
	case Incomplete:
		return ErrIncomplete
	case InvalidFormat:
		return ErrInvalidFormat
	case InvalidDimensions:
		return ErrInvalidDimensions
	case OutOfBounds:
		return ErrOutOfBounds
	case InvalidLayout:
		return ErrInvalidLayout
	}
	return nil
}

// Error is the only error type Compute and Validate return. Rule is a
// complete, self-contained sentence naming the numbers that broke it, so a
// negotiation log can print it verbatim.
type Error struct {
	Kind  Kind
	Plane int    // index of the offending plane, or -1 when no single plane is at fault
	Rule  string // the rule that fired, with the numbers, e.g. "plane 1: offset 4096 + stride 1024 * 540 rows = 557056 > object size 552960"
	Err   error  // optional cause such as ErrOverflow or ErrUnsupportedModifier
}

// Error formats the kind and the rule.
func (e *Error) Error() string {
	s := "layout: " + e.Kind.String() + ": " + e.Rule
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap exposes both the kind's sentinel and the cause to errors.Is.
func (e *Error) Unwrap() []error {
	out := make([]error, 0, 2)
	if s := e.Kind.sentinel(); s != nil {
		out = append(out, s)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

func newErr(k Kind, plane int, cause error, rule string) *Error {
	return &Error{Kind: k, Plane: plane, Rule: rule, Err: cause}
}
