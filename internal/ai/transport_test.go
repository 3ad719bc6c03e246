package ai

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name, header string
		want         time.Duration
		ok           bool
	}{
		{"seconds", "20", 20 * time.Second, true},
		{"fractional seconds", "0.5", 500 * time.Millisecond, true},
		{"an HTTP date", "Mon, 02 Mar 2026 10:00:30 GMT", 30 * time.Second, true},
		{"a date gone by waits nothing", "Mon, 02 Mar 2026 09:00:00 GMT", 0, true},
		{"absent", "", 0, false},
		{"nonsense", "soon", 0, false},
		{"negative", "-3", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.header, now)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}
