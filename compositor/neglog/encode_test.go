package neglog

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// at fills in the envelope the way a Batch would.
func at(frame uint64, client string, ord uint64, e Event) Event {
	e.Frame, e.Client, e.Ord = frame, client, ord
	return e
}

// goldenEvents are one event of every constructor variant with the exact
// line the schema says it is.
var goldenEvents = []struct {
	name  string
	event Event
	line  string
}{
	{
		"client_connect",
		at(0, "weston-simple-shm-1", 1, ClientConnect("weston-simple-", 4242)),
		`{"v":1,"frame":0,"client":"weston-simple-shm-1","ord":1,"event":"client_connect","comm":"weston-simple-","vol":{"pid":4242}}`,
	},
	{
		"client_name",
		at(2, "dmabuf-feedback", 4, ClientName("dmabuf-feedback", "headway-client-1")),
		`{"v":1,"frame":2,"client":"dmabuf-feedback","ord":4,"event":"client_name","name":"dmabuf-feedback","previous":"headway-client-1"}`,
	},
	{
		"client_disconnect",
		at(9, "c", 12, ClientDisconnect("disconnected", nil)),
		`{"v":1,"frame":9,"client":"c","ord":12,"event":"client_disconnect","reason":"disconnected"}`,
	},
	{
		"client_disconnect with protocol error",
		at(9, "c", 12, ClientDisconnect("protocol_error", &ProtocolError{"zwp_linux_buffer_params_v1", 7, `plane 0: stride 100 < "width"`})),
		`{"v":1,"frame":9,"client":"c","ord":12,"event":"client_disconnect","reason":"protocol_error","error_interface":"zwp_linux_buffer_params_v1","error_code":7,"error_message":"plane 0: stride 100 < \"width\""}`,
	},
	{
		"bind",
		at(0, "c", 2, Bind("zwp_linux_dmabuf_v1", 5, 14)),
		`{"v":1,"frame":0,"client":"c","ord":2,"event":"bind","interface":"zwp_linux_dmabuf_v1","version":5,"global":14}`,
	},
	{
		"buffer_import shm",
		at(1, "c", 3, BufferImport(Buffer{ID: 33, Type: BufferSHM, Format: "XRGB8888", Fourcc: "XR24", Width: 256, Height: 128, Stride: 1024, Modifier: 99})),
		`{"v":1,"frame":1,"client":"c","ord":3,"event":"buffer_import","buffer":33,"type":"shm","format":"XRGB8888","fourcc":"XR24","width":256,"height":128,"stride":1024}`,
	},
	{
		"buffer_import single_pixel",
		at(1, "c", 3, BufferImport(Buffer{ID: 34, Type: BufferSinglePixel, Format: "ARGB8888", Fourcc: "AR24", Width: 1, Height: 1, Stride: 4})),
		`{"v":1,"frame":1,"client":"c","ord":3,"event":"buffer_import","buffer":34,"type":"single_pixel","format":"ARGB8888","fourcc":"AR24","width":1,"height":1}`,
	},
	{
		"buffer_import dmabuf",
		at(1, "c", 3, BufferImport(Buffer{ID: 35, Type: BufferDMABUF, Format: "NV12", Fourcc: "NV12", Width: 64, Height: 64, Stride: 128, Modifier: 0x0100000000000002})),
		`{"v":1,"frame":1,"client":"c","ord":3,"event":"buffer_import","buffer":35,"type":"dmabuf","format":"NV12","fourcc":"NV12","width":64,"height":64,"stride":128,"modifier":"0x0100000000000002"}`,
	},
	{
		"frame_render with crc",
		at(5, "", 0, FrameRender(Render{Surfaces: 2, Damaged: true, CRC: 0xbeef, HasCRC: true, PrimaryFormat: "XRGB8888"})),
		`{"v":1,"frame":5,"event":"frame_render","surfaces":2,"damaged":true,"crc":"0x0000beef","primary_format":"XRGB8888"}`,
	},
	{
		"frame_render without crc",
		at(5, "", 0, FrameRender(Render{PrimaryFormat: "XRGB16161616"})),
		`{"v":1,"frame":5,"event":"frame_render","surfaces":0,"damaged":false,"primary_format":"XRGB16161616"}`,
	},
	{
		"frame_commit",
		at(5, "", 0, FrameCommit(41, []string{"NONBLOCK", "PAGE_FLIP_EVENT"}, "ok")),
		`{"v":1,"frame":5,"event":"frame_commit","fb":41,"flags":["NONBLOCK","PAGE_FLIP_EVENT"],"result":"ok"}`,
	},
	{
		"frame_commit without flags",
		at(5, "", 0, FrameCommit(41, nil, "EINVAL")),
		`{"v":1,"frame":5,"event":"frame_commit","fb":41,"flags":[],"result":"EINVAL"}`,
	},
	{
		"presentation presented",
		at(6, "c", 20, Presentation(3, 6, []string{"vsync", "hw_clock", "hw_completion", "zero_copy"}, 16666666, 1700000000, 5)),
		`{"v":1,"frame":6,"client":"c","ord":20,"event":"presentation","surface":3,"kind":"presented","seq":6,"flags":["vsync","hw_clock","hw_completion","zero_copy"],"refresh_ns":16666666,"vol":{"tv_sec":1700000000,"tv_nsec":5}}`,
	},
	{
		"presentation discarded",
		at(6, "c", 21, PresentationDiscarded(3)),
		`{"v":1,"frame":6,"client":"c","ord":21,"event":"presentation","surface":3,"kind":"discarded"}`,
	},
	{
		"lockstep_timeout sorts waiting",
		at(7, "", 0, LockstepTimeout([]string{"zeta", "alpha", "mid"}, 250)),
		`{"v":1,"frame":7,"event":"lockstep_timeout","waiting":["alpha","mid","zeta"],"timeout_ms":250}`,
	},
	{
		"output",
		at(0, "", 0, Output(OutputInfo{"vkms", "1024x768@60", "XRGB8888", ClockLockstep, 123456789, "wayland-headway-1"})),
		`{"v":1,"frame":0,"event":"output","profile":"vkms","mode":"1024x768@60","primary_format":"XRGB8888","clock":"lockstep","vol":{"mono_base_ns":123456789,"socket":"wayland-headway-1"}}`,
	},
}

func TestConstructorsEncodeAsDocumented(t *testing.T) {
	for _, tt := range goldenEvents {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.event.Validate())
			got := string(Append(nil, tt.event))
			assert.Equal(t, tt.line, got)
			assert.True(t, json.Valid([]byte(got)))

			back, err := Decode([]byte(got))
			require.NoError(t, err)
			assert.True(t, back.Equal(&tt.event), "decoded %+v", back)
		})
	}
}

func TestLockstepTimeoutLeavesCallerSliceAlone(t *testing.T) {
	w := []string{"b", "a"}
	LockstepTimeout(w, 1)
	assert.Equal(t, []string{"b", "a"}, w)
}

// TestAppendStringAgreesWithEncodingJSON uses encoding/json as the
// reference: whatever Append writes, it reads back as the same string (or
// with U+FFFD for invalid UTF-8, as encoding/json itself writes it).
func TestAppendStringAgreesWithEncodingJSON(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"plain", `"plain"`},
		{`quote " and backslash \`, `"quote \" and backslash \\"`},
		{"tab\tnl\ncr\r", `"tab\tnl\ncr\r"`},
		{"\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"<html>&", `"<html>&"`},
		{"größe ✓", `"größe ✓"`},
		{"line\u2028para\u2029", `"line\u2028para\u2029"`},
		{"bad \xff utf8", `"bad \ufffd utf8"`},
		{"\xe2\x82", `"\ufffd\ufffd"`},
		{"", `""`},
	}
	for _, tt := range tests {
		got := appendString(nil, tt.in)
		assert.Equal(t, tt.want, string(got), "%q", tt.in)

		var back string
		require.NoError(t, json.Unmarshal(got, &back), "%s", got)
		ref, err := json.Marshal(tt.in)
		require.NoError(t, err)
		var refBack string
		require.NoError(t, json.Unmarshal(ref, &refBack))
		assert.Equal(t, refBack, back, "%q reads back as encoding/json's own encoding does", tt.in)
	}
}

func TestValueAccessors(t *testing.T) {
	obj := Object(Field{"a", Int(-3)}, Field{"b", Strings([]string{"x", "y"})}, Field{"c", Bool(true)})
	v, ok := obj.Get("a")
	require.True(t, ok)
	i, ok := v.AsInt()
	assert.True(t, ok)
	assert.Equal(t, int64(-3), i)
	_, ok = v.AsUint()
	assert.False(t, ok, "negative is not a uint")
	b, _ := obj.Get("b")
	ss, ok := b.AsStrings()
	assert.True(t, ok)
	assert.Equal(t, []string{"x", "y"}, ss)
	_, ok = List(Str("x"), Int(1)).AsStrings()
	assert.False(t, ok)
	c, _ := obj.Get("c")
	bv, ok := c.AsBool()
	assert.True(t, ok && bv)
	_, ok = obj.Get("missing")
	assert.False(t, ok)
	assert.Equal(t, `{"a":-3,"b":["x","y"],"c":true}`, obj.String())

	big := Uint(math.MaxUint64)
	assert.Equal(t, KindNumber, big.Kind())
	u, ok := big.AsUint()
	assert.True(t, ok)
	assert.Equal(t, uint64(math.MaxUint64), u)
	assert.Equal(t, KindInt, Uint(7).Kind())
	assert.False(t, Int(1).Equal(Bool(true)))
	assert.False(t, Strings([]string{"a"}).Equal(Strings([]string{"a", "b"})))
}

func TestValidateRefuses(t *testing.T) {
	bind := Bind("wl_compositor", 6, 1)
	tests := []struct {
		name  string
		event Event
		want  string
	}{
		{"unknown type", at(0, "", 0, Event{Type: "no_such_event"}), `unknown event type "no_such_event"`},
		{"client event without client", at(0, "", 0, bind), "needs a client name"},
		{"client event without ordinal", at(0, "c", 0, bind), "needs a client name and an ordinal"},
		{"compositor event with client", at(0, "c", 1, FrameCommit(1, nil, "ok")), "compositor-wide but has client"},
		{"missing field", at(0, "c", 1, Event{Type: TypeBind, Fields: bind.Fields[:2]}), `missing field "global"`},
		{"missing field in the middle", at(0, "c", 1, Event{Type: TypeBind, Fields: []Field{bind.Fields[0], bind.Fields[2]}}), `missing field "version" before "global"`},
		{"wrong kind", at(0, "c", 1, Event{Type: TypeBind, Fields: []Field{{"interface", Int(1)}, bind.Fields[1], bind.Fields[2]}}), `field "interface": is int, the schema says string`},
		{"wrong list element", at(0, "", 0, Event{Type: TypeFrameCommit, Fields: []Field{{"fb", Int(1)}, {"flags", List(Int(1))}, {"result", Str("ok")}}}), "element 0 is int, the schema says list of strings"},
		{"unknown field", at(0, "c", 1, Event{Type: TypeBind, Fields: append(append([]Field(nil), bind.Fields...), Field{"extra", Int(1)})}), `unknown field "extra"`},
		{"out of order", at(0, "c", 1, Event{Type: TypeBind, Fields: []Field{bind.Fields[1], bind.Fields[0], bind.Fields[2]}}), `missing field "interface" before "version"`},
		{"repeated", at(0, "c", 1, Event{Type: TypeBind, Fields: append(append([]Field(nil), bind.Fields...), bind.Fields[2])}), `field "global" out of order or repeated`},
		{"volatile field outside vol", at(0, "c", 1, Event{Type: TypeClientConnect, Fields: []Field{{"comm", Str("x")}, {"pid", Int(1)}}}), `unknown field "pid"`},
		{"vol missing", at(0, "c", 1, Event{Type: TypeClientConnect, Fields: []Field{{"comm", Str("x")}}}), `vol: missing field "pid"`},
		{"int beyond int64", at(0, "c", 1, Presentation(1, math.MaxUint64, nil, 1, 0, 0)), `field "seq": is number`},
		{"zero value", at(0, "c", 1, Event{Type: TypeClientName, Fields: []Field{{"name", Value{}}, {"previous", Str("")}}}), "is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.event.Validate()
			require.ErrorIs(t, err, ErrInvalid)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
