package md2notion

// UTF16Len counts s as Notion and JavaScript do, in UTF-16 code units. It is
// the project's one counter, so every length check agrees with Notion's.
func UTF16Len(s string) int { return utf16Len(s) }

// SplitUTF16 cuts valid UTF-8 s into pieces of at most max UTF-16 code units,
// never inside a character, losing nothing.
func SplitUTF16(s string, max int) []string { return splitUTF16(s, max) }
