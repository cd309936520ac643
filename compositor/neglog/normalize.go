package neglog

import (
	"bufio"
	"fmt"
	"io"
)

// Normalize copies the log r to w without the "vol" objects, so that logs
// of two runs of one scenario compare byte for byte. Every other key and
// value is kept in order; lines are re-encoded with Append, which is
// deterministic, and lines written by headway come out unchanged apart
// from the dropped "vol". Lines of event types or fields this package
// does not know are kept as well.
//
// On a malformed line Normalize stops with a *LineError naming it; the
// lines before it have been written.
func Normalize(r io.Reader, w io.Writer) error {
	rd := NewReader(r)
	bw := bufio.NewWriter(w)
	var buf []byte
	for {
		e, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if ferr := bw.Flush(); ferr != nil {
				return fmt.Errorf("neglog: normalize: writing: %w", ferr)
			}
			return err
		}
		e.Vol = nil
		buf = append(Append(buf[:0], e), '\n')
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("neglog: normalize: writing line %d: %w", rd.Line(), err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("neglog: normalize: writing: %w", err)
	}
	return nil
}
