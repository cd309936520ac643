package server

import (
	"testing"

	"github.com/headwaywl/headway/clients/rawwire"
	"github.com/headwaywl/headway/protocol/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// userIface's requests take object arguments: typed with testIface, after
// another argument, nullable, and untyped.
var userIface = &Interface{Name: "test_user", Version: 1, Requests: []Message{
	{Name: "use", Signature: "o", Since: 1, Types: []*Interface{testIface}},
	{Name: "use_second", Signature: "uo", Since: 1, Types: []*Interface{nil, testIface}},
	{Name: "use_nullable", Signature: "?o", Since: 1, Types: []*Interface{testIface}},
	{Name: "use_any", Signature: "o", Since: 1, Types: []*Interface{nil}},
	{Name: "use_new", Signature: "un", Since: 1, Types: []*Interface{nil, testIface}},
}}

// TestObjectArgumentChecks: before a handler runs, libwayland's
// wl_connection_demarshal refuses a null non-nullable object and reserves
// new ids (wl_map_reserve_new), and wl_closure_lookup_objects refuses an
// unknown object or one of another interface where the argument is typed;
// each failure is "invalid arguments" and the handler never runs.
func TestObjectArgumentChecks(t *testing.T) {
	const (
		reg  = 2 // wl_registry
		user = 4 // test_user
		obj  = 5 // test_obj
	)
	invalid := func(req string) *rawwire.DisplayError {
		return &rawwire.DisplayError{Object: 1, Interface: "wl_display", Code: ErrorInvalidMethod,
			Message: "invalid arguments for test_user#4." + req}
	}
	cases := []struct {
		name   string
		opcode uint16
		args   func(e *wire.Encoder)
		want   *rawwire.DisplayError // nil: dispatched
	}{
		{"typed", 0, func(e *wire.Encoder) { e.Object(obj) }, nil},
		{"typed, wrong interface", 0, func(e *wire.Encoder) { e.Object(reg) }, invalid("use")},
		{"typed, unknown", 0, func(e *wire.Encoder) { e.Object(99) }, invalid("use")},
		{"typed, null", 0, func(e *wire.Encoder) { e.Object(0) }, invalid("use")},
		{"second argument", 1, func(e *wire.Encoder) { e.Uint(7); e.Object(obj) }, nil},
		{"second argument, wrong interface", 1, func(e *wire.Encoder) { e.Uint(7); e.Object(reg) }, invalid("use_second")},
		{"second argument, unknown", 1, func(e *wire.Encoder) { e.Uint(7); e.Object(6) }, invalid("use_second")},
		{"nullable, null", 2, func(e *wire.Encoder) { e.Object(0) }, nil},
		{"nullable, wrong interface", 2, func(e *wire.Encoder) { e.Object(reg) }, invalid("use_nullable")},
		{"untyped, any interface", 3, func(e *wire.Encoder) { e.Object(reg) }, nil},
		{"untyped, unknown", 3, func(e *wire.Encoder) { e.Object(99) }, invalid("use_any")},
		{"new id after another argument", 4, func(e *wire.Encoder) { e.Uint(7); e.NewID(6) }, nil},
		{"new id skipping ahead, after another argument", 4, func(e *wire.Encoder) { e.Uint(7); e.NewID(7) }, invalid("use_new")},
		{"new id in use, after another argument", 4, func(e *wire.Encoder) { e.Uint(7); e.NewID(obj) }, invalid("use_new")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dispatched := make(chan uint16, 1)
			d := startDisplayWith(t, func(d *Display) {
				d.AddGlobal(userIface, 1, func(c *Client, r *Resource) {
					r.SetHandler(handlerFunc(func(r *Resource, opcode uint16, d *wire.Decoder) error {
						if opcode == 4 {
							if _, err := d.Uint(); err != nil {
								return err
							}
							id, err := d.NewID()
							if err != nil {
								return err
							}
							if _, err := r.Client().NewResource(id, testIface, 1); err != nil {
								return err
							}
						}
						dispatched <- opcode
						return nil
					}))
				})
				d.AddGlobal(testIface, 1, func(c *Client, r *Resource) {})
			})
			c := connect(t, d)
			r, _ := c.MustRegistry()
			require.Equal(t, uint32(reg), r)
			require.Equal(t, uint32(user), c.MustBindOn(reg, 1, "test_user", 1))
			require.Equal(t, uint32(obj), c.MustBindOn(reg, 2, "test_obj", 1))
			c.MustSend(user, tc.opcode, tc.args)
			if tc.opcode == 4 {
				c.SetNextID(7) // use_new took 6
			}
			if tc.want != nil {
				assert.Equal(t, tc.want, c.MustExpectError())
				assert.Empty(t, dispatched, "the handler must not run")
				return
			}
			require.Empty(t, c.MustRoundtrip())
			select {
			case got := <-dispatched:
				assert.Equal(t, tc.opcode, got)
			default:
				t.Fatal("the request was not dispatched")
			}
		})
	}
}

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
