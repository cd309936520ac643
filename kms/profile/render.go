package profile

import (
	"fmt"

	"github.com/headwaywl/headway/modifiers/fourcc"
	"github.com/headwaywl/headway/modifiers/modifier"
)

// ValidateRender reports (nil) whether composition can read every pair of
// the render set, which is what a compositor promises when it advertises
// the set as its feedback. A pair needs two things: modifiers/sample must
// read its memory back as linear rows (CanSample, already required at
// load, checked again for profiles assembled by hand), and the composer
// must have a pixel reader for its format. That second question belongs to
// kms/pixfmt, which imports this package, so the caller passes it in as
// hasReader (nil skips it); the compositor passes its pixfmt check. A nil
// render set passes. The error is an *Error naming the render line that
// brought the format in.
func (p *Profile) ValidateRender(hasReader func(fourcc.Format) bool) error {
	for f, m := range p.Render.Pairs() {
		if err := CanSample(f, m); err != nil {
			return p.renderErr(f, err)
		}
		if hasReader != nil && !hasReader(f) {
			return p.renderErr(f, fmt.Errorf("%s with %s: composition has no pixel reader for %s", fourcc.DRMName(f), modifier.Name(m), fourcc.DRMName(f)))
		}
	}
	return nil
}

func (p *Profile) renderErr(f fourcc.Format, err error) error {
	file := p.file
	if file == "" {
		file = "profile " + p.Name
	}
	return &Error{File: file, Line: p.renderLine[f], Field: "render", Err: err}
}
