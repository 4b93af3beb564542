package smsadmin

// QueuedFinishes is how many reconcile outcomes wait for a group commit, the
// leader's included until it takes its batch: tests wait on it to know that
// the steps they started have queued.
func (s *Service) QueuedFinishes() int {
	s.finishes.mu.Lock()
	defer s.finishes.mu.Unlock()
	return len(s.finishes.queue)
}
