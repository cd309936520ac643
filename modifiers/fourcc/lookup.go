package fourcc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrUnknownFormat is returned (wrapped, with the input) by Parse for a string
// that names no format this package knows.
var ErrUnknownFormat = errors.New("unknown DRM format")

var (
	// index maps a little-endian code to its position in table.
	index = make(map[Format]int, len(table))
	// tableBE holds, for each table entry, its BigEndian variant, built once
	// so that Lookup never builds a name and never allocates.
	tableBE [len(table)]Info
	// drmNames maps a code (without BigEndian) to its DRM name.
	drmNames = make(map[Format]string, len(table)+len(nameOnly))
	// byName maps an upper-cased DRM name to its code.
	byName = make(map[string]Format, len(table)+len(nameOnly))
	// byCode maps an upper-cased libdrm-style code ("XR24", "C8") to its code.
	byCode = make(map[string]Format, len(table)+len(nameOnly))
)

func init() {
	add := func(f Format, name string) {
		drmNames[f] = name
		byName[strings.ToUpper(name)] = f
		if f != Invalid {
			byCode[strings.ToUpper(LibdrmName(f))] = f
		}
	}
	for i := range table {
		in := &table[i]
		in.FourCC = LibdrmName(in.Format)
		index[in.Format] = i
		add(in.Format, in.Name)
		be := *in
		be.Format |= BigEndian
		be.FourCC = LibdrmName(be.Format)
		be.Name = in.Name + beSuffix
		tableBE[i] = be
	}
	for _, n := range nameOnly {
		add(n.f, n.name)
	}
}

const beSuffix = "_BE"

// Lookup returns the layout of f as the kernel's format table describes it.
// For f with BigEndian set it returns the layout of the base format, since
// the flag changes byte order within a word, not the geometry; Format,
// FourCC and Name then keep the flag (Name gets a "_BE" suffix, as libdrm's
// names do). It reports false for codes the kernel's table does not describe,
// including formats the header names but the kernel cannot lay out (R16,
// RG88, ...): a fake device must refuse exactly what a real one refuses.
func Lookup(f Format) (Info, bool) {
	i, ok := index[f&^BigEndian]
	if !ok {
		return Info{}, false
	}
	if f&BigEndian != 0 {
		return tableBE[i], true
	}
	return table[i], true
}

// All returns every format of the kernel's table, little-endian only, in the
// kernel's own order (the order of __drm_format_info's formats[]), so that
// listings diff cleanly against the kernel. The slice is the caller's.
func All() []Info {
	out := make([]Info, len(table))
	copy(out, table[:])
	return out
}

// String returns LibdrmName(f), the form compositor and Mesa logs print.
func (f Format) String() string { return LibdrmName(f) }

// LibdrmName returns exactly what libdrm's drmGetFormatName prints for f
// (mesa/drm xf86drm.c, since 2.4.113): the four code bytes in memory order,
// trailing spaces removed (the first byte never is), cut at the first NUL,
// then "_BE" when BigEndian is set. The code with BigEndian cleared being 0
// gives "INVALID" without any suffix. Bytes are not escaped: an unprintable
// code yields an unprintable (possibly not UTF-8) string, as in libdrm.
func LibdrmName(f Format) string {
	be := f&BigEndian != 0
	f &^= BigEndian
	if f == Invalid {
		return "INVALID"
	}
	var buf [4 + len(beSuffix)]byte
	code := buf[:4]
	code[0], code[1], code[2], code[3] = byte(f), byte(f>>8), byte(f>>16), byte(f>>24)
	for i := 3; i > 0 && code[i] == ' '; i-- {
		code[i] = 0
	}
	n := 0
	for n < 4 && code[n] != 0 {
		n++
	}
	if be {
		n += copy(buf[n:], beSuffix)
	}
	return string(buf[:n])
}

// DRMName returns the kernel-style name of f, the DRM_FORMAT_ macro without
// its prefix ("XRGB8888", "INVALID" for 0), with "_BE" appended when
// BigEndian is set on a named format. A code the kernel header does not name
// (or BigEndian alone) falls back to "0x%08x" of the whole value, which
// Parse reads back to the same code.
func DRMName(f Format) string {
	base := f &^ BigEndian
	if base != Invalid || f == Invalid {
		if name, ok := drmNames[base]; ok {
			if f&BigEndian != 0 {
				return name + beSuffix
			}
			return name
		}
	}
	return fmt.Sprintf("0x%08x", uint32(f))
}

// Parse reads a format from any of the spellings people paste: surrounding
// white space is ignored, then the first matching rule wins:
//
//  1. "0x" or "0X" and 1 to 8 hex digits: the raw code, known or not (check
//     it with Lookup).
//  2. "DRM_FORMAT_" and a DRM name, case-insensitive ("DRM_FORMAT_NV12").
//  3. A DRM name, case-insensitive ("XRGB8888", "nv12", "INVALID").
//  4. A libdrm/fourcc code of a known format, case-insensitive, trailing
//     spaces omitted ("XR24", "C8", "R  H").
//
// Rules 2 to 4 accept a "_BE" suffix that sets BigEndian. DRM names are tried
// before codes, so a string that were both would mean the named format; no
// current name is the code of a different format (a test guards this), and
// names such as "C8", "NV12" or "Y210" are their own code.
// Anything else fails with an error wrapping ErrUnknownFormat.
func Parse(s string) (Format, error) {
	t := strings.TrimSpace(s)
	if len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') {
		v, err := strconv.ParseUint(t[2:], 16, 32)
		if err != nil {
			return 0, fmt.Errorf("fourcc: %q is not a 32-bit hex code: %w", s, ErrUnknownFormat)
		}
		return Format(v), nil
	}
	u := strings.ToUpper(t)
	if rest, ok := strings.CutPrefix(u, "DRM_FORMAT_"); ok {
		if f, ok := lookupName(byName, rest); ok {
			return f, nil
		}
		return 0, fmt.Errorf("fourcc: %q is not a DRM_FORMAT_ macro: %w", s, ErrUnknownFormat)
	}
	if f, ok := lookupName(byName, u); ok {
		return f, nil
	}
	if f, ok := lookupName(byCode, u); ok {
		return f, nil
	}
	return 0, fmt.Errorf("fourcc: parse %q: %w", s, ErrUnknownFormat)
}

// lookupName finds u in m, also as a name with a "_BE" suffix. BigEndian is
// never set on INVALID: a flag on no format is not a name.
func lookupName(m map[string]Format, u string) (Format, bool) {
	if f, ok := m[u]; ok {
		return f, true
	}
	if base, ok := strings.CutSuffix(u, beSuffix); ok {
		if f, ok := m[base]; ok && f != Invalid {
			return f | BigEndian, true
		}
	}
	return 0, false
}
