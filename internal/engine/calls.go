package engine

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"

	"github.com/visen/visen/internal/notion"
	"github.com/visen/visen/internal/notionurl"
)

// Settings are the parts of the user's settings a call needs. The popup's
// storage module has validated them.
type Settings struct {
	NotionSecret string `json:"notionSecret"`
	AIConnection
}

// ConnectionReport says what each side of a connection test found.
type ConnectionReport struct {
	Notion NotionCheck `json:"notion"`
	AI     AICheck     `json:"ai"`
}

// NotionCheck is the Notion half of a connection test.
type NotionCheck struct {
	OK bool `json:"ok"`
	notion.Integration
	Error *Failure `json:"error,omitempty"`
}

// AICheck is the provider half of a connection test.
type AICheck struct {
	OK         bool     `json:"ok"`
	ModelCount int      `json:"modelCount"`
	Error      *Failure `json:"error,omitempty"`
}

func (e *Engine) testConnection(ctx context.Context, s Settings) (any, error) {
	var (
		report ConnectionReport
		wg     sync.WaitGroup
	)
	wg.Go(func() { report.Notion = e.checkToken(ctx, s.NotionSecret) })
	wg.Go(func() {
		models, err := e.provider(s.AIConnection).Models(ctx)
		report.AI = AICheck{OK: err == nil, ModelCount: len(models)}
		if err != nil {
			report.AI.Error = failureOf(err)
		}
	})
	wg.Wait()
	return report, nil
}

// checkToken asks Notion who a token acts as, and remembers the answer for
// explaining later failures.
func (e *Engine) checkToken(ctx context.Context, secret string) NotionCheck {
	me, err := notion.New(e.notionHTTP, secret).Me(ctx)
	if err != nil {
		return NotionCheck{Error: failureOf(err)}
	}
	e.tokens.Store(sha256.Sum256([]byte(secret)), me)
	return NotionCheck{OK: true, Integration: me}
}

// checkNotion tests the Notion token alone, as the setup does the moment
// one is pasted: it says who the token acts as, or why Notion refused it.
func (e *Engine) checkNotion(ctx context.Context, s Settings) (any, error) {
	return e.checkToken(ctx, s.NotionSecret), nil
}

// InspectRequest names the tab address to inspect.
type InspectRequest struct {
	URL          string `json:"url"`
	NotionSecret string `json:"notionSecret"`
	// DataSourceID picks a database's data source; empty means the one
	// the address's view shows, or the first.
	DataSourceID string `json:"dataSourceId,omitempty"`
}

func (e *Engine) inspectTarget(ctx context.Context, req InspectRequest) (any, error) {
	at, err := notionurl.Parse(req.URL)
	switch {
	case errors.Is(err, notionurl.ErrNotNotion):
		return nil, &inputError{"not_notion_url", "This tab is not a Notion page. Open a Notion page or database, then click Visen again."}
	case errors.Is(err, notionurl.ErrNoTarget):
		return nil, &inputError{"no_target", "This Notion tab shows no page or database. Open one, then click Visen again."}
	case req.NotionSecret == "":
		return nil, &inputError{"not_configured", "Visen is not set up yet. Open Settings and add your Notion token and AI key."}
	}
	return notion.New(e.notionHTTP, req.NotionSecret).Lookup(ctx, at, req.DataSourceID)
}

// ModelsList is the answer to listModels.
type ModelsList struct {
	Models []string `json:"models"`
}

func (e *Engine) listModels(ctx context.Context, s Settings) (any, error) {
	models, err := e.provider(s.AIConnection).Models(ctx)
	if err != nil {
		return nil, err
	}
	return ModelsList{Models: models}, nil
}
