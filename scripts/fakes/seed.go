package main

import (
	"fmt"

	"github.com/visen/visen/internal/testworld/fakeai"
	"github.com/visen/visen/internal/testworld/fakenotion"
)

// The test seed's fixed names, used by the browser tests through GET /seed.
const (
	testSecret  = "ntn_51742638402aVisenTestSecretDoNotUseAnywhere0ab"
	otherSecret = "ntn_90817263544bOtherIntegrationSecretForTests0bcd"
	testBot     = "Visen Test Integration"
	// testPAT is a personal access token of Ada's: it reaches every page
	// but Grace's private one, with no connection.
	testPAT       = "ntn_63829104755cAdaPersonalAccessTokenForTests0cde"
	testPerson    = "Ada Lovelace"
	testWorkspace = "Acme Test Workspace"
	testKey       = "sk-test-visen-0123456789abcdefghijklmnop"

	demoSecret = "ntn_demo00000000VisenDemoSecretForTheLocalDemo00ab"
	demoBot    = "Visen Demo"
	demoPAT    = "ntn_demo11111111PersonalTokenForTheLocalDemo0001cd"
	demoKey    = "sk-demo-visen"

	connectedID   = "1f0c8a2b3d4e4f5a8b9c0d1e2f3a4b5c"
	unconnectedID = "2a1b9c8d7e6f40a1b2c3d4e5f6a7b8c9"
	archivedID    = "3b2c1d0e9f8a4b7c8d6e5f4a3b2c1d0e"
	calendarID    = "4c3d2e1f0a9b4c8d9e7f6a5b4c3d2e1f"
	demoPageID    = "5d4e3f2a1b0c4d9e8f7a6b5c4d3e2f1a"
	demoDBID      = "6e5f4a3b2c1d4e0f9a8b7c6d5e4f3a2b"
	// The "Reading test" page holds every kind of block, for page-aware
	// writing; its child page and database are inside it.
	readingID      = "7a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d"
	readingChildID = "8b2c3d4e5f6a4b7c9d8e0f1a2b3c4d5e"
	readingDBID    = "9c3d4e5f6a7b4c8d8e9f1a2b3c4d5e6f"
	// Grace's private page, which Ada's token cannot open.
	gracesID = "0d4e5f6a7b8c4d9e8f0a1b2c3d4e5f6a"
	// The demo's notes page, which the demo integration is not connected
	// to and the demo's personal token reaches.
	demoNotesID = "1e5f6a7b8c9d4e0f9a1b2c3d4e5f6a7b"
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
				{Secret: testPAT, Name: testPerson, Email: "ada@acme.test", Person: true},
			},
			Pages: append([]fakenotion.Page{
				{ID: connectedID, Title: "Quarterly Plan", Emoji: "📈", Connected: []string{testBot}},
				{ID: unconnectedID, Title: "Private Notes", Emoji: "🔒", Connected: []string{"Other Integration"}},
				{ID: archivedID, Title: "Old Draft", Archived: true, Connected: []string{testBot}},
				{ID: readingID, Title: "Reading test", Emoji: "📖", Connected: []string{testBot}},
				{ID: readingChildID, Title: "Meeting notes", Parent: readingID},
				{ID: gracesID, Title: "Grace's Notes", Emoji: "🗝️", Private: "Grace Hopper"},
			}, calendarRows()...),
			Databases: []fakenotion.Database{
				{ID: calendarID, Title: "Content Calendar", Emoji: "🗓️", Connected: []string{testBot}, Properties: calendarSchema},
				{ID: readingDBID, Title: "Tasks", Parent: readingID},
			},
			Blocks: map[string][]map[string]any{
				connectedID: {heading("Goals"), paragraph("Grow weekly active teams by 20%."), heading("Risks"), paragraph("Hiring may slip.")},
				readingID:   fakenotion.ReadingBlocks(readingChildID, readingDBID),
			},
		}, fakeai.Config{
			Keys: []string{testKey}, Models: models,
			Answer: "## Plan\n\nA short plan.\n\n- First step\n- Second step\n",
		}
}

func demoSeed() (fakenotion.Seed, fakeai.Config) {
	return fakenotion.Seed{
			Integrations: []fakenotion.Integration{
				{Secret: demoSecret, Name: demoBot, Workspace: "Demo Workspace"},
				{Secret: demoPAT, Name: "Demo Person", Email: "demo@visen.test", Person: true},
			},
			Pages: append([]fakenotion.Page{
				{ID: demoPageID, Title: "Demo Page", Emoji: "✨", Connected: []string{demoBot}},
				{ID: demoNotesID, Title: "Demo Notes", Emoji: "🗒️"},
			}, demoRows()...),
			Databases: []fakenotion.Database{
				{ID: demoDBID, Title: "Demo Content Calendar", Emoji: "🗓️", Connected: []string{demoBot}, Properties: demoSchema},
			},
			Blocks: map[string][]map[string]any{
				demoPageID:  {paragraph("This page lives in Visen's local demo. Click the Visen icon to write into it.")},
				demoNotesID: {paragraph("The demo integration is not connected to this page. The demo's personal access token writes into it all the same; the integration secret shows the connect steps.")},
			},
		}, fakeai.Config{
			Keys: []string{demoKey}, AllowNoKey: true, Models: models, TokensPerSecond: 80,
			Answer: demoAnswer,
		}
}

// demoAnswer is the demo model's answer to every prompt, about what that
// prompt asks (see fakeai.Topic), with every kind of block Visen writes.
const demoAnswer = `# {{title}}

> [!NOTE]
> You asked: {{prompt}}

Here is a short piece on **{{topic}}**, written by Visen's *local demo model*. It runs on this machine, so the words are simple, but every block is a real Notion block: ` + "`inline code`" + `, [a link](https://www.notion.so/), lists, a table and an equation.

## Three steps for {{topic}}

1. Say in one sentence why {{topic}} matters.
2. List what a reader needs to know about {{topic}}.
3. End with one thing to do next.

## Checklist

- [x] Choose the angle on {{topic}}
- [ ] Ask a colleague to read it
- [ ] Publish it

| Part | About {{topic}} |
| --- | --- |
| Opening | why it matters |
| Middle | what to know |
| Close | what to do next |

$$
\text{reading time} = \frac{\text{words}}{200}\ \text{min}
$$

` + "```sh\necho \"{{topic}}\"\n```" + `

<details>
<summary>How this answer was made</summary>

The demo model writes the same answer for the same prompt, with the topic taken from the prompt's words. A real model writes far better ones.

</details>
`

// seedInfo is what GET /seed tells the browser tests.
func seedInfo(name string) map[string]any {
	obj := func(id, title string) map[string]any {
		return map[string]any{"id": fakenotion.Dashed(id), "title": title, "url": fakenotion.URL(title, fakenotion.Dashed(id))}
	}
	if name == "demo" {
		return map[string]any{
			"notion": map[string]any{
				"secret": demoSecret, "botName": demoBot, "workspaceName": "Demo Workspace",
				"personalToken": demoPAT, "person": "Demo Person",
				"pages":     map[string]any{"demo": obj(demoPageID, "Demo Page"), "notes": obj(demoNotesID, "Demo Notes")},
				"databases": map[string]any{"demo": withRows(obj(demoDBID, "Demo Content Calendar"), demoRows())},
			},
			"ai": map[string]any{"key": demoKey, "models": models},
		}
	}
	return map[string]any{
		"notion": map[string]any{
			"secret": testSecret, "otherSecret": otherSecret, "botName": testBot, "workspaceName": testWorkspace,
			"personalToken": testPAT, "person": testPerson,
			"pages": map[string]any{
				"connected":   obj(connectedID, "Quarterly Plan"),
				"unconnected": obj(unconnectedID, "Private Notes"),
				"archived":    obj(archivedID, "Old Draft"),
				"reading":     obj(readingID, "Reading test"),
				"private":     obj(gracesID, "Grace's Notes"),
			},
			"databases": map[string]any{"calendar": withRows(obj(calendarID, "Content Calendar"), calendarRows())},
		},
		"ai": map[string]any{"key": testKey, "models": models},
	}
}

// withRows adds a database's rows, in seed order, to what GET /seed says.
func withRows(db map[string]any, rows []fakenotion.Page) map[string]any {
	list := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		id := fakenotion.Dashed(r.ID)
		list = append(list, map[string]any{"id": id, "title": r.Title, "url": fakenotion.URL(r.Title, id)})
	}
	db["rows"] = list
	return db
}

func options(names ...string) []fakenotion.Option {
	out := make([]fakenotion.Option, len(names))
	for i, n := range names {
		out[i] = fakenotion.Option{Name: n}
	}
	return out
}

// calendarSchema has every common property type; Summary is the text
// property answers can go into.
var calendarSchema = []fakenotion.Property{
	{Name: "Name", Type: "title"},
	{Name: "Topic", Type: "rich_text"},
	{Name: "Status", Type: "status", Options: options("Not started", "In progress", "Done")},
	{Name: "Channel", Type: "select", Options: options("Blog", "Newsletter", "Social")},
	{Name: "Tags", Type: "multi_select", Options: options("AI", "Product", "Tips")},
	{Name: "Publish date", Type: "date"},
	{Name: "Ready", Type: "checkbox"},
	{Name: "Words", Type: "number"},
	{Name: "Link", Type: "url"},
	{Name: "Owner email", Type: "email"},
	{Name: "Phone", Type: "phone_number"},
	{Name: "Owner", Type: "people"},
	{Name: "Related", Type: "relation", RelationTo: calendarID},
	{Name: "Summary", Type: "rich_text"},
	{Name: "Score", Type: "formula", Expression: `if(prop("Ready"), "High", "Low")`},
	{Name: "Total words", Type: "rollup"},
}

// rowID is the ID of a seeded row: 32 hex digits, as a Notion ID has, so
// the row's address and page work like any page's.
func rowID(prefix string, i int) string {
	return fmt.Sprintf("%s%0*x", prefix, 32-len(prefix), i)
}

func richValue(s string) map[string]any {
	return map[string]any{"rich_text": []any{map[string]any{"type": "text", "text": map[string]any{"content": s}}}}
}

// calendarRows are the Content Calendar's rows. "Broken row" is the one
// the browser tests make fail.
func calendarRows() []fakenotion.Page {
	type r struct {
		title, topic, status, channel, date string
		tags                                []string
		ready                               bool
		words                               float64
	}
	rows := []r{
		{"Launch post", "our spring launch", "In progress", "Blog", "2026-03-02", []string{"Product"}, true, 900},
		{"Pricing FAQ", "the new prices", "Not started", "Newsletter", "2026-03-05", []string{"Product"}, false, 600},
		{"Broken row", "a row that fails", "Not started", "Social", "", nil, false, 0},
		{"Writing tips", "five writing tips", "Done", "Social", "2026-02-20", []string{"Tips"}, true, 300},
		{"AI roundup", "this month in AI", "In progress", "Newsletter", "2026-03-10", []string{"AI"}, false, 1200},
		{"Customer story", "how Acme ships weekly", "Not started", "Blog", "2026-03-12", nil, false, 0},
		{"Release notes", "version 1.4", "Done", "Blog", "2026-02-28", []string{"Product"}, true, 450},
		{"Webinar invite", "our April webinar", "Not started", "Newsletter", "", nil, false, 0},
		{"Hiring post", "we are hiring engineers", "In progress", "Social", "2026-03-15", nil, false, 250},
		{"Year in review", "", "Not started", "", "", nil, false, 0},
		{"Onboarding guide", "getting started in ten minutes", "Done", "Blog", "2026-01-30", []string{"Tips", "Product"}, true, 1500},
		{"Security update", "our security practices", "Not started", "Newsletter", "2026-03-20", nil, false, 0},
	}
	out := make([]fakenotion.Page, 0, len(rows))
	for i, row := range rows {
		props := map[string]any{
			"Status":      map[string]any{"status": map[string]any{"name": row.status}},
			"Ready":       map[string]any{"checkbox": row.ready},
			"Owner":       map[string]any{"people": []any{map[string]any{"object": "user", "id": "8f0f3e6a-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "name": "Dana Reyes"}}},
			"Score":       map[string]any{"formula": map[string]any{"type": "string", "string": map[bool]string{true: "High", false: "Low"}[row.ready]}},
			"Total words": map[string]any{"rollup": map[string]any{"type": "number", "number": row.words * 2, "function": "sum"}},
		}
		if row.topic != "" {
			props["Topic"] = richValue(row.topic)
		}
		if row.channel != "" {
			props["Channel"] = map[string]any{"select": map[string]any{"name": row.channel}}
		}
		if row.date != "" {
			props["Publish date"] = map[string]any{"date": map[string]any{"start": row.date}}
		}
		if len(row.tags) > 0 {
			var tags []any
			for _, t := range row.tags {
				tags = append(tags, map[string]any{"name": t})
			}
			props["Tags"] = map[string]any{"multi_select": tags}
		}
		if row.words > 0 {
			props["Words"] = map[string]any{"number": row.words}
			props["Link"] = map[string]any{"url": fmt.Sprintf("https://example.com/posts/%d", i+1)}
			props["Owner email"] = map[string]any{"email": "dana@example.com"}
			props["Phone"] = map[string]any{"phone_number": "+1 555 0100"}
		}
		if i > 0 {
			props["Related"] = map[string]any{"relation": []any{map[string]any{"id": fakenotion.Dashed(rowID("7a", 1))}}}
		}
		out = append(out, fakenotion.Page{ID: rowID("7a", i+1), Title: row.title, Parent: calendarID, Properties: props})
	}
	return out
}

var demoSchema = []fakenotion.Property{
	{Name: "Name", Type: "title"},
	{Name: "Topic", Type: "rich_text"},
	{Name: "Channel", Type: "select", Options: options("Blog", "Newsletter", "Social")},
	{Name: "Publish date", Type: "date"},
	{Name: "Ready", Type: "checkbox"},
	{Name: "Summary", Type: "rich_text"},
}

func demoRows() []fakenotion.Page {
	rows := [][3]string{
		{"Launch post", "our spring launch", "Blog"},
		{"Pricing FAQ", "the new prices", "Newsletter"},
		{"Writing tips", "five writing tips", "Social"},
		{"AI roundup", "this month in AI", "Newsletter"},
		{"Customer story", "how Acme ships weekly", "Blog"},
	}
	out := make([]fakenotion.Page, 0, len(rows))
	for i, r := range rows {
		out = append(out, fakenotion.Page{ID: rowID("8b", i+1), Title: r[0], Parent: demoDBID, Properties: map[string]any{
			"Topic":   richValue(r[1]),
			"Channel": map[string]any{"select": map[string]any{"name": r[2]}},
		}})
	}
	return out
}
