package fakeai

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// topicWords caps a topic, so that a prompt with no clear subject still
// gives a heading rather than a paragraph.
const topicWords = 8

// Topic is what a prompt asks about, as a person would read it: the words
// after its first "about", or else after its first "on", "to", "of" or
// "for", up to the end of that clause, at most eight words, in letters,
// digits and simple punctuation only, so it can stand in any Markdown.
// "Write a haiku about cats." is about "cats"; a prompt with none of those
// words is about its own first clause; a blank one is about "your prompt".
func Topic(prompt string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(prompt), "\n")
	padded := " " + line + " "
	start := -1
	if i := strings.Index(padded, " about "); i >= 0 {
		start = i + len(" about ")
	} else {
		for _, w := range []string{" on ", " to ", " of ", " for "} {
			if i := strings.Index(padded, w); i >= 0 && (start < 0 || i+len(w) < start) {
				start = i + len(w)
			}
		}
	}
	rest := padded
	if start >= 0 && strings.TrimSpace(padded[start:]) != "" {
		rest = padded[start:]
	}
	if end := strings.IndexAny(rest, ".,;:!?()[]"); end >= 0 {
		rest = rest[:end]
	}
	words := strings.FieldsFunc(rest, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'' || r == '&' || r == '%')
	})
	if len(words) > topicWords {
		words = words[:topicWords]
	}
	if len(words) == 0 {
		return "your prompt"
	}
	return strings.Join(words, " ")
}

// title is a topic as a heading starts it.
func title(topic string) string {
	r, size := utf8.DecodeRuneInString(topic)
	return string(unicode.ToUpper(r)) + topic[size:]
}

// fillIn puts the prompt, and what it asks about, into an answer.
func fillIn(answer, prompt string) string {
	if !strings.Contains(answer, "{{") {
		return answer
	}
	topic := Topic(prompt)
	return strings.NewReplacer("{{prompt}}", prompt, "{{topic}}", topic, "{{title}}", title(topic)).Replace(answer)
}
