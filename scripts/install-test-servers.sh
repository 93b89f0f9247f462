#!/usr/bin/env bash
# Installs the Debian packages the tests start for real, when they are missing: redis-server and
# PostgreSQL (replay stores), and chromium when called with --browser (dashboard tests). As root it
# runs apt-get; otherwise it prints the command to run and fails, so no test is skipped unseen.
set -euo pipefail
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || [ -n "${POSTGRES_BIN:-}" ] || missing+=(postgresql)
if [ "${1:-}" = "--browser" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need Debian's ${missing[*]}: run  sudo apt-get install -y ${missing[*]}  (or set POSTGRES_BIN to PostgreSQL's bin folder), then run the tests again." >&2
  exit 1
fi
echo "--- installing Debian's ${missing[*]} for the tests"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
