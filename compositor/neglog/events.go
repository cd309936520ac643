package neglog

import (
	"fmt"
	"slices"
	"strconv"
)

// The constructors below build schema events without the envelope:
// Frame, Client and Ord are filled in by Batch (or by the caller before
// WriteEvent).

// ClientConnect is a client's first line. comm is its process name from
// /proc/PID/comm ("" when unknown); pid is volatile.
func ClientConnect(comm string, pid int) Event {
	return Event{
		Type:   TypeClientConnect,
		Fields: []Field{{"comm", Str(comm)}},
		Vol:    []Field{{"pid", Int(int64(pid))}},
	}
}

// ClientName records a change of stable name. The line itself is written
// under the new name (the batch resolves names when it is flushed).
func ClientName(name, previous string) Event {
	return Event{
		Type:   TypeClientName,
		Fields: []Field{{"name", Str(name)}, {"previous", Str(previous)}},
	}
}

// ProtocolError is the wl_display.error a compositor posted.
type ProtocolError struct {
	Interface string // the interface of the object in error
	Code      uint32
	Message   string
}

// ClientDisconnect is a client's last line. perr is nil unless the
// disconnection followed a protocol error.
func ClientDisconnect(reason string, perr *ProtocolError) Event {
	fs := []Field{{"reason", Str(reason)}}
	if perr != nil {
		fs = append(fs,
			Field{"error_interface", Str(perr.Interface)},
			Field{"error_code", Int(int64(perr.Code))},
			Field{"error_message", Str(perr.Message)})
	}
	return Event{Type: TypeClientDisconnect, Fields: fs}
}

// Bind records a wl_registry.bind of global (its numeric name) at version.
func Bind(iface string, version, global uint32) Event {
	return Event{
		Type: TypeBind,
		Fields: []Field{
			{"interface", Str(iface)},
			{"version", Int(int64(version))},
			{"global", Int(int64(global))},
		},
	}
}

// Buffer types of buffer_import.
const (
	BufferSHM         = "shm"
	BufferSinglePixel = "single_pixel"
	BufferDMABUF      = "dmabuf"
)

// Buffer describes an imported wl_buffer.
type Buffer struct {
	ID       uint32 // the wl_buffer object id
	Type     string // BufferSHM, BufferSinglePixel or BufferDMABUF
	Format   string // DRM format name, e.g. "XRGB8888"
	Fourcc   string // the four characters, e.g. "XR24"
	Width    int32
	Height   int32
	Stride   uint32 // written for shm and dmabuf (the first plane's)
	Modifier uint64 // written for dmabuf only
}

// BufferImport records a buffer the compositor accepted. Which of stride
// and modifier appear follows from the type: a single-pixel buffer has no
// memory layout, and shm memory has no modifier.
func BufferImport(b Buffer) Event {
	fs := []Field{
		{"buffer", Int(int64(b.ID))},
		{"type", Str(b.Type)},
		{"format", Str(b.Format)},
		{"fourcc", Str(b.Fourcc)},
		{"width", Int(int64(b.Width))},
		{"height", Int(int64(b.Height))},
	}
	if b.Type != BufferSinglePixel {
		fs = append(fs, Field{"stride", Int(int64(b.Stride))})
	}
	if b.Type != BufferSHM && b.Type != BufferSinglePixel {
		fs = append(fs, Field{"modifier", Str(FormatModifier(b.Modifier))})
	}
	return Event{Type: TypeBufferImport, Fields: fs}
}

// FormatModifier formats a DRM format modifier as the log writes it: hex
// text, because JSON numbers lose precision beyond 2^53 in many readers
// and vendor modifiers use the top byte.
func FormatModifier(m uint64) string { return fmt.Sprintf("0x%016x", m) }

// FormatCRC formats a frame CRC as the log writes it.
func FormatCRC(crc uint32) string { return fmt.Sprintf("0x%08x", crc) }

// Render describes a rendered frame.
type Render struct {
	Surfaces      int  // visible surfaces
	Damaged       bool // whether anything on screen changed
	CRC           uint32
	HasCRC        bool // CRC is known
	PrimaryFormat string
}

// FrameRender records the composition of one frame.
func FrameRender(r Render) Event {
	fs := []Field{{"surfaces", Int(int64(r.Surfaces))}, {"damaged", Bool(r.Damaged)}}
	if r.HasCRC {
		fs = append(fs, Field{"crc", Str(FormatCRC(r.CRC))})
	}
	fs = append(fs, Field{"primary_format", Str(r.PrimaryFormat)})
	return Event{Type: TypeFrameRender, Fields: fs}
}

// FrameCommit records an atomic commit: the primary framebuffer id, the
// commit flags by name in ascending bit order, and "ok" or the errno name.
func FrameCommit(fb uint32, flags []string, result string) Event {
	return Event{
		Type: TypeFrameCommit,
		Fields: []Field{
			{"fb", Int(int64(fb))},
			{"flags", Strings(flags)},
			{"result", Str(result)},
		},
	}
}

// Presentation kinds.
const (
	Presented = "presented"
	Discarded = "discarded"
)

// Presentation records a wp_presentation_feedback.presented event for
// surface: the vblank sequence, the flags by name in ascending bit order
// ("vsync", "hw_clock", "hw_completion", "zero_copy"), the refresh period,
// and the volatile timestamp.
func Presentation(surface uint32, seq uint64, flags []string, refreshNs uint64, tvSec, tvNsec int64) Event {
	return Event{
		Type: TypePresentation,
		Fields: []Field{
			{"surface", Int(int64(surface))},
			{"kind", Str(Presented)},
			{"seq", Uint(seq)},
			{"flags", Strings(flags)},
			{"refresh_ns", Uint(refreshNs)},
		},
		Vol: []Field{{"tv_sec", Int(tvSec)}, {"tv_nsec", Int(tvNsec)}},
	}
}

// PresentationDiscarded records a discarded presentation feedback.
func PresentationDiscarded(surface uint32) Event {
	return Event{
		Type:   TypePresentation,
		Fields: []Field{{"surface", Int(int64(surface))}, {"kind", Str(Discarded)}},
	}
}

// LockstepTimeout records a lockstep vblank forced by the idle timeout.
// waiting is sorted here, because the caller collects it from a map and
// the line must not depend on the map's order.
func LockstepTimeout(waiting []string, timeoutMs int64) Event {
	w := slices.Clone(waiting)
	slices.Sort(w)
	return Event{
		Type:   TypeLockstepTimeout,
		Fields: []Field{{"waiting", Strings(w)}, {"timeout_ms", Int(timeoutMs)}},
	}
}

// Clock names of the output line.
const (
	ClockRealtime = "realtime"
	ClockManual   = "manual"
	ClockLockstep = "lockstep"
)

// OutputInfo describes the output the compositor runs.
type OutputInfo struct {
	Profile       string // the fake KMS device profile
	Mode          string // "1024x768@60"
	PrimaryFormat string
	Clock         string // ClockRealtime, ClockManual or ClockLockstep
	MonoBaseNs    int64  // CLOCK_MONOTONIC at the first vblank; volatile
	Socket        string // the Wayland socket name; volatile
}

// Output records the output's configuration, a compositor-wide line.
func Output(o OutputInfo) Event {
	return Event{
		Type: TypeOutput,
		Fields: []Field{
			{"profile", Str(o.Profile)},
			{"mode", Str(o.Mode)},
			{"primary_format", Str(o.PrimaryFormat)},
			{"clock", Str(o.Clock)},
		},
		Vol: []Field{{"mono_base_ns", Int(o.MonoBaseNs)}, {"socket", Str(o.Socket)}},
	}
}

// FeedbackTranche describes one tranche of a dmabuf feedback.
type FeedbackTranche struct {
	Target string   // "MAJOR:MINOR"
	Flags  []string // "scanout"
	Pairs  []string // "FORMAT:MODIFIER" as libdrm names them
}

// DmabufFeedback records one complete feedback send.
func DmabufFeedback(feedback uint32, kind string, surface uint32, mainDevice string, tableEntries int, tranches []FeedbackTranche) Event {
	fs := []Field{{"feedback", Int(int64(feedback))}, {"kind", Str(kind)}}
	if surface != 0 {
		fs = append(fs, Field{"surface", Int(int64(surface))})
	}
	ts := make([]Value, len(tranches))
	for i, t := range tranches {
		ts[i] = Object(Field{"target", Str(t.Target)}, Field{"flags", Strings(t.Flags)}, Field{"pairs", Strings(t.Pairs)})
	}
	fs = append(fs, Field{"main_device", Str(mainDevice)}, Field{"table_entries", Int(int64(tableEntries))}, Field{"tranches", List(ts...)})
	return Event{Type: TypeDmabufFeedback, Fields: fs}
}

// DmabufPlane is one plane added to dmabuf params.
type DmabufPlane struct {
	Plane          int
	Offset, Stride uint32
	Modifier       uint64
}

// DmabufCreate records a params create or create_immed and its result.
func DmabufCreate(params uint32, request string, width, height int32, format string, flags uint32, planes []DmabufPlane, result, rule string) Event {
	ps := make([]Value, len(planes))
	for i, p := range planes {
		ps[i] = Object(Field{"plane", Int(int64(p.Plane))}, Field{"offset", Int(int64(p.Offset))},
			Field{"stride", Int(int64(p.Stride))}, Field{"modifier", Str(FormatModifier(p.Modifier))})
	}
	fs := []Field{
		{"params", Int(int64(params))}, {"request", Str(request)},
		{"width", Int(int64(width))}, {"height", Int(int64(height))},
		{"format", Str(format)}, {"flags", Int(int64(flags))}, {"planes", List(ps...)}, {"result", Str(result)},
	}
	if rule != "" {
		fs = append(fs, Field{"rule", Str(rule)})
	}
	return Event{Type: TypeDmabufCreate, Fields: fs}
}

// DmabufWarning records a lenient check that failed.
func DmabufWarning(errName, rule string) Event {
	return Event{Type: TypeDmabufWarning, Fields: []Field{{"error", Str(errName)}, {"rule", Str(rule)}}}
}

// DmabufAdd records one params add and its result.
func DmabufAdd(params uint32, plane int, offset, stride uint32, mod uint64, result, rule string) Event {
	fs := []Field{
		{"params", Int(int64(params))}, {"plane", Int(int64(plane))},
		{"offset", Int(int64(offset))}, {"stride", Int(int64(stride))},
		{"modifier", Str(FormatModifier(mod))}, {"result", Str(result)},
	}
	if rule != "" {
		fs = append(fs, Field{"rule", Str(rule)})
	}
	return Event{Type: TypeDmabufAdd, Fields: fs}
}

// Sync records one step of a buffer's explicit synchronization. A zero
// surface or an empty timeline leaves the field out; point goes with
// timeline.
func Sync(buffer uint32, kind, action string, surface uint32, timeline string, point uint64) Event {
	fs := []Field{{"buffer", Int(int64(buffer))}, {"kind", Str(kind)}, {"action", Str(action)}}
	if surface != 0 {
		fs = append(fs, Field{"surface", Int(int64(surface))})
	}
	if timeline != "" {
		fs = append(fs, Field{"timeline", Str(timeline)}, Field{"point", Str(strconv.FormatUint(point, 10))})
	}
	return Event{Type: TypeSync, Fields: fs}
}

// OwnershipViolation records a write by the client into a buffer the
// compositor owned: the window opened at frame since (at "commit" or at
// the "acquire" signal) and the change was seen at frame seen, at a
// "latch" or at "release".
func OwnershipViolation(buffer, surface uint32, windowStart string, since, seen uint64, stage string) Event {
	return Event{Type: TypeOwnership, Fields: []Field{
		{"buffer", Int(int64(buffer))}, {"surface", Int(int64(surface))}, {"window_start", Str(windowStart)},
		{"since_frame", Uint(since)}, {"seen_frame", Uint(seen)}, {"stage", Str(stage)},
	}}
}
