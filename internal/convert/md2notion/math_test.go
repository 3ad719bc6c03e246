package md2notion

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// equations lists the expressions of every equation in the tree, block or
// inline, in reading order, and the text of its code: code blocks and
// code spans.
func equations(t *testing.T, md string) (exprs, code []string) {
	t.Helper()
	walkBlocks(asJSON(t, Convert([]byte(md))), func(b map[string]any) {
		typ, _ := b["type"].(string)
		body, _ := b[typ].(map[string]any)
		if typ == "equation" {
			exprs = append(exprs, body["expression"].(string))
		}
		var texts []any
		if rt, ok := body["rich_text"].([]any); ok {
			texts = rt
		}
		if cells, ok := body["cells"].([]any); ok {
			for _, c := range cells {
				texts = append(texts, c.([]any)...)
			}
		}
		for _, r := range texts {
			item := r.(map[string]any)
			if eq, ok := item["equation"].(map[string]any); ok {
				exprs = append(exprs, eq["expression"].(string))
			} else if ann, _ := item["annotations"].(map[string]any); typ == "code" || ann["code"] == true {
				code = append(code, item["text"].(map[string]any)["content"].(string))
			}
		}
	})
	return exprs, code
}

// TestMathInContainers checks that math spanning lines in a quote, a list,
// an alert or a footnote keeps only its TeX: none of the container's
// markers, which Notion would show inside the equation.
func TestMathInContainers(t *testing.T) {
	tests := []struct {
		name string
		md   string
		want []string
	}{
		{"display math in a quote", "> $$\n> a^2 +\n> b^2\n> $$\n", []string{"a^2 +\nb^2"}},
		{"display math after text in a quote", "> Pythagoras:\n>\n> \\[\n> a^2 + b^2 = c^2\n> \\]\n", []string{"a^2 + b^2 = c^2"}},
		{"display math in a quote in a quote", "> > $$\n> > x\n> > y\n> > $$\n", []string{"x\ny"}},
		{"display math in a list item keeps its own indentation", "- $$\n  \\begin{aligned}\n    a &= b\n  \\end{aligned}\n  $$\n", []string{"\\begin{aligned}\n  a &= b\n\\end{aligned}"}},
		{"display math in a quote in a list", "1. Item\n\n   > $$\n   > x\n   > $$\n", []string{"x"}},
		{"display math in an alert", "> [!NOTE]\n> $$\n> E = mc^2\n> \\text{(energy)}\n> $$\n", []string{"E = mc^2\n\\text{(energy)}"}},
		{"inline math across lines in a quote", "> Where $a +\n> b$ is the sum.\n", []string{"a +\nb"}},
		{"a lazy line keeps what it has", "> $$\nx\n> $$\n", []string{"x"}},
		{"display math at the top level is unchanged", "$$\n  a\n> b\n$$\n", nil},
		{"a footnote's display math", "Text[^1].\n\n[^1]: Note:\n    $$\n    x\n    y\n    $$\n", []string{"x\ny"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := equations(t, tt.md)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestTableCellMathPipe checks that \| in a table cell's math is a |, as
// GFM reads it everywhere in a cell, and that a | written so stays in its
// cell.
func TestTableCellMathPipe(t *testing.T) {
	got, _ := equations(t, "| value | norm |\n| --- | --- |\n| $\\|x\\|$ | $\\\\|x\\\\|$ |\n")
	assert.Equal(t, []string{"|x|", `\|x\|`}, got)
	got, _ = equations(t, "Outside a table, $\\|x\\|$ is a norm.\n")
	assert.Equal(t, []string{`\|x\|`}, got)
}

// TestEquationLength checks Notion's limit on an equation's length at its
// edge: 1,000 UTF-16 units is an equation, 1,001 is LaTeX code, with every
// character kept either way.
func TestEquationLength(t *testing.T) {
	for _, n := range []int{999, 1000, 1001} {
		tex := strings.Repeat("x", n-2) + "^2"
		for _, md := range []string{"$$" + tex + "$$\n", "Inline $" + tex + "$ here.\n"} {
			exprs, code := equations(t, md)
			if n <= 1000 {
				require.Equal(t, []string{tex}, exprs, "%d units", n)
				assert.Empty(t, code, "%d units", n)
			} else {
				assert.Empty(t, exprs, "%d units", n)
				assert.Equal(t, tex, strings.Join(code, ""), "%d units", n)
			}
		}
	}
	// An emoji is two UTF-16 units: 500 of them are the limit, 501 over.
	exprs, _ := equations(t, "$$"+strings.Repeat("😀", 500)+"$$\n")
	assert.Len(t, exprs, 1)
	exprs, _ = equations(t, "$$"+strings.Repeat("😀", 500)+"x$$\n")
	assert.Empty(t, exprs)
}
