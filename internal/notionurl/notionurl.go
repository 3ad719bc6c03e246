// Package notionurl turns the address of a Notion tab, or an ID a person
// pasted, into the page or database it points at.
package notionurl

import (
	"errors"
	"net/url"
	"strings"
)

// ErrNotNotion means the address is not on a Notion host.
var ErrNotNotion = errors.New("notionurl: not a Notion address")

// ErrNoTarget means the address is on Notion but names no page or database,
// such as the home screen or settings.
var ErrNoTarget = errors.New("notionurl: no page or database in this Notion address")

// Address is what a Notion address names: a page or database, and the
// view and block it shows.
type Address struct {
	// ID is the page or database ID in dashed, lower-case form.
	ID string
	// Database is true when the address is certainly a database view (it
	// carries ?v=); false means it may be either, and Notion must be asked.
	Database bool
	// View is the database view the address shows (its ?v=), dashed, or
	// empty.
	View string
	// BlockID is the block named by a #anchor, dashed, or empty.
	BlockID string
}

// Parse reads a Notion address or a bare or dashed ID.
func Parse(raw string) (Address, error) {
	raw = strings.TrimSpace(raw)
	if id, ok := parseID(raw); ok {
		return Address{ID: id}, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || !IsNotionHost(u.Hostname()) {
		return Address{}, ErrNotNotion
	}
	q := u.Query()
	var t Address
	if block, ok := parseID(u.Fragment); ok {
		t.BlockID = block
	}
	// A peek view (?p=) shows a page over its database: the page is in front.
	if p, ok := parseID(q.Get("p")); ok {
		t.ID = p
		return t, nil
	}
	segments := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	last, _ := url.PathUnescape(segments[len(segments)-1])
	id, ok := idAtEnd(last)
	if !ok {
		return Address{}, ErrNoTarget
	}
	t.ID = id
	t.Database = q.Get("v") != ""
	t.View, _ = parseID(q.Get("v"))
	return t, nil
}

// IsNotionHost reports whether a host name serves Notion pages.
func IsNotionHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, domain := range []string{"notion.so", "notion.com", "notion.site"} {
		if host == domain || strings.HasSuffix(host, "."+domain) {
			return host != "api.notion.com"
		}
	}
	return false
}

// PlainID is an ID without dashes, in lower case: the one form in which two
// Notion IDs compare, as Notion writes the same ID with or without dashes and
// its hex digits in either case.
func PlainID(id string) string {
	out := make([]byte, 0, 32)
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case c == '-':
		case 'A' <= c && c <= 'Z':
			out = append(out, c+'a'-'A')
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

// parseID accepts exactly a 32-hex ID or a dashed UUID.
func parseID(s string) (string, bool) {
	switch len(s) {
	case 32:
		if isHex(s) {
			return dash(s), true
		}
	case 36:
		if s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' {
			bare := strings.ReplaceAll(s, "-", "")
			if len(bare) == 32 && isHex(bare) {
				return dash(bare), true
			}
		}
	}
	return "", false
}

// idAtEnd finds the ID a slug ends with: "Title-Words-<32 hex>", a bare ID
// or a dashed UUID.
func idAtEnd(segment string) (string, bool) {
	if id, ok := parseID(segment); ok {
		return id, true
	}
	if len(segment) > 36 {
		if id, ok := parseID(segment[len(segment)-36:]); ok && segment[len(segment)-37] == '-' {
			return id, true
		}
	}
	if len(segment) > 32 {
		tail := segment[len(segment)-32:]
		if isHex(tail) && segment[len(segment)-33] == '-' {
			return dash(tail), true
		}
	}
	return "", false
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func dash(bare string) string {
	b := strings.ToLower(bare)
	return b[0:8] + "-" + b[8:12] + "-" + b[12:16] + "-" + b[16:20] + "-" + b[20:32]
}
