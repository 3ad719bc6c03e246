// Command md2notion prints the Notion blocks for a Markdown file, as the JSON
// array Notion's append-block-children API takes, nested children inline.
// With --plan it prints the append requests the writer would send instead:
// each request's parent (null for the target page, or the block an earlier
// request created) and its children.
//
//	go run ./scripts/md2notion [--plan] [FILE]   (standard input without FILE)
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/visen/visen/internal/mdnotion"
	"github.com/visen/visen/internal/writer"
)

func main() {
	plan := flag.Bool("plan", false, "print the append requests instead of the block tree")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: md2notion [--plan] [FILE]\nPrints the Notion blocks for a Markdown file (standard input without FILE).")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := run(flag.Args(), *plan, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "md2notion:", err)
		os.Exit(1)
	}
}

func run(args []string, plan bool, stdin io.Reader, stdout io.Writer) error {
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
	blocks := mdnotion.Convert(src)
	if !plan {
		return enc.Encode(blocks)
	}
	p, err := writer.NewPlan(blocks)
	if err != nil {
		return err
	}
	return enc.Encode(p)
}
