package compose

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
)

// Image is a captured frame or plane: Width x Height pixels, row-major,
// in the composer's 16-bit form.
type Image struct {
	Width, Height int
	Pix           []Pixel
}

// At returns pixel (x, y).
func (m *Image) At(x, y int) Pixel { return m.Pix[y*m.Width+x] }

// NRGBA64 converts the image for image/png. The values are stored as
// they are: a composed frame is opaque, and a plane's pixels keep the
// alpha and colour its format gave them (pre-multiplied data stays
// pre-multiplied), so the PNG shows exactly what was hashed.
func (m *Image) NRGBA64() *image.NRGBA64 {
	out := image.NewNRGBA64(image.Rect(0, 0, m.Width, m.Height))
	for y := 0; y < m.Height; y++ {
		for x := 0; x < m.Width; x++ {
			p := m.Pix[y*m.Width+x]
			out.SetNRGBA64(x, y, color.NRGBA64{R: p.R, G: p.G, B: p.B, A: p.A})
		}
	}
	return out
}

// WritePNG writes the image as a 16-bit-per-channel RGBA PNG.
func (m *Image) WritePNG(w io.Writer) error {
	if m.Width == 0 || m.Height == 0 {
		return fmt.Errorf("write png: empty %dx%d image", m.Width, m.Height)
	}
	if err := png.Encode(w, m.NRGBA64()); err != nil {
		return fmt.Errorf("write png: %w", err)
	}
	return nil
}
