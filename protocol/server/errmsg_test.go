package server

import (
	"errors"
	"strings"
	"testing"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// errIface's requests fail with a message of the requested length, as a
// protocol error on the object or as a plain Go error.
var errIface = &Interface{Name: "test_err", Version: 1, Requests: []Message{
	{Name: "protocol", Signature: "u", Since: 1, Types: []*Interface{nil}},
	{Name: "internal", Signature: "u", Since: 1, Types: []*Interface{nil}},
}}

func failWithLength(r *Resource, opcode uint16, d *wire.Decoder) error {
	n, err := d.Uint()
	if err != nil {
		return err
	}
	if opcode == 0 {
		return Errorf(r, 7, "%s", strings.Repeat("p", int(n)))
	}
	return errors.New(strings.Repeat("i", int(n)))
}

// TestErrorMessageIsCutAt127Bytes: wl_resource_post_error_vargs formats the
// message into char buffer[128] with vsnprintf, so a client never sees more
// than 127 bytes of it, whether the compositor posted it or the runtime
// turned a handler's error into an implementation error
// (wl_client_post_implementation_error goes through the same function).
func TestErrorMessageIsCutAt127Bytes(t *testing.T) {
	const prefix = "test_err#4.internal: " // what the runtime puts before a Go error
	cases := []struct {
		name   string
		opcode uint16
		n      uint32
		want   rawwire.DisplayError
	}{
		{"protocol error of 127 bytes", 0, 127,
			rawwire.DisplayError{Object: 4, Interface: "test_err", Code: 7, Message: strings.Repeat("p", 127)}},
		{"protocol error of 128 bytes", 0, 128,
			rawwire.DisplayError{Object: 4, Interface: "test_err", Code: 7, Message: strings.Repeat("p", 127)}},
		{"protocol error of 1000 bytes", 0, 1000,
			rawwire.DisplayError{Object: 4, Interface: "test_err", Code: 7, Message: strings.Repeat("p", 127)}},
		{"short implementation error", 1, 10,
			rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorImplementation, Message: prefix + strings.Repeat("i", 10)}},
		{"long implementation error", 1, 5000,
			rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorImplementation, Message: (prefix + strings.Repeat("i", 127))[:127]}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			posted := make(chan PostedError, 1)
			d := startDisplayWith(t, func(d *Display) {
				d.AddGlobal(errIface, 1, func(c *Client, r *Resource) {
					r.SetHandler(handlerFunc(failWithLength))
					c.AddDestroyListener(func(c *Client) { posted <- c.Error() })
				})
			})
			c := connect(t, d)
			reg, _ := c.MustRegistry()
			id := c.MustBindOn(reg, 1, "test_err", 1)
			require.Equal(t, uint32(4), id)
			c.MustSend(id, tc.opcode, func(e *wire.Encoder) { e.Uint(tc.n) })
			assert.Equal(t, tc.want, *c.MustExpectError())
			// Client.Error reports what was sent.
			select {
			case pe := <-posted:
				assert.Equal(t, PostedError{Sent: true, Object: tc.want.Object, Interface: tc.want.Interface,
					Code: tc.want.Code, Message: tc.want.Message}, pe)
			case <-timeoutC():
				t.Fatal("client not destroyed")
			}
		})
	}
}
