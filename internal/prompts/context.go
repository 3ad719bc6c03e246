package prompts

import (
	"strings"
	"unicode/utf8"
)

// CharsPerToken is the estimate of characters in one token. English prose
// runs about 4 characters a token in OpenAI's and Google's tokenizers; 3
// leaves room for other languages, code and Markdown, which take more
// tokens, so a page that fits by this estimate fits in fact.
const CharsPerToken = 3

// DefaultContextTokens is the context assumed for a model of unknown
// family: small enough for a local model's usual setting.
const DefaultContextTokens = 8_192

// contextTokens are the context sizes of known model families, by a part
// of the model's name, most specific first.
var contextTokens = []struct {
	name   string
	tokens int
}{
	{"gpt-4.1", 1_000_000},
	{"gpt-5", 400_000},
	{"gpt-4o", 128_000},
	{"gpt-4-turbo", 128_000},
	{"o1", 200_000},
	{"o3", 200_000},
	{"o4", 200_000},
	{"gpt-3.5", 16_000},
	{"gemini", 1_000_000},
	{"claude", 200_000},
	{"mistral-large", 128_000},
	{"deepseek", 64_000},
	{"qwen", 32_000},
	{"llama3", 8_192},
	{"llama-3", 8_192},
}

// ContextTokens is the context size of a model, by its family; a model
// named with its provider (openai/gpt-5-mini) is found by its own name.
func ContextTokens(model string) int {
	m := strings.ToLower(model)
	for _, c := range contextTokens {
		if strings.Contains(m, c.name) {
			return c.tokens
		}
	}
	return DefaultContextTokens
}

// answerShare is the part of the context kept for the answer and the
// prompt's own text.
const answerShare = 4

// Budget is the characters of page content a model can take in one
// prompt, keeping a quarter of its context (at least 2,000 tokens) for
// the prompt's text and the answer.
func Budget(model string) int {
	tokens := ContextTokens(model)
	keep := max(tokens/answerShare, 2_000)
	return max(tokens-keep, 0) * CharsPerToken
}

// Used says how much of a page went into a prompt.
type Used struct {
	Blocks int `json:"blocks"`
	Total  int `json:"total"`
	Chars  int `json:"chars"`
}

// Cut joins as many blocks' Markdown (one string a top-level block) as
// fit in budget characters, cutting only between blocks. fromEnd keeps the
// last blocks instead of the first, for writing on from the end.
func Cut(chunks []string, budget int, fromEnd bool) (string, Used) {
	used := Used{Total: len(chunks)}
	var kept []string
	size := 0
	for i := range chunks {
		c := chunks[i]
		if fromEnd {
			c = chunks[len(chunks)-1-i]
		}
		extra := utf8.RuneCountInString(c)
		if len(kept) > 0 {
			extra += 2
		}
		if size+extra > budget {
			break
		}
		kept = append(kept, c)
		size += extra
	}
	if fromEnd {
		for i, j := 0, len(kept)-1; i < j; i, j = i+1, j-1 {
			kept[i], kept[j] = kept[j], kept[i]
		}
	}
	used.Blocks, used.Chars = len(kept), size
	return strings.Join(kept, "\n\n"), used
}
