// Package compositor is headway's headless Wayland compositor: the place
// where protocol (the server runtime and its generated bindings), kms (the
// fake device and its composer), modifiers and syncobj meet. It serves
// wl_compositor v6, wl_subcompositor, wl_shm v2, wl_output v4, xdg_wm_base
// v6, wl_seat v9, wl_data_device_manager v3, wp_viewporter,
// wp_presentation v2, wp_single_pixel_buffer_manager_v1,
// zwp_linux_dmabuf_v1 v5, wp_linux_drm_syncobj_manager_v1,
// zwp_linux_explicit_synchronization_v1 v2 and the private
// headway_test_v1, and shows every frame on one output of a fake KMS
// device.
//
// # Layout
//
// One file per protocol object family, in the spirit of wlroots'
// types/wlr_*.c: surface.go (wl_surface, wl_region, double-buffered
// state), subsurface.go, shm.go and buffer.go (wl_shm, pools, buffers,
// single-pixel buffers), dmabuf.go and scanout.go (linux-dmabuf: feedback,
// params, import, scanout candidates), syncobj.go and explicitsync.go
// (explicit sync: held commits, release points and objects),
// implicitsync.go (reservation objects), ownership.go, xdg.go, seat.go (pointer, keyboard, the data
// device stubs), viewport.go, globals.go (wl_output, wp_presentation and
// the global list), testproto.go (headway_test_v1), client.go (stable
// names and per-client serials), log.go (the negotiation log). The output
// path is split as a display driver would be: scene.go (what is shown, in
// which order and geometry), frame.go (latching a frame on the loop and
// telling clients what became of it), output.go (the device, the clock
// and the goroutine that renders and commits).
//
// # One loop, pixels elsewhere
//
// All protocol state lives on protocol/server's dispatch loop. At each
// vblank the output goroutine asks the loop (Display.Call) to latch a
// snapshot: the visible surfaces' buffers and geometry, the frame
// callbacks and presentation feedback they carry. It renders the snapshot
// off the loop into the back primary framebuffer with kms/compose's exact
// arithmetic (compose.Render), commits it NONBLOCK with PAGE_FLIP_EVENT,
// and hands the results back (Display.Do): buffers released, frame
// callbacks sent, faults attributed. A client's round trip never waits
// for pixels. An acquire step for explicit sync belongs between the latch
// and the render, and a plane assigner (today: everything composited into
// the primary) between the render and the commit.
//
// # Frames
//
// A state latched at vblank N is committed during frame N and flips at
// N+1: frame N+1's CRC is the first to show it, and wp_presentation's
// presented carries N+1 with vsync, hw_clock and hw_completion and the
// mode's period as refresh. Frame callbacks are sent once frame N is
// committed, with time N·period in ms on the virtual clocks (the vblank's
// CLOCK_MONOTONIC time on the real one). A commit replaced before it was
// latched gets discarded, and its buffer, never shown, is released at
// once. Damage is a change in what the output shows (buffer, content,
// geometry, stacking); a frame without it renders nothing and flips only
// when presentation feedback waits for a flip.
//
// Buffers are held while they are a surface's current buffer or a frame
// being rendered reads them; wl_buffer.release is sent when neither is
// true (weston's pixman renderer keeps buffers the same way). A shm
// buffer whose memory faults while rendering (a memfd truncated under its
// mapping: SIGBUS, recovered by the composer as EFAULT) is dropped from
// the frame, which is rendered again without it; the client gets wl_shm's
// invalid_fd posted on the wl_buffer, as libwayland's
// wl_shm_buffer_end_access does, and is disconnected. Nobody else notices.
//
// # Clocks
//
// Realtime ticks at the mode's refresh. Manual moves only when
// headway_test_v1.advance (or Compositor.Advance) asks, one vblank at a
// time, each frame committed before the next. Lockstep makes a vblank due
// when a commit that can change the output has not been latched or a
// commit awaits its flip; the vblank happens once every surface whose
// frame callback fired at the last vblank, or which was configured and
// owes its first buffer, has committed again, or after the lockstep
// timeout (DefaultLockstepTimeout), which the log records as
// lockstep_timeout so a run that relied on it is visibly not
// deterministic. With nothing due the clock stands still. On a virtual
// clock the modeset flips before the loop starts, so runs begin alike.
// Presentation timestamps are CLOCK_MONOTONIC: a base taken at start
// (volatile in the log) plus sequence times period on the virtual clocks.
//
// # Determinism
//
// Stacking is by (raise level, client stable name, per-client surface
// ordinal), toplevels sit at (0, 0) unless headway_test_v1 moves them, and
// serials count per client, so one client's actions never shift
// another's. The negotiation log is written per frame, ordered by client
// name and per-client ordinal. A client's stable name is the one
// headway_test_v1 gave it (itself or a launcher, by pid), else its
// /proc comm plus an ordinal.
//
// # The primary framebuffer
//
// XRGB16161616 where the primary plane lists it (vkms), else XRGB8888, or
// Config.PrimaryFormat. A 16-bit primary keeps every blended value the
// composer computes, so a translucent surface gives the same CRC
// composited or (later) offloaded to a plane; an 8-bit primary rounds
// blended values to 8 bits first. 10-bit and half-float primaries do not
// hold every 8-bit level exactly, so equalities between 8-bit pictures
// drawn in different formats can break there.
//
// # linux-dmabuf
//
// zwp_linux_dmabuf_v1 v5 offers the profile's render set (what its
// simulated GPU samples; LINEAR for every readable primary format when
// the profile names none). One format table in one sealed memfd serves
// every client and every feedback; the main device and every tranche's
// target is MainDevice, dev_t 4095:1048575 (0xffffffff), which no driver
// can own. A surface some plane could show as it is (a TEST_ONLY commit
// of its geometry passes on that plane; see scanout.go) is a scanout
// candidate: its surface feedback puts a scanout tranche of those planes'
// IN_FORMATS pairs within the render set first, and is sent again without
// it when that stops, re-evaluated at every latch. v3 binds get a
// modifier event per pair; v1 and v2 binds get a
// format event for each format offered with LINEAR, because their buffers
// carry the implicit modifier INVALID, which on headway's device means
// LINEAR (such buffers import and render as LINEAR).
//
// Params are checked in this order. In add, as wlroots: already_used,
// plane_idx (4 planes at most), plane_set, then invalid_format for a
// modifier that differs from an earlier plane's. In create and
// create_immed: already_used; incomplete when no plane was added;
// invalid_format for unknown flag bits; invalid_dimensions for a width or
// height below 1; out_of_bounds on every plane for offset + stride and
// offset + stride · height beyond 32 bits, and, where lseek gives the
// object's size, for an offset past it, offset + stride past it or a zero
// stride, and plane 0's offset + stride · height past it. Then headway's
// extras, which wlroots lacks: incomplete for a hole in the plane list;
// from v4, invalid_format for a pair that was never advertised; then
// modifiers/layout's rules for the format and modifier (the plane count
// is incomplete; its other kinds map to their codes; a layout rule no
// protocol code names fails the import). invalid_format for a format the
// composer cannot read comes after the advertised check. With
// Config.DmabufLenient (serve --dmabuf-strict=off) every extra is a
// dmabuf_warning line and the import goes on. Interlaced buffers
// (interlaced, bottom_first) fail the import; y_invert is honoured.
//
// Import accepts memory that cannot shrink under its mapping, because no
// protocol error may follow once a buffer exists: a memfd sealed with
// F_SEAL_SHRINK, or a real dma-buf. Anything else (an unsealed memfd, a
// tmpfs file, a pipe) fails: created/failed for create, invalid_wl_buffer
// for create_immed. Tiled buffers render through modifiers/sample.
//
// # Explicit sync
//
// wp_linux_drm_syncobj_manager_v1 imports headway timeline pages
// (syncobj/shmtimeline); any other fd is invalid_timeline, and a kernel
// DRM syncobj fd is named as such in the log (importing one needs a
// render node, which headway does not use yet).
// zwp_linux_explicit_synchronization_v1 takes sync_file fds through
// syncobj/syncfd. The compositor closes every received fd after import.
//
// A commit whose acquire point or fence has not signalled is held on its
// surface, with every later commit of that surface queued behind it;
// nothing else waits. Held commits are applied in order at the latch
// where their acquire has signalled (a fence signalled with an error
// counts: the wait is over). On the virtual clocks a goroutine per held
// commit waits for the signal and makes the next frame due; a held first
// buffer does not count as one the lockstep clock waits for.
//
// A release point (or a zwp_linux_buffer_release_v1, answered with
// immediate_release: the renderer is done with a buffer when it lets go
// of it) belongs to its commit's buffer and fires when that buffer is
// next free: replaced and read by no frame being rendered. A commit
// superseded before it applied, a held commit of a destroyed surface and
// a commit whose buffer was destroyed release at once. A buffer kept
// current by later commits keeps every earlier point pending.
//
// Commit errors come in wlroots' order for syncobj (no_buffer for a point
// without a buffer, no_acquire_point, no_release_point,
// conflicting_points for acquire >= release on one timeline object), then
// Smithay's unsupported_buffer for a buffer that is not a linux-dmabuf
// buffer, checked last; for explicit-sync in weston's: set_acquire_fence
// checks no_surface, invalid_fence, duplicate_fence; get_release
// no_surface, duplicate_release; commit no_buffer then unsupported_buffer
// (an acquire fence on a shm buffer) for the fence, then no_buffer for a
// release object.
//
// # Implicit sync
//
// Every linux-dmabuf buffer has a reservation object (syncobj/resv);
// headway_test_v1's import_sync_file and export_sync_file stand in for the
// dma-buf sync_file ioctls. A commit of a dmabuf without explicit sync
// takes the buffer's write fences present at commit (as mutter and KWin
// export the implicit fence at commit; a fence added later is not waited
// for) and is held like an acquire point until they signal. The first
// frame that reads the buffer adds the compositor's read fence (usage
// Read), signalled when the buffer is next free; a commit never waits for
// it. See implicitsync.go.
//
// # Ownership checks
//
// With Config.CheckOwnership a buffer is hashed (CRC-32C of the bytes the
// renderer reads) when the compositor takes it (at commit, or when a
// held commit's acquire has signalled), at every latch that shows it and
// just before it is released; a change is an ownership_violation line
// and becomes the new reference, so one write is reported once. A buffer
// committed again while owned keeps its window. See ownership.go.
//
// # Protocol errors
//
// Every error is posted with the interface and code the XML defines, on
// the object the XML names, with a message that names the cause; the
// client is disconnected and every other client carries on. The test
// TestProtocolErrors has one case per (interface, error) pair of the
// interfaces these globals reach, except the pairs no client can make
// headway post:
//
//   - wl_display.no_memory: a Go allocation failure is fatal, not reported;
//   - wl_data_offer's four errors: no wl_data_offer is ever created;
//   - xdg_wm_base.unresponsive: headway never pings;
//   - wp_presentation.invalid_timestamp and invalid_flag: no
//     wp_presentation request carries a timestamp or flags.
//
// # Deliberate limits
//
// xdg_positioner constraint adjustment is not applied (the output has no
// constraint worth testing), popups need an xdg parent, the data device
// offers no selection or drag (the objects exist so toolkits start), the
// seat has no touch, and maximize and fullscreen requests are answered
// with a configure that keeps the window's state.
package compositor
