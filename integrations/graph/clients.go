package graph

import (
	"fmt"
	"sync"
)

// Clients hands out one Client per configured tenant, built on first use and
// shared by every activity of that tenant so the concurrency limit holds.
type Clients struct {
	endpoints   Endpoints
	credentials map[string]Credentials // by scoreflow tenant id

	mu      sync.Mutex
	clients map[string]*Client
}

// NewClients knows the tenants' credentials; nothing is dialled yet.
func NewClients(endpoints Endpoints, credentials map[string]Credentials) *Clients {
	return &Clients{endpoints: endpoints, credentials: credentials, clients: map[string]*Client{}}
}

// ErrUnknownTenant is returned for a tenant id that is not configured.
type ErrUnknownTenant struct{ TenantID string }

func (e ErrUnknownTenant) Error() string {
	return fmt.Sprintf("tenant %q is not configured", e.TenantID)
}

// For returns the tenant's client.
func (c *Clients) For(tenantID string) (*Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if client, ok := c.clients[tenantID]; ok {
		return client, nil
	}
	creds, ok := c.credentials[tenantID]
	if !ok {
		return nil, ErrUnknownTenant{TenantID: tenantID}
	}
	client, err := NewClient(creds, c.endpoints)
	if err != nil {
		return nil, fmt.Errorf("tenant %s: %w", tenantID, err)
	}
	c.clients[tenantID] = client
	return client, nil
}
