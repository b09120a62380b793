#!/usr/bin/env bash
# Install what kwbook needs on Debian 12 and create .venv with the project; safe to run again.
# Usage: bash scripts/setup.sh [--test]   (--test adds what the test suite and `doit a11y` need: LibreOffice,
#        chromium, Node.js and Ace by DAISY, the EPUB accessibility checker, in .ace/)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(fonts-noto-cjk fonts-arphic-ukai fonts-arphic-gkai00mp libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 libgs-common
          poppler-utils python3-venv ghostscript qpdf fontconfig)  # fontconfig: fc-match, render/punctuation.has_halt
if [ "${1:-}" = "--test" ]; then
  packages+=(libreoffice-writer-nogui chromium fonts-lato git)  # git: kwbook fix refuses to rewrite uncommitted files
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "kwbook setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "kwbook needs Python 3.11 or newer" >&2; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
stamp=.venv/.kwbook-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "kwbook setup: installing the project into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  echo "$want" > "$stamp"
fi

# Ace by DAISY, pinned (the version is kwbook.a11y.ACE_VERSION): npm packages only, no install scripts, so no
# browser or Electron download; it drives Debian's chromium through PUPPETEER_EXECUTABLE_PATH (kwbook/a11y.py).
if [ "${1:-}" = "--test" ]; then
  ace_version=$(sed -n 's/^ACE_VERSION = "\([^"]*\)".*/\1/p' src/kwbook/a11y.py)
  installed=$(node -p 'require("./.ace/node_modules/@daisy/ace/package.json").version' 2>/dev/null || true)
  if [ "$installed" != "$ace_version" ]; then
    echo "kwbook setup: installing Ace by DAISY $ace_version into .ace/"
    mkdir -p .ace
    PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix .ace --ignore-scripts --save-exact --no-audit --no-fund \
      --loglevel=error "@daisy/ace@$ace_version" >/dev/null
  fi
fi
