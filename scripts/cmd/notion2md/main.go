// Command notion2md prints the Markdown for a JSON array of Notion blocks,
// in either shape: Notion's answers (ids, has_children, plain_text,
// mentions; a block's children, which Notion sends separately, may be put
// under its type's "children" key) or the requests md2notion prints.
//
//	go run ./scripts/cmd/notion2md [FILE]   (standard input without FILE)
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/visen/visen/internal/convert/notion2md"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: notion2md [FILE]\nPrints the Markdown for a JSON array of Notion blocks (standard input without FILE).")
	}
	flag.Parse()
	if err := run(flag.Args(), os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "notion2md:", err)
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
		return errors.New("give one JSON file, or none to read standard input")
	}
	if err != nil {
		return fmt.Errorf("cannot read the input: %w", err)
	}
	blocks, err := notion2md.Decode(src)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, notion2md.Markdown(blocks))
	return err
}
