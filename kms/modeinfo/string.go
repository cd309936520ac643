package modeinfo

import (
	"strconv"
	"strings"
)

// centiHz is the exact refresh rate in hundredths of Hz, rounded to
// nearest; 0 when undefined. Unlike RefreshRate it does not mirror the
// kernel's 32-bit limits, because it only feeds String.
func (m *Mode) centiHz() uint64 {
	den := uint64(m.HTotal) * uint64(m.VTotal)
	if den == 0 {
		return 0
	}
	num := uint64(m.Clock) * 100_000 // kHz -> Hz, then hundredths
	if m.Flags&FlagInterlace != 0 {
		num *= 2
	}
	if m.Flags&FlagDblScan != 0 {
		den *= 2
	}
	if m.VScan > 1 {
		den *= uint64(m.VScan)
	}
	return (num + den/2) / den
}

var flagWords = [...]struct {
	bit  uint32
	word string
}{
	{FlagPHSync, "+hsync"}, {FlagNHSync, "-hsync"},
	{FlagPVSync, "+vsync"}, {FlagNVSync, "-vsync"},
	{FlagInterlace, "interlace"}, {FlagDblScan, "dblscan"},
	{FlagCSync, "csync"}, {FlagPCSync, "+csync"}, {FlagNCSync, "-csync"},
	{FlagDblClk, "dblclk"}, {FlagClkDiv2, "clkdiv2"},
}

var typeWords = [...]struct {
	bit  uint32
	word string
}{
	{TypePreferred, "preferred"}, {TypeUserdef, "userdef"}, {TypeDriver, "driver"},
}

// String formats m on one line; the format is documented in the package
// documentation.
func (m *Mode) String() string {
	var b strings.Builder
	b.Grow(96)
	b.WriteString(strconv.Itoa(int(m.HDisplay)))
	b.WriteByte('x')
	b.WriteString(strconv.Itoa(int(m.VDisplay)))
	if m.Flags&FlagInterlace != 0 {
		b.WriteByte('i')
	}
	c := m.centiHz()
	b.WriteByte('@')
	b.WriteString(strconv.FormatUint(c/100, 10))
	b.WriteByte('.')
	if c%100 < 10 {
		b.WriteByte('0')
	}
	b.WriteString(strconv.FormatUint(c%100, 10))
	b.WriteByte(' ')
	b.WriteString(strconv.FormatUint(uint64(m.Clock), 10))
	b.WriteString(" kHz")
	for _, v := range [...]uint16{m.HDisplay, m.HSyncStart, m.HSyncEnd, m.HTotal,
		m.VDisplay, m.VSyncStart, m.VSyncEnd, m.VTotal} {
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(int(v)))
	}
	rest := m.Flags
	for _, f := range flagWords {
		if m.Flags&f.bit != 0 {
			b.WriteByte(' ')
			b.WriteString(f.word)
			rest &^= f.bit
		}
	}
	if m.Flags&FlagHSkew != 0 {
		b.WriteString(" hskew=")
		b.WriteString(strconv.Itoa(int(m.HSkew)))
		rest &^= FlagHSkew
	}
	if l := m.Flags & Flag3DMask; l != 0 {
		b.WriteString(" 3d=")
		b.WriteString(strconv.Itoa(int(l >> flag3DShift)))
		rest &^= Flag3DMask
	}
	if ar := m.Flags & FlagPicARMask; ar != 0 {
		b.WriteString(" aspect=")
		b.WriteString(strconv.Itoa(int(ar >> flagARShift)))
		rest &^= FlagPicARMask
	}
	if rest != 0 {
		b.WriteString(" flags=0x")
		b.WriteString(strconv.FormatUint(uint64(rest), 16))
	}
	restType := m.Type
	for _, t := range typeWords {
		if m.Type&t.bit != 0 {
			b.WriteByte(' ')
			b.WriteString(t.word)
			restType &^= t.bit
		}
	}
	if restType != 0 {
		b.WriteString(" type=0x")
		b.WriteString(strconv.FormatUint(uint64(restType), 16))
	}
	return b.String()
}
