// Package protocol is headway's Wayland wire protocol: it holds no code of its
// own, only the subpackages and the go:generate line that rebuilds the
// generated ones.
//
//   - xml: the protocol XML files (interface facts only, no prose).
//   - spec: the parsed and validated model of those files.
//   - wire: the codec (headers, arguments, limits), shared with raw-wire clients.
//   - socket: listening sockets with libwayland's lock-file rules, WAYLAND_SOCKET.
//   - server: the runtime (connections, object table, globals, dispatch).
//   - gen: the generator; wayland, xdgshell, linuxdmabuf, drmsyncobjv1,
//     explicitsync, presentation, viewporter, singlepixel and headwaytest
//     (headway's private test protocol, documented in its doc.go) are its
//     output, one package per XML file.
package protocol
