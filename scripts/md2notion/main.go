// Command md2notion prints the Notion blocks for a Markdown file, as the JSON
// array Notion's append-block-children API takes, nested children inline.
//
//	go run ./scripts/md2notion [FILE]   (standard input without FILE)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/visen/visen/internal/mdnotion"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: md2notion [FILE]\nPrints the Notion blocks for a Markdown file (standard input without FILE).")
	}
	flag.Parse()
	if err := run(flag.Args(), os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "md2notion:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	var (
		src []byte
		err error
	)
	switch len(args) {
	case 0:
		src, err = io.ReadAll(stdin)
	case 1:
		src, err = os.ReadFile(args[0])
	default:
		return fmt.Errorf("give one Markdown file, or none to read standard input")
	}
	if err != nil {
		return fmt.Errorf("cannot read the input: %w", err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(mdnotion.Convert(src))
}
