// Command genvalues writes the list of modifier values that the libdrm
// golden generator (modifiers/internal/libdrmgen/modnames.c) names. The list
// is deterministic: it walks every vendor and every bit field the naming
// code looks at, then adds seeded pseudo-random values, so that rebuilding
// the golden data gives the same file unless libdrm itself changes.
package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
)

func code(vendor, val uint64) uint64 { return vendor<<56 | val&(1<<56-1) }

type list struct {
	seen map[uint64]bool
	vals []uint64
}

func (l *list) add(vs ...uint64) {
	for _, v := range vs {
		if !l.seen[v] {
			l.seen[v] = true
			l.vals = append(l.vals, v)
		}
	}
}

func main() {
	l := &list{seen: map[uint64]bool{}}

	// Vendor NONE.
	l.add(0, 1<<56-1, 1, 2, 1<<56-2, 1<<55, 0x1234)

	// Intel: every defined value and the next few, plus stray high bits.
	for i := uint64(0); i <= 20; i++ {
		l.add(code(1, i))
	}
	l.add(code(1, 1<<40|2), code(1, 1<<55|1), code(1, 1<<56-1))

	amd(l)
	nvidia(l)
	arm(l)

	// Amlogic: every layout and option combination, plus stray bits.
	for layout := uint64(0); layout <= 4; layout++ {
		for opt := uint64(0); opt <= 3; opt++ {
			l.add(code(0x0a, layout|opt<<8))
		}
	}
	l.add(code(0x0a, 0xff), code(0x0a, 1|0x80<<8), code(0x0a, 1|1<<16), code(0x0a, 2|1<<55))

	// Broadcom: plain values and SAND column heights.
	for i := uint64(0); i <= 8; i++ {
		l.add(code(7, i))
	}
	for base := uint64(0); base <= 7; base++ {
		for _, h := range []uint64{1, 16, 96, 4096, 1<<48 - 1} {
			l.add(code(7, h<<8|base))
		}
	}

	// Samsung, Qualcomm, Allwinner.
	for i := uint64(0); i <= 4; i++ {
		l.add(code(4, i), code(5, i), code(9, i))
	}
	l.add(code(4, 1<<20|1), code(5, 1<<30|1), code(9, 1<<8|1))

	// Vivante: tilings crossed with tile-status and compression bits.
	for base := uint64(0); base <= 5; base++ {
		for ts := uint64(0); ts <= 5; ts++ {
			for comp := uint64(0); comp <= 2; comp++ {
				l.add(code(6, base|ts<<48|comp<<52))
			}
		}
	}
	l.add(code(6, 0xf<<48|1), code(6, 0xf<<52|2), code(6, 1<<20|1))

	// Unknown vendors.
	for v := uint64(0x0b); v <= 0xff; v++ {
		l.add(code(v, 0), code(v, 1))
	}
	l.add(1<<64-1, code(0xff, 1<<56-1))

	// Seeded random values: anywhere, then within known vendors.
	r := rand.New(rand.NewPCG(0x6865616477617900, 2))
	for i := 0; i < 200; i++ {
		l.add(r.Uint64())
	}
	for i := 0; i < 300; i++ {
		v := r.Uint64N(11)
		val := r.Uint64()
		// Sparse values exercise the decoders' small fields more often.
		if i%2 == 0 {
			val &= r.Uint64() & r.Uint64()
		}
		l.add(code(v, val))
	}

	w := bufio.NewWriter(os.Stdout)
	for _, v := range l.vals {
		fmt.Fprintf(w, "0x%016x\n", v)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "genvalues:", err)
		os.Exit(1)
	}
}

func amd(l *list) {
	const (
		dcc      = 1 << 13
		retile   = 1 << 14
		align    = 1 << 15
		ind64    = 1 << 16
		ind128   = 1 << 17
		constEnc = 1 << 20
	)
	f := func(shift uint, v uint64) uint64 { return v << shift }
	// Every version with every tile, no other field.
	for ver := uint64(0); ver <= 7; ver++ {
		for tile := uint64(0); tile < 32; tile++ {
			l.add(code(2, ver|tile<<8))
		}
	}
	l.add(code(2, 0xff|27<<8))
	tiles := []uint64{0, 1, 2, 3, 4, 9, 10, 25, 26, 27, 31}
	for ver := uint64(0); ver <= 6; ver++ {
		for _, tile := range tiles {
			base := ver | tile<<8
			// Each DCC flag alone, with and without DCC.
			for _, fl := range []uint64{dcc, retile, align, ind64, ind128, constEnc} {
				l.add(code(2, base|fl), code(2, base|dcc|fl))
			}
			for blk := uint64(0); blk <= 3; blk++ {
				l.add(code(2, base|dcc|blk<<18), code(2, base|blk<<18))
			}
			// Reserved bits.
			l.add(code(2, base|1<<36), code(2, base|1<<55), code(2, base|dcc|1<<40))
			if tile != 9 && tile != 27 && tile != 31 {
				continue
			}
			// Each chip field 0..7, with DCC off, DCC on, DCC+retile,
			// DCC+pipe align.
			for _, extra := range []uint64{0, dcc, dcc | retile, dcc | align} {
				for v := uint64(0); v <= 7; v++ {
					l.add(code(2, base|extra|f(21, v)))
					l.add(code(2, base|extra|f(24, v)))
					l.add(code(2, base|extra|f(27, v)))
					l.add(code(2, base|extra|f(30, v)))
					l.add(code(2, base|extra|f(33, v)))
				}
			}
		}
		// Every DCC flag subset and block size on the R_X tiles.
		for _, tile := range []uint64{27, 31} {
			if tile == 31 && ver != 4 {
				continue
			}
			for flags := uint64(0); flags < 32; flags++ {
				for blk := uint64(0); blk <= 3; blk++ {
					v := ver | tile<<8 | dcc | blk<<18
					if flags&1 != 0 {
						v |= retile
					}
					if flags&2 != 0 {
						v |= align
					}
					if flags&4 != 0 {
						v |= ind64
					}
					if flags&8 != 0 {
						v |= ind128
					}
					if flags&16 != 0 {
						v |= constEnc
					}
					l.add(code(2, v))
				}
			}
		}
		// Realistic full values as drivers advertise them.
		l.add(code(2, ver|27<<8|dcc|retile|ind64|2<<18|f(21, 3)|f(24, 2)|f(27, 4)|f(30, 1)|f(33, 5)))
		l.add(code(2, ver|27<<8|dcc|align|ind64|ind128|1<<18|constEnc|f(21, 6)|f(24, 7)|f(27, 3)|f(30, 7)|f(33, 7)))
	}
}

func nvidia(l *list) {
	bl := func(c, s, g, k, h uint64) uint64 {
		return code(3, 0x10|h&0xf|(k&0xff)<<12|(g&3)<<20|(s&1)<<22|(c&7)<<23)
	}
	for h := uint64(0); h <= 15; h++ {
		l.add(bl(0, 1, 2, 0xfe, h), bl(0, 0, 0, 0, h))
	}
	for _, k := range []uint64{0, 1, 0x06, 0x7a, 0xdb, 0xfe, 0xff} {
		l.add(bl(0, 1, 2, k, 4))
	}
	for g := uint64(0); g <= 3; g++ {
		for s := uint64(0); s <= 1; s++ {
			for c := uint64(0); c <= 7; c++ {
				l.add(bl(c, s, g, 0xfe, 1))
			}
		}
	}
	for i := uint64(0); i <= 0x20; i++ {
		l.add(code(3, i))
	}
	// Bit 4 clear with other fields set, and reserved bits with bit 4 set.
	l.add(code(3, 0x5|0xfe<<12), code(3, 1|1<<22), code(3, 0x10|1<<5), code(3, 0x10|1<<11),
		code(3, 0x10|1<<26), code(3, 0x10|1<<55), bl(7, 1, 3, 0xff, 15)|1<<40)
}

func arm(l *list) {
	armc := func(typ, val uint64) uint64 { return code(8, typ<<52|val&(1<<52-1)) }
	for bs := uint64(0); bs <= 15; bs++ {
		l.add(armc(0, bs), armc(0, bs|1<<4|1<<6))
	}
	for bs := uint64(1); bs <= 4; bs++ {
		for bit := uint(4); bit <= 14; bit++ {
			l.add(armc(0, bs|1<<bit))
		}
		l.add(armc(0, bs|0x1ff0))
		l.add(armc(0, bs|1<<51), armc(0, bs|1<<30|1<<4))
	}
	// Every pair of flags on 16x16.
	for a := uint(4); a <= 12; a++ {
		for b := a + 1; b <= 12; b++ {
			l.add(armc(0, 1|1<<a|1<<b))
		}
	}
	for p0 := uint64(0); p0 <= 4; p0++ {
		for p12 := uint64(0); p12 <= 4; p12++ {
			l.add(armc(2, p0|p12<<4), armc(2, p0|p12<<4|1<<8))
		}
	}
	l.add(armc(2, 0xf), armc(2, 1|0xf<<4), armc(2, 1|1<<9), armc(2, 1|1<<51), armc(2, 3|3<<4|1<<8|1<<12))
	for i := uint64(0); i <= 3; i++ {
		l.add(armc(1, i))
	}
	for typ := uint64(3); typ <= 15; typ++ {
		l.add(armc(typ, 0), armc(typ, 1))
	}
}
