package qr

import (
	"bytes"
	"image/png"
	"testing"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// The picture is the code's modules at scale pixels each inside a white quiet zone of four
// modules, so a phone's camera finds it on a printed ticket.
func TestPNGSizeAndQuietZone(t *testing.T) {
	const text, scale = "https://hall.example.org/t/abc", 5
	b, err := PNG(text, scale)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	q, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		t.Fatal(err)
	}
	var bits [][]bool
	if err := q.Save(matrixOf{&bits}); err != nil {
		t.Fatal(err)
	}
	n := len(bits)
	if size := (n + 8) * scale; img.Bounds().Dx() != size || img.Bounds().Dy() != size {
		t.Fatalf("size %v, want %d×%d for %d modules", img.Bounds(), size, size, n)
	}
	quiet := 4 * scale
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			inside := x >= quiet && y >= quiet && x < quiet+n*scale && y < quiet+n*scale
			r, _, _, _ := img.At(x, y).RGBA()
			dark := r < 0x8000
			if !inside && dark {
				t.Fatalf("dark pixel (%d,%d) in the quiet zone", x, y)
			}
			if inside && dark != bits[(y-quiet)/scale][(x-quiet)/scale] {
				t.Fatalf("pixel (%d,%d) differs from its module", x, y)
			}
		}
	}
}

type matrixOf struct{ out *[][]bool }

func (w matrixOf) Write(m qrcode.Matrix) error { *w.out = m.Bitmap(); return nil }
func (w matrixOf) Close() error                { return nil }
