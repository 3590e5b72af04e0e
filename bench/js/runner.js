// Benchmark driver for the reducer in reducer.js: it applies prepared lines
// to a model loaded from a snapshot, so that one call from Go covers many
// messages and the cost of crossing from Go to JavaScript stays out of the
// timing. It defines globalThis.RtdReducerBench.
"use strict";

globalThis.RtdReducerBench = {
  // create returns a runner over snapshot and lines, which are strings.
  create(snapshot, lines) {
    const model = new globalThis.RtdReducer.Model();
    model.applyLine(snapshot);
    let next = 0;
    return {
      // run applies the next n lines and returns the rows they changed.
      // The caller calls reset before the lines run out.
      run(n) {
        let changes = 0;
        for (let i = 0; i < n; i++) {
          changes += model.applyLine(lines[next++]);
        }
        return changes;
      },
      // reset loads the snapshot again and starts over at the first line.
      reset() {
        model.reset();
        model.applyLine(snapshot);
        next = 0;
      },
      tables() {
        return JSON.stringify(model.toTables());
      },
      anomalies() {
        return model.anomalies;
      },
    };
  },
};
