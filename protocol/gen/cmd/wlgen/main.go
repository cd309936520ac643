// Command wlgen generates headway's Wayland bindings from protocol/xml: the
// server packages under protocol/ (-mode server) or the client packages on
// go-wayland's runtime under clients/wlproto (-mode client). It is run by the
// //go:generate lines in protocol/generate.go and clients/wlproto/generate.go.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/headwaywl/headway/protocol/gen"
)

func main() {
	xmlDir := flag.String("xml", "xml", "directory holding the protocol XML files")
	root := flag.String("root", "..", "module root; package directories are relative to it")
	mode := flag.String("mode", "server", "server or client")
	flag.Parse()
	if err := gen.Run(*mode, *xmlDir, *root); err != nil {
		fmt.Fprintln(os.Stderr, "wlgen:", err)
		os.Exit(1)
	}
}
