package limits

// UTF16Len counts s as Notion and JavaScript do, in UTF-16 code units: the
// one counter, so every length check agrees with Notion's. It reads bytes,
// not runes: every UTF-8 sequence is one UTF-16 unit, but a four-byte one (a
// surrogate pair) is two.
func UTF16Len(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c&0xC0 == 0x80:
		case c >= 0xF0:
			n += 2
		default:
			n++
		}
	}
	return n
}

// SplitUTF16 cuts valid UTF-8 s into pieces of at most max UTF-16 code
// units, only at the start of a UTF-8 sequence, so never inside a surrogate
// pair, losing nothing.
func SplitUTF16(s string, max int) []string {
	if len(s) <= max {
		return []string{s}
	}
	var out []string
	start, units := 0, 0
	for i := 0; i < len(s); i++ {
		// Eight ASCII bytes at a time: the common case of code and prose.
		for units+8 <= max && i+8 <= len(s) && ascii8(s[i:i+8]) {
			units += 8
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c&0xC0 == 0x80 {
			continue
		}
		w := 1
		if c >= 0xF0 {
			w = 2
		}
		if units+w > max {
			out = append(out, s[start:i])
			start, units = i, 0
		}
		units += w
	}
	return append(out, s[start:])
}

func ascii8(s string) bool {
	return (uint64(s[0])|uint64(s[1])<<8|uint64(s[2])<<16|uint64(s[3])<<24|
		uint64(s[4])<<32|uint64(s[5])<<40|uint64(s[6])<<48|uint64(s[7])<<56)&0x8080808080808080 == 0
}
