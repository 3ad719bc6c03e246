// Command md2notion prints the Notion blocks for a Markdown file, as the JSON
// array Notion's append-block-children API takes, nested children inline.
// With --plan it prints the append requests the writer would send instead:
// each request's parent (null for the target page, or the block an earlier
// request created) and its children.
//
//	go run ./scripts/cmd/md2notion [--plan] [FILE] [--plan]   (standard input without FILE)
//
// Input that is not UTF-8 text is refused, and so are wrong arguments, with
// exit status 2; a file that cannot be read exits with 1.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/visen/visen/internal/convert/md2notion"
	"github.com/visen/visen/internal/writer"
)

const usage = `usage: md2notion [--plan] [FILE]
Prints the Notion blocks for a Markdown file (standard input without FILE).
Flags may come before or after FILE.
  --plan   print the append requests the writer would send instead of the blocks`

func main() {
	in := input{stdin: os.Stdin, stdinIsTerminal: isTerminal(os.Stdin)}
	err := run(os.Args[1:], in, os.Stdout, os.Stderr)
	var usageErr *UsageError
	var notText *NotTextError
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(os.Stderr, usage)
	case errors.As(err, &usageErr), errors.As(err, &notText):
		fmt.Fprintln(os.Stderr, "md2notion:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "md2notion:", err)
		os.Exit(1)
	}
}

// UsageError reports arguments md2notion does not take.
type UsageError struct {
	Problem string
}

func (e *UsageError) Error() string {
	return e.Problem + " (usage: md2notion [--plan] [FILE])"
}

// NotTextError reports input that is not UTF-8 text, such as a binary file,
// at the first byte that shows it.
type NotTextError struct {
	Name   string
	Offset int
	// NUL is true for a NUL byte, false for bytes that are not UTF-8.
	NUL bool
}

func (e *NotTextError) Error() string {
	what := "bytes that are not UTF-8"
	if e.NUL {
		what = "a NUL byte"
	}
	return fmt.Sprintf("%s is not Markdown text: it has %s at byte %d; give a UTF-8 text file", e.Name, what, e.Offset)
}

// input is where md2notion reads when it is given no file.
type input struct {
	stdin           io.Reader
	stdinIsTerminal bool
}

// options are the parsed command line.
type options struct {
	plan bool
	file string
}

// parseArgs takes flags before or after the file, as people write them.
func parseArgs(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("md2notion", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&o.plan, "plan", false, "print the append requests instead of the block tree")
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return o, err
			}
			return o, &UsageError{Problem: err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch len(files) {
	case 0:
	case 1:
		o.file = files[0]
	default:
		return o, &UsageError{Problem: fmt.Sprintf("give one Markdown file, or none to read standard input; got %d", len(files))}
	}
	return o, nil
}

func run(args []string, in input, stdout, stderr io.Writer) error {
	o, err := parseArgs(args)
	if err != nil {
		return err
	}
	name := o.file
	var src []byte
	if o.file == "" || o.file == "-" {
		name = "standard input"
		if in.stdinIsTerminal {
			fmt.Fprintln(stderr, "md2notion: reading Markdown from standard input; end it with Ctrl+D (Ctrl+Z then Enter on Windows), or give a file")
		}
		src, err = io.ReadAll(in.stdin)
	} else {
		src, err = os.ReadFile(o.file)
	}
	if err != nil {
		return fmt.Errorf("cannot read the input: %w", err)
	}
	if err := checkText(name, src); err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	blocks := md2notion.Convert(src)
	if !o.plan {
		return enc.Encode(blocks)
	}
	p, err := writer.NewPlan(blocks)
	if err != nil {
		return fmt.Errorf("cannot plan the requests: %w", err)
	}
	if p.Requests == nil {
		// An empty document needs no request; say so as a list, not null.
		p.Requests = []writer.Request{}
	}
	return enc.Encode(p)
}

// checkText refuses input a person would not call text. Markdown never
// holds a NUL byte, and the converter would otherwise turn every stray byte
// of a binary file into a replacement character, silently.
func checkText(name string, src []byte) error {
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return &NotTextError{Name: name, Offset: i, NUL: true}
	}
	if !utf8.Valid(src) {
		return &NotTextError{Name: name, Offset: firstInvalid(src)}
	}
	return nil
}

// firstInvalid is the offset of the first byte that is not valid UTF-8.
func firstInvalid(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(src)
}

// isTerminal reports whether f is a terminal rather than a pipe or a file.
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
