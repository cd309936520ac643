package server

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/clients/rawwire/rawwiretest"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// blobIface's request carries an array, to build requests of any size.
var blobIface = &Interface{Name: "test_blob", Version: 1, Requests: []Message{
	{Name: "blob", Signature: "a", Since: 1, Types: []*Interface{nil}},
}}

// header is a raw message header: libwayland's p[0] (object) and p[1]
// (size << 16 | opcode) in native byte order.
func header(obj uint32, opcode uint16, size uint32) []byte {
	b := binary.NativeEndian.AppendUint32(nil, obj)
	return binary.NativeEndian.AppendUint32(b, size<<16|uint32(opcode))
}

// TestRequestHeaderEdges checks the edges of wl_client_connection_data's
// header checks: the opcode bound (opcode >= method_count), the version
// bound (resource->version < since), the size (a message fits when it is
// exactly the buffer's size; a size below 8 or not a multiple of 4 is
// refused, see the package doc).
func TestRequestHeaderEdges(t *testing.T) {
	invalidArgs := func(what string) *rawwire.DisplayError {
		return &rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidMethod, Message: "invalid arguments for " + what}
	}
	const maxBody = DefaultMaxBufferSize - wire.HeaderSize - 4 // array length word
	cases := []struct {
		name    string
		version uint32 // of the test_obj bound as id 4
		send    func(c *rawwiretest.Client)
		want    *rawwire.DisplayError // nil: accepted
		blob    int                   // accepted: the array length the handler got
	}{
		{"opcode one past the last request", 1, func(c *rawwiretest.Client) { c.MustSend(1, 2, nil) },
			&rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidMethod, Message: "invalid method 2, object wl_display#1"}, 0},
		{"request at exactly the resource's version", 2, func(c *rawwiretest.Client) { c.MustSend(4, testReqV2, nil) }, nil, 0},
		{"request above the resource's version", 1, func(c *rawwiretest.Client) { c.MustSend(4, testReqV2, nil) },
			&rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidMethod, Message: "invalid method 4 (since 1 < 2), object test_obj#4"}, 0},
		{"size not a multiple of 4", 1, func(c *rawwiretest.Client) {
			// A valid new id followed by two stray bytes the size counts.
			b := binary.NativeEndian.AppendUint32(header(1, displayRequestSync, 14), c.NewID())
			c.MustWriteRaw(append(b, 0, 0))
		}, invalidArgs("wl_display#1.sync"), 0},
		{"size 4", 1, func(c *rawwiretest.Client) { c.MustWriteRaw(header(4, testReqDestroy, 4)) }, invalidArgs("test_obj#4.destroy"), 0},
		{"size 0", 1, func(c *rawwiretest.Client) { c.MustWriteRaw(header(4, testReqDestroy, 0)) }, invalidArgs("test_obj#4.destroy"), 0},
		{"message of exactly the buffer size", 1, func(c *rawwiretest.Client) {
			c.MustSend(5, 0, func(e *wire.Encoder) { e.Array(bytes.Repeat([]byte{1}, maxBody)) })
		}, nil, maxBody},
		{"message 4 bytes over the buffer", 1, func(c *rawwiretest.Client) {
			b := append(header(5, 0, DefaultMaxBufferSize+4), binary.NativeEndian.AppendUint32(nil, maxBody+4)...)
			c.MustWriteRaw(append(b, bytes.Repeat([]byte{1}, maxBody+4)...))
		}, &rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorImplementation,
			Message: fmt.Sprintf("message of %d bytes exceeds the %d-byte buffer", DefaultMaxBufferSize+4, DefaultMaxBufferSize)}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			blobs := make(chan int, 1)
			d := startDisplayWith(t, func(d *Display) {
				d.AddGlobal(testIface, 2, func(c *Client, r *Resource) { r.SetHandler(newTestHandler()) })
				d.AddGlobal(blobIface, 1, func(c *Client, r *Resource) {
					r.SetHandler(handlerFunc(func(_ *Resource, _ uint16, d *wire.Decoder) error {
						a, err := d.Array()
						blobs <- len(a)
						return err
					}))
				})
			})
			c := connect(t, d)
			reg, _ := c.MustRegistry()
			require.Equal(t, uint32(4), c.MustBindOn(reg, 1, "test_obj", tc.version))
			require.Equal(t, uint32(5), c.MustBindOn(reg, 2, "test_blob", 1))
			require.Empty(t, c.MustRoundtrip())
			tc.send(c)
			if tc.want != nil {
				assert.Equal(t, tc.want, c.MustExpectError())
				return
			}
			assert.Empty(t, c.MustRoundtrip())
			if tc.blob > 0 {
				select {
				case n := <-blobs:
					assert.Equal(t, tc.blob, n)
				default:
					t.Fatal("the blob request was not dispatched")
				}
			}
		})
	}
}
