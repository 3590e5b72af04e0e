#!/usr/bin/env bash
# Runs every benchmark of the dashboard against the product's targets and
# writes the figures into docs/benchmarks.md. `make bench` calls it after
# building assets/web/app.wasm and bin/wasmbrowsertest, with scripts/ (the
# chromium wrapper) and bin/ first on PATH. Raw outputs go to bench/out/.
#
# Settings: BENCH_COUNT (runs of each Go benchmark, default 5),
# RTDASH_BENCH_SECONDS (length of the relay load runs, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
COUNT=${BENCH_COUNT:-5}
OUT=bench/out
mkdir -p "$OUT"
rm -f "$OUT"/*.txt "$OUT"/*.json

step() { printf '\n== %s\n' "$*" >&2; }

step "applying diffs, native"
"$GO" test -run '^$' -bench . -benchmem -count "$COUNT" ./bench/apply/ | tee "$OUT/apply-native.txt"

step "applying diffs, WebAssembly in headless Chromium, with the JavaScript baseline"
# wasmbrowsertest copies its whole environment into the page, so it gets
# only what the Go tool needs. Its cdproto logs "unknown IPAddressSpace
# value: Loopback" for events of newer Chromium builds; those lines are
# harmless and filtered out.
env -i PATH="$PATH" HOME="$HOME" GOCACHE="$("$GO" env GOCACHE)" GOMODCACHE="$("$GO" env GOMODCACHE)" \
	GOFLAGS="${GOFLAGS:-}" GOOS=js GOARCH=wasm \
	"$GO" test -count "$COUNT" -exec="$(command -v wasmbrowsertest)" -bench . -benchmem ./bench/apply/ 2>&1 |
	grep -v 'unknown IPAddressSpace value' | tee "$OUT/apply-wasm.txt"

step "relay: snapshot envelope, diff latency at 500 browsers, memory at 1,000 browsers"
"$GO" test -run '^$' -bench 'SnapshotEnvelope' -benchmem -count "$COUNT" ./bench/relaybench/ | tee "$OUT/relay.txt"
"$GO" test -run '^$' -bench 'DiffLatency|RelayMemory' -benchtime 1x -timeout 30m ./bench/relaybench/ | tee -a "$OUT/relay.txt"

step "browser: cold page opens and bursts in headless Chromium"
"$GO" run ./bench/cmd/browserbench -out "$OUT/browser.json" -opens 5 -bursts 25

# The load average tells how much else ran on the machine meanwhile.
cut -d' ' -f1-3 /proc/loadavg >"$OUT/loadavg.txt"

step "report"
"$GO" run ./bench/cmd/report -dir "$OUT" -doc docs/benchmarks.md -wasm-br assets/web/app.wasm.br
echo "Wrote docs/benchmarks.md" >&2
