package ai

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readEvents(r io.Reader) ([]sseEvent, error) {
	s := newSSEReader(r)
	var out []sseEvent
	for {
		ev, err := s.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, ev)
	}
}

func TestSSEReader(t *testing.T) {
	tests := []struct {
		name, in string
		want     []sseEvent
	}{
		{"data events", "data: a\n\ndata: b\n\n", []sseEvent{{data: []byte("a")}, {data: []byte("b")}}},
		{"comments are skipped", ": OPENROUTER PROCESSING\n\n: x\ndata: a\n\n", []sseEvent{{data: []byte("a")}}},
		{"a named event", "event: error\ndata: {}\n\n", []sseEvent{{name: "error", data: []byte("{}")}}},
		{"lines joined", "data: a\ndata: b\n\n", []sseEvent{{data: []byte("a\nb")}}},
		{"no space after the colon", "data:a\n\n", []sseEvent{{data: []byte("a")}}},
		{"CRLF and CR endings", "data: a\r\n\r\ndata: b\r\rdata: c\n\n", []sseEvent{{data: []byte("a")}, {data: []byte("b")}, {data: []byte("c")}}},
		{"id and retry ignored", "id: 1\nretry: 10\ndata: a\n\n", []sseEvent{{data: []byte("a")}}},
		{"the last event without its blank line", "data: a\n\ndata: b", []sseEvent{{data: []byte("a")}, {data: []byte("b")}}},
		{"an event with no data is no event", "event: ping\n\ndata: a\n\n", []sseEvent{{data: []byte("a")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readEvents(strings.NewReader(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSSEReaderRefusesAnEndlessLine(t *testing.T) {
	_, err := readEvents(io.MultiReader(strings.NewReader("data: "), iotest.OneByteReader(strings.NewReader(strings.Repeat("x", maxEvent+1)))))
	require.ErrorIs(t, err, errEventTooLong)
}

func FuzzSSEReader(f *testing.F) {
	for _, s := range []string{"data: a\n\n", ": c\n\nevent: error\ndata: {}\n\n", "data: a\r\ndata: b\r\r", "data", "\n\n\n", "data: [DONE]\n\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		whole, werr := readEvents(strings.NewReader(in))
		bytewise, berr := readEvents(iotest.OneByteReader(strings.NewReader(in)))
		if (werr == nil) != (berr == nil) {
			t.Fatalf("errors differ: %v, %v", werr, berr)
		}
		assert.Equal(t, whole, bytewise, "however the stream arrives, the events are the same")
		for _, ev := range whole {
			if len(ev.data) > len(in) {
				t.Fatalf("an event's data is longer than the stream")
			}
		}
	})
}
