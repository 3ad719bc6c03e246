#!/usr/bin/env bash
# The whole flow with no accounts: starts the local fake Notion and fake AI
# (seeded with a demo page and a demo answer) and opens Chromium with the
# built extension, the real Notion and AI hosts mapped to the fakes. Nothing
# leaves this machine. Stop it with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
go build -o build/fakes ./scripts/fakes
coproc FAKES { exec build/fakes -seed demo; }
trap 'kill "$FAKES_PID" 2>/dev/null || true' EXIT
read -r ports <&"${FAKES[0]}"
port() { sed -E "s/.*\"$1\":([0-9]+).*/\1/" <<<"$ports"; }
tls=$(port tls)
control=$(port control)
seed=$(curl -fsS "http://127.0.0.1:$control/seed")
secret=$(sed -E 's/.*"secret":"([^"]+)".*/\1/' <<<"$seed")
key=$(sed -E 's/.*"key":"([^"]+)".*/\1/' <<<"$seed")
page=$(sed -E 's/.*"demo":\{"id":"[^"]+","title":"Demo Page","url":"([^"]+)".*/\1/' <<<"$seed")
rules=""
for h in api.notion.com www.notion.so notion.so api.openai.com generativelanguage.googleapis.com openrouter.ai; do
  rules+="MAP $h 127.0.0.1:$tls, "
done
cat <<MSG

Visen demo — everything below runs on this machine; no Notion or AI account is used.
  1. Click the Visen icon (puzzle piece → pin Visen), then the gear.
  2. Paste the demo Notion secret: $secret
     and the demo AI key: $key   (any model from Load models), then Save.
  3. Write a prompt and press Generate: the demo page fills in as the fake model writes.

MSG
profile=$(mktemp -d)
chromium --user-data-dir="$profile" --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --ignore-certificate-errors \
  --host-resolver-rules="${rules%, }" \
  --load-extension="$(pwd)/dist/chrome" --disable-extensions-except="$(pwd)/dist/chrome" \
  "$page" || true
rm -rf "$profile"
