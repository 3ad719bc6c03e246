package main

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
)

// demoInfo is what a person needs to try the demo: the Notion token (a
// personal access token, or the integration's secret) and the AI key to
// paste, and where the demo pages and database are.
type demoInfo struct {
	Token, Secret, Key, Page, Notes, Database string
}

func newDemoInfo() demoInfo {
	info := seedInfo("demo")
	notion := info["notion"].(map[string]any)
	url := func(kind, name string) string {
		return notion[kind].(map[string]any)[name].(map[string]any)["url"].(string)
	}
	return demoInfo{
		Token:    demoPAT,
		Secret:   demoSecret,
		Key:      info["ai"].(map[string]any)["key"].(string),
		Page:     url("pages", "demo"),
		Notes:    url("pages", "notes"),
		Database: url("databases", "demo"),
	}
}

// describe prints the demo's details one to a line, as "name value", for
// the demo script to read without a JSON parser.
func describe(out io.Writer) error {
	d := newDemoInfo()
	_, err := fmt.Fprintf(out, "token %s\nsecret %s\nkey %s\npage %s\nnotes %s\ndatabase %s\n", d.Token, d.Secret, d.Key, d.Page, d.Notes, d.Database)
	return err
}

// serveStart serves the demo's start page, and the first time it is
// opened tells the demo script, on the fakes' output, that the browser is
// up and showing it.
func (f *fakes) serveStart(w http.ResponseWriter, _ *http.Request) {
	if f.seedName != "demo" {
		http.NotFound(w, nil)
		return
	}
	f.opened.Do(func() {
		if f.events != nil {
			_ = json.NewEncoder(f.events).Encode(map[string]string{"opened": "start"})
		}
	})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = startPage.Execute(w, newDemoInfo())
}

var startPage = template.Must(template.New("start").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Visen demo</title>
<meta name="viewport" content="width=device-width">
<style>
:root{color-scheme:light dark}
body{font:16px/1.6 system-ui,sans-serif;max-width:720px;margin:40px auto;padding:0 24px}
h1{font-size:32px;margin-bottom:4px}
ol>li{margin:14px 0}
.value{display:flex;gap:8px;align-items:center;margin:6px 0}
code{font:14px ui-monospace,monospace;background:rgba(135,131,120,.15);padding:2px 6px;border-radius:4px;overflow-wrap:anywhere}
button{font:inherit;font-size:14px;padding:2px 10px;cursor:pointer}
.note{font-size:14px;opacity:.8}
</style></head>
<body>
<h1>Visen demo</h1>
<p>Everything here runs on this machine. Notion and the AI model are answered by local fakes, so no account is used and nothing leaves the machine.</p>
<ol>
<li><strong>Pin Visen.</strong> Click the puzzle piece at the top right of the browser, then the pin beside <em>Visen</em>.</li>
<li><strong>Set it up once.</strong> Open the <a id="page-link" href="{{.Page}}">demo page</a> and click the Visen icon. Paste the personal access token, then the AI key, and click <em>Save</em>.
<div class="value">Personal access token: <code id="token">{{.Token}}</code> <button type="button" data-copy="token">Copy</button></div>
<div class="value">AI key: <code id="key">{{.Key}}</code> <button type="button" data-copy="key">Copy</button></div>
<p class="note">The token acts as the demo's person and reaches every demo page. To try an internal integration instead, paste its secret: <code id="secret">{{.Secret}}</code> <button type="button" data-copy="secret">Copy</button>. It reaches only the pages connected to it: the demo page, not the <a id="notes-link" href="{{.Notes}}">demo notes</a>, where Visen shows the connect steps.</p>
<p class="note">The demo keeps its browser profile, so you do this once; <code>make demo-reset</code> starts afresh.</p></li>
<li><strong>Write into the page.</strong> On the demo page, click the Visen icon, write a prompt such as <em>Write a haiku about cats.</em> and press <em>Generate</em>. The answer streams into the page as real blocks. The demo model writes about whatever your prompt asks.</li>
<li><strong>Fill a database.</strong> Open the <a id="database-link" href="{{.Database}}">demo database</a>, click the Visen icon, choose <em>Fill rows</em>, tick rows and write a template such as <em>Write a short intro to {{"{{"}}Topic{{"}}"}} for our {{"{{"}}Channel{{"}}"}} readers.</em> Each row gets its own answer.</li>
</ol>
<h2>Two browser warnings, both expected</h2>
<p class="note"><strong>“Not secure”, with https struck through:</strong> the local fakes use a throwaway certificate, which the demo's browser is told to accept.<br>
<strong>“You are using an unsupported command-line flag”:</strong> that is the flag that sends Notion's and the AI's addresses to the local fakes.</p>
<p class="note">To stop the demo, press Ctrl+C in its terminal, or close the browser.</p>
<script>
for (const b of document.querySelectorAll('button[data-copy]')) {
  b.addEventListener('click', async () => {
    const text = document.getElementById(b.dataset.copy).textContent;
    try {
      await navigator.clipboard.writeText(text);
      b.textContent = 'Copied';
    } catch {
      getSelection().selectAllChildren(document.getElementById(b.dataset.copy));
      b.textContent = 'Selected: press Ctrl+C';
    }
    setTimeout(() => { b.textContent = 'Copy'; }, 2000);
  });
}
</script>
</body></html>
`))
