// Package pixfmt converts framebuffer pixels of every format the device
// profiles list to and from VKMS's intermediate pixel (struct
// pixel_argb_u16: A, R, G, B as 16-bit unorm), and back for writeback and
// for tests that draw the same picture in every format.
//
// CRCs are compared bit for bit, so every conversion here is exact integer
// arithmetic with one documented rounding rule; nothing depends on floating
// point. The rules:
//
//   - n-bit unorm to 16 bits: Expand, DIV_ROUND_CLOSEST(v*65535, 2^n-1).
//     8 bits give v*257 exactly; RGB565's 5 and 6 bits divide by 31 and 63
//     (the ratios VKMS's drm_fixp code uses; its 32.32 error never reaches a
//     rounding boundary because v*65535/31 and v*65535/63 are never within
//     1/126 of a half); 10 bits by 1023; 1- and 2-bit alpha give 0..0xffff.
//     16-bit channels copy. Formats without alpha (X, RGB888, RGB565, R,
//     YUV) read alpha 0xffff.
//   - R1, R2, R4, R8 are grey: r = g = b = Expand(v, n), a = 0xffff. Pixel
//     0 of each byte is in its most significant bits ("[7:0] R0:R1:..." in
//     drm_fourcc.h).
//   - Half float (…16161616F): NaN, -0 and all negative values give 0,
//     values >= 1 (and +Inf) give 0xffff, others round-half-up of v*65535,
//     exact because a half is M*2^-k for integers M, k.
//   - YUV to RGB follows VKMS's argb_u16_from_yuv888: for 8-bit samples
//     fy = (Y-yoff)*257, fc1 = (Cb-128)*257, fc2 = (Cr-128)*257, and each of
//     R, G, B is clamp(0, 0xffff, (m0*fy + m1*fc1 + m2*fc2 + 2^31) >> 32)
//     (an arithmetic shift, so halves round up) with m in signed 32.32. The
//     matrix per (encoding, range) is derived at init with math/big.Rat from
//     Kr/Kb (BT.601 0.299/0.114, BT.709 0.2126/0.0722, BT.2020
//     0.2627/0.0593) and the range scale (full: 1, chroma offset 128;
//     limited: Y offset 16, Y scale 255/219, chroma scale 255/224); each
//     coefficient is rounded once to the nearest 32.32 integer.
//   - P010 (10 bits MSB-aligned in 16-bit words): the same with offsets 64
//     (limited Y) and 512 (chroma); the factor 257 is replaced by folding
//     65535/1023 into the coefficients, together with the 10-bit range
//     scales (limited: Y 1023/876, chroma 1023/896, i.e. the 10-bit
//     legal ranges 64..940 and 64..960), all as one rational rounded once.
//   - Subsampled chroma is nearest: the pixel uses the sample of the block
//     that contains it (x/hsub, y/vsub), as VKMS does. NV21, NV61, NV42 and
//     YVU* store Cr before Cb.
//
// Colours that convert exactly, for tests that compare YUV with RGB:
//
//   - 8-bit full range: greys (Cb = Cr = 128) give Y*257 for every Y.
//   - 8-bit limited range: greys Y in {16, 89, 162, 235} give 0, 0x5555,
//     0xaaaa, 0xffff, for all three encodings.
//   - P010: greys Y10 in {0, 341, 682, 1023} (full) and {64, 356, 648, 940}
//     (limited) give 0, 0x5555, 0xaaaa, 0xffff.
//
// Writers invert the above: Compress per channel, DIV_ROUND_CLOSEST(v*(2^n-1),
// 65535) (for 8 bits the same as DIV_ROUND_CLOSEST(v, 257)); X and padding
// bits are written as ones; half floats get the binary16 nearest to v/65535,
// ties to even; R8 stores the red channel. YUV writers use the inverse
// matrix (Y = Kr R + Kg G + Kb B, Cb = (B-Y)/(2(1-Kb)), Cr = (R-Y)/(2(1-Kr)),
// scaled to the range), derived and rounded the same way, then rounded
// halves up, offset and clamped to the sample range. Subsampled chroma is
// computed from the block's top-left pixel, and a span writes chroma only
// for blocks whose top-left pixel it contains. For every writer, writing a
// Pixel a reader produced and reading it back gives the same Pixel for RGB
// formats; for YUV this holds for the exact greys above.
//
// Invariants: Readers and Writers are immutable after construction and safe
// for concurrent use. ReadSpan, ReadColumn, At and WriteSpan never
// allocate, and all three read paths agree bit for bit. They load exactly
// the bytes of the pixels asked for (never a wider word), so a span ending at
// a plane's last pixel stays inside it. Callers guarantee coordinates inside
// the image; an index outside Data panics with Go's bounds check, which the
// composer recovers.
package pixfmt
