package web_test

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	qrcode "github.com/yeqown/go-qrcode/v2"

	"github.com/qhall/qhall/internal/app"
	"github.com/qhall/qhall/internal/org"
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

// TestPublicURLConfig: QHALL_PUBLIC_URL reaches the QR code, and a forged Host header does not.
func TestPublicURLConfig(t *testing.T) {
	t.Setenv("QHALL_PUBLIC_URL", "https://hall.example.org/")
	cfg := app.FromEnv()
	cfg.DataDir, cfg.DemoPassword = t.TempDir(), "demo-pass"
	a, err := app.Open(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	tk, err := a.Server.Queue.Issue(context.Background(), 1, firstService(t, a), "", "kiosk")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/t/"+tk.Token+"/qr.png", nil)
	req.Host = "evil.example.com"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	checkQR(t, body, "https://hall.example.org/t/"+tk.Token)
}

func firstService(t *testing.T, a *app.App) int64 {
	t.Helper()
	svcs, err := org.Services(context.Background(), a.DB, 1)
	if err != nil || len(svcs) == 0 {
		t.Fatal(err)
	}
	return svcs[0].ID
}
