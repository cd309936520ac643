package uaccess

import (
	"encoding/binary"
	"math"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMapAddressesDeterministic(t *testing.T) {
	run := func() []uint64 {
		s := New()
		var out []uint64
		for _, n := range []uint64{1, PageSize, PageSize + 1, 3 * PageSize} {
			a, err := s.Map(n, ProtRead)
			require.NoError(t, err)
			out = append(out, a)
		}
		require.NoError(t, s.Unmap(out[1], PageSize))
		a, err := s.Map(1, ProtRead)
		require.NoError(t, err)
		return append(out, a)
	}
	want := []uint64{
		0x10000,
		0x10000 + 2*PageSize,
		0x10000 + 4*PageSize,
		0x10000 + 7*PageSize,
		0x10000 + 11*PageSize, // never reuses the unmapped hole
	}
	assert.Equal(t, want, run())
	assert.Equal(t, want, run())
}

func TestMapErrors(t *testing.T) {
	tests := []struct {
		name   string
		length uint64
		prot   Prot
		want   error
	}{
		{"zero length", 0, ProtRead, syscall.EINVAL},
		{"unknown prot bit", 1, 8, syscall.EINVAL},
		{"length wraps when rounded", math.MaxUint64 - 10, ProtRead, syscall.ENOMEM},
		{"over the cap", MaxMapped + 1, ProtRead, syscall.ENOMEM},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New()
			_, err := s.Map(tc.length, tc.prot)
			require.ErrorIs(t, err, tc.want)
			assert.Zero(t, s.Mapped())
		})
	}
}

func TestMapCapCountsLiveBytes(t *testing.T) {
	s := New()
	s.limit = 4 * PageSize
	a, err := s.Map(3*PageSize, ProtRead)
	require.NoError(t, err)
	_, err = s.Map(2*PageSize, ProtRead)
	require.ErrorIs(t, err, syscall.ENOMEM)
	require.NoError(t, s.Unmap(a, PageSize))
	_, err = s.Map(2*PageSize, ProtRead)
	require.NoError(t, err)
	assert.Equal(t, uint64(4*PageSize), s.Mapped())
}

// TestReadFaults covers the addresses kms_atomic passes: NULL, wrapping
// ranges, guard pages, and each protection.
func TestReadFaults(t *testing.T) {
	s := New()
	ro, err := s.MapU32s([]uint32{1, 2}, ProtRead)
	require.NoError(t, err)
	addrs := map[Prot]uint64{}
	for _, p := range []Prot{ProtNone, ProtRead, ProtWrite, ProtExec, ProtRead | ProtWrite, ProtRead | ProtExec, ProtWrite | ProtExec} {
		a, err := s.MapU32s([]uint32{0xdeadbeef}, p)
		require.NoError(t, err)
		addrs[p] = a
	}
	tests := []struct {
		name string
		addr uint64
		n    int
		ok   bool
	}{
		{"NULL", 0, 4, false},
		{"just below first mapping", FirstAddr - 1, 2, false},
		{"UINT64_MAX-4 wraps", math.MaxUint64 - 4, 8, false},
		{"UINT64_MAX-4 in range but unmapped", math.MaxUint64 - 4, 4, false},
		{"read only", ro, 8, true},
		{"unaligned", ro + 1, 4, true},
		{"last byte of mapping", ro + PageSize - 1, 1, true},
		{"into guard page", ro + PageSize - 2, 4, false},
		{"guard page", ro + PageSize, 4, false},
		{"PROT_NONE", addrs[ProtNone], 4, false},
		{"PROT_READ", addrs[ProtRead], 4, true},
		{"PROT_WRITE only", addrs[ProtWrite], 4, false},
		{"PROT_EXEC only", addrs[ProtExec], 4, false},
		{"PROT_READ|PROT_WRITE", addrs[ProtRead|ProtWrite], 4, true},
		{"PROT_READ|PROT_EXEC", addrs[ProtRead|ProtExec], 4, true},
		{"PROT_WRITE|PROT_EXEC", addrs[ProtWrite|ProtExec], 4, false},
		{"zero length anywhere", 0, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.CopyFromUser(make([]byte, tc.n), tc.addr)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, syscall.EFAULT)
			}
			if tc.n == 4 {
				_, err := s.GetU32(tc.addr)
				assert.Equal(t, tc.ok, err == nil, "GetU32: %v", err)
				if err != nil {
					assert.Equal(t, syscall.EFAULT, err)
				}
			}
			if tc.n == 8 {
				_, err := s.GetU64(tc.addr)
				assert.Equal(t, tc.ok, err == nil, "GetU64: %v", err)
			}
		})
	}
	v, err := s.GetU32(ro + 4)
	require.NoError(t, err)
	assert.Equal(t, uint32(2), v)
	v, err = s.GetU32(addrs[ProtRead])
	require.NoError(t, err)
	assert.Equal(t, uint32(0xdeadbeef), v)
}

// TestWriteFaults mirrors crtc_invalid_params_fence: put_user(-1) into
// PROT_READ, PROT_EXEC and PROT_NONE pages is EFAULT and changes nothing.
func TestWriteFaults(t *testing.T) {
	tests := []struct {
		name string
		prot Prot
		off  uint64
		ok   bool
	}{
		{"PROT_NONE", ProtNone, 0, false},
		{"PROT_READ", ProtRead, 0, false},
		{"PROT_EXEC", ProtExec, 0, false},
		{"PROT_READ|PROT_EXEC", ProtRead | ProtExec, 0, false},
		{"PROT_WRITE", ProtWrite, 0, true},
		{"PROT_READ|PROT_WRITE", ProtRead | ProtWrite, 0, true},
		{"PROT_READ|PROT_WRITE unaligned", ProtRead | ProtWrite, 3, true},
		{"straddles guard page", ProtRead | ProtWrite, PageSize - 2, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New()
			a, err := s.MapU32s(make([]uint32, PageSize/4), tc.prot)
			require.NoError(t, err)
			err = s.PutS32(a+tc.off, -1)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Equal(t, syscall.EFAULT, err)
			}
			// Inspect the bytes regardless of prot.
			require.NoError(t, s.Protect(a, PageSize, ProtRead))
			got := make([]byte, PageSize)
			require.NoError(t, s.CopyFromUser(got, a))
			want := make([]byte, PageSize)
			if tc.ok {
				binary.NativeEndian.PutUint32(want[tc.off:], math.MaxUint32)
			}
			assert.Equal(t, want, got)
		})
	}
}

func TestPutGetRoundTrip(t *testing.T) {
	s := New()
	a, err := s.Map(64, ProtRead|ProtWrite)
	require.NoError(t, err)
	require.NoError(t, s.PutU64(a+1, 0x0102030405060708))
	require.NoError(t, s.PutU32(a+16, 0xcafef00d))
	require.NoError(t, s.PutS32(a+20, -2))
	v64, err := s.GetU64(a + 1)
	require.NoError(t, err)
	assert.Equal(t, uint64(0x0102030405060708), v64)
	v32, err := s.GetU32(a + 16)
	require.NoError(t, err)
	assert.Equal(t, uint32(0xcafef00d), v32)
	v32, err = s.GetU32(a + 20)
	require.NoError(t, err)
	assert.Equal(t, uint32(0xfffffffe), v32)
	b := make([]byte, 8)
	require.NoError(t, s.CopyFromUser(b, a+1))
	assert.Equal(t, binary.NativeEndian.AppendUint64(nil, 0x0102030405060708), b)
}

func TestMapU64s(t *testing.T) {
	s := New()
	a, err := s.MapU64s([]uint64{7, math.MaxUint64}, ProtRead)
	require.NoError(t, err)
	v, err := s.GetU64(a + 8)
	require.NoError(t, err)
	assert.Equal(t, uint64(math.MaxUint64), v)
	assert.ErrorIs(t, s.PutU64(a, 1), syscall.EFAULT)
	_, err = s.MapU64s(nil, ProtRead)
	assert.ErrorIs(t, err, syscall.EINVAL)
	_, err = s.MapU32s([]uint32{1}, 0x80)
	assert.ErrorIs(t, err, syscall.EINVAL)
}

// TestStraddle: accesses across a Protect split work when both sides allow
// them, and fail whole (writing nothing) when one side does not.
func TestStraddle(t *testing.T) {
	s := New()
	a, err := s.Map(2*PageSize, ProtRead|ProtWrite)
	require.NoError(t, err)
	edge := a + PageSize - 2
	require.NoError(t, s.PutU32(edge, 0x11223344))
	require.NoError(t, s.Protect(a+PageSize, PageSize, ProtRead))
	assert.Len(t, s.maps, 2)
	v, err := s.GetU32(edge)
	require.NoError(t, err, "both halves readable")
	assert.Equal(t, uint32(0x11223344), v)

	err = s.PutU32(edge, 0x55667788)
	require.Equal(t, syscall.EFAULT, err, "second half read only")
	err = s.CopyToUser(edge, []byte{9, 9, 9, 9})
	require.ErrorIs(t, err, syscall.EFAULT)
	v, err = s.GetU32(edge)
	require.NoError(t, err)
	assert.Equal(t, uint32(0x11223344), v, "failed writes left no prefix")

	require.NoError(t, s.Protect(a, PageSize, ProtWrite))
	_, err = s.GetU32(edge)
	assert.Equal(t, syscall.EFAULT, err, "first half write only")
}

func TestProtectErrors(t *testing.T) {
	s := New()
	a, err := s.Map(2*PageSize, ProtRead)
	require.NoError(t, err)
	tests := []struct {
		name   string
		addr   uint64
		length uint64
		prot   Prot
		want   error
	}{
		{"unaligned", a + 1, PageSize, ProtWrite, syscall.EINVAL},
		{"zero length is a no-op", a, 0, ProtWrite, nil},
		{"zero length unaligned", a + 1, 0, ProtWrite, syscall.EINVAL},
		{"wraps", a, math.MaxUint64 - PageSize, ProtWrite, syscall.ENOMEM},
		{"unknown prot", a, PageSize, 0x10, syscall.EINVAL},
		{"runs into guard page", a, 3 * PageSize, ProtWrite, syscall.ENOMEM},
		{"unmapped", 0, PageSize, ProtWrite, syscall.ENOMEM},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Protect(tc.addr, tc.length, tc.prot)
			if tc.want == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tc.want)
			}
			// Nothing changed: still readable, not writable.
			_, err = s.GetU32(a)
			assert.NoError(t, err)
			assert.Equal(t, syscall.EFAULT, s.PutU32(a, 1))
			assert.Len(t, s.maps, 1)
		})
	}
}

func TestProtectAndUnmapSplit(t *testing.T) {
	s := New()
	a, err := s.Map(4*PageSize, ProtRead|ProtWrite)
	require.NoError(t, err)
	for i := uint64(0); i < 4; i++ {
		require.NoError(t, s.PutU32(a+i*PageSize, uint32(i+1)))
	}
	// Middle two pages read only: three mappings.
	require.NoError(t, s.Protect(a+PageSize, 2*PageSize-7, ProtRead))
	require.Len(t, s.maps, 3)
	assert.NoError(t, s.PutU32(a, 9))
	assert.Equal(t, syscall.EFAULT, s.PutU32(a+PageSize, 9))
	assert.Equal(t, syscall.EFAULT, s.PutU32(a+2*PageSize, 9))
	assert.NoError(t, s.PutU32(a+3*PageSize, 9))

	// Unmap page 2 (inside the middle mapping) and part of nothing beyond.
	require.NoError(t, s.Unmap(a+2*PageSize, 1))
	require.Len(t, s.maps, 3)
	assert.Equal(t, uint64(3*PageSize), s.Mapped())
	_, err = s.GetU32(a + 2*PageSize)
	assert.Equal(t, syscall.EFAULT, err)
	v, err := s.GetU32(a + PageSize)
	require.NoError(t, err)
	assert.Equal(t, uint32(2), v, "data survives the split")

	// Protect across the new hole fails and changes nothing.
	require.ErrorIs(t, s.Protect(a, 4*PageSize, ProtNone), syscall.ENOMEM)
	_, err = s.GetU32(a)
	assert.NoError(t, err)

	// Unmap over holes and the guard page is fine.
	require.NoError(t, s.Unmap(a, 10*PageSize))
	assert.Empty(t, s.maps)
	assert.Zero(t, s.Mapped())
}

func TestUnmapErrors(t *testing.T) {
	tests := []struct {
		name         string
		addr, length uint64
	}{
		{"unaligned", FirstAddr + 1, PageSize},
		{"zero length", FirstAddr, 0},
		{"wraps", FirstAddr, math.MaxUint64 - FirstAddr},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New()
			_, err := s.Map(PageSize, ProtRead)
			require.NoError(t, err)
			require.ErrorIs(t, s.Unmap(tc.addr, tc.length), syscall.EINVAL)
			assert.Equal(t, uint64(PageSize), s.Mapped())
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	s := New()
	shared, err := s.Map(PageSize, ProtRead|ProtWrite)
	require.NoError(t, err)
	const workers, iters = 4, 200
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < iters; i++ {
				a, err := s.MapU32s([]uint32{uint32(w), uint32(i)}, ProtRead)
				if err != nil {
					errs <- err
					return
				}
				v, err := s.GetU32(a + 4)
				if err != nil || v != uint32(i) {
					errs <- err
					return
				}
				if err := s.PutU64(shared, uint64(w)<<32|uint64(w)); err != nil {
					errs <- err
					return
				}
				// Writes are atomic per call: both halves agree.
				x, err := s.GetU64(shared)
				if err != nil || x>>32 != x&0xffffffff {
					errs <- err
					return
				}
				if err := s.Unmap(a, 8); err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("worker failed: %v", err)
	}
	assert.Equal(t, uint64(PageSize), s.Mapped())
	assert.Len(t, s.maps, 1)
}

func TestHotPathDoesNotAllocate(t *testing.T) {
	s := New()
	a, err := s.MapU32s(make([]uint32, 8), ProtRead|ProtWrite)
	require.NoError(t, err)
	ro, err := s.MapU32s([]uint32{1}, ProtRead)
	require.NoError(t, err)
	buf := make([]byte, 16)
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = s.GetU32(a + 4)
		_, _ = s.GetU64(a + 3)
		_ = s.PutS32(a, -1)
		_ = s.PutU64(a+8, 1)
		_ = s.PutS32(ro, -1) // failure path too
		_, _ = s.GetU32(0)
		_ = s.CopyFromUser(buf, a)
		_ = s.CopyToUser(a, buf)
	})
	assert.Zero(t, allocs)
}

func BenchmarkGetU32(b *testing.B) {
	s := New()
	vals := make([]uint32, 64)
	a, err := s.MapU32s(vals, ProtRead)
	require.NoError(b, err)
	for i := 0; i < 16; i++ { // other mappings, so lookups are not trivial
		_, err := s.Map(PageSize, ProtRead)
		require.NoError(b, err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.GetU32(a + uint64(i%64)*4); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPutS32(b *testing.B) {
	s := New()
	a, err := s.Map(PageSize, ProtRead|ProtWrite)
	require.NoError(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.PutS32(a, -1); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSplitsDoNotPinUnmappedMemory: unmapping all but one page of a large
// mapping must not keep the rest of its array alive through the survivor.
func TestSplitsDoNotPinUnmappedMemory(t *testing.T) {
	s := New()
	a, err := s.MapU32s([]uint32{1, 2, 3}, ProtRead|ProtWrite)
	require.NoError(t, err)
	b, err := s.Map(64*PageSize, ProtRead|ProtWrite)
	require.NoError(t, err)
	require.NoError(t, s.PutU32(b+63*PageSize, 42))
	for p := uint64(1); p < 64; p += 2 { // checkerboard of protections
		require.NoError(t, s.Protect(b+p*PageSize, PageSize, ProtRead))
	}
	require.NoError(t, s.Unmap(b, 63*PageSize))
	require.Len(t, s.maps, 2)
	last := s.maps[1]
	assert.Equal(t, uint64(PageSize), last.backing)
	assert.Equal(t, PageSize, cap(last.data), "survivor owns a one-page array")
	v, err := s.GetU32(b + 63*PageSize)
	require.NoError(t, err)
	assert.Equal(t, uint32(42), v)
	v, err = s.GetU32(a + 8)
	require.NoError(t, err)
	assert.Equal(t, uint32(3), v)
}

// PAGE_ALIGN at the top of the address space: the last page-aligned value
// is its own alignment, anything above it would wrap.
func TestPageAlignAtTheTop(t *testing.T) {
	top := uint64(math.MaxUint64) &^ (PageSize - 1)
	for _, c := range []struct {
		n, want uint64
		ok      bool
	}{
		{0, 0, true},
		{1, PageSize, true},
		{PageSize, PageSize, true},
		{top - PageSize + 1, top, true},
		{top, top, true},
		{top + 1, 0, false},
		{math.MaxUint64, 0, false},
	} {
		got, ok := pageAlign(c.n)
		assert.Equal(t, c.ok, ok, "%#x", c.n)
		assert.Equal(t, c.want, got, "%#x", c.n)
	}
}

// A mapping and its guard page must end at or below the top of the address
// space. Reaching the top takes exabytes of churn, so the test starts the
// allocator there.
func TestMapAtTheTopOfTheAddressSpace(t *testing.T) {
	s := New()
	s.next = math.MaxUint64 - 2*PageSize // the page and its guard end exactly at the top
	addr, err := s.Map(PageSize, ProtRead)
	require.NoError(t, err)
	assert.Equal(t, uint64(math.MaxUint64-2*PageSize), addr)

	s = New()
	s.next = math.MaxUint64 - 2*PageSize + 1
	_, err = s.Map(PageSize, ProtRead)
	assert.ErrorIs(t, err, syscall.ENOMEM)
}

// Copies that cross mapping boundaries (after mprotect split one mapping in
// three) read and write each byte in the mapping that holds it.
func TestCopyAcrossSplits(t *testing.T) {
	s := New()
	a, err := s.Map(3*PageSize, ProtRead|ProtWrite)
	require.NoError(t, err)
	want := make([]byte, 3*PageSize)
	for i := range want {
		want[i] = byte(i*7 + i/PageSize)
	}
	require.NoError(t, s.Protect(a+PageSize, PageSize, ProtRead|ProtWrite|ProtExec))
	require.Len(t, s.maps, 3)
	require.NoError(t, s.CopyToUser(a, want))
	got := make([]byte, len(want))
	require.NoError(t, s.CopyFromUser(got, a))
	assert.Equal(t, want, got)
	// A window from the middle of the first mapping to the middle of the
	// last.
	mid := make([]byte, 2*PageSize)
	require.NoError(t, s.CopyFromUser(mid, a+PageSize/2))
	assert.Equal(t, want[PageSize/2:PageSize/2+2*PageSize], mid)
}

// Lookups stay right when mappings go: an address in a hole, with one
// mapping left or after the last-hit mapping was unmapped, is EFAULT.
func TestLookupAfterUnmap(t *testing.T) {
	s := New()
	a, err := s.Map(PageSize, ProtRead|ProtWrite)
	require.NoError(t, err)
	b, err := s.Map(PageSize, ProtRead|ProtWrite)
	require.NoError(t, err)
	require.NoError(t, s.PutU32(a, 1))
	require.NoError(t, s.PutU32(b, 2)) // the last hit is now b's mapping
	require.NoError(t, s.Unmap(b, PageSize))
	_, err = s.GetU32(b)
	assert.Equal(t, syscall.EFAULT, err)
	v, err := s.GetU32(a)
	require.NoError(t, err)
	assert.Equal(t, uint32(1), v)
	_, err = s.GetU32(a + PageSize) // the guard page after the only mapping
	assert.Equal(t, syscall.EFAULT, err)
	_, err = s.GetU32(a - PageSize)
	assert.Equal(t, syscall.EFAULT, err)
}
