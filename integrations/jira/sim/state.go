package sim

import "github.com/scoreflow/scoreflow/integrations/simstate"

// state is what the site holds that outlives a restart: its tickets and
// each project's next key. A demo that stops and starts again carries on
// with it, as Jira would, instead of handing out CON-1 a second time.
type state struct {
	Issues     []Issue // in creation order
	Counters   map[string]int
	Creates    int
	Deliveries int
}

// state is what the site holds now; the caller holds s.mu.
func (s *Server) state() state {
	st := state{Counters: map[string]int{}, Creates: s.creates, Deliveries: s.deliveries}
	for _, key := range s.order {
		st.Issues = append(st.Issues, *s.issues[key])
	}
	for project, n := range s.counters {
		st.Counters[project] = n
	}
	return st
}

// restore replaces what the site holds with a state it held before; the caller holds s.mu.
func (s *Server) restore(st state) {
	s.issues, s.order, s.byLabel, s.counters = map[string]*Issue{}, nil, map[string][]string{}, map[string]int{}
	for i := range st.Issues {
		issue := st.Issues[i]
		s.issues[issue.Key] = &issue
		s.order = append(s.order, issue.Key)
		for _, l := range issue.Labels {
			s.byLabel[l] = append(s.byLabel[l], issue.Key)
		}
	}
	for project, n := range st.Counters {
		s.counters[project] = n
	}
	s.creates, s.deliveries = st.Creates, st.Deliveries
}

// SaveState encodes what the site holds, as it is at one moment.
func (s *Server) SaveState() ([]byte, error) { return simstate.Save(&s.mu, s.state) }

// LoadState puts back what SaveState encoded.
func (s *Server) LoadState(saved []byte) error { return simstate.Load(saved, &s.mu, s.restore) }
