#!/usr/bin/env bash
# Installs the browsers named (chromium, firefox-esr; both when none is
# named) from Debian's packages when they are missing: `make demo` and
# `make run` need Chromium alone, the browser tests both. Where there is no
# apt-get, it says what to install instead.
set -euo pipefail
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(chromium firefox-esr)
missing=()
for pkg in "${wanted[@]}"; do
  case $pkg in
    chromium)
      [ -n "${VISEN_CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || missing+=(chromium) ;;
    firefox-esr)
      command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr) ;;
    *)
      echo "install.sh: unknown browser “$pkg”; name chromium or firefox-esr." >&2
      exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Visen needs ${missing[*]}, and this machine has no apt-get to install it from Debian's packages." >&2
  echo "Install it with the system's package manager (the package is usually named chromium, and firefox-esr or firefox)," >&2
  echo "or, for Chromium, set VISEN_CHROMIUM to a Chromium or Chrome binary." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "Visen needs ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  sudo=sudo
fi
echo "Installing ${missing[*]} from Debian's packages…"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
