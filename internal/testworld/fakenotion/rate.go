package fakenotion

import (
	"net/http"
	"time"
)

// Notion allows an integration "an average of three requests per second",
// with "some bursts beyond the average" (its request limits page). The fake
// holds a client to that over any rateWindow: the average's worth of
// requests plus a burst of rateBurst, and answers 429 past it.
const (
	ratePerSecond = 3
	rateBurst     = 3
	rateWindow    = 3 * time.Second
)

// rate is the fake's rate limit, when it enforces one.
type rate struct {
	times   []time.Time
	refused int
}

// LimitRate makes the fake refuse requests beyond Notion's rate limit with
// 429, as Notion does, until Reset.
func (s *Server) LimitRate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate = &rate{}
}

// RateLimited counts the requests refused for going beyond the rate limit.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rate == nil {
		return 0
	}
	return s.rate.refused
}

// overRate notes a request and reports whether it goes beyond the limit.
func (s *Server) overRate() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rate == nil {
		return false
	}
	now := time.Now()
	kept := s.rate.times[:0]
	for _, t := range s.rate.times {
		if now.Sub(t) < rateWindow {
			kept = append(kept, t)
		}
	}
	s.rate.times = kept
	if len(kept) >= rateBurst+int(ratePerSecond*rateWindow/time.Second) {
		s.rate.refused++
		return true
	}
	s.rate.times = append(s.rate.times, now)
	return false
}

// refuseRate answers as Notion does past its rate limit.
func refuseRate(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	apiError(w, 429, "rate_limited", "You have been rate limited. Please try again in a few minutes.")
}
