package crc

import (
	"fmt"
	"strconv"
	"syscall"
)

// Source is a CRC source: the composed output (the zero value, "auto") or
// one plane's converted input.
type Source struct {
	// Plane is the KMS object id of the plane for a "plane<ID>" source, or
	// 0 for "auto".
	Plane uint32
}

// Auto is the composed-output source, the default of every CRTC.
var Auto = Source{}

// IsAuto reports whether s is the composed-output source.
func (s Source) IsAuto() bool { return s.Plane == 0 }

// String returns the control-file name of s.
func (s Source) String() string {
	return string(s.AppendText(nil))
}

// AppendText appends the control-file name of s to dst.
func (s Source) AppendText(dst []byte) []byte {
	if s.Plane == 0 {
		return append(dst, "auto"...)
	}
	dst = append(dst, "plane"...)
	return strconv.AppendUint(dst, uint64(s.Plane), 10)
}

// ParseSource parses a source name as written to the control file, after
// the caller stripped its trailing newline. Only the canonical spellings
// are accepted so that a source reads back exactly as written: "auto", or
// "plane" followed by a decimal id in 1..2^32-1 without sign or leading
// zeros. Anything else is EINVAL, the errno of every driver's
// verify_crc_source for an unknown name.
func ParseSource(name []byte) (Source, error) {
	if string(name) == "auto" {
		return Auto, nil
	}
	const prefix = "plane"
	if len(name) > len(prefix) && string(name[:len(prefix)]) == prefix {
		digits := name[len(prefix):]
		if len(digits) <= 10 && digits[0] >= '1' && digits[0] <= '9' {
			var id uint64
			ok := true
			for _, c := range digits {
				if c < '0' || c > '9' {
					ok = false
					break
				}
				id = id*10 + uint64(c-'0')
			}
			if ok && id <= 0xffffffff {
				return Source{Plane: uint32(id)}, nil
			}
		}
	}
	return Source{}, fmt.Errorf("crc: unknown source %q: %w", name, syscall.EINVAL)
}
