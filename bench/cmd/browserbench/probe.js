// Timing probe that browserbench adds to the dashboard page before any of
// the page's own scripts run. It defines window.__rtdBench and records, in
// performance.now() milliseconds since the navigation started:
//
//   - ready: when the dashboard first showed rows in all four panels with
//     #connection-state[data-state=live], and readyPainted: when the frame
//     with that DOM was painted;
//   - for each armed burst: the arrival of the next diff on the websocket,
//     when the panel counts first matched the expected ones (applied), the
//     next animation frame, and when that frame was painted;
//   - every long task the browser reports.
//
// "Painted" is the first task after the requestAnimationFrame callback of
// the frame that follows the DOM change. Chromium runs style, layout and
// paint after the animation frame callbacks and before the next task, so
// this task starts once that frame has been painted.
(() => {
  "use strict";
  const bench = {
    ready: null,
    readyPainted: null,
    armed: null,
    results: [],
    longTasks: [],
    longTaskError: null,
    diffs: 0,
  };
  window.__rtdBench = bench;

  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: "longtask", buffered: true });
  } catch (err) {
    bench.longTaskError = String(err);
  }

  // afterPaint calls done with the time of the first task after the next
  // frame was painted, and with the time of that frame's callback.
  function afterPaint(done) {
    requestAnimationFrame(() => {
      const frame = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => done(frame, performance.now());
      channel.port2.postMessage(null);
    });
  }

  // The relay's diffs start with {"type":"diff","seq":N,"time":T where T is
  // the relay's receive time in Unix milliseconds.
  const diffHead = /^\{"type":"diff","seq":(\d+),"time":(\d+)/;

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      // This listener is added before the page's own, so it runs first.
      this.addEventListener("message", (event) => {
        const at = performance.now();
        if (typeof event.data !== "string" || !event.data.startsWith('{"type":"diff"')) {
          return;
        }
        bench.diffs++;
        const burst = bench.armed;
        if (burst === null || burst.arrival !== null) {
          return;
        }
        const head = diffHead.exec(event.data.slice(0, 96));
        burst.arrival = at;
        burst.bytes = event.data.length;
        burst.seq = head ? Number(head[1]) : 0;
        burst.relayTime = head ? Number(head[2]) : 0;
      });
    }
  };

  function text(selector) {
    const element = document.querySelector(selector);
    return element === null ? null : element.textContent.trim();
  }

  function dashboardReady() {
    const state = document.querySelector("#connection-state");
    return (
      state !== null &&
      state.dataset.state === "live" &&
      document.querySelector("#panel-queues tr[data-queue-id]") !== null &&
      document.querySelector("#panel-waiting tr[data-session-id]") !== null &&
      document.querySelector("#panel-inprogress tr[data-session-id]") !== null &&
      document.querySelector("#panel-reps tr[data-rep-id]") !== null
    );
  }

  // counts returns the totals the waiting and in-progress panels show.
  bench.counts = () => ({
    waiting: text("#panel-waiting .count"),
    inProgress: text("#panel-inprogress .count"),
  });

  // arm starts watching for burst id: the next diff's arrival, then the
  // panel counts turning into the expected ones.
  bench.arm = (id, waiting, inProgress) => {
    bench.armed = {
      id,
      expect: { waiting: String(waiting), inProgress: String(inProgress) },
      arrival: null,
      applied: null,
      frame: null,
      painted: null,
      bytes: 0,
      seq: 0,
      relayTime: 0,
      timeOrigin: performance.timeOrigin,
    };
  };

  function check() {
    if (bench.ready === null && dashboardReady()) {
      bench.ready = performance.now();
      afterPaint((frame, painted) => {
        bench.readyPainted = painted;
      });
    }
    const burst = bench.armed;
    if (burst === null || burst.arrival === null || burst.applied !== null) {
      return;
    }
    const now = bench.counts();
    if (now.waiting === burst.expect.waiting && now.inProgress === burst.expect.inProgress) {
      burst.applied = performance.now();
      afterPaint((frame, painted) => {
        burst.frame = frame;
        burst.painted = painted;
        bench.results.push(burst);
        if (bench.armed === burst) {
          bench.armed = null;
        }
      });
    }
  }

  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
  });
})();
