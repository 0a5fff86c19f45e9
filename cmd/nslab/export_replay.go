package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nslab/nslab/web"
)

// exportReplay writes the replay page as dir/replay/index.html, so that
// the site's replay/ plays recordings (a file the visitor opens, or
// replay/?src=URL) with no server behind it: a speaker carries a
// recorded demo on a laptop.
func exportReplay(dir string) error {
	var page bytes.Buffer
	if err := web.ReplayPageAt("../"+exportStatic, "../").Render(context.Background(), &page); err != nil {
		return fmt.Errorf("render the replay page: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "replay"), 0o755); err != nil {
		return fmt.Errorf("write the replay page: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "replay", "index.html"), page.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write the replay page: %w", err)
	}
	return nil
}
