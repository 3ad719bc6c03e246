// Package notion is Visen's access to the Notion API: a rate-limited,
// retrying transport, typed errors with human messages, and the lookups the
// extension needs.
package notion

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/jomei/notionapi"

	"github.com/visen/visen/internal/notionurl"
)

// Client talks to Notion with one integration secret.
type Client struct {
	api    *notionapi.Client
	hc     *http.Client
	secret string
}

// New makes a client that sends requests through hc, whose transport should
// be a *Transport (or wrap one).
func New(hc *http.Client, secret string) *Client {
	return &Client{api: notionapi.NewClient(notionapi.Token(secret), notionapi.WithHTTPClient(hc), notionapi.WithRetry(1)), hc: hc, secret: secret}
}

// TokenKind says how a Notion token reaches pages.
type TokenKind string

// The kinds of token. Notion sends both in the same bearer header, and
// their prefixes may change, so the kind is learnt from what Notion answers.
const (
	TokenUnknown TokenKind = ""
	// TokenPersonal is a personal access token: it acts as the person who
	// made it, on every page that person can open.
	TokenPersonal TokenKind = "personal"
	// TokenIntegration is an internal integration's secret: it reaches the
	// pages connected to the integration.
	TokenIntegration TokenKind = "integration"
)

// Integration is who a token acts as: an integration's bot, or the person
// who made a personal access token.
type Integration struct {
	Kind TokenKind `json:"kind"`
	// Name is the bot's name, or the person's.
	Name string `json:"botName"`
	// Workspace is the bot's workspace; Notion names none for a person.
	Workspace string `json:"workspaceName"`
}

// Me returns who the token acts as. Notion answers GET /v1/users/me with
// the integration's bot for an integration secret, and with the person who
// made the token for a personal access token.
func (c *Client) Me(ctx context.Context) (Integration, error) {
	u, err := c.api.User.Me(ctx)
	if err != nil {
		return Integration{}, Classify("read integration", err)
	}
	in := Integration{Kind: TokenIntegration, Name: u.Name}
	if u.Type == notionapi.UserTypePerson {
		in.Kind = TokenPersonal
	}
	if u.Bot != nil {
		in.Workspace = u.Bot.WorkspaceName
	}
	return in, nil
}

// Icon is a page or database icon: an emoji or an image address.
type Icon struct {
	Emoji string `json:"emoji,omitempty"`
	URL   string `json:"url,omitempty"`
}

// Object is a page or database, the two things Notion calls objects that
// the extension can write into.
type Object struct {
	Kind    string `json:"kind"`
	ID      string `json:"id"`
	Title   string `json:"title"`
	Icon    *Icon  `json:"icon"`
	URL     string `json:"url"`
	BlockID string `json:"blockId,omitempty"`
	// DataSources are a database's data sources, and DataSourceID the one
	// its Properties belong to and its rows come from.
	DataSources  []DataSource `json:"dataSources,omitempty"`
	DataSourceID string       `json:"dataSourceId,omitempty"`
	// Properties is the schema of a database's chosen data source.
	Properties []Schema `json:"properties,omitempty"`
}

// Lookup fetches what an address points at. Notion addresses do not say
// whether an ID is a page or a database, so a page is tried first unless
// the address is a database view, and Notion's answer corrects the guess.
// On a database, source names the data source wanted; empty means the
// one the address's view shows, or the first.
func (c *Client) Lookup(ctx context.Context, at notionurl.Address, source string) (*Object, error) {
	var (
		t   *Object
		err error
	)
	if at.Database {
		t, err = c.database(ctx, at.ID, at.View, source)
		if isWrongKind(err) {
			t, err = c.page(ctx, at.ID)
		}
	} else {
		t, err = c.page(ctx, at.ID)
		if isWrongKind(err) {
			t, err = c.database(ctx, at.ID, at.View, source)
		}
	}
	if err != nil {
		return nil, err
	}
	t.BlockID = at.BlockID
	return t, nil
}

func (c *Client) page(ctx context.Context, id string) (*Object, error) {
	p, err := c.api.Page.Get(ctx, notionapi.PageID(id))
	if err != nil {
		return nil, withObject(Classify("retrieve page", err), "page")
	}
	t := &Object{Kind: "page", ID: string(p.ID), Title: pageTitle(p), Icon: iconOf(p.Icon), URL: p.URL}
	if p.Archived {
		return nil, &Error{Kind: KindArchived, Op: "retrieve page", Object: "page"}
	}
	return t, nil
}

func withObject(err error, object string) error {
	var e *Error
	if errors.As(err, &e) {
		e.Object = object
	}
	return err
}

// isWrongKind reports Notion's answer to a page ID sent to the database
// endpoint, or the reverse.
func isWrongKind(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.NotionCode != "validation_error" {
		return false
	}
	var api *notionapi.Error
	if !errors.As(e.Err, &api) {
		return false
	}
	m := strings.ToLower(api.Message)
	return strings.Contains(m, "is a database, not a page") || strings.Contains(m, "is a page, not a database")
}

func pageTitle(p *notionapi.Page) string {
	for _, prop := range p.Properties {
		if tp, ok := prop.(*notionapi.TitleProperty); ok {
			return plain(tp.Title)
		}
	}
	return ""
}

func plain(rt []notionapi.RichText) string {
	var b strings.Builder
	for _, r := range rt {
		if r.PlainText != "" {
			b.WriteString(r.PlainText)
		} else if r.Text != nil {
			b.WriteString(r.Text.Content)
		}
	}
	return b.String()
}

func iconOf(i *notionapi.Icon) *Icon {
	switch {
	case i == nil:
		return nil
	case i.Emoji != nil:
		return &Icon{Emoji: string(*i.Emoji)}
	case i.External != nil || i.File != nil:
		return &Icon{URL: i.GetURL()}
	}
	return nil
}
