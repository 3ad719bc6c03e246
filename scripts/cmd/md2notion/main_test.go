package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pipe is standard input as a pipe or file gives it: no terminal.
func pipe(s string) input {
	return input{stdin: strings.NewReader(s)}
}

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(nil, pipe("# Title\n\nText.\n"), &out, &bytes.Buffer{}))
	var blocks []map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &blocks))
	require.Len(t, blocks, 2)
	assert.Equal(t, "heading_1", blocks[0]["type"])

	out.Reset()
	require.NoError(t, run(nil, pipe("  \n"), &out, &bytes.Buffer{}))
	assert.Equal(t, "[]\n", out.String(), "blank input is an empty array")
}

func TestRunPlan(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"--plan"}, pipe("- a\n  - b\n    - c\n"), &out, &bytes.Buffer{}))
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

func TestRunPlanOfNothing(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"--plan"}, pipe(""), &out, &bytes.Buffer{}))
	assert.JSONEq(t, `{"requests": [], "blocks": 0}`, out.String())
	assert.Contains(t, out.String(), `"requests": []`)
}

func TestFlagsBeforeOrAfterTheFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "doc.md")
	require.NoError(t, os.WriteFile(file, []byte("# Title\n"), 0o600))
	tests := []struct {
		name     string
		args     []string
		wantPlan bool
		wantErr  string
	}{
		{name: "file alone", args: []string{file}},
		{name: "flag first", args: []string{"--plan", file}, wantPlan: true},
		{name: "flag after", args: []string{file, "--plan"}, wantPlan: true},
		{name: "single dash", args: []string{file, "-plan"}, wantPlan: true},
		{name: "explicit value", args: []string{file, "--plan=false"}},
		{name: "two files", args: []string{file, "--plan", file}, wantErr: "give one Markdown file, or none to read standard input; got 2"},
		{name: "unknown flag", args: []string{file, "--json"}, wantErr: "flag provided but not defined: -json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(tt.args, pipe(""), &out, &bytes.Buffer{})
			if tt.wantErr != "" {
				var usageErr *UsageError
				require.ErrorAs(t, err, &usageErr)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Contains(t, err.Error(), "usage: md2notion [--plan] [FILE]")
				assert.Empty(t, out.String())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantPlan, strings.HasPrefix(out.String(), `{`+"\n"+`  "requests"`), out.String())
			assert.Contains(t, out.String(), `"heading_1"`)
		})
	}
}

func TestHelp(t *testing.T) {
	err := run([]string{"-h"}, pipe(""), &bytes.Buffer{}, &bytes.Buffer{})
	assert.ErrorIs(t, err, flag.ErrHelp)
}

func TestRefusesWhatIsNotText(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{name: "NUL byte", input: "# Title\n\x00\x01rest", want: "standard input is not Markdown text: it has a NUL byte at byte 8; give a UTF-8 text file"},
		{name: "Latin-1", input: "caf\xe9\n", want: "standard input is not Markdown text: it has bytes that are not UTF-8 at byte 3; give a UTF-8 text file"},
		{name: "cut UTF-8", input: "ok \xe2\x82", want: "standard input is not Markdown text: it has bytes that are not UTF-8 at byte 3; give a UTF-8 text file"},
		{name: "wasm header", input: "\x00asm\x01\x00\x00\x00", want: "standard input is not Markdown text: it has a NUL byte at byte 0; give a UTF-8 text file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(nil, pipe(tt.input), &out, &bytes.Buffer{})
			var notText *NotTextError
			require.ErrorAs(t, err, &notText)
			assert.Equal(t, tt.want, err.Error())
			assert.NotContains(t, err.Error(), "\n", "one line")
			assert.Empty(t, out.String(), "nothing is printed for it")
		})
	}
}

func TestAcceptsText(t *testing.T) {
	for _, src := range []string{"\ufeff# With a byte-order mark\n", "Ünïcödé — ✓ 日本語\n", "tabs\tand\r\nCRLF\r\n"} {
		var out bytes.Buffer
		require.NoError(t, run(nil, pipe(src), &out, &bytes.Buffer{}), "%q", src)
		assert.NotEqual(t, "[]\n", out.String())
	}
}

func TestNamesTheFileItRefuses(t *testing.T) {
	file := filepath.Join(t.TempDir(), "visen.wasm")
	require.NoError(t, os.WriteFile(file, []byte("\x00asm\x01\x00\x00\x00"), 0o600))
	err := run([]string{file, "--plan"}, pipe(""), &bytes.Buffer{}, &bytes.Buffer{})
	assert.EqualError(t, err, file+" is not Markdown text: it has a NUL byte at byte 0; give a UTF-8 text file")
}

func TestSaysWhenItReadsATerminal(t *testing.T) {
	tests := []struct {
		name     string
		in       input
		args     []string
		wantNote bool
	}{
		{name: "terminal", in: input{stdin: strings.NewReader("x"), stdinIsTerminal: true}, wantNote: true},
		{name: "terminal, dash", in: input{stdin: strings.NewReader("x"), stdinIsTerminal: true}, args: []string{"-"}, wantNote: true},
		{name: "pipe", in: pipe("x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			require.NoError(t, run(tt.args, tt.in, &out, &errOut))
			if tt.wantNote {
				assert.Equal(t, "md2notion: reading Markdown from standard input; end it with Ctrl+D (Ctrl+Z then Enter on Windows), or give a file\n", errOut.String())
			} else {
				assert.Empty(t, errOut.String())
			}
			assert.Contains(t, out.String(), `"paragraph"`, "the note goes to stderr, never into the JSON")
		})
	}
}

func TestRunErrors(t *testing.T) {
	err := run([]string{"testdata-that-does-not-exist.md"}, pipe(""), &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot read the input")
	assert.NotContains(t, err.Error(), "\n")
	assert.True(t, errors.Is(err, os.ErrNotExist))
}

// FuzzCheckText checks that input is refused exactly when it holds a NUL
// byte or is not UTF-8, and that the offset named is where the text stops
// being text.
func FuzzCheckText(f *testing.F) {
	for _, seed := range []string{"", "# ok\n", "a\x00b", "caf\xe9", "\xe2\x82", "\ufeff\u2713"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		err := checkText("input", src)
		isText := bytes.IndexByte(src, 0) < 0 && utf8.Valid(src)
		if isText {
			require.NoError(t, err)
			return
		}
		var notText *NotTextError
		require.ErrorAs(t, err, &notText)
		require.Less(t, notText.Offset, len(src))
		prefix := src[:notText.Offset]
		if notText.NUL {
			assert.Equal(t, byte(0), src[notText.Offset])
			assert.NotContains(t, string(prefix), "\x00")
		} else {
			assert.True(t, utf8.Valid(prefix), "the text before the offset is UTF-8")
			assert.False(t, utf8.Valid(src[notText.Offset:]))
		}
	})
}
