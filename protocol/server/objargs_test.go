package server

import (
	"testing"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// userIface takes a test_obj argument typed with testIface.
var userIface = &Interface{Name: "test_user", Version: 1, Requests: []Message{
	{Name: "use", Signature: "o", Since: 1, Types: []*Interface{testIface}},
}}

// TestObjectArgumentTypeIsComparedByName: wl_closure_lookup_objects checks
// an object argument with wl_interface_equal, which compares the names
// when the descriptors differ (two protocol packages generated from the
// same XML). An object whose descriptor is another test_obj is accepted;
// one of another name is "invalid arguments".
func TestObjectArgumentTypeIsComparedByName(t *testing.T) {
	twin := &Interface{Name: "test_obj", Version: 1}
	other := &Interface{Name: "test_other", Version: 1}
	cases := []struct {
		name  string
		iface string // global bound and passed to use
		want  *rawwire.DisplayError
	}{
		{"same name, other descriptor", "test_obj", nil},
		{"other name", "test_other", &rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidMethod,
			Message: "invalid arguments for test_user#4.use"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			used := make(chan uint32, 1)
			d := startDisplayWith(t, func(d *Display) {
				d.AddGlobal(userIface, 1, func(c *Client, r *Resource) {
					r.SetHandler(handlerFunc(func(r *Resource, _ uint16, d *wire.Decoder) error {
						id, err := d.Object()
						if err != nil {
							return err
						}
						// LookupArg applies the same rule.
						o, err := r.Client().LookupArg(id, testIface, false)
						if err != nil {
							return err
						}
						used <- o.ID()
						return nil
					}))
				})
				d.AddGlobal(twin, 1, func(c *Client, r *Resource) {})
				d.AddGlobal(other, 1, func(c *Client, r *Resource) {})
			})
			c := connect(t, d)
			reg, gs := c.MustRegistry()
			user := c.MustBindOn(reg, 1, "test_user", 1)
			name := uint32(0)
			for _, g := range gs {
				if g.Interface == tc.iface {
					name = g.Name
				}
			}
			obj := c.MustBindOn(reg, name, tc.iface, 1)
			c.MustSend(user, 0, func(e *wire.Encoder) { e.Object(obj) })
			if tc.want != nil {
				assert.Equal(t, tc.want, c.MustExpectError())
				return
			}
			require.Empty(t, c.MustRoundtrip())
			select {
			case got := <-used:
				assert.Equal(t, obj, got)
			default:
				t.Fatal("use was not dispatched")
			}
		})
	}
}
