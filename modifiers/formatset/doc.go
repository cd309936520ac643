// Package formatset holds sets of DRM format+modifier pairs and turns them
// into linux-dmabuf feedback data.
//
// A compositor negotiates buffers by intersecting what its planes can scan
// out with what its renderer can sample, then advertising the result to
// clients in preference order. Set is that currency; Table, Tranche and
// BuildFeedback produce the exact bytes zwp_linux_dmabuf_feedback_v1 sends
// (format_table memfd contents and tranche_formats arrays), and ParseTable,
// ParseIndices and Resolve read them back on the client side, so both ends
// of a test share one definition.
//
// Invariants:
//
//   - Order is preference. A Set remembers formats in first-insertion
//     order and, per format, modifiers in first-insertion order; Union and
//     Intersect keep the receiver's order because the receiver is the
//     caller's policy (e.g. the scanout list) and the argument only
//     filters or extends it.
//   - Matching is exact. modifier.Invalid ("implicit modifier") is an
//     ordinary member that matches only itself, never an explicit
//     modifier, as in wlroots and weston since implicit support had to be
//     listed explicitly; an empty modifier list never stands for it, so a
//     format is in a set only while it has at least one modifier.
//   - A built table holds each pair once and never more than 65,536
//     entries, because tranche_formats addresses it with u16 indices.
//     Entries are 16 bytes in native byte order: the client maps the file
//     and reads C structs.
//   - Every tranche_formats message fits in 4,096 bytes including its
//     header, the largest message libwayland before 1.23 accepts; chunks
//     hold at most MaxIndicesPerMessage (2,042) indices.
//   - Parsers of received data (ParseTable, ParseIndices, ParseDev,
//     Resolve) return sentinel errors for malformed input and never panic.
//
// The package depends only on modifiers/fourcc and modifiers/modifier.
//
// # Mutants that live
//
// The capacity hints (of the tranche list, the chunk list, a union's
// formats) change memory only. Tracking sent pairs also for a group of one
// tranche (shared >= 1) changes nothing, as one tranche never repeats a
// pair.
package formatset
