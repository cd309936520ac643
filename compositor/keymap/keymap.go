package keymap

import (
	_ "embed"
	"fmt"

	"golang.org/x/sys/unix"
)

//go:generate sh gen.sh

//go:embed us.xkb
var us string

// seals is what NewFD's memfd carries: its size and content are fixed and no
// seal can be removed or added, so a client mapping it can trust the bytes.
const seals = unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE | unix.F_SEAL_SEAL

// Text returns the keymap text, without the NUL terminator wl_keyboard.keymap
// adds. The slice is the caller's: the embedded copy cannot be changed.
func Text() []byte { return []byte(us) }

// NewFD returns a fresh sealed memfd holding the keymap and a terminating
// NUL, and its size including that NUL, ready for wl_keyboard.keymap with
// format xkb_v1. The caller owns fd and closes it once sent. Every call makes
// its own file so that no client shares a file offset with another.
func NewFD() (fd int, size uint32, err error) {
	fd, err = unix.MemfdCreate("headway-keymap", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return -1, 0, fmt.Errorf("keymap: memfd_create: %w", err)
	}
	if err := fill(fd, append([]byte(us), 0)); err != nil {
		_ = unix.Close(fd)
		return -1, 0, err
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, seals); err != nil {
		_ = unix.Close(fd)
		return -1, 0, fmt.Errorf("keymap: seal memfd: %w", err)
	}
	return fd, uint32(len(us) + 1), nil
}

// fill writes b at the start of fd. pwrite rather than write leaves the file
// offset at 0 for a client that reads instead of mapping.
func fill(fd int, b []byte) error {
	for off := 0; off < len(b); {
		n, err := unix.Pwrite(fd, b[off:], int64(off))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("keymap: write memfd at %d of %d: %w", off, len(b), err)
		}
		if n == 0 {
			return fmt.Errorf("keymap: write memfd at %d of %d: %w", off, len(b), unix.EIO)
		}
		off += n
	}
	return nil
}
