package engine

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"

	"github.com/visen/visen/internal/notion"
)

// explain completes a Notion failure with who the call's token acts as,
// which decides how the failure is put: a person's token that cannot open
// a page has no access to it, while an integration's page is one to
// connect, with steps naming the integration. Notion's answer to the
// failed request does not say which it is, so GET /v1/users/me is asked
// once per token; other errors are returned as they are.
func (e *Engine) explain(ctx context.Context, err error, secret string) error {
	var ne *notion.Error
	if !errors.As(err, &ne) || ne.Token != notion.TokenUnknown {
		return err
	}
	switch ne.Kind {
	case notion.KindNotConnected, notion.KindRestricted, notion.KindNoInsert:
	default:
		return err
	}
	if secret == "" {
		return err
	}
	if who, ok := e.whoIs(ctx, secret); ok {
		ne.Token = who.Kind
		if ne.Integration == "" && who.Kind == notion.TokenIntegration {
			ne.Integration = who.Name
		}
	}
	return err
}

// secretOf is the Notion token a call's payload carries, or "".
func secretOf(payload json.RawMessage) string {
	var p struct {
		NotionSecret string `json:"notionSecret"`
	}
	if json.Unmarshal(payload, &p) != nil {
		return ""
	}
	return p.NotionSecret
}

// whoIs returns who a Notion token acts as, asking Notion the first time.
func (e *Engine) whoIs(ctx context.Context, secret string) (notion.Integration, bool) {
	key := sha256.Sum256([]byte(secret))
	if who, ok := e.tokens.Load(key); ok {
		return who.(notion.Integration), true
	}
	who, err := notion.New(e.notionHTTP, secret).Me(ctx)
	if err != nil {
		return notion.Integration{}, false
	}
	e.tokens.Store(key, who)
	return who, true
}
