package rawwire

import (
	"fmt"

	"github.com/headwaywl/headway/protocol/wire"
)

// Message is one received event. Body is the message after its 8-byte
// header, owned by the Message. FDs are the fds that arrived with it (see
// the package documentation), owned by whoever holds the Message.
type Message struct {
	Object uint32
	Opcode uint16
	Body   []byte
	FDs    []int
}

// Is reports whether m is event opcode of object obj.
func (m Message) Is(obj uint32, opcode uint16) bool {
	return m.Object == obj && m.Opcode == opcode
}

// Size is the size the message had on the wire, header included.
func (m Message) Size() int { return wire.HeaderSize + len(m.Body) }

func (m Message) String() string {
	return fmt.Sprintf("object %d opcode %d (%d bytes, fds %v)", m.Object, m.Opcode, m.Size(), m.FDs)
}

// Decoder returns a fresh decoder over the body whose fd arguments are
// drawn from FDs in order. The fds it returns are the Message's, not
// copies.
func (m Message) Decoder() *wire.Decoder {
	d := new(wire.Decoder)
	d.Reset(m.Body, &wire.FDCursor{FDs: m.FDs})
	return d
}

// Uint decodes a body that is exactly one uint: wl_callback.done,
// wl_display.delete_id, wl_registry.global_remove, a ping serial.
func (m Message) Uint() (uint32, error) {
	if len(m.Body) != 4 {
		return 0, fmt.Errorf("rawwire: %v: body of %d bytes is not one uint: %w", m, len(m.Body), wire.ErrMalformed)
	}
	var d wire.Decoder
	d.Reset(m.Body, nil)
	return d.Uint()
}

// Args decodes the whole body with a libwayland signature ("usu", "?sh";
// since digits are skipped, '?' marks the next argument nullable). Values
// are int32 (i), uint32 (u, o, n), wire.Fixed (f), string or nil for a
// null "?s" (s), []byte viewing Body (a) and int (h, taken from FDs in
// order). It is stricter than libwayland, which ignores trailing bytes:
// bytes or fds left over mean the signature is not the event's, and a test
// wants to hear that.
func (m Message) Args(sig string) ([]any, error) {
	d := m.Decoder()
	var out []any
	nullable := false
	nfds := 0
	for i := 0; i < len(sig); i++ {
		var v any
		var err error
		switch c := sig[i]; c {
		case '?':
			nullable = true
			continue
		case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			continue
		case 'i':
			v, err = d.Int()
		case 'u':
			v, err = d.Uint()
		case 'f':
			v, err = d.Fixed()
		case 'o':
			if nullable {
				v, err = d.NullableObject()
			} else {
				v, err = d.Object()
			}
		case 'n':
			v, err = d.NewID()
		case 's':
			if nullable {
				s, ok, serr := d.NullableString()
				if ok {
					v = s
				}
				err = serr
			} else {
				v, err = d.String()
			}
		case 'a':
			v, err = d.Array()
		case 'h':
			v, err = d.FD()
			nfds++
		default:
			return nil, fmt.Errorf("rawwire: signature %q: unknown type %q: %w", sig, c, wire.ErrSignature)
		}
		if err != nil {
			return nil, fmt.Errorf("rawwire: %v as %q: %w", m, sig, err)
		}
		out = append(out, v)
		nullable = false
	}
	if d.Len() != 0 {
		return nil, fmt.Errorf("rawwire: %v as %q: %d bytes left over: %w", m, sig, d.Len(), wire.ErrMalformed)
	}
	if nfds != len(m.FDs) {
		return nil, fmt.Errorf("rawwire: %v as %q: %d fds arrived, the signature takes %d", m, sig, len(m.FDs), nfds)
	}
	return out, nil
}

// CloseFDs closes the message's fds and forgets them.
func (m *Message) CloseFDs() {
	closeFDs(m.FDs)
	m.FDs = nil
}

func closeAll(ms []Message) {
	for i := range ms {
		ms[i].CloseFDs()
	}
}
