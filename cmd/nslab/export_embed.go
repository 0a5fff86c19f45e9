package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nslab/nslab/server"
)

// writeEmbedConfig writes the exported site's embedding configuration,
// static/embed.json: the origins whose pages may drive the simulator
// embedded in a frame (index.html?embed=1) and get its events
// (docs/embedding.md). It is written even with no origin, as a file the
// site's owner can edit. A file rather than a query parameter: only who
// hosts the site can change it, while the address in an iframe is chosen
// by whichever page frames it.
func writeEmbedConfig(dir string, origins []string) error {
	if err := server.CheckOrigins(origins); err != nil {
		return fmt.Errorf("--embed-origins: %w", err)
	}
	b, err := json.MarshalIndent(server.NewEmbedConfig(origins), "", "  ")
	if err != nil {
		return err
	}
	name := filepath.Join(dir, filepath.FromSlash(exportStatic+server.EmbedConfigPath))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("write the embedding configuration: %w", err)
	}
	if err := os.WriteFile(name, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write the embedding configuration: %w", err)
	}
	return nil
}
