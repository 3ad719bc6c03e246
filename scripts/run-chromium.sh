#!/usr/bin/env bash
# Opens Chromium with the built extension loaded, in a profile of its own
# kept under build/, so settings survive between runs.
set -euo pipefail
dir=$(cd "${1:-dist/chrome}" && pwd)
profile="$(pwd)/build/chromium-profile"
mkdir -p "$profile"
exec chromium --user-data-dir="$profile" --no-first-run --load-extension="$dir" \
  --disable-extensions-except="$dir" "https://www.notion.so/"
