package sim

import (
	"slices"

	"github.com/scoreflow/scoreflow/integrations/simstate"
)

// state is what Graph holds that outlives a restart: each tenant's control
// profiles (their scores and state updates) and its history. A demo that
// stops and starts again finds Microsoft's detections where it left them,
// instead of a completed control open again.
type state struct {
	Tenants []Tenant
	Mails   []Mail // what the MSP's mailbox sent
}

// state is a copy of what it holds now; the caller holds s.mu.
func (s *Server) state() state {
	var st state
	for _, t := range s.tenants {
		st.Tenants = append(st.Tenants, *t)
	}
	st.Mails = slices.Clone(s.mails)
	return st
}

// restore puts a state Graph held before back into the tenants it serves,
// in place, so whoever holds a tenant sees it restored; a tenant it does
// not serve is left out. The caller holds s.mu.
func (s *Server) restore(st state) {
	for _, saved := range st.Tenants {
		if t, ok := s.tenants[saved.AzureTenantID]; ok {
			*t = saved
		}
	}
	s.mails = st.Mails
}

// SaveState encodes what Graph holds, as it is at one moment.
func (s *Server) SaveState() ([]byte, error) { return simstate.Save(&s.mu, s.state) }

// LoadState puts back what SaveState encoded.
func (s *Server) LoadState(saved []byte) error { return simstate.Load(saved, &s.mu, s.restore) }
