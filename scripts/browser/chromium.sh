# Finding and starting Chromium, shared by run-chromium.sh and scripts/fakes/demo.sh
# (source it). A person can set:
#
#   VISEN_CHROMIUM=path       the browser to run (default: chromium, else
#                             chromium-browser or google-chrome on PATH)
#   VISEN_BROWSER_FLAGS=...   extra browser flags, split on spaces, such as
#                             "--remote-debugging-port=9222 --lang=fr"
#   VISEN_HEADLESS=1          run with no window (--headless=new), for a
#                             machine without a display or for scripts
#
# As root, Chromium refuses to start with its sandbox, so --no-sandbox is
# added and said. The browser's own messages go to a log file, so the
# terminal shows only Visen's.

# find_chromium sets chromium_bin, or explains what to install and fails.
find_chromium() {
  local c
  for c in ${VISEN_CHROMIUM:-chromium chromium-browser google-chrome}; do
    if command -v "$c" >/dev/null 2>&1; then
      chromium_bin=$(command -v "$c")
      return 0
    fi
  done
  if [ -n "${VISEN_CHROMIUM:-}" ]; then
    echo "VISEN_CHROMIUM is set to “$VISEN_CHROMIUM”, which is not a program here." >&2
  else
    echo "Chromium is not installed. On Debian or Ubuntu run: bash scripts/browser/install.sh chromium" >&2
    echo "Elsewhere, install Chromium with the system's package manager, or set VISEN_CHROMIUM to a Chromium or Chrome binary." >&2
  fi
  return 1
}

# chromium_flags sets the flags array every launch takes: root's
# --no-sandbox, headless, and the person's own flags, last so they win.
chromium_flags() {
  flags=()
  if [ "$(id -u)" -eq 0 ]; then
    flags+=(--no-sandbox)
    echo "Running as root: Chromium's sandbox is off (--no-sandbox), as Chromium requires for root."
  fi
  [ "${VISEN_HEADLESS:-0}" = 1 ] && flags+=(--headless=new)
  # Split on spaces on purpose: one variable carries several flags.
  # shellcheck disable=SC2206
  [ -n "${VISEN_BROWSER_FLAGS:-}" ] && flags+=($VISEN_BROWSER_FLAGS)
  return 0
}

# refuse_running_profile fails when a browser already runs on profile $1:
# Chromium would hand the new window to it and exit, with the old settings.
refuse_running_profile() {
  local lock pid
  lock=$(readlink "$1/SingletonLock" 2>/dev/null) || return 0
  pid=${lock##*-}
  if [ "${lock%-*}" = "$(uname -n)" ] && kill -0 "$pid" 2>/dev/null; then
    echo "A browser is already running with the profile $1 (process $pid). Close it, then start again." >&2
    return 1
  fi
}

# start_chromium LOG ARGS… starts the browser in the background, its output
# going to LOG, and sets chromium_pid.
start_chromium() {
  local log=$1
  shift
  mkdir -p "$(dirname "$log")"
  "$chromium_bin" "$@" >"$log" 2>&1 &
  chromium_pid=$!
}

# chromium_failed STATUS LOG says why the browser stopped, from its log,
# and what to do when there is no display.
chromium_failed() {
  echo "Chromium stopped with exit status $1. Its last messages (all of them are in $2):" >&2
  grep -v -e dbus -e '^\s*$' "$2" | tail -n 5 | sed 's/^/  /' >&2 || true
  if [ "${VISEN_HEADLESS:-0}" != 1 ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "There is no display here (DISPLAY and WAYLAND_DISPLAY are unset). Run the browser headless with" >&2
    echo "VISEN_HEADLESS=1 (add VISEN_BROWSER_FLAGS=--remote-debugging-port=9222 to drive it), or under a virtual" >&2
    echo "display: xvfb-run make … (Debian's package xvfb)." >&2
  fi
}
