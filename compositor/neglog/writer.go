package neglog

import (
	"fmt"
	"io"
)

// Writer writes validated events as lines.
type Writer struct {
	w   io.Writer
	buf []byte
	err error
}

// NewWriter returns a Writer appending lines to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// WriteEvent validates e and writes it as one line with a single Write
// call, so lines from one Writer never interleave even on a shared file
// opened with O_APPEND. An invalid event is refused and nothing is
// written; a write error is returned again by every later call, since the
// log would otherwise silently miss lines.
func (w *Writer) WriteEvent(e Event) error {
	if w.err != nil {
		return w.err
	}
	if err := e.Validate(); err != nil {
		return fmt.Errorf("neglog: not writing frame %d line: %w", e.Frame, err)
	}
	w.buf = append(Append(w.buf[:0], e), '\n')
	if _, err := w.w.Write(w.buf); err != nil {
		w.err = fmt.Errorf("neglog: writing the log: %w", err)
		return w.err
	}
	return nil
}

// Err returns the write error that stopped w, if any.
func (w *Writer) Err() error { return w.err }
