package modifier

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrUnknownModifier is wrapped by every error Parse returns.
var ErrUnknownModifier = errors.New("unknown modifier")

// ErrAmbiguousModifier is wrapped (together with ErrUnknownModifier) when a
// bare name is valid for several vendors; the message lists the
// vendor-qualified alternatives.
var ErrAmbiguousModifier = fmt.Errorf("ambiguous modifier name: %w", ErrUnknownModifier)

// Parse turns text into a modifier. It accepts, in this order:
//
//   - a hexadecimal value with a 0x or 0X prefix (up to 16 digits);
//   - a decimal value (digits only);
//   - a C macro name such as I915_FORMAT_MOD_Y_TILED, DRM_FORMAT_MOD_LINEAR,
//     DRM_FORMAT_MOD_NONE or DRM_FORMAT_MOD_BROADCOM_SAND128;
//   - a vendor-qualified name VendorName(m) + "_" + Name(m), such as
//     INTEL_Y_TILED or ARM_BLOCK_SIZE=16x16,MODE=YTR;
//   - a bare Name(m), when exactly one vendor has that name.
//
// Names are case-sensitive and must be spelled exactly as Name prints
// them. Surrounding white space is ignored. Where libdrm's name drops bits
// of the value, Parse returns the canonical value for that name (see the
// package documentation), whose Name is the same string.
func Parse(s string) (Modifier, error) {
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("modifier: parse %q: empty: %w", in, ErrUnknownModifier)
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		v, err := strconv.ParseUint(s[2:], 16, 64)
		if err != nil {
			return 0, fmt.Errorf("modifier: parse %q: bad hexadecimal value: %w", in, errors.Join(ErrUnknownModifier, err))
		}
		return Modifier(v), nil
	}
	if allDigits(s) {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("modifier: parse %q: bad decimal value: %w", in, errors.Join(ErrUnknownModifier, err))
		}
		return Modifier(v), nil
	}
	if m, ok := byMacro[s]; ok {
		return m, nil
	}
	if m, ok := parseQualified(s); ok {
		return m, nil
	}
	var found [maxKnownVendor + 2]Modifier
	n := 0
	if m, ok := rawOf(s); ok {
		if nameIs(m, s) {
			found[n] = m
			n++
		}
	} else {
		for v := Vendor(0); v <= maxKnownVendor; v++ {
			if m, ok := parseVendorForm(v, s); ok && m.Vendor() == v && nameIs(m, s) {
				found[n] = m
				n++
			}
		}
	}
	switch n {
	case 0:
		return 0, fmt.Errorf("modifier: parse %q: %w", in, ErrUnknownModifier)
	case 1:
		return found[0], nil
	}
	alts := make([]string, n)
	for i, m := range found[:n] {
		alts[i] = VendorName(m) + "_" + s
	}
	return 0, fmt.Errorf("modifier: parse %q: %w: one of %s", in, ErrAmbiguousModifier, strings.Join(alts, ", "))
}

const maxKnownVendor = VendorAmlogic

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseQualified parses VENDOR_NAME, the vendor being a libdrm vendor name
// or our VENDOR_0xNN.
func parseQualified(s string) (Modifier, bool) {
	var v Vendor
	var rest string
	if strings.HasPrefix(s, "VENDOR_0x") && len(s) > len("VENDOR_0xNN_") && s[len("VENDOR_0xNN")] == '_' {
		b, err := strconv.ParseUint(s[len("VENDOR_0x"):len("VENDOR_0xNN")], 16, 8)
		if err != nil {
			return 0, false
		}
		v, rest = Vendor(b), s[len("VENDOR_0xNN_"):]
	} else {
		found := false
		for i, name := range libdrmVendors {
			if len(s) > len(name)+1 && s[len(name)] == '_' && strings.HasPrefix(s, name) {
				v, rest, found = Vendor(i), s[len(name)+1:], true
				break
			}
		}
		if !found {
			return 0, false
		}
	}
	m, ok := parseVendorForm(v, rest)
	if !ok || m.Vendor() != v || VendorName(m) != s[:len(s)-len(rest)-1] || !nameIs(m, rest) {
		return 0, false
	}
	return m, true
}

// rawOf returns the value a RAW=0x… field carries, when name is one of our
// forms that ends with it.
func rawOf(name string) (Modifier, bool) {
	const n = len(rawToken) + 16
	if len(name) < n {
		return 0, false
	}
	if len(name) > n && name[len(name)-n-1] != ',' {
		return 0, false
	}
	tail := name[len(name)-n:]
	if !strings.HasPrefix(tail, rawToken) {
		return 0, false
	}
	v, err := strconv.ParseUint(tail[len(rawToken):], 16, 64)
	if err != nil {
		return 0, false
	}
	return Modifier(v), true
}

// parseVendorForm is the structural inverse of the vendor's name printer:
// it builds the value the fields of name describe, setting every bit the
// name does not mention to its canonical value. It does not check that the
// name is spelled canonically; callers compare Name of the result.
func parseVendorForm(v Vendor, name string) (Modifier, bool) {
	if m, ok := rawOf(name); ok {
		return m, m.Vendor() == v
	}
	if m, ok := bySimpleName[vendorNameKey{v, name}]; ok {
		return m, true
	}
	switch v {
	case VendorAMD:
		return parseAMD(name)
	case VendorNVIDIA:
		return parseNVIDIA(name)
	case VendorARM:
		return parseARM(name)
	case VendorAmlogic:
		return parseAmlogic(name)
	case VendorBroadcom:
		return parseSANDColHeight(name)
	case VendorVivante:
		return parseVivante(name)
	}
	return 0, false
}

// field splits "KEY=value" when the key matches.
func field(tok, key string) (string, bool) {
	if len(tok) > len(key) && tok[len(key)] == '=' && strings.HasPrefix(tok, key) {
		return tok[len(key)+1:], true
	}
	return "", false
}

func smallUint(s string, limit uint64) (uint64, bool) {
	if s == "" || !allDigits(s) {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil || v > limit {
		return 0, false
	}
	return v, true
}

func indexOf(names []string, s string) (uint64, bool) {
	for i, n := range names {
		if n != "" && n == s {
			return uint64(i), true
		}
	}
	return 0, false
}

var amdTilesByName = map[string]uint64{
	"GFX9_64K_S":     AMDTileGFX9_64K_S,
	"GFX9_64K_D":     AMDTileGFX9_64K_D,
	"GFX9_64K_S_X":   AMDTileGFX9_64K_S_X,
	"GFX9_64K_D_X":   AMDTileGFX9_64K_D_X,
	"GFX9_64K_R_X":   AMDTileGFX9_64K_R_X,
	"GFX11_256K_R_X": AMDTileGFX11_256K_R_X,
	"GFX12_256B_2D":  AMDTileGFX12_256B_2D,
	"GFX12_4K_2D":    AMDTileGFX12_4K_2D,
	"GFX12_64K_2D":   AMDTileGFX12_64K_2D,
	"GFX12_256K_2D":  AMDTileGFX12_256K_2D,
}

var amdFlagsByName = map[string]AMDField{
	"DCC":                  AMDDCC,
	"DCC_RETILE":           AMDDCCRetile,
	"DCC_PIPE_ALIGN":       AMDDCCPipeAlign,
	"DCC_INDEPENDENT_64B":  AMDDCCIndependent64B,
	"DCC_INDEPENDENT_128B": AMDDCCIndependent128B,
	"DCC_CONSTANT_ENCODE":  AMDDCCConstantEncode,
}

var amdNumbersByName = map[string]AMDField{
	"PIPE_XOR_BITS": AMDPipeXORBits,
	"BANK_XOR_BITS": AMDBankXORBits,
	"PACKERS":       AMDPackers,
	"RB":            AMDRB,
}

func parseAMD(name string) (Modifier, bool) {
	tok, rest, _ := strings.Cut(name, ",")
	ver, ok := indexOf(amdVersionNames[:], tok)
	if !ok {
		return 0, false
	}
	m := AMDTileVersion.Set(AMDModBase, ver)
	sawBlock := false
	for rest != "" {
		tok, rest, _ = strings.Cut(rest, ",")
		if t, ok := amdTilesByName[tok]; ok {
			m = AMDTile.Set(m, t)
			continue
		}
		if f, ok := amdFlagsByName[tok]; ok {
			m = f.Set(m, 1)
			continue
		}
		if val, ok := field(tok, "DCC_MAX_COMPRESSED_BLOCK"); ok {
			blk, ok := indexOf(amdBlockNames[:], val)
			if !ok {
				return 0, false
			}
			m = AMDDCCMaxCompressedBlock.Set(m, blk)
			sawBlock = true
			continue
		}
		if p, ok := strings.CutPrefix(tok, "PIPE_"); ok {
			if n, ok := smallUint(p, 7); ok {
				m = AMDPipe.Set(m, n)
				continue
			}
		}
		key, val, ok := strings.Cut(tok, "=")
		f, known := amdNumbersByName[key]
		if !ok || !known {
			return 0, false
		}
		n, ok := smallUint(val, f.Mask)
		if !ok {
			return 0, false
		}
		m = f.Set(m, n)
	}
	// libdrm omits the block size it cannot name (3), so its absence
	// under DCC means 3.
	if AMDDCC.Get(m) != 0 && !sawBlock {
		m = AMDDCCMaxCompressedBlock.Set(m, 3)
	}
	return m, true
}

func parseNVIDIA(name string) (Modifier, bool) {
	rest, ok := strings.CutPrefix(name, "BLOCK_LINEAR_2D,")
	if !ok {
		return 0, false
	}
	keys := [...]string{"HEIGHT", "KIND", "GEN", "SECTOR", "COMPRESSION"}
	limits := [...]uint64{0xf, 0xff, 3, 1, 7}
	var vals [5]uint64
	for i, key := range keys {
		var tok string
		tok, rest, _ = strings.Cut(rest, ",")
		val, ok := field(tok, key)
		if !ok {
			return 0, false
		}
		if vals[i], ok = smallUint(val, limits[i]); !ok {
			return 0, false
		}
	}
	if rest != "" {
		return 0, false
	}
	return NVIDIABlockLinear2D(vals[4], vals[3], vals[2], vals[1], vals[0]), true
}

func parseARM(name string) (Modifier, bool) {
	if rest, ok := strings.CutPrefix(name, "BLOCK_SIZE="); ok {
		blk, mode, ok := strings.Cut(rest, ",")
		if !ok {
			return 0, false
		}
		bs, ok := indexOf(afbcBlockNames[:], blk)
		if !ok {
			return 0, false
		}
		if mode == "" {
			return ARMAFBC(bs), true
		}
		flags, ok := strings.CutPrefix(mode, "MODE=")
		if !ok {
			return 0, false
		}
		for flags != "" {
			var f string
			f, flags, _ = strings.Cut(flags, "|")
			bit := uint64(0)
			for _, af := range afbcFlags {
				if af.name == f {
					bit = af.bit
				}
			}
			if bit == 0 {
				return 0, false
			}
			bs |= bit
		}
		return ARMAFBC(bs), true
	}
	rest, ok := strings.CutPrefix(name, "P0=")
	if !ok {
		return 0, false
	}
	tok, rest, _ := strings.Cut(rest, ",")
	p0, ok := indexOf(afrcCUNames[:], tok)
	if !ok {
		return 0, false
	}
	var p12 uint64
	if val, ok := strings.CutPrefix(rest, "P12="); ok {
		tok, rest, _ = strings.Cut(val, ",")
		if p12, ok = indexOf(afrcCUNames[:], tok); !ok {
			return 0, false
		}
	}
	switch rest {
	case "SCAN":
		return ARMAFRC(ARMAFRCMode(p0, p12, true)), true
	case "ROT":
		return ARMAFRC(ARMAFRCMode(p0, p12, false)), true
	}
	return 0, false
}

func parseAmlogic(name string) (Modifier, bool) {
	rest, ok := strings.CutPrefix(name, "FBC,LAYOUT=")
	if !ok {
		return 0, false
	}
	layoutName, opts, ok := strings.Cut(rest, ",OPTIONS=")
	if !ok {
		return 0, false
	}
	layout, ok := indexOf(amlogicLayouts[:], layoutName)
	if !ok {
		return 0, false
	}
	switch opts {
	case "0":
		return AmlogicFBC(layout, 0), true
	case "MEM_SAVING":
		return AmlogicFBC(layout, AmlogicFBCOptionMemSaving), true
	}
	return 0, false
}

func parseSANDColHeight(name string) (Modifier, bool) {
	base, h, ok := strings.Cut(name, ",COL_HEIGHT=")
	if !ok {
		return 0, false
	}
	m, ok := bySimpleName[vendorNameKey{VendorBroadcom, base}]
	if !ok || m < BroadcomSAND32 || m > BroadcomSAND256 {
		return 0, false
	}
	height, ok := smallUint(h, 1<<48-1)
	if !ok {
		return 0, false
	}
	return BroadcomSANDColHeight(m, height), true
}

func parseVivante(name string) (Modifier, bool) {
	tok, rest, _ := strings.Cut(name, ",")
	base, ok := indexOf(vivanteTilingNames[:], tok)
	if !ok {
		return 0, false
	}
	if val, ok := strings.CutPrefix(rest, "TS="); ok {
		tok, rest, _ = strings.Cut(val, ",")
		ts, ok := indexOf(vivanteTSNames[:], tok)
		if !ok {
			return 0, false
		}
		base |= ts << vivanteTSShift
	}
	switch rest {
	case "":
	case "COMP=DEC400":
		base |= VivanteCompDEC400
	default:
		return 0, false
	}
	return Code(VendorVivante, base), true
}
