// Package wire is headway's Wayland wire codec: message headers, the
// argument encodings, and the limits libwayland enforces. It is a leaf
// (standard library only) so that both the generated server code and the
// raw-wire test clients, which send deliberately broken messages, share one
// definition of what is valid.
//
// # Wire format
//
// A message is an 8-byte header (object id, then size<<16 | opcode, both
// u32 in host byte order, as libwayland writes them from memory) followed by
// 4-byte aligned arguments. Size counts the header. Strings carry a u32
// length that includes the NUL, then the bytes, NUL and zero padding;
// length 0 is the null string, so the empty string has length 1. Arrays
// carry a u32 byte length then padded data; the empty array is length 0.
// fds carry nothing in the body: they travel as SCM_RIGHTS and are handed
// to fd arguments in message order from a per-connection queue
// (FDSource). The untyped new_id of wl_registry.bind is three arguments:
// interface string, version, id.
//
// # Invariants
//
//   - Nothing this package encodes exceeds MaxMessageSize (4096) or
//     MaxFDsPerMessage (28). libwayland before 1.23, as shipped in Debian 12,
//     cannot receive a larger message and drops the client; a compositor for
//     testing must not be the cause of that. An oversized message is refused
//     before the caller's buffer grows, with an error matching ErrTooLarge
//     and syscall.E2BIG, and the batch keeps its earlier messages intact.
//   - Decoding mirrors wl_connection_demarshal: a short body, a string or
//     array whose length overruns the message, a string whose last counted
//     byte is not NUL, a null string/object/new_id where the signature does
//     not allow one, and an fd argument with no queued fd are all errors
//     (ErrMalformed, ErrNull, ErrNoFD; all match syscall.EINVAL as
//     libwayland's errno does). ParseHeader refuses a size below 8, as
//     libwayland does, and a size not a multiple of 4, which libwayland
//     rounds down instead (a deliberate, documented strictness). Padding bytes and trailing body bytes are not checked,
//     as libwayland does not check them. A string with an interior NUL is
//     accepted and cut at the first NUL, which is what a C handler sees.
//   - Hostile lengths (up to 0xffffffff) are compared against the bytes
//     present, in 64-bit arithmetic, before anything is sliced; nothing is
//     ever allocated in proportion to a length read from the wire.
//   - Steady state allocates nothing: Encoder appends into caller-owned
//     slices, Decoder returns values and views into the body. Only the
//     copying String/NullableString/UntypedNewID and the error paths
//     allocate (one *ArgError per failure, which ends the connection
//     anyway). Views are valid until the caller reuses the body buffer.
//   - No input makes this package panic.
//
// # Fixed
//
// Fixed is wl_fixed_t (24.8). FixedFromFloat follows current libwayland's
// wl_fixed_from_double (multiply by 256, truncate toward zero) and saturates
// where C is undefined; Float and Int are exact equivalents of
// wl_fixed_to_double and wl_fixed_to_int.
//
// Validation of whole messages against libwayland signature strings
// ("usun", "?sh") is Validate; semantic checks (object exists, new id is
// free, opcode and version valid) belong to the object table above.
//
// # Mutants that live
//
// The Encoder's size check refuses a negative count; "n <= 0" in its place
// lives because no argument asks for zero bytes (the smallest takes a word).
// appendZeros counting up instead of down never ends; gremlins reports it as
// timed out.
package wire
