package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// The committed PNG icons must be this program's output, so that a change
// to the picture is not left half done.
func TestCommittedIconsMatchDrawing(t *testing.T) {
	for _, size := range []int{192, 512} {
		path := filepath.Join("..", "..", "web", fmt.Sprintf("icon-%d.png", size))
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		committed, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("decoding %s: %v", path, err)
		}

		drawn := draw(size)
		if committed.Bounds() != drawn.Bounds() {
			t.Fatalf("%s has bounds %v, want %v", path, committed.Bounds(), drawn.Bounds())
		}
		if n := countDifferentPixels(committed, drawn); n != 0 {
			t.Errorf("%s differs from the drawing in %d pixels; run go run ./assets/internal/iconsgen", path, n)
		}
	}
}

func TestRoundedRectContains(t *testing.T) {
	rr := roundedRect{x: 0, y: 0, w: 100, h: 100, r: 20}
	tests := []struct {
		x, y float64
		want bool
	}{
		{50, 50, true},
		{1, 50, true},    // left edge, away from the corners
		{1, 1, false},    // cut off by the rounded corner
		{6, 6, true},     // inside the corner's arc
		{101, 50, false}, // outside
		{50, -1, false},
	}
	for _, tt := range tests {
		if got := rr.contains(tt.x, tt.y); got != tt.want {
			t.Errorf("contains(%v, %v) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
}

func countDifferentPixels(a, b image.Image) int {
	n := 0
	bounds := a.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				n++
			}
		}
	}
	return n
}
