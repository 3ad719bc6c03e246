#!/usr/bin/env bash
# What `make bench` prints:
#  1. conversion throughput (MB/s) of internal/mdnotion on a chat-style
#     article and a large document, natively and under wasm in Node, beside
#     goldmark's own Markdown → HTML and @tryfabric/martian on the same inputs;
#  2. requests per document for the writer's plan, a naive writer, and
#     martian's output, and the time to write 1000+ blocks at Notion's rate;
#  3. generation at real speeds: streaming time and update bytes for long
#     answers, the first block's wait, deletes per document, the tail;
#  4. rows per minute when filling database rows 1, 4, 8 and 16 at once;
#  5. the time to stream 50 and 150 KB answers in Chromium.
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

# Each block below runs its benchmarks and prints one line per figure with
# its target and ✓ or ✗.
mark() { awk -v ok="$1" 'BEGIN { print (ok ? "✓" : "✗") }'; }

echo "Running the generation benchmarks (streaming, first block, churn, tail)…" >&2
go test -run '^$' -bench 'Stream' -benchtime=3x ./internal/job/ > "$tmp/job.txt"
go test -run '^$' -bench 'FirstBlock|Churn|Tail' -benchtime=1x ./internal/job/ >> "$tmp/job.txt"
metric() { # $1: benchmark name, $2: unit
  awk -v b="$1" -v u="$2" '{ n=$1; sub(/-[0-9]+$/, "", n) } n==b { for (i=2;i<NF;i++) if ($(i+1)==u) print $i }' "$tmp/job.txt"
}

# Streaming: answers streamed as fast as the fake sends them, four bytes a
# piece; the time must grow with the answer, not with its square.
printf '\n'
for kb in 50 150 500; do
  printf 'streaming %3d KB natively, fastest of 3: %6.2f s (%.2f s of CPU), %6.1f MB of updates (%.1f bytes an answer byte)\n' "$kb" \
    "$(metric "BenchmarkStream/${kb}KB" fastest-s)" "$(metric "BenchmarkStream/${kb}KB" cpu-s)" \
    "$(metric "BenchmarkStream/${kb}KB" update-MB)" "$(metric "BenchmarkStream/${kb}KB" update-bytes/answer-byte)"
done
for unit in fastest-s cpu-s; do
  r=$(awk -v a="$(metric BenchmarkStream/150KB "$unit")" -v b="$(metric BenchmarkStream/50KB "$unit")" 'BEGIN { printf "%.2f", a / b }')
  what=$([ "$unit" = cpu-s ] && echo "CPU time" || echo "time")
  printf 'streaming 150 KB / 50 KB %s: %s× (target ≤ 3.3) %s\n' "$what" "$r" "$(mark "$(awk -v r="$r" 'BEGIN { print r <= 3.3 }')")"
done

# First block: from the update that settles the first block to its write
# reaching Notion (the fake answers in-process, so a round trip is ~0).
fb=$(metric BenchmarkFirstBlock ms-first-block)
printf 'first block, settled to written: %.1f ms (target ≤ 50 ms plus one round trip) %s\n' "$fb" "$(mark "$(awk -v v="$fb" 'BEGIN { print v <= 50 }')")"

# Churn: every golden document in eight random chunkings.
d=$(metric BenchmarkChurn deletes/doc)
printf 'deletes per document over %.0f golden documents in random chunkings: %s (target 0) %s\n' "$(metric BenchmarkChurn docs)" "$d" "$(mark "$(awk -v v="$d" 'BEGIN { print v == 0 }')")"

# Tail: last token to done, at 150 tokens/s and Notion's real rate; each
# request after the last token may wait one rate interval (333 ms).
for doc in 21-chat-article 18-deep-mixed-list 07-list-children 14-footnotes 19-big-table 11-tables 09-alerts 12-math; do
  t=$(metric "BenchmarkTail/$doc" ms-tail)
  n=$(metric "BenchmarkTail/$doc" requests-after-last-token)
  target=$(awk -v n="$n" 'BEGIN { printf "%d", 1000 + 333 * n }')
  printf 'tail, last token to done, %-20s %5.0f ms, %.0f requests after it (target ≤ %d ms) %s\n' "$doc:" "$t" "$n" "$target" "$(mark "$(awk -v t="$t" -v g="$target" 'BEGIN { print t <= g }')")"
done

# Fill rows: a model at 80 tokens/s, 250-word answers, 300 ms to the first
# token, Notion at 3 requests/s; each against min(Notion's ceiling,
# rows at once ÷ seconds an answer × 60).
echo "Running the fill-rows benchmark (1, 4, 8 and 16 rows at once, a model at 80 tokens/s)…" >&2
printf '\n'
go test -run '^$' -bench FillRows -benchtime=1x ./internal/fill/ | grep '^BenchmarkFillRows' |
  awk '{ split($1, p, "="); c = p[2]; sub(/-[0-9]+$/, "", c)
         for (i=1;i<NF;i++) m[$(i+1)]=$i
         rate = m["rows/min"]; bound = m["bound-rows/min"]; ceil = m["ceiling-rows/min"]; req = m["requests/row"]
         target = ""; ok = 1
         if (c == 8) { target = " (target ≥ 90 rows/min and ≤ 1.05 requests/row)"; ok = rate >= 90 && req <= 1.05 }
         if (c == 16) { target = " (target ≥ 0.85 × the ceiling)"; ok = rate >= 0.85 * ceil }
         printf "fill rows, %2d at once: %6.1f rows/min, %.2f of the bound %.1f, %.2f of Notion'"'"'s ceiling %.0f; %.3f requests/row%s %s\n",
           c, rate, rate / bound, bound, rate / ceil, ceil, req, target, (target == "" ? "" : (ok ? "✓" : "✗")) }'

# Streaming in the browser: the built extension in Chromium, 50 and 150 KB
# answers streamed fast through the popup into the fake Notion.
echo "Timing long answers in Chromium…" >&2
printf '\n'
node --test --test-name-pattern='150 KB' scripts/browser-test/speed.test.mjs 2>&1 |
  awk '/streaming in Chromium:/ { sub(/^# /, ""); r = $0; sub(/.*ratio /, "", r); sub(/ .*/, "", r); print $0, (r + 0 <= 3.3 ? "✓" : "✗") }'
