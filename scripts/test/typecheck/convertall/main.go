// Command convertall converts many Markdown documents in one process, for
// the checks that run the whole CommonMark spec: it reads a JSON array of
// documents on stdin and prints a JSON array of their Notion block trees.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/convert/md2notion"
)

func main() {
	var docs []string
	if err := json.NewDecoder(os.Stdin).Decode(&docs); err != nil {
		fmt.Fprintln(os.Stderr, "convertall: stdin must be a JSON array of Markdown documents:", err)
		os.Exit(2)
	}
	out := make([][]notionapi.Block, len(docs))
	for i, d := range docs {
		out[i] = md2notion.Convert([]byte(d))
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "convertall:", err)
		os.Exit(1)
	}
}
