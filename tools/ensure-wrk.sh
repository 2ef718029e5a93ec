#!/usr/bin/env bash
# The benchmark's HTTP load generator: wrk (C, Debian package "wrk"). Optional: without it the
# benchmark falls back to Python client threads (slower; their figures are a floor).
set -uo pipefail
if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing wrk (HTTP load generator for the benchmark)..."
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }; then
    exit 0
  fi
fi
echo "wrk not installed (e.g. 'sudo apt-get install wrk'); the HTTP load uses Python client threads instead" >&2
exit 0
