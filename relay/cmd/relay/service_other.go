//go:build !windows

package main

import "context"

// runService reports that the process is not a Windows service; elsewhere
// the relay runs in the foreground, under systemd for example.
func runService(func(ctx context.Context) int) (bool, int) { return false, 0 }
