// Package graph reads a tenant's Microsoft Secure Score and records decisions
// on its control profiles, through msgraph-sdk-go with azidentity's client
// credentials. Its simulator for tests and the demo lives in graph/sim.
package graph
