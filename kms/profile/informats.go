package profile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"syscall"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// Layout constants of struct drm_format_modifier_blob and struct
// drm_format_modifier (include/uapi/drm/drm_mode.h).
const (
	// InFormatsVersion is FORMAT_BLOB_CURRENT, the only version there is.
	InFormatsVersion = 1
	// InFormatsHeaderSize is sizeof(struct drm_format_modifier_blob).
	InFormatsHeaderSize = 24
	// InFormatsEntrySize is sizeof(struct drm_format_modifier).
	InFormatsEntrySize = 24
	// MaxPlaneFormats is the most formats a plane may have:
	// __drm_universal_plane_init refuses more, because every modifier's
	// format bitmask is one u64 at offset 0.
	MaxPlaneFormats = 64
)

// ErrMalformedInFormats is wrapped by every DecodeInFormats error, together
// with syscall.EINVAL.
var ErrMalformedInFormats = errors.New("malformed IN_FORMATS blob")

// ne is the blob's byte order: the kernel fills the struct in host order
// and userspace reads it as a C struct.
var ne = binary.NativeEndian

// InFormatsSize returns the size of the blob AppendInFormats builds for
// list, or an error for a list the kernel would not build a blob for.
func InFormatsSize(list []FormatModifiers) (int, error) {
	if err := checkEncodable(list); err != nil {
		return 0, err
	}
	return inFormatsSize(len(list), countModifiers(list)), nil
}

func inFormatsSize(nf, nm int) int {
	return InFormatsHeaderSize + align8(4*nf) + InFormatsEntrySize*nm
}

func align8(n int) int { return (n + 7) &^ 7 }

// EncodeInFormats returns the IN_FORMATS blob for list; see AppendInFormats.
func EncodeInFormats(list []FormatModifiers) ([]byte, error) {
	n, err := InFormatsSize(list)
	if err != nil {
		return nil, err
	}
	return AppendInFormats(make([]byte, 0, n), list)
}

// AppendInFormats appends to dst the IN_FORMATS blob create_in_format_blob
// builds for a plane whose format array is list's formats in order and
// whose modifier array is the distinct modifiers in first-use order: the
// header (version 1, flags 0), the u32 formats padded to 8 bytes, then one
// drm_format_modifier per modifier with offset 0 and bit j set when format
// j takes it. It does not allocate when dst has room.
//
// Like the kernel it refuses an empty format list and more than 64 formats
// (EINVAL); it also refuses a format listed twice, which no driver does
// and which would make the blob ambiguous.
func AppendInFormats(dst []byte, list []FormatModifiers) ([]byte, error) {
	if err := checkEncodable(list); err != nil {
		return dst, err
	}
	nf, nm := len(list), countModifiers(list)
	start := len(dst)
	size := inFormatsSize(nf, nm)
	dst = grow(dst, size)
	b := dst[start : start+size]
	clear(b)
	fmtOff := InFormatsHeaderSize
	modOff := fmtOff + align8(4*nf)
	ne.PutUint32(b[0:], InFormatsVersion)
	ne.PutUint32(b[4:], 0)
	ne.PutUint32(b[8:], uint32(nf))
	ne.PutUint32(b[12:], uint32(fmtOff))
	ne.PutUint32(b[16:], uint32(nm))
	ne.PutUint32(b[20:], uint32(modOff))
	for j, fm := range list {
		ne.PutUint32(b[fmtOff+4*j:], uint32(fm.Format))
	}
	e := modOff
	for i, fm := range list {
		for k, m := range fm.Modifiers {
			if seenBefore(list, i, k, m) {
				continue
			}
			var mask uint64
			for j := range list {
				if hasModifier(list[j].Modifiers, m) {
					mask |= 1 << uint(j)
				}
			}
			ne.PutUint64(b[e:], mask)
			// offset and pad stay 0: with at most 64 formats the kernel's
			// window always starts at format 0.
			ne.PutUint64(b[e+16:], uint64(m))
			e += InFormatsEntrySize
		}
	}
	return dst, nil
}

func grow(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b[:len(b)+n]
	}
	nb := make([]byte, len(b)+n)
	copy(nb, b)
	return nb
}

func checkEncodable(list []FormatModifiers) error {
	if len(list) == 0 {
		return fmt.Errorf("IN_FORMATS: no formats: %w", syscall.EINVAL)
	}
	if len(list) > MaxPlaneFormats {
		return fmt.Errorf("IN_FORMATS: %d formats, at most %d: %w", len(list), MaxPlaneFormats, syscall.EINVAL)
	}
	for i := range list {
		for j := 0; j < i; j++ {
			if list[j].Format == list[i].Format {
				return fmt.Errorf("IN_FORMATS: format %s listed twice: %w", fourcc.LibdrmName(list[i].Format), syscall.EINVAL)
			}
		}
	}
	return nil
}

// seenBefore reports whether m occurs in list before position (i, k).
func seenBefore(list []FormatModifiers, i, k int, m modifier.Modifier) bool {
	for j := 0; j < i; j++ {
		if hasModifier(list[j].Modifiers, m) {
			return true
		}
	}
	return hasModifier(list[i].Modifiers[:k], m)
}

func hasModifier(ms []modifier.Modifier, m modifier.Modifier) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

func countModifiers(list []FormatModifiers) int {
	n := 0
	for i, fm := range list {
		for k, m := range fm.Modifiers {
			if !seenBefore(list, i, k, m) {
				n++
			}
		}
	}
	return n
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("IN_FORMATS: %s: %w", fmt.Sprintf(format, args...), errors.Join(ErrMalformedInFormats, syscall.EINVAL))
}

// DecodeInFormats reads an IN_FORMATS blob as userspace receives it, which
// is untrusted input. It returns every format of the format array in
// order, each with the modifiers whose entries select it, in entry order.
//
// It follows the uapi rules rather than the kernel's particular output:
// offsets may point anywhere inside the blob as long as the header, the
// format array and the modifier array do not overlap and are naturally
// aligned (4 for formats, 8 for modifiers); an entry's bit b stands for
// format offset+b, so entries for more than 64 formats work. It refuses a
// version other than 1, non-zero flags or pad, a bit naming a format past
// the array, a format listed twice and a (format, modifier) pair given
// twice. Every error wraps ErrMalformedInFormats and syscall.EINVAL.
func DecodeInFormats(b []byte) ([]FormatModifiers, error) {
	if len(b) < InFormatsHeaderSize {
		return nil, malformed("%d bytes, header needs %d", len(b), InFormatsHeaderSize)
	}
	version := ne.Uint32(b[0:])
	flags := ne.Uint32(b[4:])
	nf := uint64(ne.Uint32(b[8:]))
	fmtOff := uint64(ne.Uint32(b[12:]))
	nm := uint64(ne.Uint32(b[16:]))
	modOff := uint64(ne.Uint32(b[20:]))
	size := uint64(len(b))
	switch {
	case version != InFormatsVersion:
		return nil, malformed("version %d, want %d", version, InFormatsVersion)
	case flags != 0:
		return nil, malformed("flags %#x, want 0", flags)
	case nf == 0:
		return nil, malformed("no formats")
	}
	fmtEnd := fmtOff + 4*nf
	modEnd := modOff + InFormatsEntrySize*nm
	switch {
	case fmtOff%4 != 0 || fmtOff < InFormatsHeaderSize || fmtEnd > size:
		return nil, malformed("formats at %d..%d outside the %d-byte blob or misaligned", fmtOff, fmtEnd, size)
	case modOff%8 != 0 || modOff < InFormatsHeaderSize || modEnd > size:
		return nil, malformed("modifiers at %d..%d outside the %d-byte blob or misaligned", modOff, modEnd, size)
	case nm > 0 && fmtOff < modEnd && modOff < fmtEnd:
		return nil, malformed("formats at %d..%d overlap modifiers at %d..%d", fmtOff, fmtEnd, modOff, modEnd)
	}
	out := make([]FormatModifiers, nf)
	for j := range out {
		f := fourcc.Format(ne.Uint32(b[fmtOff+4*uint64(j):]))
		for i := 0; i < j; i++ {
			if out[i].Format == f {
				return nil, malformed("format %s listed twice", fourcc.LibdrmName(f))
			}
		}
		out[j].Format = f
	}
	// First pass: validate entries and count pairs per format, so all
	// modifier lists share one backing array.
	counts := make([]int, nf)
	total := 0
	for e := uint64(0); e < nm; e++ {
		p := modOff + e*InFormatsEntrySize
		mask := ne.Uint64(b[p:])
		off := uint64(ne.Uint32(b[p+8:]))
		if pad := ne.Uint32(b[p+12:]); pad != 0 {
			return nil, malformed("modifier entry %d: pad %#x, want 0", e, pad)
		}
		if mask != 0 && off+uint64(63-bits.LeadingZeros64(mask)) >= nf {
			return nil, malformed("modifier entry %d: format bit %d at offset %d past %d formats",
				e, 63-bits.LeadingZeros64(mask), off, nf)
		}
		for m := mask; m != 0; m &= m - 1 {
			counts[off+uint64(bits.TrailingZeros64(m))]++
			total++
		}
	}
	backing := make([]modifier.Modifier, total)
	at := 0
	for j := range out {
		out[j].Modifiers = backing[at : at : at+counts[j]]
		at += counts[j]
	}
	for e := uint64(0); e < nm; e++ {
		p := modOff + e*InFormatsEntrySize
		mask := ne.Uint64(b[p:])
		off := uint64(ne.Uint32(b[p+8:]))
		mod := modifier.Modifier(ne.Uint64(b[p+16:]))
		for m := mask; m != 0; m &= m - 1 {
			j := off + uint64(bits.TrailingZeros64(m))
			if hasModifier(out[j].Modifiers, mod) {
				return nil, malformed("format %s with modifier %s given twice",
					fourcc.LibdrmName(out[j].Format), modifier.Name(mod))
			}
			out[j].Modifiers = append(out[j].Modifiers, mod)
		}
	}
	return out, nil
}
