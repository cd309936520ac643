package neglog

import (
	"strconv"
	"unicode/utf8"
)

// Append appends e as one JSON object, without the trailing newline. Keys
// come in the schema's order and the output depends only on e, so equal
// events always encode to equal bytes. Append does not validate: Writer
// does, and Normalize re-encodes lines of event types it may not know.
func Append(dst []byte, e Event) []byte {
	dst = append(dst, `{"v":`...)
	dst = strconv.AppendInt(dst, Version, 10)
	dst = append(dst, `,"frame":`...)
	dst = strconv.AppendUint(dst, e.Frame, 10)
	if e.Client != "" {
		dst = append(dst, `,"client":`...)
		dst = appendString(dst, e.Client)
		dst = append(dst, `,"ord":`...)
		dst = strconv.AppendUint(dst, e.Ord, 10)
	}
	dst = append(dst, `,"event":`...)
	dst = appendString(dst, e.Type)
	for _, f := range e.Fields {
		dst = append(dst, ',')
		dst = appendString(dst, f.Key)
		dst = append(dst, ':')
		dst = appendValue(dst, f.Value)
	}
	if len(e.Vol) > 0 {
		dst = append(dst, `,"vol":`...)
		dst = appendObject(dst, e.Vol)
	}
	return append(dst, '}')
}

func appendObject(dst []byte, fs []Field) []byte {
	dst = append(dst, '{')
	for i, f := range fs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, f.Key)
		dst = append(dst, ':')
		dst = appendValue(dst, f.Value)
	}
	return append(dst, '}')
}

func appendValue(dst []byte, v Value) []byte {
	switch v.kind {
	case KindString:
		return appendString(dst, v.str)
	case KindInt:
		return strconv.AppendInt(dst, v.i, 10)
	case KindNumber:
		return append(dst, v.str...)
	case KindBool:
		return strconv.AppendBool(dst, v.i != 0)
	case KindList:
		dst = append(dst, '[')
		for i, e := range v.list {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendValue(dst, e)
		}
		return append(dst, ']')
	case KindObject:
		return appendObject(dst, v.fields)
	default:
		// The zero Value has no JSON form; null would be refused by every
		// reader of the schema, so the line says what went wrong instead.
		return appendString(dst, "!invalid value")
	}
}

const hexDigits = "0123456789abcdef"

// appendString quotes s as JSON. Only what JSON requires is escaped (plus
// U+2028 and U+2029, which JavaScript readers choke on), so names and
// messages stay readable in the log; invalid UTF-8 becomes U+FFFD, as
// encoding/json does, so every line is valid UTF-8.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, `\n`...)
			case '\r':
				dst = append(dst, `\r`...)
			case '\t':
				dst = append(dst, `\t`...)
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
