package gen

import (
	"fmt"

	"github.com/headwaywl/headway/protocol/spec"
)

// Client emits client bindings on go-wayland's runtime (not yet written).
func Client(set *spec.Set, protoName string, pkgs []Package) ([]byte, error) {
	return nil, fmt.Errorf("gen: client mode not implemented")
}

func clientDoc(p Package) ([]byte, error) { return nil, fmt.Errorf("gen: client mode not implemented") }
