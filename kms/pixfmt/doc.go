// Package pixfmt converts framebuffer pixels of every format the device
// profiles list to and from VKMS's intermediate pixel (struct
// pixel_argb_u16: A, R, G, B as 16-bit unorm), and back for writeback and
// for tests that draw the same picture in every format.
//
// CRCs are compared bit for bit, so every conversion here is integer
// arithmetic with documented rounding; nothing depends on floating point.
// The rules:
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
//   - YUV to RGB is VKMS's argb_u16_from_yuv161616, bit for bit, as in
//     mainline Linux since the 2025 YUV rework that gave VKMS
//     per-(encoding, range) conversion matrices, with the later series
//     that made the helper take 16-bit samples and added P010, P012 and
//     P016 (8-bit results are the same before and after it). Read from:
//     the KUnit test drivers/gpu/drm/vkms/tests/vkms_format_test.c at
//     torvalds/linux f39b6c468c52745dbca9a842d91c8373fda208ab,
//     include/drm/drm_fixed.h at
//     a23e1966932464e1c5226cb9ac4ce1d5fc10ba22 (drm_fixp2int_round adding
//     one half; a drm-tip copy is the same), and a mainline vkms_formats.c
//     whose argb_u16_from_yuv161616 that test calls. The arithmetic: 8-bit
//     samples become 16-bit as s*257 (P010's 16-bit words are taken whole,
//     padding bits included); fy = Y - yoff*257, fc = C - 128*257 (yoff 16
//     limited, 0 full; the same offsets for P010, whose neutral chroma is
//     therefore 0x8080, not 0x8000); each of R, G, B is
//     drm_fixp_mul(m0, fy<<32) + drm_fixp_mul(m1, fcb<<32) +
//     drm_fixp_mul(m2, fcr<<32), then drm_fixp2int_round (add 2^31, shift
//     right arithmetically by 32), then clamp to 0..0xffff. drm_fixp_mul is
//     not an exact product: when the operands' magnitudes need more than 61
//     bits it drops low bits of both (the matrix entry the odd one), which
//     amounts to clearing the entry's low ceil(s/2) bits, s growing with
//     the sample; up to a few 8-bit colours in a thousand (in full range
//     too) end one unit away from the exact product's result. Cr-first
//     formats swap the samples where VKMS swaps the matrix columns; the
//     sums are the same.
//   - The matrices are VKMS's constants copied, not derived, because its
//     rounding of them decides last bits. YUVTables names the set:
//     TablesMainline256 (the default, NewReader's) is mainline's, made with
//     colour.matrix_YCbCr(is_legal=True, bits=8), whose limited range
//     expands luma by 256/219 (5020601039 in 32.32) and chroma by 256/224;
//     Tables255 is the drm-intel tree's later change to 255/219 and 255/224
//     (5000989317), read from a drm-intel tree's vkms_formats.c (commit
//     8af5fccd9e8af443efd6f0fec5ba56366f57309a of a copy of it); full
//     range is the same in both. NewReaderTables picks one per Reader, so
//     devices modelling different kernels read side by side; the choice is
//     no package state. Tests check every constant against Kr/Kb (BT.601
//     0.299/0.114, BT.709 0.2126/0.0722, BT.2020 0.2627/0.0593): exact for
//     full range and Tables255, within 3 units of 2^-32 for mainline's
//     limited range (numpy's floating point).
//   - Where headway differs: nowhere in the arithmetic. VKMS lists P010,
//     P012 and P016; headway reads P010 only (the formats its profiles
//     use), and the profiles that list P010 (intel-like, nvidia-like) get
//     VKMS's reading of it too, quirks included.
//   - Subsampled chroma is nearest: the pixel uses the sample of the block
//     that contains it (x/hsub, y/vsub), as VKMS does. NV21, NV61, NV42 and
//     YVU* store Cr before Cb.
//
// Colours that convert exactly, for tests that compare YUV with RGB:
//
//   - 8-bit full range: greys (Cb = Cr = 128) give Y*257 for every Y, with
//     either table set.
//   - 8-bit limited range: Y <= 16 gives black and Y >= 235 white (mainline
//     overshoots: Y 234 is 65492, 235 clamps); with Tables255 also Y 89 and
//     162 give 0x5555 and 0xaaaa.
//   - P010 full range: Y words with chroma 0x8080 give the word.
//
// Writers invert the above for RGB: Compress per channel,
// DIV_ROUND_CLOSEST(v*(2^n-1), 65535) (for 8 bits the same as
// DIV_ROUND_CLOSEST(v, 257)); X and padding bits are written as ones; half
// floats get the binary16 nearest to v/65535, ties to even; R8 stores the
// red channel. VKMS has no YUV writeback, so the YUV writers are headway's
// own: the exact inverse of the matrix with 255-based ranges (Y = Kr R + Kg
// G + Kb B, Cb = (B-Y)/(2(1-Kb)), Cr = (R-Y)/(2(1-Kr)); limited 219/255
// and 224/255, or 876/1023 and 896/1023 for P010's 10 bits), rounded once
// to 32.32, then rounded halves up, offset and clamped to the sample range.
// Subsampled chroma is computed from the block's top-left pixel, and a span
// writes chroma only for blocks whose top-left pixel it contains. For every
// RGB writer, writing a Pixel a reader produced and reading it back gives
// the same Pixel. For 8-bit YUV, greys survive in full range, and in
// limited range black and white do (with Tables255 also 0x5555 and 0xaaaa);
// P010 greys come back near but not exact, since VKMS reads P010's 10-bit
// samples with 8-bit offsets.
//
// Invariants: Readers and Writers are immutable after construction and safe
// for concurrent use. ReadSpan, ReadColumn, At and WriteSpan never
// allocate, and all three read paths agree bit for bit. They load exactly
// the bytes of the pixels asked for (never a wider word), so a span ending at
// a plane's last pixel stays inside it. Callers guarantee coordinates inside
// the image; an index outside Data panics with Go's bounds check, which the
// composer recovers.
//
// # Mutants that live
//
// gremlins' mutants that no test kills, and why none can change a pixel:
//
//   - Bounds hints: the hot paths first slice a row to its exact length
//     (d[:4*len(out)]) so the compiler drops per-pixel bounds checks. A
//     shorter slice changes nothing, because each pixel is then resliced
//     with a capacity (d[4*i : 4*i+4 : 4*i+4]), which Go allows past the
//     length within the capacity.
//   - Clamps at their own bound: fixpRound's and clampS's v < 0 and
//     v > max give the same result as <= and >= at the bound itself.
//   - Zero terms: no YCbCr matrix has a Cb term in red or a Cr term in
//     blue, so those table entries are all zero and adding or subtracting
//     them is the same. They stay so the tables keep VKMS's 3x3 shape.
//   - unormToHalf's 2r > 65535 as >=: 65535 is odd, so 2r never equals it.
//   - A Writer's padding mask for an alpha channel of 0 bits is 0 either
//     way; the format list's sort with <= sorts distinct values the same.
package pixfmt
