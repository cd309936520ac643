package region

import (
	"testing"
)

// FuzzRegionOps runs random sequences of operations on two regions and
// compares both with the pixel-set oracle after every step. The first
// byte picks where the coordinates live: around 0, at the bottom limit or
// at the top limit, where rectangles may also have huge sizes that must
// saturate; so the clamping rules are checked pixel for pixel too.
func FuzzRegionOps(f *testing.F) {
	f.Add([]byte{0, 0, 1, 2, 9, 9, 0, 5, 5, 9, 9, 1, 3, 3, 4, 4})
	f.Add([]byte{0, 0, 0, 0, 12, 12, 3, 4, 4, 12, 12, 6, 0, 0, 0, 0, 8, 3, 14, 0, 0})
	f.Add([]byte{1, 0, 2, 2, 13, 13, 8, 0, 0, 0, 0, 8, 1, 1, 0, 0, 3, 9, 9, 5, 5, 5, 0, 0, 0, 0})
	f.Add([]byte{2, 0, 4, 4, 250, 250, 8, 16, 16, 0, 0, 3, 0, 0, 9, 9, 7, 0, 0, 0, 0, 9, 16, 16, 0, 0})
	f.Add([]byte{2, 0, 39, 39, 255, 3, 11, 1, 0, 0, 0, 10, 0, 0, 0, 0, 11, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		var base int64
		huge := false
		switch data[0] % 3 {
		case 1:
			base = MinCoord
		case 2:
			base, huge = MaxCoord-24, true
		}
		data = data[1:]

		var a, b Region
		pa, pb := pixelSet{}, pixelSet{}
		for step := 0; len(data) >= 5 && step < 48; step++ {
			code, p := data[0], data[1:5]
			data = data[5:]

			x, y := saturate(base+int64(p[0]%40)-8), saturate(base+int64(p[1]%40)-8)
			w, h := int64(p[2]%14)-2, int64(p[3]%14)-2
			if huge && p[2] >= 240 {
				w = MaxCoord
			}
			if huge && p[3] >= 240 {
				h = MaxCoord
			}
			rc := XYWH(x, y, int32(w), int32(h))
			pr := oracleXYWH(int64(x), int64(y), w, h)
			dx, dy := int32(p[0]%17)-8, int32(p[1]%17)-8

			switch code % 13 {
			case 0:
				a.Add(rc)
				pa = pa.union(pr)
			case 1:
				a.SubtractRect(rc)
				pa = pa.subtract(pr)
			case 2:
				a.IntersectRect(rc)
				pa = pa.intersect(pr)
			case 3:
				b.Add(rc)
				pb = pb.union(pr)
			case 4:
				b.SubtractRect(rc)
				pb = pb.subtract(pr)
			case 5:
				a.Union(&b)
				pa = pa.union(pb)
			case 6:
				a.Subtract(&b)
				pa = pa.subtract(pb)
			case 7:
				a.Intersect(&b)
				pa = pa.intersect(pb)
			case 8:
				a.Translate(dx, dy)
				pa = pa.translate(int64(dx), int64(dy))
			case 9:
				b.Translate(dx, dy)
				pb = pb.translate(int64(dx), int64(dy))
			case 10:
				b.Copy(&a)
				pb = pa.clone()
			case 11:
				switch p[0] % 3 {
				case 0:
					a.Union(&a)
				case 1:
					a.Subtract(&a)
					pa = pixelSet{}
				case 2:
					a.Intersect(&a)
				}
			case 12:
				if p[0]%4 == 0 {
					a.Clear()
					pa = pixelSet{}
				} else {
					b.Union(&a)
					pb = pb.union(pa)
				}
			}
			if err := matchOracle(&a, pa); err != nil {
				t.Fatalf("step %d (op %d): region A: %v", step, code%13, err)
			}
			if err := matchOracle(&b, pb); err != nil {
				t.Fatalf("step %d (op %d): region B: %v", step, code%13, err)
			}
		}
	})
}
