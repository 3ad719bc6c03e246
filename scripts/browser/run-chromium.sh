#!/usr/bin/env bash
# Opens Chromium with the built extension loaded (dist/chrome, or the folder
# given), on Notion, in a profile of its own kept under build/, so settings
# survive between runs. VISEN_CHROMIUM, VISEN_BROWSER_FLAGS and
# VISEN_HEADLESS work as scripts/browser/chromium.sh says. Exits non-zero, with the
# reason, when the browser does not start or stops with an error.
set -euo pipefail
dir=$(cd "${1:-dist/chrome}" && pwd)
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/browser/chromium.sh
. scripts/browser/chromium.sh
find_chromium
profile="$(pwd)/build/chromium-profile"
log=build/chromium.log
mkdir -p "$profile"
refuse_running_profile "$profile"
chromium_flags
start_chromium "$log" --user-data-dir="$profile" --no-first-run --no-default-browser-check \
  --load-extension="$dir" --disable-extensions-except="$dir" "${flags[@]}" "https://www.notion.so/"
echo "Starting Chromium with Visen loaded (profile build/chromium-profile; Chromium's own messages go to $log)."
echo "Stop it by closing the browser, or with Ctrl+C here."
stopping=0
trap 'stopping=1; kill "$chromium_pid" 2>/dev/null || true' INT TERM
status=0
while kill -0 "$chromium_pid" 2>/dev/null; do
  wait "$chromium_pid" && status=0 || status=$?
done
if [ "$stopping" = 0 ] && [ "$status" -ne 0 ]; then
  chromium_failed "$status" "$log"
  exit "$status"
fi
