//go:build ignore

// gen_inputs prints the codes whose libdrm names the golden test checks, one
// per line, for ../internal/libdrmgen/formatnames.c to read (see generate.go).
package main

import (
	"fmt"

	"github.com/headwaywl/headway/modifiers/fourcc"
)

func main() {
	for _, f := range fourcc.GoldenInputs() {
		fmt.Printf("0x%08x\n", uint32(f))
	}
}
