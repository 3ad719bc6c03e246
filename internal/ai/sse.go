package ai

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// Visen reads a chat stream's server-sent events itself, where go-openai's
// stream reader cannot follow what providers send:
//   - it counts comment lines (": OPENROUTER PROCESSING", sent while a model
//     thinks) toward its limit of empty messages and fails a long think;
//   - it drops the event's name, so Groq's "event: error" reads as a
//     broken message instead of the provider's error;
//   - it sees an error only at the very start of a data line, not the
//     top-level "error" OpenRouter puts in an ordinary chunk.
//
// go-openai still builds and sends the request and reads every failed
// answer; only the body of a successful stream is read here, following the
// SSE format (html.spec.whatwg.org, "Server-sent events").

// maxEvent bounds one event's data, so a server that never ends a line
// cannot make Visen hold its whole answer in one buffer.
const maxEvent = 4 << 20

// errEventTooLong is an event over maxEvent.
var errEventTooLong = errors.New("ai: a streamed event is over 4 MB")

// sseEvent is one dispatched event: its name ("" for a plain message) and
// its data lines joined by newlines.
type sseEvent struct {
	name string
	data []byte
}

// sseReader reads events from a stream.
type sseReader struct {
	r *bufio.Reader
}

func newSSEReader(r io.Reader) *sseReader {
	return &sseReader{r: bufio.NewReader(r)}
}

// next returns the next event with data, skipping comments and fields
// Visen has no use for (id, retry). An event the stream ends in the middle
// of is still returned: some servers close without the final blank line.
func (s *sseReader) next() (sseEvent, error) {
	var (
		ev      sseEvent
		hasData bool
	)
	for {
		line, err := s.readLine()
		if err != nil && len(line) == 0 {
			if errors.Is(err, io.EOF) && hasData {
				return ev, nil
			}
			return sseEvent{}, err
		}
		if len(line) == 0 {
			if hasData {
				return ev, nil
			}
			ev = sseEvent{}
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimPrefix(value, []byte(" "))
		switch string(field) {
		case "event":
			ev.name = string(value)
		case "data":
			if hasData {
				ev.data = append(ev.data, '\n')
			}
			if len(ev.data)+len(value) > maxEvent {
				return sseEvent{}, errEventTooLong
			}
			ev.data = append(ev.data, value...)
			hasData = true
		}
		if err != nil {
			if hasData {
				return ev, nil
			}
			return sseEvent{}, err
		}
	}
}

// readLine reads one line without its ending: LF, CRLF or a lone CR.
func (s *sseReader) readLine() ([]byte, error) {
	var line []byte
	for {
		b, err := s.r.ReadByte()
		if err != nil {
			return line, err
		}
		switch b {
		case '\n':
			return line, nil
		case '\r':
			if next, err := s.r.Peek(1); err == nil && next[0] == '\n' {
				_, _ = s.r.ReadByte()
			}
			return line, nil
		}
		if len(line) >= maxEvent {
			return nil, errEventTooLong
		}
		line = append(line, b)
	}
}
