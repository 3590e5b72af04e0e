//go:build windows

package main

import (
	"context"

	"golang.org/x/sys/windows/svc"
)

// serviceName is the relay's name in the Windows service control manager
// when no other name was registered.
const serviceName = "rtdash-relay"

// runService runs serve under the Windows service control manager when the
// process was started as a service, and reports whether it was.
func runService(serve func(ctx context.Context) int) (bool, int) {
	isService, err := svc.IsWindowsService()
	if err != nil || !isService {
		return false, 0
	}
	h := &serviceHandler{serve: serve}
	if err := svc.Run(serviceName, h); err != nil {
		return true, 1
	}
	return true, h.code
}

type serviceHandler struct {
	serve func(ctx context.Context) int
	code  int
}

// Execute reports the service running, serves until the manager requests a
// stop, then waits for a graceful shutdown.
func (h *serviceHandler) Execute(_ []string, requests <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	const accepted = svc.AcceptStop | svc.AcceptShutdown
	status <- svc.Status{State: svc.StartPending}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- h.serve(ctx) }()
	status <- svc.Status{State: svc.Running, Accepts: accepted}
	for {
		select {
		case h.code = <-done:
			status <- svc.Status{State: svc.StopPending}
			return false, uint32(h.code)
		case req := <-requests:
			switch req.Cmd {
			case svc.Interrogate:
				status <- req.CurrentStatus
			case svc.Stop, svc.Shutdown:
				status <- svc.Status{State: svc.StopPending}
				cancel()
				h.code = <-done
				return false, uint32(h.code)
			}
		}
	}
}
