// Package server is headway's Wayland server runtime: client connections,
// the per-client object table, wl_display/wl_registry/wl_callback, globals
// and protocol tracing. Generated bindings (one package per protocol XML)
// build on it through a small API
// (Interface, Message, Handler, Resource, Client.LookupArg/NewResource,
// BeginEvent/EndEvent); the runtime never imports generated code.
//
// libwayland's server (wayland-server.c, connection.c) is the reference:
// unmodified clients must see exactly the behaviour, errors and error
// messages they see with weston or mutter.
//
// # One loop
//
// Everything that touches protocol state runs on the goroutine executing
// Display.Run: request handlers, bind and destructor callbacks, functions
// queued with Do. Compositor code therefore never races with itself, and a
// run is deterministic given the order of client input. As libwayland's
// event loop does, the loop reads the client sockets itself: they are in
// one level-triggered epoll set, and for each ready socket the loop makes
// one recvmsg into the client's input buffer, dispatches every complete
// message, and at the end of the round flushes the replies, with no
// goroutine hand-off. A socket is read again only after the previous chunk
// was consumed, so input is bounded like libwayland's ring (4096 bytes by
// default) and a client cannot make the server buffer more. A message
// larger than the input buffer can never complete: libwayland drops such a
// client; headway also tells it why (implementation error).
//
// The loop does not block in epoll_wait, which would keep its P from the
// other goroutines of the process until sysmon steals it (what matters with
// GOMAXPROCS=1): the epoll fd itself waits in Go's netpoller, and the loop
// polls the set without blocking when the netpoller reports it readable.
// Do, AddClient, Close and the end of Run's context wake it through an
// eventfd in the same set. The loop's non-blocking syscalls (epoll_wait
// with a zero timeout, recvmsg, sendmsg, the eventfd) bypass the runtime's
// syscall bookkeeping, which would wake a sleeping sysmon thread for each
// of them.
//
// # Requests
//
// Checks happen in wl_client_connection_data's order, and the first failure
// posts wl_display.error and stops reading that client: unknown object id →
// invalid_object "invalid object N"; opcode beyond the interface →
// invalid_method; request newer than the resource's version →
// invalid_method; a body that does not demarshal, an object argument that
// does not exist or has the wrong interface, a new id that is in use or
// more than one past the highest id (wl_map_reserve_new) → invalid_method
// "invalid arguments for iface#id.request". Only then is the Handler
// called, so generated decoding cannot fail on client input. Received fds
// form one FIFO per connection handed to fd arguments in message order;
// fds a handler did not take are closed so the queue stays aligned, and
// every unconsumed fd is closed on disconnect. As in libwayland's
// wl_connection_read, a recvmsg has room for 28 fds and MSG_CTRUNC is
// ignored: the kernel closes the fds beyond that, the ones that arrived
// are queued in order, and a message later left without its fd is
// "invalid arguments". A read that would take the queue past 1024 fds
// (libwayland's fds_in ring) closes that read's fds and drops the client
// without a protocol error and without dispatching the bytes of that read,
// as decode_cmsg's EOVERFLOW makes wl_client_connection_data do.
//
// libwayland's server has no zombie objects (WL_MAP_ENTRY_ZOMBIE is client
// side only): an id whose object the server destroyed is an empty slot, and a
// request to it is "invalid object" like any unknown id. headway does the
// same. Events for destroyed resources or failing clients are dropped
// (BeginEvent returns nil). A resource's destructor runs before its slot is
// freed and before wl_display.delete_id is queued (client ids only).
//
// Errors returned by handlers: *ProtocolError is sent as given; anything
// else becomes implementation (3) on wl_display. A panic in a handler is
// recovered and treated the same way: that client is disconnected, others
// carry on. Only the first error of a client is sent; the client is then
// flushed once and closed at the end of the dispatch round, as
// destroy_client_with_error does. Every message is cut at 127 bytes:
// wl_resource_post_error_vargs formats it into 128 bytes with the NUL.
//
// # Events
//
// Events are appended to a per-client output buffer and flushed at the end
// of every loop round with non-blocking sendmsg. When the socket is full the
// loop adds EPOLLOUT to the client's registration and sends the rest when
// the socket drains (libwayland's WL_EVENT_WRITABLE); the loop never blocks
// on a client. Pending output is bounded (4096 bytes by default,
// libwayland's default maximum buffer size): when it would be exceeded the
// buffer is flushed, and if the kernel takes nothing more the client is
// dropped, so a client that stops reading costs bounded memory. Every event
// carrying fds is sent in its own sendmsg, after everything queued before
// it, because go-wayland keeps one fd per read and attaches it to the first
// message of the read. fds are duplicated when the event is queued, as
// libwayland does, and closed once sent.
//
// # Tracing
//
// WAYLAND_DEBUG containing "server" or "1" (read by NewDisplay) or
// WithTrace prints each request and event in libwayland 1.23's
// wl_closure_print format: "[%7u.%03u] iface#id.request(args)" and
// " -> iface#id.event(args)", strings quoted, null as nil, "new id
// iface#N", "fd N", "array[N]", fixed with eight decimals. With tracing off
// nothing is formatted.
//
// # Threading rule for callers
//
// Resource, Client (except Cred and Display) and Global methods, AddGlobal
// and NextSerial belong to the loop: call them from handlers, callbacks or Do
// functions, or before Run. AddClient, AddListener, Do and Close are safe
// from any goroutine.
//
// # Allocation
//
// Steady-state request dispatch and event queueing allocate nothing: input
// and output buffers, the decoder and encoder are per client and reused, and
// wl_display.sync uses a per-client callback Resource since that object never
// reaches compositor code. Other new ids allocate their Resource, as
// libwayland mallocs one.
//
// # Deliberate differences
//
// A message whose header states more bytes than the input buffer holds is
// answered with an implementation error before the disconnect (libwayland
// drops the client silently).
//
// ProtocolError from LookupArg (which only fails if generated code and the
// runtime disagree) uses invalid_object; libwayland's equivalent failure is
// caught earlier as "invalid arguments" (invalid_method), which is what
// clients actually see here too.
//
// A header whose size is not a multiple of 4 is "invalid arguments":
// libwayland decodes the first size/4 words, ignores the rest and consumes
// the size as given, so the next message starts unaligned; headway refuses
// what no conforming client sends. A size below 8 is "invalid arguments" in
// both.
//
// # Mutants that live
//
// gremlins' mutants that no test kills, and why none can change what a
// client or the compositor sees:
//
//   - Guards an earlier check makes redundant: reserveID's id >=
//     ServerIDStart (maxObjects is below it) and its int(id) < len case
//     (id == len is the case before); arg < len(m.Types) in checkObjects
//     and traceMessage (Types has one entry per argument); dispatchOne's
//     c.fdh < len(c.fdq) (Validate counted the fds); Resource.Destroy's
//     table bounds (a live resource's id is in its table); register's
//     c.slot >= 0 (each client is registered once).
//   - Boundaries where both sides do the same: process's size <
//     HeaderSize (8 either way); the compactions at off > 0 and fdh > 0
//     (no-ops at 0); parseRights' len(oob) >= SizeofCmsghdr and next >
//     len(oob) (a bare header carries no fd, and the walk ends at the end
//     of the buffer either way); readInput's oobn > 0, both times (parsing
//     nothing; one more poll); pollRounds' n > 0 (endRound with nothing to
//     do); write's n > 0 (sendmsg of a non-empty buffer never returns 0);
//     queue's len(fds) > 0 (an fd-less event in a sendmsg of its own sends
//     the same bytes).
//   - c.written and c.fdh are 0 whenever queue, pendingOut and readInput
//     look at them (write and process reset them), so "-" turned "+" there
//     changes nothing. The kernel takes a sendmsg of a few KB whole or not
//     at all, so queue's two checks at exactly maxOut cannot differ: only a
//     partial write leaving exactly the bound would tell.
//   - Values never read: skipFDs' -1 (the pre-check drops its fds),
//     detachFD's initial -1 and its error paths (unreachable for a live
//     socket), the -1 that closeFD, unwatch and closePoll store in c.fd,
//     c.slot and d.epfd (nothing reads them again), NewDisplay's epfd -1
//     (read only for registered clients), and the direction the generation
//     counter moves (only compared for equality).
//   - Unreachable: the eventfd is never fd 0 (the epoll fd, created just
//     before it, takes the lowest free number); epoll_wait on the loop's own
//     epoll fd does not fail (runPoll's perr); unwatch's EPOLL_CTL_DEL,
//     skipped, is done by the close that follows (the client's fd is the
//     socket's only reference), also for a client at slot 0.
//   - Log only: the warnings when a global or global_remove cannot be
//     encoded, or a listener's AddClient fails.
//   - Memory only: compactOut's early return (the sent prefix stays until
//     the buffer drains) and Resource.Destroy's registry check (a dead
//     registry stays listed; its events are dropped).
//   - Not caught: pollRounds' n < len(d.evs) negated polls forever instead
//     of parking in the netpoller. Every request is still served; only CPU
//     use shows it.
//
// The checks that treat fd 0 as a valid descriptor (a client socket or a
// received fd that lands at 0, as wl_client_create and the fd queue allow)
// have no test: landing an fd at 0 means closing stdin and hoping the next
// descriptor the process opens is ours, which another goroutine (under the
// race detector, reliably) can take first. Their ">= 0 as > 0" mutants live.
package server
