package formatset

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// TrancheFlags is the zwp_linux_dmabuf_feedback_v1 tranche_flags bitfield.
type TrancheFlags uint32

// FlagScanout hints that buffers allocated from the tranche may be scanned
// out directly (linux-dmabuf-v1.xml, enum tranche_flags).
const FlagScanout TrancheFlags = 1

// Wire limits for tranche_formats.
const (
	// MaxMessageSize is the largest message libwayland before 1.23 can
	// send or receive: its connection ring buffers are 4096 bytes and
	// ring_buffer_put refuses anything larger (wayland src/connection.c).
	// Debian 12 ships 1.21, so every message the compositor sends must
	// fit, header included.
	MaxMessageSize = 4096
	// messageHeaderSize is the object id plus the opcode/size word.
	messageHeaderSize = 8
	// arrayLengthSize is the u32 byte count in front of a wl_array.
	arrayLengthSize = 4
	// MaxIndicesPerMessage is the largest n with
	// TrancheFormatsMessageSize(n) <= MaxMessageSize:
	// 8 + 4 + 2*2042 = 4096 exactly, while 2043 indices pad to 4088
	// array bytes and a 4100-byte message.
	MaxIndicesPerMessage = (MaxMessageSize - messageHeaderSize - arrayLengthSize) / 2
)

var (
	// ErrNoTranches reports feedback with no tranche; the protocol needs at
	// least one, targeting the main device.
	ErrNoTranches = errors.New("feedback has no tranches")
	// ErrEmptyTranche reports a tranche whose set is empty: a tranche must
	// carry at least one tranche_formats event with at least one pair.
	ErrEmptyTranche = errors.New("tranche has no formats")
	// ErrDevSize reports a dev_t array that is not 8 bytes long.
	ErrDevSize = errors.New("dev_t array is not 8 bytes")
)

// TrancheFormatsMessageSize returns the wire size of a tranche_formats event
// carrying n indices: header, array length, then the array padded to 4.
func TrancheFormatsMessageSize(n int) int {
	return messageHeaderSize + arrayLengthSize + (2*n+3)&^3
}

// Tranche is one group of pairs a compositor advertises: the device
// buffers should be allocated on, the flags, and the pairs in preference
// order.
type Tranche struct {
	TargetDevice uint64 // dev_t
	Flags        TrancheFlags
	Formats      *Set
}

// FeedbackTranche is a tranche ready to send: the indices into the
// feedback's table in preference order, and the same indices split into
// the arrays of successive tranche_formats events.
type FeedbackTranche struct {
	// Source is the tranche's position in BuildFeedback's argument, since
	// tranches that add nothing new are left out.
	Source       int
	TargetDevice uint64
	Flags        TrancheFlags
	Indices      []uint16
	// Chunks are the tranche_formats arrays: native-endian u16 indices,
	// at most MaxIndicesPerMessage each, so every event fits MaxMessageSize.
	Chunks [][]byte
}

// Feedback is the data of one zwp_linux_dmabuf_feedback_v1 send: the table
// to write to the format_table memfd and the tranches in descending
// preference.
type Feedback struct {
	Table    *Table
	Tranches []FeedbackTranche
}

// BuildFeedback builds the format table and per-tranche index arrays for
// tranches given in descending preference. The table lists the first
// tranche's pairs first, in its order, then each later tranche's new pairs;
// a pair in several tranches has one entry. The protocol forbids a pair
// twice within a tranche, or across tranches sharing target device and
// flags: a Set cannot repeat a pair, and a later tranche's repeat of a pair
// already sent for the same device and flags is dropped. A tranche left
// with nothing is omitted, since the client has already accumulated all it
// would say. Fails with ErrNoTranches, ErrEmptyTranche or ErrTableTooLarge.
func BuildFeedback(tranches []Tranche) (Feedback, error) {
	if len(tranches) == 0 {
		return Feedback{}, ErrNoTranches
	}
	type group struct {
		dev   uint64
		flags TrancheFlags
	}
	total := 0
	shared := make(map[group]int, len(tranches))
	for i, tr := range tranches {
		if tr.Formats.Len() == 0 {
			return Feedback{}, fmt.Errorf("tranche %d (device %#x, flags %#x): %w", i, tr.TargetDevice, uint32(tr.Flags), ErrEmptyTranche)
		}
		total += tr.Formats.Len()
		shared[group{tr.TargetDevice, tr.Flags}]++
	}
	// Only tranches that share device and flags with another need to
	// remember what was sent; those get a bitset over all u16 indices.
	sent := make(map[group][]uint64)
	t := &Table{index: make(map[Pair]uint16, total)}
	fb := Feedback{Table: t, Tranches: make([]FeedbackTranche, 0, len(tranches))}
	for i, tr := range tranches {
		g := group{tr.TargetDevice, tr.Flags}
		var seen []uint64
		if shared[g] > 1 {
			seen = sent[g]
			if seen == nil {
				seen = make([]uint64, MaxTableEntries/64)
				sent[g] = seen
			}
		}
		indices := make([]uint16, 0, tr.Formats.Len())
		for f, m := range tr.Formats.Pairs() {
			idx, err := t.Add(f, m)
			if err != nil {
				return Feedback{}, fmt.Errorf("tranche %d: %w", i, err)
			}
			if seen != nil {
				word, bit := idx/64, uint64(1)<<(idx%64)
				if seen[word]&bit != 0 {
					continue
				}
				seen[word] |= bit
			}
			indices = append(indices, idx)
		}
		if len(indices) == 0 {
			continue
		}
		fb.Tranches = append(fb.Tranches, FeedbackTranche{
			Source:       i,
			TargetDevice: tr.TargetDevice,
			Flags:        tr.Flags,
			Indices:      indices,
			Chunks:       chunkIndices(indices),
		})
	}
	return fb, nil
}

// chunkIndices encodes indices once into one buffer and slices it into
// message-sized arrays, so the cost is two allocations per tranche whatever
// its length.
func chunkIndices(indices []uint16) [][]byte {
	buf := make([]byte, 2*len(indices))
	for i, idx := range indices {
		binary.NativeEndian.PutUint16(buf[2*i:], idx)
	}
	const chunkBytes = 2 * MaxIndicesPerMessage
	chunks := make([][]byte, 0, (len(buf)+chunkBytes-1)/chunkBytes)
	for len(buf) > 0 {
		n := min(len(buf), chunkBytes)
		chunks = append(chunks, buf[:n:n])
		buf = buf[n:]
	}
	return chunks
}

// DevBytes encodes a dev_t as the wl_array main_device and
// tranche_target_device carry: sizeof(dev_t) bytes in native order, 8 on
// Linux with glibc and musl alike.
func DevBytes(dev uint64) []byte {
	return binary.NativeEndian.AppendUint64(make([]byte, 0, 8), dev)
}

// ParseDev decodes a received dev_t array, failing with ErrDevSize unless
// it is exactly 8 bytes.
func ParseDev(b []byte) (uint64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("parsing %d-byte dev_t: %w", len(b), ErrDevSize)
	}
	return binary.NativeEndian.Uint64(b), nil
}
