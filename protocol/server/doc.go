// Package server is headway's Wayland server runtime (skeleton; see issue 5).
package server
