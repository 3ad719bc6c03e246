package notionurl

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	pageHex   = "1a2b3c4d5e6f40718293a4b5c6d7e8f9"
	pageID    = "1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9"
	dbHex     = "0123456789abcdef0123456789abcdef"
	dbID      = "01234567-89ab-cdef-0123-456789abcdef"
	blockHex  = "ffeeddccbbaa99887766554433221100"
	blockID   = "ffeeddcc-bbaa-9988-7766-554433221100"
	viewHex   = "aaaabbbbccccddddeeeeffff00001111"
	upperPage = "1A2B3C4D5E6F40718293A4B5C6D7E8F9"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Address
		wantErr error
	}{
		{name: "slug and id", in: "https://www.notion.so/Quarterly-Plan-" + pageHex, want: Address{ID: pageID}},
		{name: "workspace prefix", in: "https://www.notion.so/acme/Quarterly-Plan-" + pageHex, want: Address{ID: pageID}},
		{name: "bare id path", in: "https://www.notion.so/" + pageHex, want: Address{ID: pageID}},
		{name: "dashed id path", in: "https://www.notion.so/acme/" + pageID, want: Address{ID: pageID}},
		{name: "slug with dashed id", in: "https://www.notion.so/Plan-" + pageID, want: Address{ID: pageID}},
		{name: "upper-case hex", in: "https://notion.so/Plan-" + upperPage, want: Address{ID: pageID}},
		{name: "unicode slug", in: "https://www.notion.so/%E8%A8%88%E7%94%BB-" + pageHex, want: Address{ID: pageID}},
		{name: "slug made of hex letters", in: "https://www.notion.so/face-bead-" + pageHex, want: Address{ID: pageID}},
		{name: "database view", in: "https://www.notion.so/acme/" + dbHex + "?v=" + viewHex, want: Address{ID: dbID, Database: true, View: "aaaabbbb-cccc-dddd-eeee-ffff00001111"}},
		{name: "peek view", in: "https://www.notion.so/acme/" + dbHex + "?v=" + viewHex + "&p=" + pageHex + "&pm=s", want: Address{ID: pageID}},
		{name: "peek with dashed id", in: "https://www.notion.so/" + dbHex + "?p=" + pageID, want: Address{ID: pageID}},
		{name: "block anchor", in: "https://www.notion.so/Plan-" + pageHex + "#" + blockHex, want: Address{ID: pageID, BlockID: blockID}},
		{name: "public site", in: "https://acme.notion.site/Handbook-" + pageHex, want: Address{ID: pageID}},
		{name: "notion.com", in: "https://www.notion.com/acme/Plan-" + pageHex, want: Address{ID: pageID}},
		{name: "bare id", in: pageHex, want: Address{ID: pageID}},
		{name: "dashed uuid", in: "  " + pageID + "\n", want: Address{ID: pageID}},
		{name: "query noise", in: "https://www.notion.so/Plan-" + pageHex + "?pvs=4", want: Address{ID: pageID}},
		{name: "trailing slash", in: "https://www.notion.so/Plan-" + pageHex + "/", want: Address{ID: pageID}},
		{name: "not notion", in: "https://example.com/Plan-" + pageHex, wantErr: ErrNotNotion},
		{name: "look-alike host", in: "https://notion.so.example.com/Plan-" + pageHex, wantErr: ErrNotNotion},
		{name: "look-alike host ending in notion.so", in: "https://evilnotion.so/Plan-" + pageHex, wantErr: ErrNotNotion},
		{name: "look-alike host ending in notion.site", in: "https://acme.evilnotion.site/Plan-" + pageHex, wantErr: ErrNotNotion},
		{name: "api host", in: "https://api.notion.com/v1/pages/" + pageHex, wantErr: ErrNotNotion},
		{name: "file url", in: "file:///Plan-" + pageHex, wantErr: ErrNotNotion},
		{name: "empty", in: "", wantErr: ErrNotNotion},
		{name: "browser page", in: "chrome://extensions/", wantErr: ErrNotNotion},
		{name: "notion home", in: "https://www.notion.so/", wantErr: ErrNoTarget},
		{name: "notion settings", in: "https://www.notion.so/acme/settings", wantErr: ErrNoTarget},
		{name: "short hex", in: "https://www.notion.so/Plan-" + pageHex[:31], wantErr: ErrNoTarget},
		{name: "slug glued to id", in: "https://www.notion.so/Plan" + pageHex, wantErr: ErrNoTarget},
		{name: "not hex", in: "https://www.notion.so/Plan-" + pageHex[:31] + "g", wantErr: ErrNoTarget},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestIsNotionHost checks that only Notion's own domains and their
// subdomains are Notion: a host that merely ends in the same letters, or
// holds a Notion domain before another, is someone else's.
func TestIsNotionHost(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"notion.so", true},
		{"www.notion.so", true},
		{"WWW.Notion.So.", true},
		{"acme.notion.site", true},
		{"www.notion.com", true},
		{"api.notion.com", false},
		{"evilnotion.so", false},
		{"evilnotion.com", false},
		{"acme.evilnotion.site", false},
		{"notion.so.evil.com", false},
		{"notion.sox", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			assert.Equal(t, tt.want, IsNotionHost(tt.host))
		})
	}
}

func TestPlainID(t *testing.T) {
	for _, id := range []string{pageHex, pageID, strings.ToUpper(pageID), "1A2B3C4D5E6F40718293A4B5C6D7E8F9"} {
		assert.Equal(t, pageHex, PlainID(id), id)
	}
	assert.NotEqual(t, PlainID(pageID), PlainID(dbID))
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"https://www.notion.so/Plan-" + pageHex,
		"https://www.notion.so/" + dbHex + "?v=" + viewHex + "&p=" + pageHex,
		"https://acme.notion.site/x-" + pageID + "#" + blockHex,
		pageID,
		"https://www.notion.so/%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(got.ID)
		require.NoError(t, err, "a parsed ID must parse again")
		require.Equal(t, got.ID, again.ID)
	})
}
