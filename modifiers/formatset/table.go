package formatset

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// EntrySize is the size of one format table entry: u32 format, u32
// padding, u64 modifier (linux-dmabuf-v1.xml, format_table; wlroots
// types/wlr_linux_dmabuf_v1.c static_asserts the same 16 bytes).
const EntrySize = 16

// MaxTableEntries is the number of entries a u16 index can address.
const MaxTableEntries = 1 << 16

var (
	// ErrTableTooLarge reports a table that would need more entries than
	// tranche_formats' u16 indices can address.
	ErrTableTooLarge = errors.New("format table exceeds 65536 entries")
	// ErrTableSize reports received table bytes that are not a whole
	// number of 16-byte entries.
	ErrTableSize = errors.New("format table size is not a multiple of 16")
	// ErrIndexOutOfRange reports a tranche index with no table entry.
	ErrIndexOutOfRange = errors.New("format table index out of range")
	// ErrIndicesSize reports a tranche_formats array with an odd byte
	// length, which cannot hold whole u16 indices.
	ErrIndicesSize = errors.New("tranche_formats array size is not a multiple of 2")
)

// Table is a linux-dmabuf format table: pairs addressed by u16 index. A
// table built with Add holds each pair once; a table from ParseTable keeps
// whatever the peer sent, duplicates included (the protocol allows them),
// and Index then finds the first occurrence. The zero value is an empty
// table ready for use.
type Table struct {
	entries []Pair
	index   map[Pair]uint16
}

// Add returns the index of (f, m), appending it when absent. It fails with
// ErrTableTooLarge, leaving the table unchanged, when the table already
// holds MaxTableEntries entries.
func (t *Table) Add(f fourcc.Format, m modifier.Modifier) (uint16, error) {
	p := Pair{f, m}
	if i, ok := t.index[p]; ok {
		return i, nil
	}
	if len(t.entries) >= MaxTableEntries {
		return 0, fmt.Errorf("adding format %#08x modifier %#x: %w", uint32(f), uint64(m), ErrTableTooLarge)
	}
	if t.index == nil {
		t.index = make(map[Pair]uint16)
	}
	i := uint16(len(t.entries))
	t.entries = append(t.entries, p)
	t.index[p] = i
	return i, nil
}

// AddSet adds every pair of s in s's preference order. On ErrTableTooLarge
// the pairs before the failing one stay in the table.
func (t *Table) AddSet(s *Set) error {
	for f, m := range s.Pairs() {
		if _, err := t.Add(f, m); err != nil {
			return err
		}
	}
	return nil
}

// Index returns the index of the first entry equal to (f, m).
func (t *Table) Index(f fourcc.Format, m modifier.Modifier) (uint16, bool) {
	if t == nil {
		return 0, false
	}
	i, ok := t.index[Pair{f, m}]
	return i, ok
}

// Len returns the number of entries.
func (t *Table) Len() int {
	if t == nil {
		return 0
	}
	return len(t.entries)
}

// Entry returns the pair at index i; a client resolving a received
// tranche_formats index must reject one past the end.
func (t *Table) Entry(i int) (Pair, error) {
	if i < 0 || i >= t.Len() {
		return Pair{}, fmt.Errorf("index %d of %d entries: %w", i, t.Len(), ErrIndexOutOfRange)
	}
	return t.entries[i], nil
}

// Entries returns a copy of all entries in index order.
func (t *Table) Entries() []Pair {
	if t == nil {
		return nil
	}
	return append([]Pair(nil), t.entries...)
}

// Size returns the table's size in bytes, the value format_table sends.
func (t *Table) Size() int { return t.Len() * EntrySize }

// Bytes returns the table as the compositor writes it to the memfd sent in
// format_table: 16-byte entries in native byte order with zero padding.
// Native order because the client maps the file and reads the entries as a
// C struct, so the bytes must match the host's layout, not a wire order.
func (t *Table) Bytes() []byte {
	return t.AppendBytes(make([]byte, 0, t.Size()))
}

// AppendBytes appends the Bytes encoding to dst.
func (t *Table) AppendBytes(dst []byte) []byte {
	if t == nil {
		return dst
	}
	for _, p := range t.entries {
		dst = binary.NativeEndian.AppendUint32(dst, uint32(p.Format))
		dst = binary.NativeEndian.AppendUint32(dst, 0)
		dst = binary.NativeEndian.AppendUint64(dst, uint64(p.Modifier))
	}
	return dst
}

// ParseTable decodes a format table received from a compositor. Padding is
// ignored, as clients that read the entries as a struct ignore it.
// Duplicate entries are kept: the protocol allows them. A size that is not
// a multiple of 16 fails with ErrTableSize; more entries than u16 indices
// can address fails with ErrTableTooLarge, since the excess could never be
// referenced and marks a broken compositor.
func ParseTable(b []byte) (*Table, error) {
	if len(b)%EntrySize != 0 {
		return nil, fmt.Errorf("parsing %d-byte format table: %w", len(b), ErrTableSize)
	}
	n := len(b) / EntrySize
	if n > MaxTableEntries {
		return nil, fmt.Errorf("parsing format table of %d entries: %w", n, ErrTableTooLarge)
	}
	t := &Table{entries: make([]Pair, n), index: make(map[Pair]uint16, n)}
	for i := range n {
		e := b[i*EntrySize : (i+1)*EntrySize]
		p := Pair{
			Format:   fourcc.Format(binary.NativeEndian.Uint32(e[0:4])),
			Modifier: modifier.Modifier(binary.NativeEndian.Uint64(e[8:16])),
		}
		t.entries[i] = p
		if _, dup := t.index[p]; !dup {
			t.index[p] = uint16(i)
		}
	}
	return t, nil
}

// ParseIndices decodes a tranche_formats array: native-endian u16 indices.
func ParseIndices(b []byte) ([]uint16, error) {
	if len(b)%2 != 0 {
		return nil, fmt.Errorf("parsing %d-byte tranche_formats array: %w", len(b), ErrIndicesSize)
	}
	out := make([]uint16, len(b)/2)
	for i := range out {
		out[i] = binary.NativeEndian.Uint16(b[2*i:])
	}
	return out, nil
}

// Resolve maps tranche_formats indices to the set they advertise, as a
// client accumulates a tranche. Repeated pairs collapse; an index past the
// end fails with ErrIndexOutOfRange.
func (t *Table) Resolve(indices []uint16) (*Set, error) {
	s := &Set{}
	for _, i := range indices {
		p, err := t.Entry(int(i))
		if err != nil {
			return nil, fmt.Errorf("resolving tranche_formats: %w", err)
		}
		s.Add(p.Format, p.Modifier)
	}
	return s, nil
}
