// Package activities holds scoreflow's side effects, as methods on structs
// that hold their injected clients: Secure Score in Microsoft Graph, the
// ticket system, the chat, and Temporal itself for the sweep and the digest.
// Every write is idempotent: called again after a crash, it finds what the
// first call did instead of doing it twice.
package activities
