package wlproto

//go:generate go run ../../protocol/gen/cmd/wlgen -mode client -xml ../../protocol/xml -root ../..
