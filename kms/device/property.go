package device

import (
	"math"
	"math/bits"
)

// EnumValue is one named value of an enum or bitmask property. For a bitmask
// Value is the bit's index, as struct drm_mode_property_enum carries it.
type EnumValue struct {
	Value uint64
	Name  string
}

// Property is a KMS property object. Every field is fixed after the device
// is built, so readers need no lock.
type Property struct {
	id    uint32
	name  string
	flags uint32
	// values holds min and max for ranges (signed ranges store int64 bits),
	// the object type for object properties, and the enum values.
	values []uint64
	enums  []EnumValue
}

// ID returns the property's object id.
func (p *Property) ID() uint32 { return p.id }

// Name returns the property's name.
func (p *Property) Name() string { return p.name }

// Flags returns the DRM_MODE_PROP_* flags.
func (p *Property) Flags() uint32 { return p.flags }

// Values returns the property's values as drmModeGetProperty reports them.
func (p *Property) Values() []uint64 { return append([]uint64(nil), p.values...) }

// Enums returns the named values of an enum or bitmask property.
func (p *Property) Enums() []EnumValue { return append([]EnumValue(nil), p.enums...) }

// Immutable reports whether userspace may not set the property.
func (p *Property) Immutable() bool { return p.flags&PropImmutable != 0 }

// Atomic reports whether only atomic clients see the property.
func (p *Property) Atomic() bool { return p.flags&PropAtomic != 0 }

// TypeName returns the property's type as drm_info prints it.
func (p *Property) TypeName() string {
	switch {
	case p.flags&PropRange != 0:
		return "range"
	case p.flags&PropEnum != 0:
		return "enum"
	case p.flags&PropBlob != 0:
		return "blob"
	case p.flags&PropBitmask != 0:
		return "bitmask"
	case p.flags&PropExtendedType == PropObject:
		return "object"
	case p.flags&PropExtendedType == PropSignedRange:
		return "signed range"
	}
	return "unknown"
}

// EnumName returns the name of enum value v, or "" when it has none.
func (p *Property) EnumName(v uint64) string {
	for _, e := range p.enums {
		if e.Value == v {
			return e.Name
		}
	}
	return ""
}

func (p *Property) isType(t uint32) bool {
	if t&PropExtendedType != 0 {
		return p.flags&PropExtendedType == t
	}
	return p.flags&t != 0
}

// validValue is drm_property_change_valid_get without the reference: it
// decides whether userspace may set value, given a way to look objects up.
// Immutable properties are never settable; that is what makes the
// kms_atomic immutable-zpos check fail with EINVAL.
func (p *Property) validValue(value uint64, lookup func(id uint32, t ObjectType) bool) bool {
	if p.flags&PropImmutable != 0 {
		return false
	}
	switch {
	case p.isType(PropRange):
		return value >= p.values[0] && value <= p.values[1]
	case p.isType(PropSignedRange):
		v := int64(value)
		return v >= int64(p.values[0]) && v <= int64(p.values[1])
	case p.isType(PropBitmask):
		var mask uint64
		for _, e := range p.enums {
			mask |= 1 << e.Value
		}
		return value&^mask == 0
	case p.isType(PropBlob):
		return value == 0 || (value <= math.MaxUint32 && lookup(uint32(value), ObjectBlob))
	case p.isType(PropObject):
		return value == 0 || (value <= math.MaxUint32 && lookup(uint32(value), ObjectType(p.values[0])))
	}
	for _, e := range p.enums {
		if e.Value == value {
			return true
		}
	}
	return false
}

func newRange(name string, flags uint32, min, max uint64) *Property {
	return &Property{name: name, flags: flags | PropRange, values: []uint64{min, max}}
}

func newSignedRange(name string, flags uint32, min, max int64) *Property {
	return &Property{name: name, flags: flags | PropSignedRange, values: []uint64{uint64(min), uint64(max)}}
}

func newBool(name string, flags uint32) *Property { return newRange(name, flags, 0, 1) }

func newObjectProp(name string, flags uint32, t ObjectType) *Property {
	return &Property{name: name, flags: flags | PropObject, values: []uint64{uint64(t)}}
}

func newBlobProp(name string, flags uint32) *Property {
	return &Property{name: name, flags: flags | PropBlob}
}

func newEnum(name string, flags uint32, enums []EnumValue) *Property {
	p := &Property{name: name, flags: flags | PropEnum, enums: enums}
	for _, e := range enums {
		p.values = append(p.values, e.Value)
	}
	return p
}

// newBitmask builds a bitmask property from the bits of supported that have
// names, as drm_property_create_bitmask skips unsupported bits.
func newBitmask(name string, flags uint32, supported uint64, names func(bit uint64) string) *Property {
	p := &Property{name: name, flags: flags | PropBitmask}
	for s := supported; s != 0; s &= s - 1 {
		b := uint64(bits.TrailingZeros64(s))
		p.enums = append(p.enums, EnumValue{Value: b, Name: names(b)})
		p.values = append(p.values, b)
	}
	return p
}
