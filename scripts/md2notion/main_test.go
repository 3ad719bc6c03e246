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
	require.NoError(t, run(nil, strings.NewReader("# Title\n\nText.\n"), &out))
	var blocks []map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &blocks))
	require.Len(t, blocks, 2)
	assert.Equal(t, "heading_1", blocks[0]["type"])

	out.Reset()
	require.NoError(t, run(nil, strings.NewReader("  \n"), &out))
	assert.Equal(t, "[]\n", out.String(), "blank input is an empty array")
}

func TestRunErrors(t *testing.T) {
	err := run([]string{"testdata-that-does-not-exist.md"}, nil, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot read the input")
	assert.NotContains(t, err.Error(), "\n")

	err = run([]string{"a.md", "b.md"}, nil, &bytes.Buffer{})
	require.Error(t, err)
}
