// Package wlproto holds client bindings on go-wayland's runtime for the
// protocols go-wayland lacks or ships at an older version: linuxdmabuf
// (linux-dmabuf v5), drmsyncobj (linux-drm-syncobj-v1) and headwaytest
// (headway's private headway_test_v1, specified in protocol/headwaytest's
// doc.go). They are generated
// from headway's own protocol/xml by protocol/gen in client mode, so test
// clients speak exactly the versions headway serves; go generate here
// rebuilds them and protocol/gen's freshness test fails when they are stale.
package wlproto
