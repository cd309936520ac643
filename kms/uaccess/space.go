package uaccess

import (
	"encoding/binary"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"syscall"
)

// PageSize is the page granule of every Space, the x86-64 and arm64 4 KiB
// base page that IGT's mmap calls assume.
const PageSize = 4096

// Prot is a set of page permissions with the PROT_* bit values of mmap(2).
type Prot uint8

// Page permissions, bit-for-bit PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC.
const (
	ProtNone  Prot = 0
	ProtRead  Prot = 1
	ProtWrite Prot = 2
	ProtExec  Prot = 4
)

// protMask holds every defined bit; anything else is EINVAL, as the kernel's
// arch_validate_prot refuses unknown bits in mprotect.
const protMask = ProtRead | ProtWrite | ProtExec

// MaxMapped is the default cap on the bytes one Space may have mapped at
// once. It bounds the memory a misbehaving client or fuzz input can make the
// device hold, the analogue of RLIMIT_AS.
const MaxMapped = 256 << 20

// FirstAddr is the address of a fresh Space's first mapping. Everything
// below it stays unmapped, so NULL and small offsets from NULL always fault,
// as Linux's vm.mmap_min_addr (65536 by default) guarantees.
const FirstAddr = 0x10000

// mapping is one contiguous run of pages with one protection. data covers
// exactly [start, end) and is the only live slice of an array of backing
// bytes; splitAt keeps backing <= 2*len(data), so the Go memory held stays
// within twice the bytes mapped however pages are split and unmapped.
type mapping struct {
	start, end uint64
	prot       Prot
	data       []byte
	backing    uint64
}

// Space is one simulated user address space. Create it with New.
type Space struct {
	mu    sync.RWMutex
	maps  []mapping // sorted by start, never overlapping
	next  uint64    // address of the next Map; only grows
	total uint64    // bytes currently mapped
	limit uint64    // cap on total

	// last is the index in maps of the last lookup hit. Readers share the
	// read lock, so it is atomic; it is only a hint and always re-checked.
	last atomic.Int64
}

// New returns an empty Space whose first mapping will be at FirstAddr.
func New() *Space {
	return &Space{next: FirstAddr, limit: MaxMapped}
}

// pageAlign rounds n up to a whole number of pages; ok is false if that
// overflows, where the kernel's PAGE_ALIGN wraps to a value it then rejects.
func pageAlign(n uint64) (uint64, bool) {
	if n > math.MaxUint64-(PageSize-1) {
		return 0, false
	}
	return (n + PageSize - 1) &^ (PageSize - 1), true
}

// Map creates a new mapping of length bytes (rounded up to pages) with prot,
// like mmap(NULL, length, prot, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0). The
// memory reads as zeros.
func (s *Space) Map(length uint64, prot Prot) (uint64, error) {
	if length == 0 {
		return 0, fmt.Errorf("uaccess: map of 0 bytes: %w", syscall.EINVAL)
	}
	if prot&^protMask != 0 {
		return 0, fmt.Errorf("uaccess: map with prot %#x: %w", uint8(prot), syscall.EINVAL)
	}
	n, ok := pageAlign(length)
	if !ok {
		return 0, fmt.Errorf("uaccess: map of %d bytes: %w", length, syscall.ENOMEM)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n > s.limit-s.total {
		return 0, fmt.Errorf("uaccess: map of %d bytes with %d of %d mapped: %w", n, s.total, s.limit, syscall.ENOMEM)
	}
	addr := s.next
	// The mapping plus its guard page must fit below the top of the
	// address space; a Space would need exabytes of churn to get here.
	if addr > math.MaxUint64-n-PageSize {
		return 0, fmt.Errorf("uaccess: map of %d bytes: address space exhausted: %w", n, syscall.ENOMEM)
	}
	s.next = addr + n + PageSize
	s.total += n
	// New addresses only grow, so appending keeps maps sorted.
	s.maps = append(s.maps, mapping{start: addr, end: addr + n, prot: prot, data: make([]byte, n), backing: n})
	return addr, nil
}

// MapBytes maps len(b) bytes, fills them with b while the pages are
// writable, then sets prot. It is how tests and ioctl callers place an
// argument array in the Space.
func (s *Space) MapBytes(b []byte, prot Prot) (uint64, error) {
	if prot&^protMask != 0 {
		return 0, fmt.Errorf("uaccess: map with prot %#x: %w", uint8(prot), syscall.EINVAL)
	}
	addr, err := s.Map(uint64(len(b)), ProtRead|ProtWrite)
	if err != nil {
		return 0, err
	}
	if err := s.CopyToUser(addr, b); err != nil {
		return 0, err
	}
	if err := s.Protect(addr, uint64(len(b)), prot); err != nil {
		return 0, err
	}
	return addr, nil
}

// MapU32s maps vals in host byte order and then sets prot (see MapBytes).
func (s *Space) MapU32s(vals []uint32, prot Prot) (uint64, error) {
	b := make([]byte, 4*len(vals))
	for i, v := range vals {
		binary.NativeEndian.PutUint32(b[4*i:], v)
	}
	return s.MapBytes(b, prot)
}

// MapU64s maps vals in host byte order and then sets prot (see MapBytes).
func (s *Space) MapU64s(vals []uint64, prot Prot) (uint64, error) {
	b := make([]byte, 8*len(vals))
	for i, v := range vals {
		binary.NativeEndian.PutUint64(b[8*i:], v)
	}
	return s.MapBytes(b, prot)
}

// Mapped reports the bytes currently mapped.
func (s *Space) Mapped() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.total
}

// Protect changes the protection of the whole pages in [addr, addr+length),
// like mprotect(2), splitting mappings at the range's ends. It checks in the
// kernel's order (do_mprotect_pkey): unaligned addr is EINVAL, length 0
// succeeds, a wrapping end is ENOMEM, unknown prot bits are EINVAL, and a
// hole anywhere in the range is ENOMEM. On a hole nothing changes; the
// kernel may already have changed the pages before the hole, which callers
// cannot rely on either way.
func (s *Space) Protect(addr, length uint64, prot Prot) error {
	if addr%PageSize != 0 {
		return fmt.Errorf("uaccess: mprotect at unaligned %#x: %w", addr, syscall.EINVAL)
	}
	if length == 0 {
		return nil
	}
	n, ok := pageAlign(length)
	if !ok || addr > math.MaxUint64-n {
		return fmt.Errorf("uaccess: mprotect of %d bytes at %#x wraps: %w", length, addr, syscall.ENOMEM)
	}
	if prot&^protMask != 0 {
		return fmt.Errorf("uaccess: mprotect with prot %#x: %w", uint8(prot), syscall.EINVAL)
	}
	end := addr + n
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.covered(addr, end) {
		return fmt.Errorf("uaccess: mprotect [%#x, %#x): range not fully mapped: %w", addr, end, syscall.ENOMEM)
	}
	s.splitAt(addr)
	s.splitAt(end)
	for i := s.lowerBound(addr); i < len(s.maps) && s.maps[i].start < end; i++ {
		s.maps[i].prot = prot
	}
	return nil
}

// Unmap removes the whole pages in [addr, addr+length), like munmap(2):
// unaligned addr, length 0 and a wrapping end are EINVAL, and pages that
// were not mapped are silently skipped. Mappings are split as needed.
func (s *Space) Unmap(addr, length uint64) error {
	if addr%PageSize != 0 {
		return fmt.Errorf("uaccess: munmap at unaligned %#x: %w", addr, syscall.EINVAL)
	}
	n, ok := pageAlign(length)
	if length == 0 || !ok || addr > math.MaxUint64-n {
		return fmt.Errorf("uaccess: munmap of %d bytes at %#x: %w", length, addr, syscall.EINVAL)
	}
	end := addr + n
	s.mu.Lock()
	defer s.mu.Unlock()
	s.splitAt(addr)
	s.splitAt(end)
	lo := s.lowerBound(addr)
	hi := lo
	for hi < len(s.maps) && s.maps[hi].start < end {
		s.total -= s.maps[hi].end - s.maps[hi].start
		hi++
	}
	if hi > lo {
		s.maps = append(s.maps[:lo], s.maps[hi:]...)
		// Drop the stale tail entries so their data can be collected.
		clear(s.maps[len(s.maps) : len(s.maps)+hi-lo])
	}
	return nil
}

// covered reports whether every page of [start, end) is mapped. The caller
// holds s.mu.
func (s *Space) covered(start, end uint64) bool {
	at := start
	i := s.find(at)
	if i < 0 {
		return false
	}
	for ; i < len(s.maps); i++ {
		m := &s.maps[i]
		if m.start > at {
			return false
		}
		if m.end >= end {
			return true
		}
		at = m.end
	}
	return false
}

// lowerBound returns the index of the first mapping whose end is above
// addr, i.e. the one containing addr or the first one after it. The caller
// holds s.mu.
func (s *Space) lowerBound(addr uint64) int {
	lo, hi := 0, len(s.maps)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if s.maps[mid].end <= addr {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// splitAt makes addr (page aligned) a mapping boundary if a mapping
// contains it strictly inside. The caller holds s.mu for writing.
func (s *Space) splitAt(addr uint64) {
	i := s.lowerBound(addr)
	if i == len(s.maps) || s.maps[i].start >= addr {
		return
	}
	m := s.maps[i]
	off := addr - m.start
	lo := mapping{start: m.start, end: addr, prot: m.prot, data: m.data[:off:off], backing: m.backing}
	hi := mapping{start: addr, end: m.end, prot: m.prot, data: m.data[off:], backing: m.backing}
	// The smaller half moves to its own array so no two mappings share
	// one; the larger keeps the old array unless it now wastes more than
	// half of it. Unmapped pages are thus never kept alive by a neighbour.
	small, large := &lo, &hi
	if len(lo.data) > len(hi.data) {
		small, large = &hi, &lo
	}
	small.clone()
	if 2*uint64(len(large.data)) < large.backing {
		large.clone()
	}
	s.maps = append(s.maps, mapping{})
	copy(s.maps[i+2:], s.maps[i+1:])
	s.maps[i] = lo
	s.maps[i+1] = hi
}

// clone moves m's bytes to a fresh array of exactly their size.
func (m *mapping) clone() {
	m.data = append([]byte(nil), m.data...)
	m.backing = uint64(len(m.data))
}

// find returns the index of the mapping containing addr, or -1. It tries
// the last hit first: the device reads arrays front to back, so nearly every
// lookup after the first lands in the same mapping. The caller holds s.mu.
func (s *Space) find(addr uint64) int {
	if i := int(s.last.Load()); i < len(s.maps) {
		if m := &s.maps[i]; m.start <= addr && addr < m.end {
			return i
		}
	}
	i := s.lowerBound(addr)
	if i == len(s.maps) || s.maps[i].start > addr {
		return -1
	}
	s.last.Store(int64(i))
	return i
}

// span checks that [addr, addr+n) is mapped with all of want and returns
// the index of the mapping holding addr; n > 0. Contiguous mappings are
// walked, so an access may straddle a split. The caller holds s.mu.
func (s *Space) span(addr, n uint64, want Prot) (int, bool) {
	if addr > math.MaxUint64-n {
		return -1, false
	}
	end := addr + n
	first := s.find(addr)
	if first < 0 {
		return -1, false
	}
	at := addr
	for i := first; i < len(s.maps); i++ {
		m := &s.maps[i]
		if m.start > at || m.prot&want != want {
			return -1, false
		}
		if m.end >= end {
			return first, true
		}
		at = m.end
	}
	return -1, false
}

// readLocked copies from the Space into dst; the caller checked the range
// with span and holds s.mu.
func (s *Space) readLocked(dst []byte, addr uint64, i int) {
	for len(dst) > 0 {
		m := &s.maps[i]
		k := copy(dst, m.data[addr-m.start:])
		dst = dst[k:]
		addr += uint64(k)
		i++
	}
}

// writeLocked copies src into the Space; the caller checked the range with
// span and holds s.mu for writing.
func (s *Space) writeLocked(addr uint64, src []byte, i int) {
	for len(src) > 0 {
		m := &s.maps[i]
		k := copy(m.data[addr-m.start:], src)
		src = src[k:]
		addr += uint64(k)
		i++
	}
}

// CopyFromUser fills dst from [addr, addr+len(dst)), like copy_from_user.
// Any unmapped or unreadable byte, or a range that wraps past 2^64, is
// EFAULT and dst is left unspecified. An empty dst always succeeds, as the
// kernel's access_ok accepts a zero-size range anywhere.
func (s *Space) CopyFromUser(dst []byte, addr uint64) error {
	if len(dst) == 0 {
		return nil
	}
	s.mu.RLock()
	i, ok := s.span(addr, uint64(len(dst)), ProtRead)
	if ok {
		s.readLocked(dst, addr, i)
	}
	s.mu.RUnlock()
	if !ok {
		return fmt.Errorf("uaccess: read of %d bytes at %#x: %w", len(dst), addr, syscall.EFAULT)
	}
	return nil
}

// CopyToUser writes src to [addr, addr+len(src)), like copy_to_user, but
// all or nothing: unless every byte is mapped writable it is EFAULT and the
// Space is unchanged. An empty src always succeeds.
func (s *Space) CopyToUser(addr uint64, src []byte) error {
	if len(src) == 0 {
		return nil
	}
	s.mu.Lock()
	i, ok := s.span(addr, uint64(len(src)), ProtWrite)
	if ok {
		s.writeLocked(addr, src, i)
	}
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("uaccess: write of %d bytes at %#x: %w", len(src), addr, syscall.EFAULT)
	}
	return nil
}

// get reads n (≤ 8) bytes at addr into a stack buffer. It returns bare
// syscall.EFAULT so the hot path never allocates.
func (s *Space) get(addr uint64, buf []byte) error {
	s.mu.RLock()
	i, ok := s.span(addr, uint64(len(buf)), ProtRead)
	if ok {
		s.readLocked(buf, addr, i)
	}
	s.mu.RUnlock()
	if !ok {
		return syscall.EFAULT
	}
	return nil
}

// put writes buf at addr, all or nothing; bare syscall.EFAULT on failure.
func (s *Space) put(addr uint64, buf []byte) error {
	s.mu.Lock()
	i, ok := s.span(addr, uint64(len(buf)), ProtWrite)
	if ok {
		s.writeLocked(addr, buf, i)
	}
	s.mu.Unlock()
	if !ok {
		return syscall.EFAULT
	}
	return nil
}

// GetU32 reads a host-order uint32 at addr, like get_user. Unaligned
// addresses are fine. Failure is bare syscall.EFAULT.
func (s *Space) GetU32(addr uint64) (uint32, error) {
	var b [4]byte
	if err := s.get(addr, b[:]); err != nil {
		return 0, err
	}
	return binary.NativeEndian.Uint32(b[:]), nil
}

// GetU64 reads a host-order uint64 at addr, like get_user. Failure is bare
// syscall.EFAULT.
func (s *Space) GetU64(addr uint64) (uint64, error) {
	var b [8]byte
	if err := s.get(addr, b[:]); err != nil {
		return 0, err
	}
	return binary.NativeEndian.Uint64(b[:]), nil
}

// PutS32 writes a host-order int32 at addr, like put_user (the kernel's
// put_user(-1, fence_ptr) for OUT_FENCE_PTR). Failure is bare
// syscall.EFAULT and writes nothing.
func (s *Space) PutS32(addr uint64, v int32) error {
	return s.PutU32(addr, uint32(v))
}

// PutU32 writes a host-order uint32 at addr; see PutS32.
func (s *Space) PutU32(addr uint64, v uint32) error {
	var b [4]byte
	binary.NativeEndian.PutUint32(b[:], v)
	return s.put(addr, b[:])
}

// PutU64 writes a host-order uint64 at addr; see PutS32.
func (s *Space) PutU64(addr uint64, v uint64) error {
	var b [8]byte
	binary.NativeEndian.PutUint64(b[:], v)
	return s.put(addr, b[:])
}
