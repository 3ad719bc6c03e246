package main

import (
	"github.com/visen/visen/internal/fakeai"
	"github.com/visen/visen/internal/fakenotion"
)

// The test seed's fixed names, used by the browser tests through GET /seed.
const (
	testSecret    = "ntn_51742638402aVisenTestSecretDoNotUseAnywhere0ab"
	otherSecret   = "ntn_90817263544bOtherIntegrationSecretForTests0bcd"
	testBot       = "Visen Test Integration"
	testWorkspace = "Acme Test Workspace"
	testKey       = "sk-test-visen-0123456789abcdefghijklmnop"

	demoSecret = "ntn_demo00000000VisenDemoSecretForTheLocalDemo00ab"
	demoBot    = "Visen Demo"
	demoKey    = "sk-demo-visen"

	connectedID   = "1f0c8a2b3d4e4f5a8b9c0d1e2f3a4b5c"
	unconnectedID = "2a1b9c8d7e6f40a1b2c3d4e5f6a7b8c9"
	archivedID    = "3b2c1d0e9f8a4b7c8d6e5f4a3b2c1d0e"
	calendarID    = "4c3d2e1f0a9b4c8d9e7f6a5b4c3d2e1f"
	demoPageID    = "5d4e3f2a1b0c4d9e8f7a6b5c4d3e2f1a"
	demoDBID      = "6e5f4a3b2c1d4e0f9a8b7c6d5e4f3a2b"
)

var models = []string{"gpt-5-mini", "gpt-4.1", "gemini-2.5-flash", "openai/gpt-5-mini", "llama3.2"}

func paragraph(text string) map[string]any {
	return map[string]any{"object": "block", "type": "paragraph", "paragraph": map[string]any{
		"rich_text": []any{map[string]any{"type": "text", "text": map[string]any{"content": text}}},
	}}
}

func heading(text string) map[string]any {
	return map[string]any{"object": "block", "type": "heading_2", "heading_2": map[string]any{
		"rich_text": []any{map[string]any{"type": "text", "text": map[string]any{"content": text}}},
	}}
}

func testSeed() (fakenotion.Seed, fakeai.Config) {
	return fakenotion.Seed{
			Integrations: []fakenotion.Integration{
				{Secret: testSecret, Name: testBot, Workspace: testWorkspace},
				{Secret: otherSecret, Name: "Other Integration", Workspace: testWorkspace},
			},
			Pages: []fakenotion.Page{
				{ID: connectedID, Title: "Quarterly Plan", Emoji: "📈", Connected: []string{testBot}},
				{ID: unconnectedID, Title: "Private Notes", Emoji: "🔒", Connected: []string{"Other Integration"}},
				{ID: archivedID, Title: "Old Draft", Archived: true, Connected: []string{testBot}},
			},
			Databases: []fakenotion.Database{
				{ID: calendarID, Title: "Content Calendar", Emoji: "🗓️", Connected: []string{testBot}},
			},
			Blocks: map[string][]map[string]any{
				connectedID: {heading("Goals"), paragraph("Grow weekly active teams by 20%."), heading("Risks"), paragraph("Hiring may slip.")},
			},
		}, fakeai.Config{
			Keys: []string{testKey}, Models: models,
			Answer: "## Plan\n\nA short plan.\n\n- First step\n- Second step\n",
		}
}

func demoSeed() (fakenotion.Seed, fakeai.Config) {
	return fakenotion.Seed{
			Integrations: []fakenotion.Integration{{Secret: demoSecret, Name: demoBot, Workspace: "Demo Workspace"}},
			Pages: []fakenotion.Page{
				{ID: demoPageID, Title: "Demo Page", Emoji: "✨", Connected: []string{demoBot}},
			},
			Databases: []fakenotion.Database{
				{ID: demoDBID, Title: "Demo Content Calendar", Emoji: "🗓️", Connected: []string{demoBot}},
			},
			Blocks: map[string][]map[string]any{
				demoPageID: {paragraph("This page lives in Visen's local demo. Click the Visen icon to write into it.")},
			},
		}, fakeai.Config{
			Keys: []string{demoKey}, AllowNoKey: true, Models: models, TokensPerSecond: 40,
			Answer: demoAnswer,
		}
}

const demoAnswer = `# Launch checklist

Shipping a feature is more than merging the code. Here is a short checklist.

## Before launch

- [x] Write the announcement
- [ ] Update the **help centre**
- [ ] Brief the support team

> [!TIP]
> Launch on a Tuesday: the team is around and users are reading.

| Task | Owner | Due |
| --- | --- | --- |
| Blog post | Dana | Mon |
| Release notes | Lee | Tue |

` + "```sh\nmake release VERSION=1.4.0\n```\n"

// seedInfo is what GET /seed tells the browser tests.
func seedInfo(name string) map[string]any {
	obj := func(id, title string) map[string]any {
		return map[string]any{"id": fakenotion.Dashed(id), "title": title, "url": fakenotion.URL(title, fakenotion.Dashed(id))}
	}
	if name == "demo" {
		return map[string]any{
			"notion": map[string]any{
				"secret": demoSecret, "botName": demoBot, "workspaceName": "Demo Workspace",
				"pages":     map[string]any{"demo": obj(demoPageID, "Demo Page")},
				"databases": map[string]any{"demo": obj(demoDBID, "Demo Content Calendar")},
			},
			"ai": map[string]any{"key": demoKey, "models": models},
		}
	}
	return map[string]any{
		"notion": map[string]any{
			"secret": testSecret, "otherSecret": otherSecret, "botName": testBot, "workspaceName": testWorkspace,
			"pages": map[string]any{
				"connected":   obj(connectedID, "Quarterly Plan"),
				"unconnected": obj(unconnectedID, "Private Notes"),
				"archived":    obj(archivedID, "Old Draft"),
			},
			"databases": map[string]any{"calendar": obj(calendarID, "Content Calendar")},
		},
		"ai": map[string]any{"key": testKey, "models": models},
	}
}
