// Package relaybench holds the relay's benchmarks at a large site, all in
// its test files: encoding the snapshot a joining browser receives, the
// latency from an appliance diff to the browsers' sockets, and the relay's
// memory with many browsers connected.
//
// The latency and memory benchmarks run the relay in a child process (the
// test binary started again with RTDASH_BENCH_RELAY=1), so that the
// websocket clients standing in for browsers do not count in its memory
// and do not share its garbage collector.
package relaybench
