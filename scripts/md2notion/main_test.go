package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(nil, false, strings.NewReader("# Title\n\nText.\n"), &out))
	var blocks []map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &blocks))
	require.Len(t, blocks, 2)
	assert.Equal(t, "heading_1", blocks[0]["type"])

	out.Reset()
	require.NoError(t, run(nil, false, strings.NewReader("  \n"), &out))
	assert.Equal(t, "[]\n", out.String(), "blank input is an empty array")
}

func TestRunPlan(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(nil, true, strings.NewReader("- a\n  - b\n    - c\n"), &out))
	var plan struct {
		Requests []struct {
			Parent   *struct{ Request, Index int } `json:"parent"`
			Children []map[string]any              `json:"children"`
		} `json:"requests"`
		Blocks int `json:"blocks"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &plan))
	assert.Equal(t, 3, plan.Blocks)
	require.Len(t, plan.Requests, 2)
	assert.Nil(t, plan.Requests[0].Parent, "the first request goes to the page")
	require.NotNil(t, plan.Requests[1].Parent)
	assert.Equal(t, 0, plan.Requests[1].Parent.Request)
}

func TestRunErrors(t *testing.T) {
	err := run([]string{"testdata-that-does-not-exist.md"}, false, nil, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot read the input")
	assert.NotContains(t, err.Error(), "\n")

	err = run([]string{"a.md", "b.md"}, false, nil, &bytes.Buffer{})
	require.Error(t, err)
}
