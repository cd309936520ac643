// Package sample reads an imported buffer back as linear rows, whatever its
// modifier's tiling, so composition and CRCs can treat every buffer alike.
//
// It is where compressed modifiers are accepted or refused, by one rule:
//
//   - Intel CCS modifiers (Y/Yf CCS, GEN12 RC/MC CCS, DG2, MTL, LNL, BMG)
//     are read from their main surface with its base tiling (Y or Tile4),
//     ignoring the auxiliary planes. This is exact when the client wrote
//     uncompressed data, which is what an all-zero CCS means: zero is the
//     "pass-through" state in which the main surface holds the pixels. A
//     non-zero byte in an in-band CCS plane is reported as ErrAuxNotClear,
//     with the plane and offset, never decoded by guess. The clear-colour
//     plane is ignored: only a CCS entry marking a block "clear" refers to
//     it, and an all-zero CCS marks none. DG2, LNL and BMG keep CCS out of
//     band, so nothing can be checked and the main surface is taken as is.
//   - Every other compressed family (AMD DCC, ARM AFBC and AFRC, Qualcomm
//     UBWC, Vivante tile status and DEC400, Amlogic FBC, NVIDIA compressed
//     kinds) is refused at Open with an error wrapping
//     tiling.ErrCompressed: its layout can still be validated and the
//     buffer imported, but it cannot be shown by composition.
//
// Invariants: Open validates the client's layout with layout.Validate
// before anything is read, so every later read is in bounds of the slices
// it was given. Reads of client memory run with debug.SetPanicOnFault, so
// a memfd truncated under a mapping (SIGBUS) becomes an error wrapping
// syscall.EFAULT instead of killing the process; nothing else is
// recovered. Row neither allocates nor re-derives tables.
//
// # Mutants that live
//
// Clamping a CCS plane's end to the buffer with >= instead of > assigns
// the same value at equality.
package sample
