// Package lifecycle is the contract between scoreflow's workflows, its
// activities, the inbound handlers and the starter: workflow IDs,
// stages, the verdict table, decisions, search attributes, and the messages
// (inputs, signals, updates, query results) they exchange. It holds data and
// names only, so every side can import it.
package lifecycle
