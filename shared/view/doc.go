// Package view derives the dashboard's panels from the state model: team
// queues, waiting support sessions, sessions in progress and logged-in
// representatives, with the team and start-method filters, waiting SLAs and
// representative name formats applied. It runs in the relay and in the
// browser, so both compute the same panels from the same model.
package view
