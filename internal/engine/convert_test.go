package engine

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConvertAnswersTheBlocksTheWriterSends(t *testing.T) {
	tests := []struct {
		name     string
		markdown string
		types    []string
	}{
		{"empty", "", []string{}},
		{"heading and list", "# Plan\n\n- one\n- two\n", []string{"heading_1", "bulleted_list_item", "bulleted_list_item"}},
		{"table and code", "| a | b |\n|---|---|\n| 1 | 2 |\n\n```go\nx := 1\n```\n", []string{"table", "code"}},
	}
	e := New(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, err := json.Marshal(map[string]string{"markdown": tt.markdown})
			require.NoError(t, err)
			var reply struct {
				OK   bool `json:"ok"`
				Data struct {
					Blocks []map[string]any `json:"blocks"`
				} `json:"data"`
			}
			require.NoError(t, json.Unmarshal(e.Call(context.Background(), "convert", payload), &reply))
			require.True(t, reply.OK)
			types := []string{}
			for _, b := range reply.Data.Blocks {
				types = append(types, b["type"].(string))
			}
			assert.Equal(t, tt.types, types)
		})
	}
}

func TestConvertRefusesAMalformedRequest(t *testing.T) {
	var reply Reply
	require.NoError(t, json.Unmarshal(New(nil).Call(context.Background(), "convert", []byte(`{"markdown":`)), &reply))
	assert.False(t, reply.OK)
	assert.Equal(t, "internal", reply.Error.Code)
}
