// A hand-written JavaScript reducer of the BeyondTrust Real-Time State API:
// the baseline that the WebAssembly build of the Go model (shared/state) is
// compared with. It keeps the same model under the same rules:
//
//   - sections apply insert, then update, then delete;
//   - updates merge column by column, an update of an unknown id creates the
//     row, and an insert of an existing id merges into it;
//   - a delete of an unknown id is ignored, and an insert or update of an id
//     deleted recently is dropped (the last 65,536 deleted ids per table);
//   - ids arrive as object keys or JSON numbers and become numbers;
//   - each support session remembers the last team queue it sat in;
//   - every deviation is counted as an anomaly and the rest still applies.
//
// Column values are kept as JSON.parse returns them. The script defines
// globalThis.RtdReducer and works in a browser page and in Node.
"use strict";

(function (global) {
  // Tables in the order they apply, so that queues are known before the
  // sessions that refer to them.
  const TABLES = [
    "customer_client",
    "queue",
    "representative",
    "representative_queue",
    "representative_support_session",
    "support_session",
    "support_session_attribute",
    "support_session_skill",
    "presentation_session",
    "attendee",
    "presenter",
  ];

  const TOMBSTONE_LIMIT = 65536;

  class Table {
    constructor(name) {
      this.name = name;
      this.rows = new Map(); // id → object of columns
      this.deleted = new Set();
      this.deletedOrder = [];
      this.deletedNext = 0;
    }

    reset() {
      this.rows.clear();
      this.deleted.clear();
      this.deletedOrder = [];
      this.deletedNext = 0;
    }

    // remember adds a deleted id to the bounded set of recent deletes.
    remember(id) {
      if (this.deleted.has(id)) {
        return;
      }
      if (this.deletedOrder.length < TOMBSTONE_LIMIT) {
        this.deletedOrder.push(id);
      } else {
        this.deleted.delete(this.deletedOrder[this.deletedNext]);
        this.deletedOrder[this.deletedNext] = id;
        this.deletedNext = (this.deletedNext + 1) % TOMBSTONE_LIMIT;
      }
      this.deleted.add(id);
    }
  }

  // parseId returns a row id given as a string or number, or 0 when it is
  // not a positive integer.
  function parseId(value) {
    const id = typeof value === "number" ? value : Number(value);
    if (!Number.isSafeInteger(id) || id <= 0) {
      return 0;
    }
    if (typeof value === "string" && String(id) !== value.trim()) {
      return 0;
    }
    return id;
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  class Model {
    constructor() {
      this.tables = new Map(TABLES.map((name) => [name, new Table(name)]));
      this.teamQueues = new Map(); // support session id → team queue id
      this.anomalies = 0;
    }

    reset() {
      for (const table of this.tables.values()) {
        table.reset();
      }
      this.teamQueues.clear();
    }

    rowCount() {
      let n = 0;
      for (const table of this.tables.values()) {
        n += table.rows.size;
      }
      return n;
    }

    // applyLine parses one line of the state API and applies it. It
    // returns the number of rows inserted, updated and deleted.
    applyLine(line) {
      return this.apply(JSON.parse(line));
    }

    apply(msg) {
      if (!isObject(msg)) {
        this.anomalies++;
        return 0;
      }
      switch (msg.type) {
        case "model_update":
        case "update_model":
          return this.applyUpdate(msg);
        case "truncate_model":
          this.reset();
          return 0;
        default:
          this.anomalies++;
          return 0;
      }
    }

    applyUpdate(msg) {
      let changes = 0;
      for (const section of [msg.insert, msg.update]) {
        const sessions = [];
        changes += this.forEachTable(section, (table, rows) => this.upsertRows(table, rows, sessions));
        // As in the Go model, a session inserted into a team queue and
        // moved by the update section of the same message still waited in
        // that team queue.
        this.rememberTeamQueues(sessions);
      }
      changes += this.forEachTable(msg.delete, (table, ids) => this.removeIds(table, ids));
      return changes;
    }

    // forEachTable calls apply for each known table of a section, in TABLES
    // order, and counts unknown tables as anomalies.
    forEachTable(section, apply) {
      if (section === undefined || section === null) {
        return 0;
      }
      if (!isObject(section)) {
        this.anomalies++;
        return 0;
      }
      let changes = 0;
      for (const name of TABLES) {
        const value = section[name];
        if (value !== undefined && value !== null) {
          changes += apply(this.tables.get(name), value);
        }
      }
      for (const name in section) {
        if (!this.tables.has(name)) {
          this.anomalies++;
        }
      }
      return changes;
    }

    upsertRows(table, rows, sessions) {
      if (!isObject(rows)) {
        this.anomalies++;
        return 0;
      }
      let changes = 0;
      for (const key in rows) {
        const id = parseId(key);
        const columns = rows[key];
        if (id === 0 || table.deleted.has(id) || !isObject(columns)) {
          this.anomalies++;
          continue;
        }
        const row = table.rows.get(id);
        if (row === undefined) {
          table.rows.set(id, Object.assign({}, columns));
        } else {
          Object.assign(row, columns);
        }
        if (table.name === "support_session") {
          sessions.push(id);
        }
        changes++;
      }
      return changes;
    }

    removeIds(table, ids) {
      if (!Array.isArray(ids)) {
        this.anomalies++;
        return 0;
      }
      let changes = 0;
      for (const value of ids) {
        const id = parseId(value);
        if (id === 0) {
          this.anomalies++;
          continue;
        }
        table.remember(id);
        if (!table.rows.delete(id)) {
          this.anomalies++;
          continue;
        }
        if (table.name === "support_session") {
          this.teamQueues.delete(id);
        }
        changes++;
      }
      return changes;
    }

    rememberTeamQueues(sessions) {
      const sessionRows = this.tables.get("support_session").rows;
      const queues = this.tables.get("queue").rows;
      for (const id of sessions) {
        const session = sessionRows.get(id);
        if (session === undefined) {
          continue;
        }
        const queueId = parseId(session.queue_id);
        const queue = queues.get(queueId);
        if (queue !== undefined && queue.type === "team") {
          this.teamQueues.set(id, queueId);
        }
      }
    }

    // toTables returns the model as {table: {id: {column: value}}}, the form
    // of the Go model's AppendJSON, for comparing the two models.
    toTables() {
      const out = {};
      for (const [name, table] of this.tables) {
        const rows = {};
        for (const [id, columns] of table.rows) {
          rows[String(id)] = columns;
        }
        out[name] = rows;
      }
      return out;
    }
  }

  global.RtdReducer = { Model, TABLES };
})(globalThis);
