package server

import (
	"errors"
	"fmt"

	"github.com/headwaywl/headway/protocol/wire"
)

// Interface describes one protocol interface; generated code declares one per
// interface and the runtime uses it to check opcodes, versions and argument
// types before a request reaches a Handler.
type Interface struct {
	Name     string
	Version  uint32
	Requests []Message
	Events   []Message
}

// Message describes one request or event. Signature is libwayland's wire
// signature without the leading since digits, with '?' before nullable
// arguments and the untyped new_id expanded to "sun". Types has one entry
// per wire argument: the interface of a typed object or new_id, else nil.
type Message struct {
	Name       string
	Signature  string
	Since      uint32
	Destructor bool
	Types      []*Interface
}

// Handler decodes and runs one request. Generated adapters implement it.
type Handler interface {
	Dispatch(r *Resource, opcode uint16, d *wire.Decoder) error
}

// ProtocolError makes the runtime send wl_display.error(Object, Code,
// Message) and disconnect the client. Any other non-nil error returned by a
// Handler is sent as wl_display.error implementation (3) on wl_display.
type ProtocolError struct {
	Object  uint32
	Code    uint32
	Message string
}

func (e *ProtocolError) Error() string {
	return fmt.Sprintf("protocol error on object %d, code %d: %s", e.Object, e.Code, e.Message)
}

// Errorf builds a ProtocolError on r.
func Errorf(r *Resource, code uint32, format string, args ...any) *ProtocolError {
	var id uint32
	if r != nil {
		id = r.id
	}
	return &ProtocolError{Object: id, Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrEventVersion is returned (wrapped, naming the event) by generated send
// helpers asked to send an event newer than the resource's version: a server
// bug, never sent on the wire.
var ErrEventVersion = errors.New("server: event not supported by the resource's version")

// wl_display error codes (wayland.xml).
const (
	ErrorInvalidObject  uint32 = 0
	ErrorInvalidMethod  uint32 = 1
	ErrorNoMemory       uint32 = 2
	ErrorImplementation uint32 = 3
)
