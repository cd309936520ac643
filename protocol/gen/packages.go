package gen

// Module is the import path prefix of headway's packages.
const Module = "github.com/headwaywl/headway"

// Package places the code generated from one XML file.
type Package struct {
	File     string // XML file name in protocol/xml
	Protocol string // the <protocol name=...> of that file
	Dir      string // output directory relative to the module root
	Name     string // Go package name
	// HandDoc leaves doc.go to a human: a private protocol whose XML carries
	// no descriptions is documented there in Go, which a generated doc.go
	// would overwrite on the next go generate.
	HandDoc bool
}

// Import is the package's import path.
func (p Package) Import() string { return Module + "/" + p.Dir }

// OutFile is the generated file's name inside Dir.
func (p Package) OutFile() string { return p.Name + "_gen.go" }

// ServerPackages is the fixed layout of the generated server bindings: one
// package per XML file directly under protocol/.
var ServerPackages = []Package{
	{File: "wayland.xml", Protocol: "wayland", Dir: "protocol/wayland", Name: "wayland"},
	{File: "xdg-shell.xml", Protocol: "xdg_shell", Dir: "protocol/xdgshell", Name: "xdgshell"},
	{File: "linux-dmabuf-v1.xml", Protocol: "linux_dmabuf_v1", Dir: "protocol/linuxdmabuf", Name: "linuxdmabuf"},
	{File: "linux-drm-syncobj-v1.xml", Protocol: "linux_drm_syncobj_v1", Dir: "protocol/drmsyncobjv1", Name: "drmsyncobjv1"},
	{File: "linux-explicit-synchronization-unstable-v1.xml", Protocol: "zwp_linux_explicit_synchronization_unstable_v1", Dir: "protocol/explicitsync", Name: "explicitsync"},
	{File: "presentation-time.xml", Protocol: "presentation_time", Dir: "protocol/presentation", Name: "presentation"},
	{File: "viewporter.xml", Protocol: "viewporter", Dir: "protocol/viewporter", Name: "viewporter"},
	{File: "single-pixel-buffer-v1.xml", Protocol: "single_pixel_buffer_v1", Dir: "protocol/singlepixel", Name: "singlepixel"},
	{File: "headway-test-v1.xml", Protocol: "headway_test_v1", Dir: "protocol/headwaytest", Name: "headwaytest", HandDoc: true},
}

// ClientPackages is the layout of the client bindings on go-wayland's
// runtime, only for protocols go-wayland lacks or ships at an older version
// (headway's private protocol among them).
// Their references to core interfaces resolve to go-wayland's client package.
var ClientPackages = []Package{
	{File: "linux-dmabuf-v1.xml", Protocol: "linux_dmabuf_v1", Dir: "clients/wlproto/linuxdmabuf", Name: "linuxdmabuf"},
	{File: "linux-drm-syncobj-v1.xml", Protocol: "linux_drm_syncobj_v1", Dir: "clients/wlproto/drmsyncobj", Name: "drmsyncobj"},
	{File: "headway-test-v1.xml", Protocol: "headway_test_v1", Dir: "clients/wlproto/headwaytest", Name: "headwaytest"},
}

// runtimeOwned are the interfaces protocol/server implements itself; the
// generator aliases their descriptors and emits only constants (and the
// wl_callback.done sender).
var runtimeOwned = map[string]string{
	"wl_display":  "DisplayInterface",
	"wl_registry": "RegistryInterface",
	"wl_callback": "CallbackInterface",
}
