package web

// The map's coasts come from Natural Earth (public domain) through the
// world-atlas npm package: `npm run build` runs build-outline.mjs, which
// writes them to outline_data.go as latitude and longitude.

import (
	"fmt"
	"strings"
	"sync"
)

// outlinePath is the coastlines as SVG path data in the map's projection,
// worked out once.
var outlinePath = sync.OnceValue(func() string {
	var b strings.Builder
	for _, shape := range coastlines {
		for i, p := range shape {
			x, y := project(p[0], p[1])
			cmd := "L"
			if i == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&b, "%s%.1f %.1f ", cmd, x, y)
		}
		b.WriteString("Z ")
	}
	return strings.TrimSpace(b.String())
})
