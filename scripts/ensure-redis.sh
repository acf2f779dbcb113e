#!/usr/bin/env bash
# The rate-limit tests start Debian's redis-server on a free loopback port
# (rate-limit-redis against a real Redis). Installs it when it is missing.
set -euo pipefail
command -v redis-server >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's redis-server for the rate-limit tests…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  exit 0
fi
echo "The rate-limit tests need redis-server: run 'sudo apt-get install redis-server' first." >&2
exit 1
