package uaccess

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"syscall"
	"testing"
)

// model is the obviously-correct reference: one entry per mapped page.
type model struct {
	pages       map[uint64]*modelPage
	next, limit uint64
	mappedAddrs []uint64
}

type modelPage struct {
	prot Prot
	data [PageSize]byte
}

func newModel(limit uint64) *model {
	return &model{pages: map[uint64]*modelPage{}, next: FirstAddr, limit: limit}
}

func (m *model) total() uint64 { return uint64(len(m.pages)) * PageSize }

func (m *model) mmap(length uint64, prot Prot) (uint64, error) {
	if length == 0 || prot&^protMask != 0 {
		return 0, syscall.EINVAL
	}
	if length > math.MaxUint64-(PageSize-1) {
		return 0, syscall.ENOMEM
	}
	n := (length + PageSize - 1) / PageSize * PageSize
	if m.total()+n > m.limit {
		return 0, syscall.ENOMEM
	}
	a := m.next
	m.next += n + PageSize
	for p := a; p < a+n; p += PageSize {
		m.pages[p] = &modelPage{prot: prot}
	}
	m.mappedAddrs = append(m.mappedAddrs, a)
	return a, nil
}

func (m *model) mprotect(addr, length uint64, prot Prot) error {
	if addr%PageSize != 0 {
		return syscall.EINVAL
	}
	if length == 0 {
		return nil
	}
	if length > math.MaxUint64-(PageSize-1) {
		return syscall.ENOMEM
	}
	n := (length + PageSize - 1) / PageSize * PageSize
	if addr > math.MaxUint64-n {
		return syscall.ENOMEM
	}
	if prot&^protMask != 0 {
		return syscall.EINVAL
	}
	if n/PageSize > uint64(len(m.pages)) {
		return syscall.ENOMEM
	}
	for p := addr; p < addr+n; p += PageSize {
		if m.pages[p] == nil {
			return syscall.ENOMEM
		}
	}
	for p := addr; p < addr+n; p += PageSize {
		m.pages[p].prot = prot
	}
	return nil
}

func (m *model) munmap(addr, length uint64) error {
	if addr%PageSize != 0 || length == 0 || length > math.MaxUint64-(PageSize-1) {
		return syscall.EINVAL
	}
	n := (length + PageSize - 1) / PageSize * PageSize
	if addr > math.MaxUint64-n {
		return syscall.EINVAL
	}
	for p := range m.pages {
		if p >= addr && p < addr+n {
			delete(m.pages, p)
		}
	}
	return nil
}

// access checks every byte of [addr, addr+n) for want, the per-byte
// definition the Space must agree with.
func (m *model) access(addr, n uint64, want Prot) bool {
	if n == 0 {
		return true
	}
	if addr > math.MaxUint64-n {
		return false
	}
	for a := addr; a < addr+n; a++ {
		p := m.pages[a&^(PageSize-1)]
		if p == nil || p.prot&want != want {
			return false
		}
	}
	return true
}

func (m *model) read(addr uint64, dst []byte) {
	for i := range dst {
		a := addr + uint64(i)
		dst[i] = m.pages[a&^(PageSize-1)].data[a%PageSize]
	}
}

func (m *model) write(addr uint64, src []byte) {
	for i, b := range src {
		a := addr + uint64(i)
		m.pages[a&^(PageSize-1)].data[a%PageSize] = b
	}
}

// fuzzInput hands out values from the fuzz bytes; exhausted input is zeros.
type fuzzInput struct{ b []byte }

func (f *fuzzInput) u8() uint8 {
	if len(f.b) == 0 {
		return 0
	}
	v := f.b[0]
	f.b = f.b[1:]
	return v
}

func (f *fuzzInput) u16() uint16 { return uint16(f.u8()) | uint16(f.u8())<<8 }

// addr picks an address near something interesting: NULL, the top of the
// address space, or any mapping ever made (mapped or not).
func (f *fuzzInput) addr(m *model, aligned bool) uint64 {
	sel := f.u8()
	switch sel % 8 {
	case 0:
		return uint64(f.u8())
	case 1:
		return math.MaxUint64 - uint64(f.u8())
	}
	base := uint64(FirstAddr)
	if len(m.mappedAddrs) > 0 {
		base = m.mappedAddrs[int(f.u8())%len(m.mappedAddrs)]
	}
	if aligned && sel&0x80 == 0 {
		return base + (uint64(f.u8()%16)-4)*PageSize
	}
	return base + uint64(int64(int16(f.u16())))
}

func (f *fuzzInput) length() uint64 {
	switch sel := f.u8(); sel % 8 {
	case 0:
		return 0
	case 1:
		return math.MaxUint64 - uint64(f.u8())
	default:
		return uint64(f.u16() % (5 * PageSize))
	}
}

func FuzzSpace(f *testing.F) {
	f.Add([]byte{0, 0, 0x10, 1, 3, 2, 2, 0, 0, 0, 8, 0, 0, 4})
	f.Add([]byte{0, 7, 0x20, 3, 0, 3, 2, 0, 0x40, 0x10, 1, 4, 2, 0, 0xfe, 0x0f, 2, 8, 0, 5, 2, 0, 0xfe, 0x0f})
	f.Add(bytes.Repeat([]byte{0, 0x30, 0x21, 7, 1, 2, 0x80, 0, 5, 0x10, 3, 2, 0, 0xf0, 0x0f, 9}, 6))
	f.Fuzz(func(t *testing.T, data []byte) {
		const limit = 32 * PageSize
		in := &fuzzInput{b: data}
		s := New()
		s.limit = limit
		m := newModel(limit)
		check := func(op string, got, want error) {
			t.Helper()
			if want == nil && got != nil || want != nil && !errors.Is(got, want) {
				t.Fatalf("%s: got %v, want %v", op, got, want)
			}
		}
		for steps := 0; len(in.b) > 0 && steps < 200; steps++ {
			switch op := in.u8() % 8; op {
			case 0:
				length, prot := uint64(in.u16()%(6*PageSize)), Prot(in.u8()%9)
				got, err := s.Map(length, prot)
				want, werr := m.mmap(length, prot)
				check("Map", err, werr)
				if got != want {
					t.Fatalf("Map(%d) = %#x, model %#x", length, got, want)
				}
			case 1:
				addr, length, prot := in.addr(m, true), in.length(), Prot(in.u8()%9)
				check("Protect", s.Protect(addr, length, prot), m.mprotect(addr, length, prot))
			case 2:
				addr, length := in.addr(m, true), in.length()
				check("Unmap", s.Unmap(addr, length), m.munmap(addr, length))
			case 3, 4:
				addr, n := in.addr(m, false), int(in.length()%(3*PageSize))
				got := make([]byte, n)
				var werr error
				if !m.access(addr, uint64(n), ProtRead) {
					werr = syscall.EFAULT
				}
				check("CopyFromUser", s.CopyFromUser(got, addr), werr)
				if werr == nil {
					want := make([]byte, n)
					m.read(addr, want)
					if !bytes.Equal(got, want) {
						t.Fatalf("CopyFromUser(%#x, %d) content differs", addr, n)
					}
				}
			case 5:
				addr, n := in.addr(m, false), int(in.length()%(3*PageSize))
				src := make([]byte, n)
				for i := range src {
					src[i] = byte(i*7) ^ byte(steps)
				}
				var werr error
				if m.access(addr, uint64(n), ProtWrite) {
					m.write(addr, src)
				} else {
					werr = syscall.EFAULT
				}
				check("CopyToUser", s.CopyToUser(addr, src), werr)
			case 6:
				addr := in.addr(m, false)
				v := uint64(in.u16()) * 0x9e3779b97f4a7c15
				var b [8]byte
				binary.NativeEndian.PutUint64(b[:], v)
				var werr error
				wide := in.u8()&1 == 1
				n := uint64(4)
				if wide {
					n = 8
				}
				if m.access(addr, n, ProtWrite) {
					m.write(addr, b[:n])
				} else {
					werr = syscall.EFAULT
				}
				if wide {
					check("PutU64", s.PutU64(addr, v), werr)
				} else {
					check("PutU32", s.PutU32(addr, uint32(v)), werr)
				}
			case 7:
				addr := in.addr(m, false)
				ok := m.access(addr, 8, ProtRead)
				got, err := s.GetU64(addr)
				if ok != (err == nil) {
					t.Fatalf("GetU64(%#x): err %v, model ok %v", addr, err, ok)
				}
				if ok {
					var b [8]byte
					m.read(addr, b[:])
					if got != binary.NativeEndian.Uint64(b[:]) {
						t.Fatalf("GetU64(%#x) = %#x, model %x", addr, got, b)
					}
				}
			}
			if s.Mapped() != m.total() {
				t.Fatalf("Mapped() = %d, model %d", s.Mapped(), m.total())
			}
		}
		checkLayout(t, s, m)
	})
}

// checkLayout compares the Space's mappings page by page with the model,
// ignoring protections, and checks the sorted, non-overlapping invariant.
func checkLayout(t *testing.T, s *Space, m *model) {
	t.Helper()
	var prevEnd uint64
	var pages int
	for i, mp := range s.maps {
		if mp.start%PageSize != 0 || mp.end%PageSize != 0 || mp.start >= mp.end || mp.start < prevEnd {
			t.Fatalf("mapping %d [%#x, %#x) breaks the layout invariant", i, mp.start, mp.end)
		}
		if uint64(len(mp.data)) != mp.end-mp.start {
			t.Fatalf("mapping %d has %d data bytes for %d", i, len(mp.data), mp.end-mp.start)
		}
		if mp.backing < uint64(len(mp.data)) || mp.backing > 2*uint64(len(mp.data)) {
			t.Fatalf("mapping %d holds a %d-byte array for %d bytes", i, mp.backing, len(mp.data))
		}
		prevEnd = mp.end
		for p := mp.start; p < mp.end; p += PageSize {
			pages++
			want := m.pages[p]
			if want == nil {
				t.Fatalf("page %#x mapped, model says not", p)
			}
			if want.prot != mp.prot {
				t.Fatalf("page %#x prot %d, model %d", p, mp.prot, want.prot)
			}
			if !bytes.Equal(mp.data[p-mp.start:p-mp.start+PageSize], want.data[:]) {
				t.Fatalf("page %#x content differs from model", p)
			}
		}
	}
	if pages != len(m.pages) {
		t.Fatalf("%d pages mapped, model %d", pages, len(m.pages))
	}
}
