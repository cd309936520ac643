// Package rawwire is a Wayland client that speaks the wire directly, built
// on protocol/wire and nothing above it. It exists so that tests can be a
// misbehaving client: send any message, including ones no binding would
// produce (unknown objects and opcodes, truncated bodies, impossible sizes,
// fds without arguments or arguments without fds), and observe exactly what
// the compositor answers and when it hangs up. A client library that
// validated its own requests, or that was built on the server runtime it is
// meant to test, could not do that honestly.
//
// A Client owns one connection (Dial, or New on any connected AF_UNIX stream
// socket). NewID allocates client object ids; Send encodes one request with
// a wire.Encoder; WriteRaw writes arbitrary bytes. Read returns the next
// event; Roundtrip, Registry, Bind, ExpectError and ExpectDisconnect are the
// sequences every test repeats. Everything reports failure as an error;
// package rawwiretest adds the testing.TB layer.
//
// # File descriptors
//
//   - Sending: the fds of a message (Encoder.FD arguments in Send, or the fds
//     given to WriteRaw) travel as SCM_RIGHTS in the same sendmsg as the
//     first byte of that message, never earlier or later, so the server sees
//     them with the message they belong to. A short write continues without
//     fds. rawwire neither duplicates nor closes fds it sends.
//   - Receiving: events are read one at a time, the header and then exactly
//     the body, so one recvmsg never spans two events. The fds received
//     while reading an event's bytes are that event's Message.FDs, in the
//     order SCM_RIGHTS delivered them; each fd is handed to exactly one
//     event. This is exact for a server that sends every fd-carrying event in
//     its own sendmsg starting at that event, as protocol/server does. A
//     server that batches fds with earlier events (libwayland flushes all
//     queued fds with the whole buffer) shows up here as fds on an earlier
//     event, which is the misattribution a one-message-per-read client such
//     as go-wayland would suffer, and is reported rather than hidden.
//   - Received fds are close-on-exec and belong to the caller once Read
//     returns them; helpers that discard events close the discarded fds.
//
// # Framing
//
// A received header with a size below 8 or not a multiple of 4, or above
// wire.MaxMessageSize, ends reading: the stream can no longer be framed, and
// an event above 4096 bytes would already make libwayland before 1.23 drop
// the connection. Read then keeps returning that error. A close at a
// message boundary is ErrDisconnected wrapping io.EOF (or ECONNRESET when
// the server closed with requests unread); a close inside a message also
// wraps io.ErrUnexpectedEOF.
//
// # Deadlines
//
// Every read is bounded: by the context's deadline when it has one,
// otherwise by the client's timeout (DefaultTimeout unless SetTimeout
// changes it), and cancelling the context interrupts a blocked read. A read
// that times out keeps the bytes and fds it already has, so the next Read
// resumes the same event. Writes are bounded by the client's timeout so a
// server that stops reading cannot hang a test. Nothing in this package
// sleeps.
//
// # Objects
//
// The client keeps its own table of object ids to interface names, as
// libwayland's client object map does: wl_display is id 1, and Registry,
// Bind, Roundtrip, NewObject and Track add entries. wl_display.delete_id
// removes one. DisplayError.Interface is looked up in this table, the way
// wl_display_get_protocol_error names the interface from the client's own
// proxies. Ids are handed out in increasing order and, unlike libwayland,
// never reused on their own, so tests can predict them; SetNextID reuses or
// skips ids on purpose.
//
// A Client may have one goroutine reading (Read and the helpers built on
// it) while others send or allocate ids; its id table and writes are
// locked. Close may come from any goroutine and makes a blocked Read fail.
package rawwire
