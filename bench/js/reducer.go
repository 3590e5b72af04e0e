// Package reducerjs embeds the JavaScript baseline of the benchmarks: a
// hand-written reducer of the Real-Time State API (reducer.js) and the
// driver that times it (runner.js).
package reducerjs

import _ "embed"

// Reducer is the source of reducer.js, which defines globalThis.RtdReducer.
//
//go:embed reducer.js
var Reducer string

// Runner is the source of runner.js, which defines
// globalThis.RtdReducerBench. It needs Reducer to run first.
//
//go:embed runner.js
var Runner string
