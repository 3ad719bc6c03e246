package fakenotion

// Page returns a page as the API shows it, properties included, without
// recording a request: for tests that check what a run left in Notion.
func (s *Server) Page(id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pages[Dashed(id)]
	if !ok {
		return nil, false
	}
	return s.pageObject(p), true
}
