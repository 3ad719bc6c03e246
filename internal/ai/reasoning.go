package ai

import (
	"strings"
	"unicode"
)

// Some models think in the answer itself: DeepSeek-R1 and Qwen through
// some hosts open it with <think>…</think>, and gpt-oss through a server
// that does not parse its output sends the raw Harmony tokens
// (<|channel|>analysis<|message|>…<|end|><|start|>assistant<|channel|>final<|message|>…).
// answerFilter passes on the answer only, however the text is cut into
// pieces: a tag split across two pieces is held back until it is whole.

const (
	thinkOpen  = "<think>"
	thinkClose = "</think>"
	// maxToken is longer than any Harmony token, so a "<|" with no "|>"
	// within it is plain text.
	maxToken = 16
)

// harmonyTokens are the Harmony format's special tokens; any other
// "<|…|>" is plain text.
var harmonyTokens = map[string]bool{
	"start": true, "end": true, "message": true, "channel": true,
	"return": true, "call": true, "constrain": true,
}

type filterMode int

const (
	modeText   filterMode = iota // answer text, or a reasoning channel's text
	modeThink                    // inside <think>…</think>
	modeHeader                   // a Harmony header: role and channel, up to <|message|>
)

// answerFilter separates the answer from reasoning written in the content.
// Its zero value is ready for a new answer.
type answerFilter struct {
	mode filterMode
	// reasoning says text in modeText belongs to a channel other than
	// the final one.
	reasoning bool
	header    strings.Builder
	// channel says the header named a channel.
	channel bool
	// held is text that may be the start of a tag, kept for the next piece.
	held string
	// seen says some answer text other than white space was given.
	seen bool
	// trimLead drops the white space that follows </think>.
	trimLead bool
}

// feed takes the next piece of content and returns the answer text in it.
func (f *answerFilter) feed(s string) string {
	buf := f.held + s
	f.held = ""
	var out strings.Builder
	for buf != "" {
		if f.mode == modeThink {
			i := strings.Index(buf, thinkClose)
			if i < 0 {
				f.held = partialSuffix(buf, thinkClose)
				break
			}
			buf = buf[i+len(thinkClose):]
			f.mode, f.trimLead = modeText, true
			continue
		}
		if f.mode == modeText && !f.seen && !f.reasoning {
			// Only an answer's very start opens reasoning with <think>.
			trimmed := strings.TrimLeftFunc(buf, unicode.IsSpace)
			if strings.HasPrefix(trimmed, thinkOpen) {
				buf = trimmed[len(thinkOpen):]
				f.mode = modeThink
				continue
			}
			if strings.HasPrefix(thinkOpen, trimmed) {
				f.held = buf
				break
			}
		}
		i := strings.Index(buf, "<|")
		if i < 0 {
			keep := len(partialSuffix(buf, "<|"))
			f.text(&out, buf[:len(buf)-keep])
			f.held = buf[len(buf)-keep:]
			break
		}
		f.text(&out, buf[:i])
		rest := buf[i:]
		// The token's end is looked for after its start: "<|>" is text.
		j := strings.Index(rest[2:], "|>")
		if j >= 0 {
			j += 2
		}
		if j < 0 && len(rest) < maxToken {
			f.held = rest
			break
		}
		if j < 0 || !harmonyTokens[rest[2:j]] {
			f.text(&out, "<|")
			buf = rest[2:]
			continue
		}
		f.token(rest[2:j])
		buf = rest[j+2:]
	}
	return out.String()
}

// flush returns the answer text still held once the content has ended.
func (f *answerFilter) flush() string {
	held := f.held
	f.held = ""
	if f.mode != modeText {
		return ""
	}
	var out strings.Builder
	f.text(&out, held)
	return out.String()
}

// text passes s on when it is answer text.
func (f *answerFilter) text(out *strings.Builder, s string) {
	switch {
	case f.mode == modeHeader:
		f.header.WriteString(s)
		return
	case f.reasoning || s == "":
		return
	}
	if f.trimLead {
		if s = strings.TrimLeftFunc(s, unicode.IsSpace); s == "" {
			return
		}
		f.trimLead = false
	}
	if strings.TrimSpace(s) != "" {
		f.seen = true
	}
	out.WriteString(s)
}

// token follows a Harmony special token.
func (f *answerFilter) token(name string) {
	switch name {
	case "start", "channel":
		f.mode, f.channel = modeHeader, name == "channel"
		f.header.Reset()
	case "message":
		if f.mode == modeHeader {
			words := strings.Fields(f.header.String())
			f.reasoning = f.channel && (len(words) == 0 || words[0] != "final")
			f.mode = modeText
			f.header.Reset()
		}
	case "end", "return", "call":
		f.mode, f.reasoning = modeText, false
	}
}

// partialSuffix is the longest end of s that is a start of tag, shorter
// than tag.
func partialSuffix(s, tag string) string {
	for n := min(len(s), len(tag)-1); n > 0; n-- {
		if strings.HasSuffix(s, tag[:n]) {
			return s[len(s)-n:]
		}
	}
	return ""
}
