package server

// Client is one connection.
type Client struct {
	display *Display
}

// LookupArg resolves an object argument.
func (c *Client) LookupArg(id uint32, iface *Interface, nullable bool) (*Resource, error) {
	return nil, nil
}

// NewResource creates the resource for a typed new_id argument.
func (c *Client) NewResource(id uint32, iface *Interface, version uint32) (*Resource, error) {
	return nil, nil
}
