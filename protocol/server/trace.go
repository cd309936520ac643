package server

import (
	"strconv"
	"time"

	"github.com/headwaywl/headway/protocol/wire"
)

// traceMessage prints one line in the format of libwayland 1.23's
// wl_closure_print: "[%7u.%03u] " with wall-clock microseconds truncated to
// 32 bits, split into milliseconds and the remainder, " -> " for events, "iface#id.name(args)".
func (d *Display) traceMessage(send bool, r *Resource, opcode uint16, body []byte, fds []int) {
	var m *Message
	msgs := r.iface.Requests
	if send {
		msgs = r.iface.Events
	}
	if int(opcode) < len(msgs) {
		m = &msgs[opcode]
	}
	b := d.traceBuf[:0]
	// libwayland stores the microseconds in an unsigned int before
	// splitting them, so the stamp wraps every ~71 minutes; matching it
	// keeps traces comparable line for line.
	us := uint32(time.Now().UnixMicro())
	b = append(b, '[')
	b = appendPadded(b, uint64(us/1000), 7)
	b = append(b, '.')
	b = appendPadded0(b, uint64(us%1000), 3)
	b = append(b, "] "...)
	if send {
		b = append(b, " -> "...)
	}
	b = append(b, r.iface.Name...)
	b = append(b, '#')
	b = strconv.AppendUint(b, uint64(r.id), 10)
	b = append(b, '.')
	if m == nil {
		b = append(b, "[unknown]()\n"...)
		d.writeTrace(b)
		return
	}
	b = append(b, m.Name...)
	b = append(b, '(')
	var dec wire.Decoder
	cur := wire.FDCursor{FDs: fds}
	dec.Reset(body, &cur)
	arg := 0
	first := true
	for i := 0; i < len(m.Signature); i++ {
		t := m.Signature[i]
		if t == '?' || (t >= '0' && t <= '9') {
			continue
		}
		if !first {
			b = append(b, ", "...)
		}
		first = false
		var typ *Interface
		if arg < len(m.Types) {
			typ = m.Types[arg]
		}
		arg++
		switch t {
		case 'i':
			v, _ := dec.Int()
			b = strconv.AppendInt(b, int64(v), 10)
		case 'u':
			v, _ := dec.Uint()
			b = strconv.AppendUint(b, uint64(v), 10)
		case 'f':
			v, _ := dec.Fixed()
			b = appendFixed(b, int32(v))
		case 's':
			s, ok, _ := dec.NullableStringBytes()
			if ok {
				b = append(b, '"')
				b = append(b, s...)
				b = append(b, '"')
			} else {
				b = append(b, "nil"...)
			}
		case 'o':
			id, _ := dec.NullableObject()
			if o := r.client.Lookup(id); id != 0 && o != nil {
				b = append(b, o.iface.Name...)
				b = append(b, '#')
				b = strconv.AppendUint(b, uint64(id), 10)
			} else {
				b = append(b, "nil"...)
			}
		case 'n':
			id, _ := dec.NullableObject()
			b = append(b, "new id "...)
			if typ != nil {
				b = append(b, typ.Name...)
			} else {
				b = append(b, "[unknown]"...)
			}
			b = append(b, '#')
			if id != 0 {
				b = strconv.AppendUint(b, uint64(id), 10)
			} else {
				b = append(b, "nil"...)
			}
		case 'a':
			a, _ := dec.Array()
			b = append(b, "array["...)
			b = strconv.AppendInt(b, int64(len(a)), 10)
			b = append(b, ']')
		case 'h':
			fd, _ := dec.FD()
			b = append(b, "fd "...)
			b = strconv.AppendInt(b, int64(fd), 10)
		}
	}
	b = append(b, ")\n"...)
	d.writeTrace(b)
}

func (d *Display) writeTrace(b []byte) {
	d.traceBuf = b
	_, _ = d.trace.Write(b)
}

// appendFixed prints a 24.8 value as wl_closure_print does: integer part,
// '.', and the fraction as 8 decimal digits (1e8/256 = 390625).
func appendFixed(b []byte, f int32) []byte {
	v := int64(f)
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/256, 10)
	b = append(b, '.')
	return appendPadded0(b, uint64(390625*(v%256)), 8)
}

func appendPadded(b []byte, v uint64, w int) []byte {
	var tmp [20]byte
	s := strconv.AppendUint(tmp[:0], v, 10)
	for i := len(s); i < w; i++ {
		b = append(b, ' ')
	}
	return append(b, s...)
}

func appendPadded0(b []byte, v uint64, w int) []byte {
	var tmp [20]byte
	s := strconv.AppendUint(tmp[:0], v, 10)
	for i := len(s); i < w; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
