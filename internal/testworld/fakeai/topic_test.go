package fakeai

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTopic(t *testing.T) {
	tests := []struct {
		name, prompt, want string
	}{
		{name: "about", prompt: "Write a haiku about cats.", want: "cats"},
		{name: "about wins over earlier words", prompt: "Write to me about the sea, please", want: "the sea"},
		{name: "to", prompt: "Write a short intro to our spring launch for Blog readers.", want: "our spring launch for Blog readers"},
		{name: "earliest of on, to, of, for", prompt: "A blog post for teams on remote work", want: "teams on remote work"},
		{name: "no marker: the first clause", prompt: "Summarise this meeting, briefly", want: "Summarise this meeting"},
		{name: "first line only", prompt: "Notes about tea\nand more about coffee", want: "tea"},
		{name: "about at the end", prompt: "What can you tell me about", want: "What can you tell me about"},
		{name: "Markdown is left out", prompt: "Write about **bold** `code` | pipes #1", want: "bold code pipes 1"},
		{name: "at most eight words", prompt: "about one two three four five six seven eight nine", want: "one two three four five six seven eight"},
		{name: "other scripts", prompt: "Écris un poème about café crème", want: "café crème"},
		{name: "blank", prompt: "  \n ", want: "your prompt"},
		{name: "punctuation only", prompt: "?!", want: "your prompt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Topic(tt.prompt))
		})
	}
}

// answerTo is the fake's answer to prompt, as a client reads it.
func answerTo(t *testing.T, s *Server, prompt string) string {
	t.Helper()
	resp, err := client(s, "https://api.openai.com/v1", "k").CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{
		Model: "m", Messages: []openai.ChatCompletionMessage{{Role: "system", Content: "rules"}, {Role: "user", Content: prompt}},
	})
	require.NoError(t, err)
	return resp.Choices[0].Message.Content
}

func TestAnswersAreAboutThePrompt(t *testing.T) {
	s := New(Config{Keys: []string{"k"}, Models: []string{"m"}, Answer: "# {{title}}\n\nOn {{topic}}, as asked: {{prompt}}"})
	cats := answerTo(t, s, "Write a haiku about cats.")
	assert.Equal(t, "# Cats\n\nOn cats, as asked: Write a haiku about cats.", cats)
	assert.Equal(t, cats, answerTo(t, s, "Write a haiku about cats."), "the same prompt gets the same answer")
	assert.NotEqual(t, cats, answerTo(t, s, "Write a haiku about dogs."))

	// A row's prompt, as Fill rows renders its template, shows in its answer.
	row := answerTo(t, s, "Write a short intro to the new prices for Newsletter readers.")
	assert.Contains(t, row, "# The new prices for Newsletter readers")
	assert.Contains(t, row, "the new prices")
	assert.Contains(t, row, "Newsletter")
}

func TestAnswersWithoutPlaceholdersStayAsScripted(t *testing.T) {
	s := New(Config{Keys: []string{"k"}, Models: []string{"m"}, Answer: "## Plan\n\n- {{ not a placeholder }}\n"})
	assert.Equal(t, "## Plan\n\n- {{ not a placeholder }}\n", answerTo(t, s, "Write about cats"))
	s.QueueAnswer("About: {{prompt}}, not {{topic}}")
	assert.Equal(t, "About: Tell me about {{topic}}, not topic", answerTo(t, s, "Tell me about {{topic}}"), "a prompt is put in once, not read again")
}

// FuzzTopic checks that any prompt has a topic: some text, made only of the
// prompt's own words, with nothing Markdown would read as syntax.
func FuzzTopic(f *testing.F) {
	for _, seed := range []string{"Write a haiku about cats.", "intro to {{Topic}} for {{Channel}}", "", "about", "# about *x*", "a\x00b about \xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, prompt string) {
		got := Topic(prompt)
		require.NotEmpty(t, got)
		require.True(t, utf8.ValidString(got))
		require.NotContains(t, got, "  ")
		assert.False(t, strings.ContainsAny(got, "*_`[]()<>#|\\!\n{}~"), "no Markdown syntax in %q", got)
		if got == "your prompt" {
			return
		}
		for _, w := range strings.Fields(got) {
			assert.Contains(t, prompt, w)
		}
		assert.LessOrEqual(t, len(strings.Fields(got)), topicWords)
	})
}
