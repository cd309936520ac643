package server

// Display is the server: its clients, globals and the dispatch loop.
type Display struct{}

// Global is an advertised global.
type Global struct{}

// DisplayInterface, RegistryInterface and CallbackInterface are the core
// interfaces the runtime serves itself.
var DisplayInterface, RegistryInterface, CallbackInterface *Interface

// AddGlobal advertises a global.
func (d *Display) AddGlobal(iface *Interface, version uint32, bind func(c *Client, r *Resource)) *Global {
	return &Global{}
}

// Remove withdraws the global.
func (g *Global) Remove() {}
