package web_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	qrcode "github.com/yeqown/go-qrcode/v2"

	"github.com/qhall/qhall/internal/app"
)

func TestTicketQRCode(t *testing.T) {
	s := startPageSite(t)
	_, token := s.ticket()
	r := s.get("/t/" + token + "/qr.png")
	if r.status != 200 || r.header.Get("Content-Type") != "image/png" {
		t.Fatalf("QR: %d %s", r.status, r.header.Get("Content-Type"))
	}
	checkQR(t, []byte(r.body), s.srv.URL+"/t/"+token)

	if strings.Contains(s.logs.String(), token) {
		t.Error("a ticket token reached the log")
	}

	// behind a proxy the configured base address is used
	s = startPageSite(t, func(a *app.App) { a.Server.BaseURL = "https://hall.example.org/" })
	_, token = s.ticket()
	r = s.get("/t/" + token + "/qr.png")
	checkQR(t, []byte(r.body), "https://hall.example.org/t/"+token)
}

// checkQR decodes the PNG and compares its modules with the QR code of want.
func checkQR(t *testing.T, pngData []byte, want string) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		t.Fatalf("QR is not a PNG: %v", err)
	}
	q, err := qrcode.NewWith(want, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		t.Fatal(err)
	}
	var bits [][]bool
	if err := q.Save(bitmapWriter{&bits}); err != nil {
		t.Fatal(err)
	}
	n := len(bits)
	size := img.Bounds().Dx()
	if img.Bounds().Dy() != size || size%(n+8) != 0 {
		t.Fatalf("QR image %v for %d modules (+ quiet zone): it encodes something else than %s", img.Bounds(), n, want)
	}
	scale := size / (n + 8)
	for y := range n {
		for x := range n {
			r, _, _, _ := img.At((x+4)*scale+scale/2, (y+4)*scale+scale/2).RGBA()
			if dark := r < 0x8000; dark != bits[y][x] {
				t.Fatalf("QR module (%d,%d) differs from the code of %s", x, y, want)
			}
		}
	}
}

type bitmapWriter struct{ out *[][]bool }

func (w bitmapWriter) Write(m qrcode.Matrix) error { *w.out = m.Bitmap(); return nil }

func (w bitmapWriter) Close() error { return nil }
