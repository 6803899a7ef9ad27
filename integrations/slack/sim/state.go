package sim

import "github.com/scoreflow/scoreflow/integrations/simstate"

// state is what the workspace holds that outlives a restart: its messages,
// so a decision message posted before a demo stopped can still be clicked
// and updated after it starts again.
type state struct {
	Messages []Message
	Clock    int
	Posts    int
}

// state is what the workspace holds now; the caller holds s.mu.
func (s *Server) state() state {
	st := state{Clock: s.clock, Posts: s.posts}
	for _, m := range s.messages {
		st.Messages = append(st.Messages, *m)
	}
	return st
}

// restore replaces the workspace's messages with ones it held before; the caller holds s.mu.
func (s *Server) restore(st state) {
	s.messages = nil
	for i := range st.Messages {
		m := st.Messages[i]
		s.messages = append(s.messages, &m)
	}
	s.clock, s.posts = st.Clock, st.Posts
}

// SaveState encodes what the workspace holds, as it is at one moment.
func (s *Server) SaveState() ([]byte, error) { return simstate.Save(&s.mu, s.state) }

// LoadState puts back what SaveState encoded.
func (s *Server) LoadState(saved []byte) error { return simstate.Load(saved, &s.mu, s.restore) }
