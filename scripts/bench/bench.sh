#!/usr/bin/env bash
# What `make bench` prints: one aligned table per area, each figure beside
# its target with ✓ (met) or ✗ (not met), and under each table a line on
# what its columns mean. The areas: conversion speed beside goldmark and
# @tryfabric/martian; goldmark's parse alone, the ceiling of any converter
# built on it; requests per document; writing at Notion's rate limit;
# generation with a model at a real pace; filling database rows; long
# answers streamed in Chromium; reading a long page block by block and
# whole; Summarize to its first block at real speeds; the first block at
# the top or the end of a long page.
#
# Each area is one self-contained block below: run its benchmark, then
# print its rows through `table`. A new area is one more such block.
#
# martian comes from scripts/node_modules, installed by the project's own
# `npm ci --prefix scripts` (`make deps`); it is a dev dependency of this
# benchmark only and never ships.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C
data=internal/convert/md2notion/testdata
martian=scripts/node_modules/@tryfabric/martian
if [ ! -d "$martian" ]; then
  echo "martian is not installed: run make deps (or npm ci --prefix scripts) first." >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# table TITLE NOTE…: prints the tab-separated rows on stdin (the first is
# the header) as one table under TITLE, columns aligned by characters, not
# bytes, then each NOTE as a line under it.
table() {
  local title=$1 note
  shift
  printf '\n%s\n' "$title"
  awk -F'\t' '
    function width(s,  t) { t = s; gsub(/[\200-\277]/, "", t); return length(t) }
    function pad(n,  s) { s = ""; while (n-- > 0) s = s " "; return s }
    { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (width($i) > w[i]) w[i] = width($i) }
      if (NF > cols) cols = NF }
    END {
      for (r = 1; r <= NR; r++) {
        line = ""
        for (i = 1; i <= cols; i++) {
          s = cell[r, i]
          # The first column is a name, read left to right; figures line up on the right.
          line = line (i == 1 ? s pad(w[i] - width(s)) : "  " pad(w[i] - width(s)) s)
        }
        sub(/ +$/, "", line)
        print "  " line
        if (r == 1) { rule = ""; for (i = 1; i <= cols; i++) rule = rule (i == 1 ? "" : "  ") pad(w[i]); gsub(/ /, "-", rule); print "  " rule }
      }
    }'
  for note in "$@"; do printf '  %s\n' "$note"; done
}

# check VALUE OP TARGET prints ✓ when VALUE OP TARGET holds, else ✗.
check() {
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    ok = (op == ">=") ? v >= t : (op == "<=") ? v <= t : (op == "<") ? v < t : v > t
    print (ok ? "✓" : "✗") }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# get FILE NAME prints the value after NAME in FILE's "name value" lines.
get() { awk -v k="$2" '$1==k {print $2}' "$1"; }
# metric LINE UNIT prints the figure a Go benchmark line reports in UNIT.
# Go prints four significant digits ("38.00"); +0 gives the plain number.
metric() { awk -v u="$2" '{ for (i = 1; i < NF; i++) if ($(i+1) == u) print $i + 0 }' <<<"$1"; }

# --- Conversion speed, and goldmark's parse alone as the ceiling ---------
gobench() { # $1: extra go test flags; prints "name MB/s" lines, the best of three runs
  go test $1 -run '^$' -bench 'Convert|GoldmarkHTML|GoldmarkParse' -benchtime=1s -count=3 ./internal/convert/md2notion/ |
    awk '/^Benchmark/ { name=$1; sub(/-[0-9]+$/, "", name); for (i=1;i<=NF;i++) if ($(i+1)=="MB/s" && $i > best[name]) best[name] = $i }
      END { for (n in best) print n, best[n] }'
}
echo "Running the converter's benchmarks natively…" >&2
gobench "" >"$tmp/native.txt"
echo "Running the converter's benchmarks under wasm in Node…" >&2
# WASM_GCFLAGS: the engine's own build flags, from the Makefile.
GOOS=js GOARCH=wasm gobench "-exec=$(go env GOROOT)/lib/wasm/go_js_wasm_exec ${WASM_GCFLAGS:-}" >"$tmp/wasm.txt"

cp "$data/21-chat-article.md" "$tmp/chat.md"
cat "$data"/*.md >"$tmp/large.md"
cat >"$tmp/martian.cjs" <<'JS'
const { markdownToBlocks } = require(process.argv[2]);
const fs = require('fs');
for (const name of ['chat', 'large']) {
  const src = fs.readFileSync(`${process.argv[3]}/${name}.md`, 'utf8');
  const bytes = Buffer.byteLength(src);
  markdownToBlocks(src); // warm up
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < 2e9 || n < 3) {
    markdownToBlocks(src);
    n++;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  console.log(`martian/${name} ${(bytes * n / (elapsed / 1e9) / 1e6).toFixed(2)}`);
}
// Martian's output goes to Notion as it is: one request per 100 top-level
// blocks (it never nests deeper than one request allows).
const count = (bs) => bs.reduce((n, b) => n + 1 + count((b[b.type] && b[b.type].children) || []), 0);
for (const file of process.argv.slice(4)) {
  const blocks = markdownToBlocks(fs.readFileSync(file, 'utf8'));
  console.log(`requests/${require('path').basename(file, '.md')} ${Math.ceil(blocks.length / 100)} ${count(blocks)}`);
}
JS
echo "Timing martian…" >&2
docs="21-chat-article 18-deep-mixed-list 19-big-table 20-long-code 07-list-children 24-many-items 04-lists 15-html"
node "$tmp/martian.cjs" "$(pwd)/$martian" "$tmp" $(for d in $docs; do echo "$data/$d.md"; done) >"$tmp/martian.txt"

printf 'run\tdocument\tVisen\tgoldmark→HTML\tmartian\tVisen÷goldmark\ttarget\t\tVisen÷martian\ttarget\t\n' >"$tmp/speed.tsv"
printf 'run\tdocument\tceiling\tVisen\tVisen÷ceiling\tceiling÷martian\tmartian target\treachable\n' >"$tmp/ceiling.tsv"
for run in native wasm; do
  want=50
  [ "$run" = wasm ] && want=15
  for doc in chat large; do
    v=$(get "$tmp/$run.txt" "BenchmarkConvert/$doc")
    g=$(get "$tmp/$run.txt" "BenchmarkGoldmarkHTML/$doc")
    p=$(get "$tmp/$run.txt" "BenchmarkGoldmarkParse/$doc")
    m=$(get "$tmp/martian.txt" "martian/$doc")
    printf '%s\t%s\t%s MB/s\t%s MB/s\t%s MB/s\t%s×\t≥ 0.70×\t%s\t%s×\t≥ %s×\t%s\n' "$run" "$doc" "$v" "$g" "$m" \
      "$(ratio "$v" "$g")" "$(check "$(ratio "$v" "$g")" ">=" 0.7)" "$(ratio "$v" "$m")" "$want" "$(check "$(ratio "$v" "$m")" ">=" "$want")" >>"$tmp/speed.tsv"
    printf '%s\t%s\t%s MB/s\t%s MB/s\t%s×\t%s×\t≥ %s×\t%s\n' "$run" "$doc" "$p" "$v" "$(ratio "$v" "$p")" \
      "$(ratio "$p" "$m")" "$want" "$(check "$(ratio "$p" "$m")" ">=" "$want")" >>"$tmp/ceiling.tsv"
  done
done
table "Conversion speed: megabytes of Markdown turned into Notion blocks per second, best of 3 runs (more is faster)" <"$tmp/speed.tsv" \
  "Visen, goldmark→HTML (goldmark's own Markdown to HTML) and martian (@tryfabric/martian in Node) are speeds on the same input;" \
  "each ratio is Visen's speed over the other's. native is Go on this machine; wasm is the engine as the extension runs it, in Node." \
  "chat is a chat-style article; large is every test document joined."

table "The ceiling: goldmark's parse alone, which no converter built on goldmark can pass" <"$tmp/ceiling.tsv" \
  "ceiling is goldmark parsing with Visen's extensions and converting nothing; Visen÷ceiling is the share of it Visen keeps." \
  "reachable is ✓ when the ceiling itself beats martian by the target above: where it is ✗, no goldmark-based converter can meet that target."

# --- Requests per document, and writing at Notion's rate ----------------
echo "Running the writer's benchmarks…" >&2
go test -run '^$' -bench . -benchtime=1x ./internal/writer/ >"$tmp/writer.txt"
{
  printf 'document\tblocks\tVisen\tnaive\ttarget\t\tmartian\tmartian blocks\n'
  for d in $docs; do
    line=$(grep "BenchmarkRequests/$d-" "$tmp/writer.txt")
    read -r mreq mblocks < <(awk -v k="requests/$d" '$1==k {print $2, $3}' "$tmp/martian.txt")
    v=$(metric "$line" requests)
    n=$(metric "$line" naive-requests)
    printf '%s\t%s\t%s\t%s\t≤ naive\t%s\t%s\t%s\n' "$d" "$(metric "$line" blocks)" "$v" "$n" "$(check "$v" "<=" "$n")" "$mreq" "$mblocks"
  done
} | table "Requests to write each document (fewer is faster: Notion takes about 3 a second)" \
  "blocks is how many Notion blocks the document becomes; Visen and naive are append requests, naive being one request per parent block." \
  "martian is the requests its output needs (100 top-level blocks each) and martian blocks the blocks it made: fewer than Visen's means" \
  "content it dropped or merged, and its deep lists nest further than one request allows, so Notion would refuse some of them."

w=$(grep BenchmarkWrite1000Blocks "$tmp/writer.txt")
{
  printf 'document\tblocks\trequests\ttime\trequests÷3/s\n'
  awk '{ for (i=1;i<NF;i++) m[$(i+1)]=$i }
    END { printf "1000+ blocks\t%d\t%d\t%.2f s\t%.2f s\n", m["blocks"], m["requests"], m["ns/op"]/1e9, m["requests"]/3 }' <<<"$w"
} | table "Writing a long document through the fake Notion at its real rate limit" \
  "time is from the first request to the last block written; requests÷3/s is the same requests at exactly 3 a second, for scale." \
  "No target: the time follows from the request count above, and Notion lets a first burst of 3 through at once."

# --- Generation at a real model's pace -----------------------------------
echo "Running the generation benchmarks (streaming, first block, churn, tail)…" >&2
go test -run '^$' -bench 'Stream' -benchtime=3x ./internal/job/ >"$tmp/job.txt"
go test -run '^$' -bench 'FirstBlock|Churn|Tail' -benchtime=1x ./internal/job/ >>"$tmp/job.txt"
# jobmetric NAME UNIT prints what the job benchmark NAME reports in UNIT.
jobmetric() { metric "$(awk -v b="$1" '{ n = $1; sub(/-[0-9]+$/, "", n) } n == b' "$tmp/job.txt")" "$2"; }
{
  printf 'answer\ttime, fastest of 3\tCPU\tupdates\tupdate bytes an answer byte\n'
  for kb in 50 150 500; do
    b="BenchmarkStream/${kb}KB"
    printf '%d KB\t%.2f s\t%.2f s\t%.1f MB\t%.1f\n' "$kb" "$(jobmetric "$b" fastest-s)" "$(jobmetric "$b" cpu-s)" \
      "$(jobmetric "$b" update-MB)" "$(jobmetric "$b" update-bytes/answer-byte)"
  done
  for unit in fastest-s cpu-s; do
    r=$(ratio "$(jobmetric BenchmarkStream/150KB "$unit")" "$(jobmetric BenchmarkStream/50KB "$unit")")
    what=$([ "$unit" = cpu-s ] && echo "CPU" || echo "time")
    printf '150 KB ÷ 50 KB, %s\t%s× (≤ 3.3×)\t%s\t\t\n' "$what" "$r" "$(check "$r" "<=" 3.3)"
  done
} | table "Streaming long answers, natively, as fast as the fake model sends them in small pieces" \
  "updates is what the engine hands the background; bytes an answer byte stays flat when a token's cost does not grow with the answer." \
  "The ratio rows compare the 150 KB answer with the 50 KB one: three times the text should take at most 3.3 times as long."

fb=$(jobmetric BenchmarkFirstBlock ms-first-block)
d=$(jobmetric BenchmarkChurn deletes/doc)
{
  printf 'measure\tfigure\ttarget\t\n'
  printf 'first block, from settled to written\t%.1f ms\t≤ 50 ms + a round trip\t%s\n' "$fb" "$(check "$fb" "<=" 50)"
  printf 'deletes per document, %.0f golden documents in random chunkings\t%s\t0\t%s\n' "$(jobmetric BenchmarkChurn docs)" "$d" "$(check "$d" "<=" 0)"
  for doc in 21-chat-article 18-deep-mixed-list 07-list-children 14-footnotes 19-big-table 11-tables 09-alerts 12-math; do
    t=$(jobmetric "BenchmarkTail/$doc" ms-tail)
    n=$(jobmetric "BenchmarkTail/$doc" requests-after-last-token)
    target=$(awk -v n="$n" 'BEGIN { printf "%d", 1000 + 333 * n }')
    printf 'last token to done, %s (%.0f requests after it)\t%.0f ms\t≤ %d ms\t%s\n' "$doc" "$n" "$t" "$target" "$(check "$t" "<=" "$target")"
  done
} | table "Generation at a real pace: the first block, churn and the tail (150 tokens/s, Notion at 3 requests a second)" \
  "The fake Notion answers in-process, so a round trip is about 0. A clean run deletes nothing it wrote." \
  "The tail target is 1 s plus one rate interval (333 ms) for each request that had to wait for the last block."

# --- Filling database rows -----------------------------------------------
echo "Running the fill-rows benchmark (1, 4, 8 and 16 rows at once, a model at 80 tokens/s)…" >&2
go test -run '^$' -bench FillRows -benchtime=1x ./internal/fill/ | grep '^BenchmarkFillRows' |
  awk 'BEGIN { printf "rows at once\trows/min\tbound\t÷ bound\t÷ ceiling\trequests a row\ttarget\t\n" }
    { split($1, p, "="); c = p[2]; sub(/-[0-9]+$/, "", c)
      for (i = 1; i < NF; i++) m[$(i+1)] = $i
      rate = m["rows/min"]; bound = m["bound-rows/min"]; ceil = m["ceiling-rows/min"]; req = m["requests/row"]
      target = "—"; mark = ""
      if (c == 8) { target = "≥ 90 rows/min, ≤ 1.05 requests"; mark = (rate >= 90 && req <= 1.05) ? "✓" : "✗" }
      if (c == 16) { target = "≥ 0.85 × ceiling"; mark = (rate >= 0.85 * ceil) ? "✓" : "✗" }
      printf "%d\t%.1f\t%.1f\t%.2f\t%.2f\t%.3f\t%s\t%s\n", c, rate, bound, rate / bound, rate / ceil, req, target, mark }' |
  table "Filling database rows: a model at 80 tokens/s, 250-word answers, 300 ms to the first token; Notion at 3 requests a second" \
    "bound is the rows a minute the model allows at that many rows at once (rows at once ÷ seconds an answer × 60), or Notion's ceiling if lower." \
    "Notion's ceiling is 3 requests a second at one look at the row's page and one write a row, plus one query for every hundred rows:" \
    "about 89 rows a minute. The look keeps a read-back from ever taking a block of the row's own for Visen's."

# --- Streaming in the browser ----------------------------------------------
echo "Timing long answers in Chromium…" >&2
node --test --test-name-pattern='150 KB' scripts/test/browser/speed.test.mjs 2>&1 |
  awk 'BEGIN { printf "answer\ttime\ttarget\t\n" }
    /streaming in Chromium:/ {
      for (i = 1; i <= NF; i++) { if ($i == "KB") t[$(i-1)] = $(i+1); if ($i == "ratio") r = $(i+1) }
      printf "50 KB\t%s s\t\t\n150 KB\t%s s\t\t\n150 KB ÷ 50 KB\t%s×\t≤ 3.3×\t%s\n", t[50], t[150], r, (r + 0 <= 3.3 ? "✓" : "✗") }' |
  table "Streaming long answers in Chromium, through the popup into the fake Notion" \
    "time is from Generate to the job done; three times the text should take at most 3.3 times as long."

# --- Reading a page ----------------------------------------------------------
# A 1,000-block page three levels deep read through the fake at Notion's real
# rate limit, each answer taking a 150 ms round trip: block by block (as
# Continue and Improve still read, and every action did before) against the
# fewest requests that way allows, and whole through the markdown endpoint,
# answered whole or cut short with its left-out subtrees fetched.
echo "Running the page-reading benchmarks (1,000 blocks at 3 requests/s)…" >&2
go test -run '^$' -bench 'ReadPage|ReadWhole' -benchtime=1x ./internal/notion/ | grep '^BenchmarkRead' |
  awk 'BEGIN { printf "read\trequests\ttarget\t\ttime\n" }
    { name = $1; sub(/-[0-9]+$/, "", name); delete m
      for (i = 1; i < NF; i++) m[$(i+1)] = $i
      if (name == "BenchmarkReadPage") {
        printf "block by block (before; Continue and Improve still)\t%d\t= %d, the lower bound\t%s\t%.1f s\n", m["requests"], m["lower-bound"], (m["requests"] <= m["lower-bound"] ? "✓" : "✗"), m["s/read"]
      } else if (name ~ /whole$/) {
        printf "whole, Notion answering it whole\t%d\t1\t%s\t%.1f s\n", m["requests"], (m["requests"] <= 1 ? "✓" : "✗"), m["s/read"]
      } else {
        printf "whole, cut short after 900 blocks\t%d\t≤ 1 + %d left-out subtrees\t%s\t%.1f s\n", m["requests"], m["unknown-subtrees"], (m["requests"] <= 1 + m["unknown-subtrees"] ? "✓" : "✗"), m["s/read"]
      } }' |
  table "Reading a 1,000-block page for Summarize at Notion's rate limit (3 requests a second, 150 ms a round trip)" \
    "block by block takes one request per 100 children of each parent; whole is GET /v1/pages/{id}/markdown, plus one request for each" \
    "subtree Notion leaves out of an answer past its record limit (about 20,000; the fake is set to 900 here to show it)."

# --- From Summarize to its first block --------------------------------------
# The whole action on that page at Notion's rate and a model at a real pace:
# reading the page, the model's first token and its summary callout, and the
# first append landing at the end of the page.
echo "Running the Summarize benchmark (read, model and first block, at real speeds)…" >&2
go test -run '^$' -bench SummarizeFirstBlock -benchtime=1x ./internal/engine/ | grep '^BenchmarkSummarizeFirstBlock' |
  awk 'BEGIN { printf "read\tmodel\tNotion requests before it\ttime to the first block\t÷ block by block\ttarget\t\n" }
    { name = $1; sub(/^BenchmarkSummarizeFirstBlock\//, "", name); sub(/-[0-9]+$/, "", name); split(name, p, "/")
      for (i = 1; i < NF; i++) m[$(i+1)] = $i
      read[NR] = p[1]; model[NR] = p[2]; req[NR] = m["notion-requests-before"]; t[NR] = m["s-to-first-block"]; at[p[1] "/" p[2]] = t[NR] }
    END { for (r = 1; r <= NR; r++) {
        base = at["blocks/" model[r]]; ratio = t[r] / base
        what = (model[r] == "fast_model" ? "0.3 s, 150 tokens/s" : "1 s, 50 tokens/s")
        target = (read[r] == "whole" ? "≤ 0.25 ×" : ""); mark = (read[r] == "whole" ? (ratio <= 0.25 ? "✓" : "✗") : "")
        printf "%s\t%s\t%d\t%.2f s\t%.2f ×\t%s\t%s\n", (read[r] == "whole" ? "whole (now)" : "block by block (before)"), what, req[r], t[r], ratio, target, mark } }' |
  table "From Summarize to its first block on the 1,000-block page (Notion at 3 requests a second, 150 ms a round trip)" \
    "time runs from the click to the first block of the summary in the page: reading it, the model's first token and its callout, and" \
    "the append. Whole, the job then reads the page's top-level blocks for its last one (3 requests); block by block gave it for free." \
    "Block by block is how every Summarize read before; here it is Notion refusing the endpoint, which costs one request more."

# --- Writing at the top or the end of a long page ---------------------------
# The first block of an answer on a 1,000-block page at Notion's rate limit:
# at the end the job first reads the page for its last block; at the top
# (a summary there) it reads one page of children and sends on 2026-03-11;
# after a block (continuing at the cursor, improving a selection) it reads
# one page of children from that block.
echo "Running the first-block benchmark (a 1,000-block page at 3 requests/s)…" >&2
go test -run '^$' -bench FirstBlockOnALongPage -benchtime=1x ./internal/writer/ | grep '^BenchmarkFirstBlockOnALongPage' |
  awk 'BEGIN { printf "where\trequests\ttime to the first block\n" }
    { name = $1; sub(/^BenchmarkFirstBlockOnALongPage\//, "", name); sub(/-[0-9]+$/, "", name)
      printf "%s\t%d\t%.2f s\n", (name == "top" ? "at the top" : name == "cursor" ? "after a block near the top" : "at the end"), $5, $3 / 1e9 }' |
  table "The first block of an answer on a 1,000-block page (3 requests a second)" \
    "at the end the job reads the whole page first, to know where its own blocks begin; at the top, or after a block (the cursor's, a selection's last), one page of children is enough."
