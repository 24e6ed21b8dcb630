// Package qr draws QR codes as PNG pictures (the address printed on a ticket). It is pure: the
// go-qrcode encoder builds the matrix and the standard library draws it.
package qr

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// PNG draws text as a QR code, scale pixels a module, with the standard quiet zone of four
// modules. The go-qrcode encoder builds the matrix; the picture is a two-colour PNG drawn here
// (go-qrcode's own image writer is a separate module that brings a 2D graphics library along).
func PNG(text string, scale int) ([]byte, error) {
	q, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := q.Save(&writer{w: &buf, scale: scale, quiet: 4}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type writer struct {
	w            io.Writer
	scale, quiet int
}

func (q *writer) Write(m qrcode.Matrix) error {
	bits := m.Bitmap()
	n := len(bits)
	size := (n + 2*q.quiet) * q.scale
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y, row := range bits {
		for x, on := range row {
			if !on {
				continue
			}
			x0, y0 := (x+q.quiet)*q.scale, (y+q.quiet)*q.scale
			for dy := range q.scale {
				off := img.PixOffset(x0, y0+dy)
				for dx := range q.scale {
					img.Pix[off+dx] = 1
				}
			}
		}
	}
	return png.Encode(q.w, img)
}

func (q *writer) Close() error { return nil }
