// Package state holds the Real-Time State API model of a BeyondTrust Remote
// Support appliance and applies the appliance's messages to it.
//
// The appliance streams its current state as relational tables. After the
// subscription it sends one model_update whose insert section holds every
// row, then model_update messages with insert, update and delete sections,
// and occasionally truncate_model. The same code runs in the relay (native)
// and in the browser (WebAssembly), so both sides hold the same model.
//
// Apply follows these rules, because the protocol guarantees neither
// ordering between sections nor referential integrity at any instant:
//
//   - Sections are applied insert, then update, then delete, so a row created
//     and destroyed within one batch leaves no ghost.
//   - Updates are merged column by column, and an insert of an existing id
//     merges into it.
//   - An update or delete of an unknown id is ignored: a row built from an
//     update alone would be a phantom without the columns an insert carries.
//     An insert or update of an id deleted recently is dropped, because ids
//     are never reused within a model's lifetime.
//   - Ids arrive as object keys (strings) or JSON numbers; both are normalised
//     to int64.
//   - Every deviation is reported as an [Anomaly]; none of them stops the
//     rest of the message from being applied.
//
// A Model is not safe for concurrent use.
package state
