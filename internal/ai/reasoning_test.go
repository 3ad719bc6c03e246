package ai

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func filterAll(pieces ...string) string {
	var f answerFilter
	var out strings.Builder
	for _, p := range pieces {
		out.WriteString(f.feed(p))
	}
	out.WriteString(f.flush())
	return out.String()
}

func TestAnswerFilter(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text passes", "# Title\n\nSome text.", "# Title\n\nSome text."},
		{"leading white space of an answer stays", "\n\nHello", "\n\nHello"},
		{"a think section at the start is dropped", "<think>\nLet me see.\n</think>\n\nThe answer.", "The answer."},
		{"white space before think", "  \n<think>hmm</think>Answer", "Answer"},
		{"an unclosed think never lands", "<think>still thinking", ""},
		{"think later in the answer is text", "Use the <think> tag.", "Use the <think> tag."},
		{"a lone less-than stays", "a < b", "a < b"},
		{"a trailing less-than stays", "a <", "a <"},
		{"an unknown token is text", "x <|foo|> y", "x <|foo|> y"},
		{"a long <| is text", "<|" + strings.Repeat("a", 40), "<|" + strings.Repeat("a", 40)},
		{
			"harmony: analysis dropped, final kept",
			"<|channel|>analysis<|message|>Think hard.<|end|><|start|>assistant<|channel|>final<|message|>The answer.<|return|>",
			"The answer.",
		},
		{
			"harmony: commentary with a constrain is dropped",
			"<|channel|>commentary to=functions.x <|constrain|>json<|message|>{}<|call|><|start|>assistant<|channel|>final<|message|>Done.",
			"Done.",
		},
		{"harmony: a message with no channel is the answer", "<|start|>assistant<|message|>Hi<|end|>", "Hi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, filterAll(tt.in), "whole")
			// However the text is cut, the answer is the same.
			for i := 0; i <= len(tt.in); i++ {
				for j := i; j <= len(tt.in); j++ {
					assert.Equal(t, tt.want, filterAll(tt.in[:i], tt.in[i:j], tt.in[j:]), "cut at %d and %d", i, j)
				}
			}
		})
	}
}

func FuzzAnswerFilter(f *testing.F) {
	seeds := []string{
		"<think>a</think>b", "  <think>\nx\n</think>\n\n# y", "plain", "a <| b |> c", "<|channel|>analysis<|message|>x<|end|><|start|>assistant<|channel|>final<|message|>y<|return|>",
		"</think>", "<thi", "<|", "<|start|>", "\n<think></think>",
	}
	for _, s := range seeds {
		f.Add(s, uint8(3), uint8(5))
	}
	f.Fuzz(func(t *testing.T, in string, a, b uint8) {
		i := min(int(a), len(in))
		j := min(i+int(b), len(in))
		whole := filterAll(in)
		if got := filterAll(in[:i], in[i:j], in[j:]); got != whole {
			t.Fatalf("cut at %d and %d: %q, whole: %q", i, j, got, whole)
		}
		if !strings.Contains(in, "<think>") && !strings.Contains(in, "<|") && whole != in {
			t.Fatalf("text with no tag changed: %q became %q", in, whole)
		}
		if len(whole) > len(in) {
			t.Fatalf("the answer %q is longer than the content %q", whole, in)
		}
	})
}
