package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		stdin   string
		want    string
		wantErr string
	}{
		{
			name:  "request shape on standard input",
			stdin: `[{"object":"block","type":"heading_1","heading_1":{"rich_text":[{"type":"text","text":{"content":"Title"}}]}},{"object":"block","type":"bulleted_list_item","bulleted_list_item":{"rich_text":[{"type":"text","text":{"content":"a"}}],"children":[{"object":"block","type":"paragraph","paragraph":{"rich_text":[{"type":"text","text":{"content":"b"},"annotations":{"bold":true}}]}}]}}]`,
			want:  "# Title\n\n- a\n\n  **b**\n",
		},
		{name: "empty array", stdin: "[]", want: "\n"},
		{name: "not JSON", stdin: "# Title", wantErr: "not a JSON array of Notion blocks"},
		{name: "block without a type", stdin: `[{"object":"block"}]`, wantErr: "block 1: a block has no type"},
		{name: "missing file", args: []string{"no-such-file.json"}, wantErr: "cannot read the input"},
		{name: "two files", args: []string{"a.json", "b.json"}, wantErr: "give one JSON file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(tt.args, strings.NewReader(tt.stdin), &out)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, out.String())
		})
	}
}

// TestRunAnswerShape reads a file of Notion's answers with every block type
// Visen does not write.
func TestRunAnswerShape(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"../../../internal/convert/notion2md/testdata/every-block.json"}, nil, &out))
	want, err := os.ReadFile("../../../internal/convert/notion2md/testdata/every-block.md")
	require.NoError(t, err)
	assert.Equal(t, string(want), out.String())
}
