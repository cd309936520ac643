package server

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// traceLines returns the trace's lines with their stamps cut off.
func traceLines(t *testing.T, buf *lockedBuffer) []string {
	t.Helper()
	stamp := regexp.MustCompile(`^\[ *\d{1,10}\.\d{3}\] `)
	var got []string
	for _, l := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		require.Regexp(t, stamp, l)
		got = append(got, stamp.ReplaceAllString(l, ""))
	}
	return got
}

// TestTraceStamp: wl_closure_print takes the wall clock in microseconds
// into an unsigned int and prints "[%7u.%03u] " with time / 1000 and
// time % 1000, so the stamp read back is the 32-bit microsecond count of
// the moment the message was traced.
func TestTraceStamp(t *testing.T) {
	var buf lockedBuffer
	d := startDisplay(t, newTestHandler(), WithTrace(&buf))
	c := connect(t, d)
	before := uint32(time.Now().UnixMicro())
	c.MustRoundtrip()
	after := uint32(time.Now().UnixMicro())
	m := regexp.MustCompile(`^\[ *(\d+)\.(\d{3})\] wl_display#1\.sync`).FindStringSubmatch(buf.String())
	require.NotNil(t, m, buf.String())
	ms, err := strconv.ParseUint(m[1], 10, 32)
	require.NoError(t, err)
	frac, err := strconv.ParseUint(m[2], 10, 32)
	require.NoError(t, err)
	us := uint32(ms*1000 + frac)
	// Unsigned differences stay right across the 32-bit wrap.
	assert.LessOrEqual(t, us-before, after-before, "stamp %d.%03d not between %d and %d µs", ms, frac, before, after)
}

// TestTraceArguments covers the argument kinds the core protocol does not
// trace: objects ("iface#id", null as "nil", as wl_closure_print), and a
// signature with since digits, which are not arguments.
func TestTraceArguments(t *testing.T) {
	sinceIface := &Interface{Name: "test_since", Version: 1, Requests: []Message{
		{Name: "late", Signature: "109u", Since: 1, Types: []*Interface{nil}},
	}}
	var buf lockedBuffer
	d := startDisplayWith(t, func(d *Display) {
		d.AddGlobal(userIface, 1, func(c *Client, r *Resource) {
			r.SetHandler(handlerFunc(func(*Resource, uint16, *wire.Decoder) error { return nil }))
		})
		d.AddGlobal(testIface, 1, func(c *Client, r *Resource) {})
		d.AddGlobal(sinceIface, 1, func(c *Client, r *Resource) {
			r.SetHandler(handlerFunc(func(*Resource, uint16, *wire.Decoder) error { return nil }))
		})
	}, WithTrace(&buf))
	c := connect(t, d)
	reg, _ := c.MustRegistry()
	user := c.MustBindOn(reg, 1, "test_user", 1)
	obj := c.MustBindOn(reg, 2, "test_obj", 1)
	since := c.MustBindOn(reg, 3, "test_since", 1)
	c.MustRoundtrip()
	buf.mu.Lock()
	buf.b.Reset()
	buf.mu.Unlock()
	c.MustSend(user, 0, func(e *wire.Encoder) { e.Object(obj) })
	c.MustSend(user, 2, func(e *wire.Encoder) { e.Object(0) })
	c.MustSend(since, 0, func(e *wire.Encoder) { e.Uint(7) })
	c.MustRoundtrip()
	got := traceLines(t, &buf)
	require.GreaterOrEqual(t, len(got), 3)
	assert.Equal(t, []string{
		"test_user#4.use(test_obj#5)",
		"test_user#4.use_nullable(nil)",
		"test_since#6.late(7)",
	}, got[:3])
}

// TestEventOpcodeBeyondTheInterface: an event the interface does not
// declare (a compositor bug) is traced as "[unknown]()" and named by its
// opcode in EndEvent's errors, without a panic.
func TestEventOpcodeBeyondTheInterface(t *testing.T) {
	var buf lockedBuffer
	d := NewDisplay(WithTrace(&buf))
	c, err := newClient(d, nil)
	require.NoError(t, err)
	r, err := c.NewResource(2, testIface, 1)
	require.NoError(t, err)
	past := uint16(len(testIface.Events))

	e := r.BeginEvent(past)
	require.NoError(t, r.EndEvent(e))
	assert.Equal(t, []string{" -> test_obj#2.[unknown]()"}, traceLines(t, &buf))

	cases := []struct {
		opcode uint16
		name   string
	}{
		{0, "test_obj.ping"},
		{past - 1, "test_obj.fd"},
		{past, "test_obj.#2"},
	}
	for _, tc := range cases {
		e := r.BeginEvent(tc.opcode)
		e.String(strings.Repeat("x", wire.MaxMessageSize))
		err := r.EndEvent(e)
		require.ErrorIs(t, err, wire.ErrTooLarge)
		assert.Contains(t, err.Error(), "event "+tc.name+":")
	}
}

// TestTracePadding: the stamp's "%7u" pads with spaces to seven columns
// and never cuts; "%03u" pads with zeros.
func TestTracePadding(t *testing.T) {
	cases := []struct {
		v     uint64
		w     int
		space string
		zero  string
	}{
		{5, 7, "      5", "0000005"},
		{123456, 7, " 123456", "0123456"},
		{1234567, 7, "1234567", "1234567"},
		{12345678, 7, "12345678", "12345678"},
		{7, 3, "  7", "007"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.space, string(appendPadded(nil, tc.v, tc.w)))
		assert.Equal(t, tc.zero, string(appendPadded0(nil, tc.v, tc.w)))
	}
}
