//go:build tools

// This file pins dependencies that packages import in later changes.

package main

import (
	_ "github.com/caarlos0/env/v11"
	_ "github.com/chromedp/chromedp"
	_ "github.com/coder/websocket"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/maxence-charriere/go-app/v10/pkg/app"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "golang.org/x/oauth2/clientcredentials"
	_ "golang.org/x/sys/windows/svc"
)

func main() {}
