package wire

// Validate checks body against a libwayland message signature such as
// "usun" or "?sh" (leading since-version digits are skipped, '?' marks the
// next argument nullable) with nfds fds available, applying exactly the
// Decoder's checks. It returns how many fds the message consumes. It does
// not allocate on success, so tracing and fuzzing can run it on every
// message.
func Validate(sig string, body []byte, nfds int) (fdsUsed int, err error) {
	var d Decoder
	d.Reset(body, nil)
	nullable := false
	for i := 0; i < len(sig); i++ {
		c := sig[i]
		switch c {
		case '?':
			nullable = true
			continue
		case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			if nullable || d.arg > 0 {
				return fdsUsed, d.fail(c, "version digits inside signature", ErrSignature)
			}
			continue
		case 'i', 'u', 'f':
			_, err = d.u32(c)
		case 'o':
			if nullable {
				_, err = d.NullableObject()
			} else {
				_, err = d.Object()
			}
		case 'n':
			_, err = d.NewID()
		case 's':
			_, _, err = d.str(nullable)
		case 'a':
			_, err = d.Array()
		case 'h':
			if fdsUsed >= nfds {
				return fdsUsed, d.fail('h', "no fd queued for fd argument", ErrNoFD)
			}
			fdsUsed++
			d.arg++
		default:
			return fdsUsed, d.fail(c, "unknown argument type in signature", ErrSignature)
		}
		if err != nil {
			return fdsUsed, err
		}
		nullable = false
	}
	if nullable {
		return fdsUsed, d.fail(0, "signature ends with '?'", ErrSignature)
	}
	return fdsUsed, nil
}
