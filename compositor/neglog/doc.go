// Package neglog defines headway's negotiation log: what the compositor
// records about each client's negotiation (binds, buffers, protocol
// errors) and each frame (composition, commits, presentation), written as
// JSON lines that CI compares between runs with "headway log normalize"
// and asserts on. It owns the versioned schema, the encoder, the reader
// and normalization, and imports only the standard library so that
// clients and tools can read logs without the compositor.
//
// # Lines
//
// A log is UTF-8 text with one JSON object per line, each ending in "\n".
// The keys of a line come in this fixed order:
//
//   - v: the schema version, 1.
//   - frame: the vblank sequence of the frame the line belongs to, the
//     frame being latched or rendered when the line was recorded.
//   - client: the client's stable name. Left out on compositor-wide lines.
//   - ord: the per-client ordinal of the line: a client's first line has
//     1, its next 2, across frames and renames. Present exactly when client
//     is.
//   - event: the event type, one of those below.
//   - the event's fields, in the order listed below.
//   - vol: an object holding the event's volatile fields, those that differ
//     between two runs of the same scenario (process ids, wall-clock and
//     CLOCK_MONOTONIC times, socket names). Left out when empty.
//
// Values are strings, integers, booleans, lists and objects. No value is
// ever null: an optional field that does not apply is left out. Integers
// are JSON integers; DRM format modifiers and CRCs are hex strings because
// many JSON readers lose integer precision beyond 2^53.
//
// # Normalization
//
// Normalize drops "vol" from every line and nothing else, so the logs of
// two runs of a deterministic scenario (manual or lockstep clock) are
// byte-identical. Everything outside "vol" is therefore part of what a
// run is compared on, and a field may only live outside "vol" if it is
// reproducible.
//
// # Ordering
//
// Within a frame, the compositor writes compositor-wide lines first, in
// the order it recorded them, then client lines sorted by client name
// (byte order) and, within a client, by ord. Lines are never in the order
// in which goroutines or client requests happened to run. A client's name
// is the one it has when the frame's lines are written, so after a rename
// (client_name) the frame's lines of that client carry the new name and
// earlier frames keep the old one. Batch and SortBatch implement the rule.
//
// # Versioning
//
// Within version 1, event types and fields are only ever added. New fields
// go after an event's existing fields (or into "vol" if volatile) and are
// optional unless the event type is new. A field never changes its meaning,
// type or unit, is never removed or renamed, and moves neither into nor
// out of "vol". A reader of version 1 therefore accepts event types and
// fields it does not know (Decode does), and a check written against an
// older log keeps working. Anything else, a new meaning for an existing
// field, a removal, a new ordering rule, needs a new version: Version is
// raised and readers refuse versions they do not know.
//
// Adding an event type takes a Type constant and an entry in the schema
// table (schema.go), a constructor (events.go), and its paragraph below;
// a test fails while this documentation and the table disagree.
//
// # Events
//
// Each event is listed as "type (scope)", client or compositor-wide, then
// its fields in line order as "name (type): meaning"; volatile fields are
// marked "vol" and live in the "vol" object.
//
// client_connect (client): a client connected.
//   - comm (string): the process name, from /proc/PID/comm of the peer;
//     "" when it cannot be read.
//   - vol pid (int): the peer's process id.
//
// client_name (client): the client's stable name changed, for example
// when a test client announced itself. The line carries the new name.
//   - name (string): the new name.
//   - previous (string): the old name.
//
// client_disconnect (client): the client's last line.
//   - reason (string): why the connection ended, e.g. "disconnected" or
//     "protocol_error".
//   - error_interface (string, optional): the interface of the object a
//     protocol error was posted on; the three error fields are present
//     exactly when a wl_display.error was sent.
//   - error_code (int, optional): the protocol error code.
//   - error_message (string, optional): the error message.
//   - vol detail (string, optional): how the connection failed (end of
//     file, a reset), which depends on timing.
//
// bind (client): the client bound a global.
//   - interface (string): the interface name, e.g. "zwp_linux_dmabuf_v1".
//   - version (int): the version bound.
//   - global (int): the global's numeric name.
//
// buffer_import (client): the compositor accepted a wl_buffer.
//   - buffer (int): the wl_buffer object id.
//   - type (string): "shm", "single_pixel" or "dmabuf".
//   - format (string): the DRM format name, e.g. "XRGB8888".
//   - fourcc (string): its four characters, e.g. "XR24".
//   - width (int): in pixels.
//   - height (int): in pixels.
//   - stride (int, optional): bytes per row of the (first) plane; left out
//     for single_pixel buffers, which have no memory layout.
//   - modifier (string, optional): the DRM format modifier as
//     "0x%016x"; present for dmabuf buffers only, as shm and single_pixel
//     buffers have no modifier.
//
// frame_render (compositor): the compositor composed a frame.
//   - surfaces (int): the number of visible surfaces.
//   - damaged (bool): whether anything on screen changed.
//   - crc (string, optional): the frame's CRC as "0x%08x", when known.
//   - primary_format (string): the primary plane's DRM format name.
//
// frame_commit (compositor): the atomic commit of a frame.
//   - fb (int): the primary plane's framebuffer id.
//   - flags (list of strings): the commit flags by name in ascending bit
//     order, e.g. "NONBLOCK", "PAGE_FLIP_EVENT".
//   - result (string): "ok", or the errno name the commit failed with.
//
// presentation (client): a wp_presentation_feedback was answered.
//   - surface (int): the wl_surface object id.
//   - kind (string): "presented" or "discarded".
//   - seq (int, optional): the vblank sequence it was presented at;
//     presented only.
//   - flags (list of strings, optional): "vsync", "hw_clock",
//     "hw_completion", "zero_copy" as set, in that order; presented only.
//   - refresh_ns (int, optional): the refresh period sent; presented only.
//   - vol tv_sec (int, optional): the presentation time's seconds;
//     presented only.
//   - vol tv_nsec (int, optional): its nanoseconds; presented only.
//
// lockstep_timeout (compositor): under the lockstep clock, a vblank came
// from the idle timeout instead of every waiting client committing.
//   - waiting (list of strings): the names of the clients whose surfaces
//     had not committed, sorted.
//   - timeout_ms (int): the timeout that expired.
//
// output (compositor): the output's configuration, written when the
// output starts.
//   - profile (string): the fake KMS device profile.
//   - mode (string): the mode as "WIDTHxHEIGHT@REFRESH", e.g. "1024x768@60".
//   - primary_format (string): the primary plane's DRM format name.
//   - clock (string): "realtime", "manual" or "lockstep".
//   - vol mono_base_ns (int): the CLOCK_MONOTONIC time the output's clock
//     counts from.
//   - vol socket (string): the Wayland socket name.
//
// dmabuf_feedback (client): a complete zwp_linux_dmabuf_feedback_v1 send.
//   - feedback (int): the feedback object's id.
//   - kind (string): "default" or "surface".
//   - surface (int, optional): the wl_surface, for surface feedback.
//   - main_device (string): the main device as "MAJOR:MINOR".
//   - table_entries (int): the entries of the format table.
//   - tranches (list of objects): in preference order, each with target
//     ("MAJOR:MINOR"), flags (list of strings: "scanout") and pairs (list
//     of strings "FORMAT:MODIFIER", the format as libdrm's
//     drmGetFormatName and the modifier as its drmGetFormatModifierName
//     print them, e.g. "XRGB8888:LINEAR", "NV12:Y_TILED").
//
// dmabuf_add (client): a zwp_linux_buffer_params_v1 add.
//   - params (int): the params object's id.
//   - plane (int): the plane index as sent.
//   - offset (int): as sent.
//   - stride (int): as sent.
//   - modifier (string): as sent, hex.
//   - result (string): "ok" or the protocol error's name.
//   - rule (string, optional): the rule that refused it, with its numbers.
//
// dmabuf_create (client): a zwp_linux_buffer_params_v1 create or
// create_immed and what became of it.
//   - params (int): the params object's id.
//   - request (string): "create" or "create_immed".
//   - width (int): as requested.
//   - height (int): as requested.
//   - format (string): the DRM format name, or its hex code when unknown.
//   - flags (int): the flags as sent.
//   - planes (list of objects): per plane added, its plane, offset, stride
//     and modifier (hex).
//   - result (string): "ok", or the protocol error's name, or
//     "invalid_wl_buffer" for an import that failed.
//   - rule (string, optional): the rule that refused the buffer, with its
//     numbers.
//
// dmabuf_warning (client): a check headway makes beyond wlroots' failed
// while the checks are lenient (serve --dmabuf-strict=off); the buffer is
// imported anyway.
//   - error (string): the protocol error the check would have raised, or
//     "failed" for a layout rule no protocol code names.
//   - rule (string): the rule, with its numbers.
//
// sync (client): one step of explicit synchronization of a buffer.
//   - buffer (int): the wl_buffer's object id.
//   - kind (string): "acquire_point" or "release_point"
//     (wp_linux_drm_syncobj_surface_v1), "acquire_fence" or
//     "buffer_release" (zwp_linux_surface_synchronization_v1), or
//     "implicit_write_fence" (a dmabuf's write fences taken at commit).
//   - action (string): "set" (a commit carries it), "held" (the commit
//     waits for it), "signalled" (a held commit's acquire has signalled
//     and the commit applied at this frame's latch) or "released" (the
//     buffer is free: the release point was signalled or the release
//     object answered).
//   - surface (int, optional): the wl_surface's object id, where a
//     surface is involved.
//   - timeline (string, optional): the timeline object, as
//     "wp_linux_drm_syncobj_timeline_v1@<id>".
//   - point (string, optional): the timeline point, in decimal (points
//     are 64-bit).
//
// ownership_violation (client): with ownership checks on (serve
// --check-ownership), the client changed a buffer while the compositor
// owned it: after committing it (or after its acquire signalled) and
// before its release.
//   - buffer (int): the wl_buffer's object id.
//   - surface (int): the wl_surface that took the buffer.
//   - window_start (string): "commit", or "acquire" for a buffer whose
//     window opened at its acquire point's or fence's signal.
//   - since_frame (int): the frame the window opened in.
//   - seen_frame (int): the frame in which the change was seen.
//   - stage (string): "latch" (a frame about to read the buffer saw it)
//     or "release" (seen as the compositor let the buffer go).
package neglog
