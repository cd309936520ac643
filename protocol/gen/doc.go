// Package gen is headway's Wayland code generator. It turns the protocol
// model of protocol/spec into Go: server bindings on protocol/server (one
// package per XML file under protocol/) and client bindings on go-wayland's
// runtime for the protocols go-wayland lacks (under clients/wlproto).
//
// It plays the part of wayland-scanner. Where the scanner emits wl_interface
// and wl_message tables plus typed C wrappers, gen emits server.Interface
// descriptors (same signatures, since versions and argument types as
// libwayland's tables), typed handler interfaces with dispatchers, and send
// functions. The layout of the generated packages is fixed in ServerPackages
// and ClientPackages.
//
// Invariants: output depends only on the XML (no maps iterated, no time, no
// paths), so regenerating reproduces the committed files byte for byte, which
// the freshness test enforces; output is gofmt'ed; an identifier clash gets
// an underscore suffix instead of producing code that does not compile; every
// decode error in generated code is returned, never panicked.
//
// # Mutants that live
//
// Two change no output: the import block written even when empty (every
// server file imports the server package), and the wire import taken for
// fixed arguments (the dispatcher every interface gets imports it anyway).
package gen
