// Package crc implements the per-CRTC DRM debugfs CRC ABI of
// drivers/gpu/drm/drm_debugfs_crc.c (the crtc-N/crc/control and
// crtc-N/crc/data files) for the fake KMS device, so that IGT-style users
// (lib/igt_pipe_crc.c) see the kernel's bytes and errno values.
//
// The package only carries values: the device produces CRCs (from part 2's
// composer) and hands them to AddEntry once per completed frame, tagged
// with the vblank sequence; the package owns source selection, the ring
// and the record format. Behaviour mirrored from the kernel:
//
//   - Control. WriteControl takes a source name. An empty write is a no-op
//     returning 0; more than PageSize-1 bytes is E2BIG; one trailing "\n"
//     is stripped (the fixed kernel strips source[len-1]). The name is
//     verified first (unknown names, "plane<ID>" with a malformed ID or an
//     ID the device's VerifyPlane callback refuses: EINVAL), and only then
//     is a change refused with EBUSY while the data file is open, the
//     kernel's order. The default source is "auto", as drm_crtc_crc_init
//     sets it. Sources: "auto" (the composed output, VKMS's only source)
//     and "plane<ID>" (headway's: one plane's converted input; ID is the
//     decimal KMS object id, no sign, no leading zeros, never 0). ReadControl
//     lists the sources and stars the current one, like crc_control_show.
//   - Open. EIO while the CRTC is inactive (checked first, as
//     crtc_crc_open does for atomic drivers), then the source is verified
//     again (a plane may have gone away since the write: EINVAL), then
//     EBUSY if a reader is open. Opening enables generation through the
//     SetSource callback (set_crc_source); if that fails the open fails
//     and everything is reset.
//   - Ring. DRM_CRC_ENTRIES_NR = 128 slots managed as the kernel's
//     circ_buf, which keeps one slot free: at most 127 entries are
//     pending. AddEntry on a full ring drops the new entry (never an old
//     one) and returns ENOBUFS; the first overflow of an open session is
//     logged once with the kernel's message, and Stats counts every drop.
//     AddEntry while no reader is open returns EINVAL (the kernel's "no
//     entries" case), so the device can tell generation is off.
//   - Read. One record per read: "0x%08x" of the frame (the low 32 bits of
//     the vblank sequence, as the kernel's u32 frame) or "XXXXXXXXXX" for
//     an entry without a frame counter, " 0x%08x" per value, "\n", and the
//     terminating NUL, which the kernel copies too: LINE_LEN(n) is
//     10 + 11n + 2 bytes, so one value gives a 22-character line plus the
//     NUL, 23 bytes per read (the "22 bytes" sometimes quoted for VKMS
//     forgets the NUL; the kernel's macro and copy_to_user are
//     authoritative, and a 22-byte buffer is EINVAL). An empty ring blocks (until an entry,
//     the context's end: EINTR, or Close: EBADF) or gives EAGAIN for a
//     non-blocking reader. Only with an entry available is the buffer size
//     checked: shorter than LINE_LEN is EINVAL and consumes nothing.
//   - Close (release) disables generation through SetSource and resets the
//     ring, the overflow flag and the open state; a new Open starts empty.
//
// Per-frame paths (AddEntry, Read) allocate nothing and return bare
// syscall.Errno values (EAGAIN, ENOBUFS) so that errors.Is works without
// wrapping costs; the other paths wrap the errno with context. Nothing
// here panics on any input. Nil callbacks mean "always active", "no plane
// sources" and "nothing to enable".
//
// # Mutants that live
//
// The reader re-arms the wake-up token after a read that leaves entries
// behind ("more"); inverting that test is equivalent, because a reader
// looks at the ring under the lock before it waits, and a token left over
// for an empty ring only costs one extra look.
package crc
