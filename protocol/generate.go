package protocol

// The server bindings: one package per file of xml/, see gen.ServerPackages.
//go:generate go run ./gen/cmd/wlgen -mode server -xml xml -root ..
