// Package modifiers is the root of headway's pixel-format library. It holds
// no code; its subpackages do the work, each small enough to read alone:
//
//   - fourcc: the DRM fourcc format table (the kernel's drm_format_info,
//     field for field) and libdrm-compatible format names.
//   - modifier: 64-bit DRM format modifiers, their vendors, names identical
//     to libdrm's, and parsing from hex, C macro names and qualified names.
//   - layout: per-plane strides, offsets and sizes a (format, modifier,
//     size) needs, auxiliary planes included, and the validator that tells a
//     client exactly which rule its buffer broke.
//   - tiling: software tile and detile for the tilings headway can sample.
//   - sample: reading an imported buffer back as linear rows, which is
//     where compressed modifiers are accepted or refused.
//   - formatset: ordered format/modifier sets and the linux-dmabuf feedback
//     table and tranches built from them.
//
// Everything under modifiers is a leaf: it imports nothing else of headway,
// so the compositor, the fake KMS device and the test clients can all agree
// on one definition of a buffer.
package modifiers
