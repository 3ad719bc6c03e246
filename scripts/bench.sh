#!/usr/bin/env bash
# What `make bench` prints:
#  1. conversion throughput (MB/s) of internal/mdnotion on a chat-style
#     article and a large document, natively and under wasm in Node, beside
#     goldmark's own Markdown → HTML and @tryfabric/martian on the same inputs;
#  2. rows per minute when filling database rows at Notion's rate limit;
#  3. requests per document for the writer's plan, a naive writer, and
#     martian's output, and the time to write 1000+ blocks at Notion's rate.
# Martian is installed into a temporary folder for the run, never into the
# project.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
data=internal/mdnotion/testdata
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bench() { # $1: extra go test flags; prints "name MB/s" lines
  go test $1 -run '^$' -bench 'Convert|GoldmarkHTML|GoldmarkParse' -benchtime=2s ./internal/mdnotion/ |
    awk '/^Benchmark/ { name=$1; sub(/-[0-9]+$/, "", name); for (i=1;i<=NF;i++) if ($(i+1)=="MB/s") print name, $i }'
}
echo "Running Go benchmarks natively…" >&2
bench "" > "$tmp/native.txt"
echo "Running Go benchmarks under wasm in Node…" >&2
GOOS=js GOARCH=wasm bench "-exec=$(go env GOROOT)/lib/wasm/go_js_wasm_exec" > "$tmp/wasm.txt"

echo "Installing @tryfabric/martian into a temporary folder…" >&2
npm install --prefix "$tmp/martian" --no-audit --no-fund --silent @tryfabric/martian >/dev/null 2>&1
cp "$data/21-chat-article.md" "$tmp/chat.md"
cat "$data"/*.md > "$tmp/large.md"
cat > "$tmp/martian.cjs" <<'JS'
const { markdownToBlocks } = require(process.argv[2] + '/node_modules/@tryfabric/martian');
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
node "$tmp/martian.cjs" "$tmp/martian" "$tmp" $(for d in $docs; do echo "$data/$d.md"; done) > "$tmp/martian.txt"
echo "Running the writer's benchmarks…" >&2
go test -run '^$' -bench . -benchtime=1x ./internal/writer/ > "$tmp/writer.txt"

get() { awk -v k="$2" '$1==k {print $2}' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '\n%-8s %12s %12s %12s %12s   %-22s %-22s %-22s\n' document "Visen" "goldmark" "Visen wasm" martian "Visen/goldmark (≥0.7)" "native/martian (≥50)" "wasm/martian (≥15)"
for doc in chat large; do
  v=$(get "$tmp/native.txt" "BenchmarkConvert/$doc")
  g=$(get "$tmp/native.txt" "BenchmarkGoldmarkHTML/$doc")
  w=$(get "$tmp/wasm.txt" "BenchmarkConvert/$doc")
  m=$(get "$tmp/martian.txt" "martian/$doc")
  printf '%-8s %8s MB/s %8s MB/s %8s MB/s %8s MB/s   %-22s %-22s %-22s\n' "$doc" "$v" "$g" "$w" "$m" \
    "$(ratio "$v" "$g")×" "$(ratio "$v" "$m")×" "$(ratio "$w" "$m")×"
done
# The ceiling: goldmark's parse alone, with the same extensions, before any
# conversion. No converter built on goldmark can pass it.
printf '\n%-8s %22s %22s %26s %26s\n' document "goldmark parse" "goldmark parse (wasm)" "parse alone/martian" "parse alone (wasm)/martian"
for doc in chat large; do
  p=$(get "$tmp/native.txt" "BenchmarkGoldmarkParse/$doc")
  pw=$(get "$tmp/wasm.txt" "BenchmarkGoldmarkParse/$doc")
  m=$(get "$tmp/martian.txt" "martian/$doc")
  printf '%-8s %17s MB/s %17s MB/s %26s %26s\n' "$doc" "$p" "$pw" "$(ratio "$p" "$m")×" "$(ratio "$pw" "$m")×"
done

printf '\n%-20s %8s %10s %14s %16s\n' document blocks "requests" "naive writer" "martian (blocks)"
for d in $docs; do
  line=$(grep "BenchmarkRequests/$d-" "$tmp/writer.txt")
  metric() { awk -v u="$1" '{ for (i=1;i<NF;i++) if ($(i+1)==u) printf "%d", $i }' <<<"$line"; }
  m=$(awk -v k="requests/$d" '$1==k {print $2 " (" $3 ")"}' "$tmp/martian.txt")
  printf '%-20s %8s %10s %14s %16s\n' "$d" "$(metric blocks)" "$(metric requests)" "$(metric naive-requests)" "$m"
done
w=$(grep BenchmarkWrite1000Blocks "$tmp/writer.txt")
awk '{ for (i=1;i<NF;i++) { if ($(i+1)=="ns/op") t=$i/1e9; if ($(i+1)=="blocks") b=$i; if ($(i+1)=="requests") r=$i } }
  END { printf "\nwriting %d blocks in %d requests through the fake at 3 requests/s: %.2f s\n", b, r, t }' <<<"$w"

echo "Running the generation benchmark (a 60-block article streamed at 100 tokens/s)…" >&2
g=$(go test -run '^$' -bench Generate -benchtime=1x ./internal/job/ | grep BenchmarkGenerate)
awk '{ for (i=1;i<NF;i++) m[$(i+1)]=$i }
  END {
    printf "\ngeneration of a %d-block article: first block in Notion %d ms after it was complete (target: one rate-limit interval, 333 ms, plus a round trip)\n", m["top-blocks"], m["ms-to-first-block"]
    printf "tail from the last token to done: %d ms (target < 1000 ms)\n", m["ms-tail"]
    printf "requests: %d with progressive writing, %d writing everything once at the end\n", m["requests-progressive"], m["requests-at-end"]
  }' <<<"$g"

echo "Running the fill-rows benchmark (60 rows at Notion's real rate limit, a model that answers at once)…" >&2
go test -run '^$' -bench FillRows -benchtime=1x ./internal/fill/ | grep '^BenchmarkFillRows' |
  awk '{ name = ($1 ~ /property/) ? "a text property" : "the rows'"'"' pages"
         for (i=1;i<NF;i++) m[$(i+1)]=$i
         printf "\nfill rows into %s: %.0f rows/min, %.3f Notion requests a row (lower bound %.2f: one write a row, one query a hundred rows); at the lower bound and 3 requests/s: %.0f rows/min (ratio %.2f)\n", name, m["rows/min"], m["requests/row"], m["lower-bound-requests/row"], m["rows/min-at-lower-bound"], m["rows/min"] / m["rows/min-at-lower-bound"] }'

# Reading a page (page-aware writing): a 1,000-block page three levels deep
# read through the fake at Notion's real rate limit, each answer taking a
# 150 ms round trip, against the fewest requests Notion allows.
echo "Running the page-reading benchmark (1,000 blocks at 3 requests/s)…" >&2
go test -run '^$' -bench ReadPage -benchtime=1x ./internal/notion/ | grep '^BenchmarkReadPage' |
  awk '{ for (i=1;i<NF;i++) m[$(i+1)]=$i
         printf "\nreading a %d-block page, 3 levels deep, at 3 requests/s: %d requests (lower bound %d: one per 100 children of each parent), %.1f s (%.1f s at the lower bound)\n", m["blocks"], m["requests"], m["lower-bound"], m["s/read"], m["s-at-lower-bound"] }'
