package neglog

import (
	"cmp"
	"errors"
	"slices"
)

// ClientID is the compositor's handle for a client connection. It is never
// written: lines carry the client's stable name, which can change while
// the ID cannot.
type ClientID uint64

// NoClient marks compositor-wide events.
const NoClient ClientID = 0

// Batch collects the events of a frame and writes them in a deterministic
// order. The compositor records events as protocol requests and output
// results arrive; which client's request is handled first depends on
// scheduling, so lines are not written in arrival order but sorted by
// SortBatch's rule when the batch is flushed.
//
// Batch also owns the per-client ordinals: the n-th event added for a
// client gets Ord n over the client's whole life, across frames and
// renames. Events of one client arrive in an order fixed by that client's
// own requests, so the ordinal is deterministic and keeps them in that
// order after sorting.
//
// A Batch is not safe for concurrent use; the compositor uses it from its
// dispatch loop.
type Batch struct {
	frame   uint64
	pending []Event
	ids     []ClientID
	ords    map[ClientID]uint64
}

// SetFrame sets the frame that events added from now on belong to: the
// vblank sequence of the frame being latched or rendered.
func (b *Batch) SetFrame(frame uint64) { b.frame = frame }

// Frame returns the frame set by SetFrame.
func (b *Batch) Frame() uint64 { return b.frame }

// Len returns the number of events waiting for Flush.
func (b *Batch) Len() int { return len(b.pending) }

// Add records e for client id (NoClient for a compositor-wide event),
// stamping it with the current frame and, for a client, its next ordinal.
// The client's name is looked up only at Flush.
func (b *Batch) Add(id ClientID, e Event) {
	e.Frame = b.frame
	e.Client, e.Ord = "", 0
	if id != NoClient {
		if b.ords == nil {
			b.ords = map[ClientID]uint64{}
		}
		b.ords[id]++
		e.Ord = b.ords[id]
	}
	b.pending = append(b.pending, e)
	b.ids = append(b.ids, id)
}

// Forget drops the ordinal counter of a client that has gone, after its
// client_disconnect event was added.
func (b *Batch) Forget(id ClientID) { delete(b.ords, id) }

// Flush names every pending client event with name(id), the client's
// stable name at flush time, sorts the batch with SortBatch and writes it
// to w. Resolving names here, not in Add, puts all of a frame's lines of a
// renamed client under its new name, so they sort together. Names must be
// unique among the batch's clients; the compositor ensures that. A client
// that name maps to "" (or a nil name) makes its events invalid. Events w
// refuses are reported and the others still written; the batch is empty
// afterwards either way.
func (b *Batch) Flush(w *Writer, name func(ClientID) string) error {
	for i, id := range b.ids {
		if id != NoClient && name != nil {
			b.pending[i].Client = name(id)
		}
	}
	SortBatch(b.pending)
	var errs []error
	for _, e := range b.pending {
		if err := w.WriteEvent(e); err != nil {
			errs = append(errs, err)
			if w.Err() != nil {
				break
			}
		}
	}
	clear(b.pending)
	b.pending, b.ids = b.pending[:0], b.ids[:0]
	return errors.Join(errs...)
}

// SortBatch orders events the way a batch is written: by frame; within a
// frame compositor-wide lines (no client) first, in the order they were
// added; then client lines by client name (byte order) and, for one
// client, by ordinal. The sort is stable, so the result depends only on
// the events and the order of compositor-wide ones, never on which client
// goroutine or request happened to be handled first.
func SortBatch(events []Event) {
	slices.SortStableFunc(events, func(a, b Event) int {
		if c := cmp.Compare(a.Frame, b.Frame); c != 0 {
			return c
		}
		if ac, bc := a.Client != "", b.Client != ""; ac != bc {
			if ac {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(a.Client, b.Client); c != 0 {
			return c
		}
		return cmp.Compare(a.Ord, b.Ord)
	})
}
