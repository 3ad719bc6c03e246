#!/usr/bin/env bash
# The whole flow with no accounts: starts the local fake Notion and fake AI
# (seeded with a demo page, a demo database and a model that writes about
# each prompt) and opens Chromium with the built extension, on the demo's
# start page, with the real Notion and AI hosts mapped to the fakes and
# every other host refused. Nothing leaves this machine.
#
# Besides VISEN_CHROMIUM, VISEN_BROWSER_FLAGS and VISEN_HEADLESS (see
# scripts/browser/chromium.mjs, which starts the browser), a person can set
# VISEN_DEMO_PROFILE, the browser profile kept between runs (default
# build/demo-profile; `make demo-reset` removes it). Exits non-zero, with
# the reason, when the browser does not start or stops with an error; Ctrl+C
# or closing the browser ends it.
set -euo pipefail
cd "$(dirname "$0")/../.."
profile=${VISEN_DEMO_PROFILE:-build/demo-profile}
log="$profile/chromium.log"
chromium=(node scripts/browser/chromium.mjs --profile "$profile")
# Fails at once, saying why, when there is no Chromium or one already runs
# on the profile.
"${chromium[@]}" --check

mkdir -p build
go build -o build/fakes ./scripts/fakes
while read -r name value; do
  printf -v "demo_$name" '%s' "$value"
done < <(build/fakes -describe)

coproc FAKES { exec build/fakes -seed demo; }
fakes_pid=$FAKES_PID
exec {fakes_out}<&"${FAKES[0]}"
chromium_pid=""
cleanup() {
  if [ -n "$chromium_pid" ]; then
    # Waiting lets the browser finish writing the profile kept for next time.
    kill "$chromium_pid" 2>/dev/null && wait "$chromium_pid" 2>/dev/null || true
  fi
  kill "$fakes_pid" 2>/dev/null || true
}
trap cleanup EXIT
read -r -t 30 ports <&"$fakes_out" || { echo "The local fakes did not start." >&2; exit 1; }
port() { sed -E "s/.*\"$1\":([0-9]+).*/\1/" <<<"$ports"; }
tls=$(port tls)
start="http://127.0.0.1:$(port control)/start"

# The Notion and AI hosts go to the fakes and every other name resolves to
# nothing, so the demo cannot reach the internet.
"${chromium[@]}" --fakes "$tls" dist/chrome "$start" &
chromium_pid=$!

# The browser is up once it has asked the fakes for the start page.
deadline=$((SECONDS + 60))
until read -r -t 1 event <&"$fakes_out" && [[ $event == *opened* ]]; do
  if ! kill -0 "$chromium_pid" 2>/dev/null; then
    status=0
    wait "$chromium_pid" || status=$?
    chromium_pid=""
    # The launcher has said why the browser stopped.
    exit $((status == 0 ? 1 : status))
  fi
  if ((SECONDS > deadline)); then
    echo "Chromium has not opened the start page after 60 s; it may still be starting (its messages: $log)." >&2
    break
  fi
done

cat <<MSG

Visen demo: Notion and the AI model are local fakes, so no account is used and nothing leaves this machine.

  Start page     $start   (these steps, with copy buttons)
  Notion token   $demo_token   (a personal access token: it reaches every demo page)
  Notion secret  $demo_secret   (an integration's, instead: only the demo page is connected to it)
  AI key         $demo_key
  Demo page      $demo_page
  Demo notes     $demo_notes
  Demo database  $demo_database

  1. Pin Visen: the puzzle piece at the top right, then the pin beside Visen.
  2. On the demo page, click the Visen icon: paste the token, then the key, and Save.
  3. Write a prompt and press Generate: the answer lands in the page, about what you asked.
  4. On the demo database, Fill rows runs one template, such as "Write a short intro to {{Topic}}.", over the ticked rows.

Two browser warnings are expected:
  "Not secure", https struck through: the fakes use a throwaway certificate, which this browser is told to accept.
  "unsupported command-line flag": the flags that send Notion's and the AI's addresses to the fakes.

The profile is kept in $profile, so the setup is done once (make demo-reset starts afresh).
Chromium's own messages go to $log.
Stop the demo with Ctrl+C here, or close the browser.
MSG

stopping=0
trap 'stopping=1' INT TERM
status=0
while [ "$stopping" = 0 ] && kill -0 "$chromium_pid" 2>/dev/null; do
  # wait returns when the browser exits, or early when a signal arrives.
  wait "$chromium_pid" && status=0 || status=$?
done
if [ "$stopping" = 1 ]; then
  echo "Stopping the demo."
  exit 0
fi
chromium_pid=""
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
echo "The browser was closed; the demo has stopped."
