#!/usr/bin/env bash
# Installs what GIDS needs from Debian and npm, and nothing else. Quick when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config clang-format
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  libsoci-dev libsqlite3-dev sqlite3 libpq-dev
  libkainjow-mustache-dev libyaml-cpp-dev libsodium-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libxlsxwriter-dev libcli11-dev libspdlog-dev
  libqrencode-dev libstemmer-dev libgtest-dev
)
# Node.js may come from elsewhere on the machine (with its own npm); Debian's only if absent.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [ "${GIDS_WITH_TEST_TOOLS:-0}" = 1 ]; then
  packages+=(chromium postgresql nginx-light wrk clang-16 python3-openpyxl)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm ci only when the lock file changed since the last install.
stamp=node_modules/.gids-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
