//go:build !linux

package main

import "errors"

// Live labs are Linux namespaces; elsewhere only --sim can solve.
func newLiveSolveLab() (solveLab, error) {
	return nil, errors.New("live labs need Linux: use nslab lessons solve --sim")
}
