package viewporter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/headwaywl/headway/protocol/server"
	"github.com/headwaywl/headway/protocol/wayland"
	"github.com/headwaywl/headway/protocol/wire"
)

type viewportRec struct {
	WpViewportHandler
	src [4]wire.Fixed
}

func (v *viewportRec) SetSource(_ *server.Resource, x, y, w, h wire.Fixed) error {
	v.src = [4]wire.Fixed{x, y, w, h}
	return nil
}

func TestFixedArgs(t *testing.T) {
	var e wire.Encoder
	e.Begin(nil, nil, 3, WpViewportRequestSetSource)
	want := [4]wire.Fixed{wire.FixedFromFloat(-1), wire.FixedFromFloat(0.5), wire.FixedFromInt(640), wire.FixedFromFloat(479.75)}
	for _, f := range want {
		e.Fixed(f)
	}
	msg, _, err := e.Finish()
	require.NoError(t, err)
	rec := &viewportRec{}
	var dec wire.Decoder
	dec.Reset(msg[wire.HeaderSize:], nil)
	require.NoError(t, WpViewportDispatcher(rec).Dispatch(&server.Resource{}, WpViewportRequestSetSource, &dec))
	assert.Equal(t, want, rec.src)
	assert.InDelta(t, 479.75, rec.src[3].Float(), 0)
}

// Descriptors of one package refer to interfaces of another by pointer.
func TestCrossPackageTypes(t *testing.T) {
	get := WpViewporterInterface.Requests[WpViewporterRequestGetViewport]
	assert.Equal(t, "no", get.Signature)
	assert.Same(t, WpViewportInterface, get.Types[0])
	assert.Same(t, wayland.WlSurfaceInterface, get.Types[1])
}
