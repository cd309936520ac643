package compositor

import (
	"github.com/headwaywl/headway/protocol/drmsyncobjv1"
	"github.com/headwaywl/headway/protocol/explicitsync"
	"github.com/headwaywl/headway/protocol/headwaytest"
	"github.com/headwaywl/headway/protocol/linuxdmabuf"
	"github.com/headwaywl/headway/protocol/presentation"
	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/singlepixel"
	"github.com/headwaywl/headway/protocol/viewporter"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/xdgshell"
)

// The versions headway serves; clients see exactly these in wl_registry.
const (
	versionCompositor    = 6
	versionSubcompositor = 1
	versionShm           = 2
	versionOutput        = 4
	versionXdgWmBase     = 6
	versionSeat          = 9
	versionDataDevice    = 3
	versionViewporter    = 1
	versionPresentation  = 2
	versionSinglePixel   = 1
	versionTest          = 2
	versionDmabuf        = 5
	versionSyncobj       = 1
	versionExplicitSync  = 2
)

func (c *Compositor) addGlobals() {
	c.shm = c.newShm()
	c.addGlobal(wayland.WlCompositorInterface, versionCompositor, (&compositorGlobal{c}).bind)
	c.addGlobal(wayland.WlSubcompositorInterface, versionSubcompositor, (&subcompositorGlobal{c}).bind)
	c.addGlobal(wayland.WlShmInterface, versionShm, c.shm.bind)
	c.addGlobal(wayland.WlOutputInterface, versionOutput, c.bindOutput)
	c.addGlobal(xdgshell.XdgWmBaseInterface, versionXdgWmBase, (&xdgWmBase{c: c}).bind)
	c.addGlobal(wayland.WlSeatInterface, versionSeat, c.seat.bind)
	c.addGlobal(wayland.WlDataDeviceManagerInterface, versionDataDevice, (&dataDeviceManager{c}).bind)
	c.addGlobal(viewporter.WpViewporterInterface, versionViewporter, (&viewporterGlobal{c}).bind)
	c.addGlobal(presentation.WpPresentationInterface, versionPresentation, (&presentationGlobal{c}).bind)
	c.addGlobal(singlepixel.WpSinglePixelBufferManagerV1Interface, versionSinglePixel, (&singlePixelManager{c}).bind)
	c.addGlobal(headwaytest.HeadwayTestV1Interface, versionTest, (&testGlobal{c}).bind)
	c.addGlobal(linuxdmabuf.ZwpLinuxDmabufV1Interface, versionDmabuf, c.dmabuf.bind)
	c.addGlobal(drmsyncobjv1.WpLinuxDrmSyncobjManagerV1Interface, versionSyncobj, (&syncobjManager{c}).bind)
	c.addGlobal(explicitsync.ZwpLinuxExplicitSynchronizationV1Interface, versionExplicitSync, (&explicitSyncGlobal{c}).bind)
}

func (c *Compositor) addGlobal(iface *server.Interface, version uint32, bind func(*server.Client, *server.Resource)) {
	g := c.display.AddGlobal(iface, version, bind)
	c.globalNames[iface.Name] = g.Name()
}

// bound records a bind in the negotiation log.
func (c *Compositor) bound(cl *server.Client, r *server.Resource) {
	cd := c.clientFor(cl)
	c.nlog.bind(cd, r.Interface().Name, r.Version(), c.globalNames[r.Interface().Name])
}

// wl_output: one, from the profile's first connector.

type outputHandler struct{ c *Compositor }

func (c *Compositor) bindOutput(cl *server.Client, r *server.Resource) {
	c.bound(cl, r)
	r.SetHandler(wayland.WlOutputDispatcher(outputHandler{c}))
	c.outputs = append(c.outputs, r)
	r.SetDestructor(func(r *server.Resource) {
		for i, x := range c.outputs {
			if x == r {
				c.outputs = append(c.outputs[:i], c.outputs[i+1:]...)
				break
			}
		}
	})
	o := c.out
	m := &o.mode
	_ = wayland.WlOutputSendGeometry(r, 0, 0, o.physW, o.physH, int32(wayland.WlOutputSubpixelUnknown), "headway", o.connName, int32(wayland.WlOutputTransformNormal))
	_ = wayland.WlOutputSendMode(r, uint32(wayland.WlOutputModeCurrent|wayland.WlOutputModePreferred), int32(m.HDisplay), int32(m.VDisplay), int32(o.refreshMHz))
	if r.Version() >= 2 {
		_ = wayland.WlOutputSendScale(r, 1)
	}
	if r.Version() >= 4 {
		_ = wayland.WlOutputSendName(r, o.connName)
		_ = wayland.WlOutputSendDescription(r, "headway "+o.profileName+" "+o.connName)
	}
	if r.Version() >= 2 {
		_ = wayland.WlOutputSendDone(r)
	}
	// Surfaces the client already has are on this output.
	for _, s := range c.clientFor(cl).surfaces {
		_ = wayland.WlSurfaceSendEnter(s.res, r)
	}
}

func (outputHandler) Release(r *server.Resource) error { return nil }

// wp_presentation

type presentationGlobal struct{ c *Compositor }

func (g *presentationGlobal) bind(cl *server.Client, r *server.Resource) {
	g.c.bound(cl, r)
	r.SetHandler(presentation.WpPresentationDispatcher(g))
	_ = presentation.WpPresentationSendClockId(r, clockMonotonic)
}

// clockMonotonic is CLOCK_MONOTONIC's id: presentation timestamps use it
// on every clock mode.
const clockMonotonic = 1

func (g *presentationGlobal) Destroy(r *server.Resource) error { return nil }

func (g *presentationGlobal) Feedback(r *server.Resource, sr *server.Resource, cb *server.Resource) error {
	s := surfaceFrom(sr)
	cb.SetData(s)
	s.pending.feedbacks = append(s.pending.feedbacks, cb)
	return nil
}

// discardFeedback sends discarded (a destructor event) for content that
// will never be shown.
func (c *Compositor) discardFeedback(s *surface, fb *server.Resource) {
	if !fb.Alive() {
		return
	}
	_ = presentation.WpPresentationFeedbackSendDiscarded(fb)
	c.nlog.discarded(s)
	fb.Destroy()
}

// Presentation flags (presentation-time.xml, kind bitfield).
const (
	presentVsync        = 0x1
	presentHWClock      = 0x2
	presentHWCompletion = 0x4
	presentZeroCopy     = 0x8
)
