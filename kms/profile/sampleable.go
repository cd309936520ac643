package profile

import (
	"fmt"
	"sync"
	"syscall"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/layout"
	"github.com/headwaywl/headway/modifiers/modifier"
	"github.com/headwaywl/headway/modifiers/sample"
)

// Probe size for CanSample: a multiple of 256 x 64 puts both planes of a
// Samsung 64x32 NV12 buffer in whole tiles, as that modifier needs, and
// 512 pixels give every GEN12 CCS main surface the four tile widths it
// needs even at one byte per pixel.
const probeWidth, probeHeight = 512, 64

// maxProbeBytes bounds the probe. Every modifier a real plane lists lays a
// 512x64 buffer out in a few MiB at most; a larger one (an NVIDIA block 2^15
// GOBs tall, say) is refused rather than allocated, because user files
// reach this code and must not make the loader allocate gigabytes.
const maxProbeBytes = 16 << 20

type pair struct {
	f fourcc.Format
	m modifier.Modifier
}

// sampleCache remembers CanSample's answers; they depend only on the
// modifiers packages' fixed tables.
var sampleCache sync.Map // pair -> error (nil stored as errOK)

type okMarker struct{}

func (okMarker) Error() string { return "ok" }

var errOK error = okMarker{}

// CanSample reports (nil) whether the modifiers packages can read a buffer
// of format f with modifier m back as linear rows, which composition needs
// before a plane may show it. modifiers/sample has no query for this, so
// CanSample asks sample.Open itself: it lays out a zero-filled probe buffer
// with layout.Compute (the canonical layout) and opens it. Whatever Open
// refuses (compressed families other than Intel CCS, tilings tiling does
// not implement, format and modifier combinations layout rejects) is
// refused here with Open's error, wrapped with EINVAL.
func CanSample(f fourcc.Format, m modifier.Modifier) error {
	k := pair{f, m}
	if v, ok := sampleCache.Load(k); ok {
		if v.(error) == errOK {
			return nil
		}
		return v.(error)
	}
	err := probe(f, m)
	if err == nil {
		sampleCache.Store(k, errOK)
	} else {
		sampleCache.Store(k, err)
	}
	return err
}

func probe(f fourcc.Format, m modifier.Modifier) error {
	info, ok := fourcc.Lookup(f)
	if !ok {
		return fmt.Errorf("format %#08x: %w: %w", uint32(f), fourcc.ErrUnknownFormat, syscall.EINVAL)
	}
	lay, err := layout.Compute(info, m, probeWidth, probeHeight)
	if err != nil {
		return fmt.Errorf("%s with %s cannot be sampled: %w: %w", info.Name, modifier.Name(m), err, syscall.EINVAL)
	}
	if lay.Size > maxProbeBytes {
		return fmt.Errorf("%s with %s: a %dx%d buffer needs %d bytes, more than the %d headway samples: %w",
			info.Name, modifier.Name(m), probeWidth, probeHeight, lay.Size, maxProbeBytes, syscall.EINVAL)
	}
	data := make([]byte, lay.Size)
	pp := lay.ParamsPlanes()
	planes := make([]sample.Plane, len(pp))
	for i, p := range pp {
		planes[i] = sample.Plane{Data: data, Offset: p.Offset, Stride: p.Stride}
	}
	if _, err := sample.Open(info, m, probeWidth, probeHeight, planes); err != nil {
		return fmt.Errorf("%s with %s cannot be sampled: %w: %w", info.Name, modifier.Name(m), err, syscall.EINVAL)
	}
	return nil
}
