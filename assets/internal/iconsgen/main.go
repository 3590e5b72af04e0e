// Command iconsgen draws the dashboard's PNG icons, the same picture as
// web/icon.svg, because app.Handler and web app manifests want 192 and 512
// pixel PNG files. Its output is committed. Run it again only after
// changing the picture:
//
//	go run ./assets/internal/iconsgen -dir assets/web
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
	"path/filepath"
)

// roundedRect is a rectangle with rounded corners in the 512-unit space of
// icon.svg.
type roundedRect struct {
	x, y, w, h, r float64
	fill          color.NRGBA
}

// contains reports whether the point lies inside the rectangle.
func (rr roundedRect) contains(px, py float64) bool {
	if px < rr.x || py < rr.y || px > rr.x+rr.w || py > rr.y+rr.h {
		return false
	}
	// Distance into the corner square that the rounding cuts.
	cx := min(max(px, rr.x+rr.r), rr.x+rr.w-rr.r)
	cy := min(max(py, rr.y+rr.r), rr.y+rr.h-rr.r)
	dx, dy := px-cx, py-cy
	return dx*dx+dy*dy <= rr.r*rr.r
}

// shapes lists the picture's rectangles from back to front; keep it in step
// with web/icon.svg.
var shapes = []roundedRect{
	{0, 0, 512, 512, 96, color.NRGBA{0x00, 0x72, 0xb2, 0xff}},
	{112, 272, 72, 128, 12, color.NRGBA{0xff, 0xff, 0xff, 0xff}},
	{220, 176, 72, 224, 12, color.NRGBA{0xff, 0xff, 0xff, 0xff}},
	{328, 112, 72, 288, 12, color.NRGBA{0xe6, 0x9f, 0x00, 0xff}},
}

// samples is the supersampling grid per pixel side, for smooth edges.
const samples = 4

func draw(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	scale := 512 / float64(size)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			img.SetNRGBA(x, y, pixel(x, y, scale))
		}
	}
	return img
}

// pixel averages the colour of samples×samples points of one pixel, with
// premultiplied alpha so that edges against transparency stay clean.
func pixel(x, y int, scale float64) color.NRGBA {
	var r, g, b, a float64
	for sy := 0; sy < samples; sy++ {
		for sx := 0; sx < samples; sx++ {
			px := (float64(x) + (float64(sx)+0.5)/samples) * scale
			py := (float64(y) + (float64(sy)+0.5)/samples) * scale
			for i := len(shapes) - 1; i >= 0; i-- {
				if shapes[i].contains(px, py) {
					c := shapes[i].fill
					r += float64(c.R)
					g += float64(c.G)
					b += float64(c.B)
					a++
					break
				}
			}
		}
	}
	if a == 0 {
		return color.NRGBA{}
	}
	return color.NRGBA{
		R: uint8(r/a + 0.5),
		G: uint8(g/a + 0.5),
		B: uint8(b/a + 0.5),
		A: uint8(a/(samples*samples)*255 + 0.5),
	}
}

func write(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return f.Close()
}

func main() {
	dir := flag.String("dir", "assets/web", "folder to write icon-192.png and icon-512.png into")
	flag.Parse()

	for _, size := range []int{192, 512} {
		path := filepath.Join(*dir, fmt.Sprintf("icon-%d.png", size))
		if err := write(path, draw(size)); err != nil {
			log.Fatalf("iconsgen: %v", err)
		}
		fmt.Println("wrote", path)
	}
}
