#!/usr/bin/env bash
# PyICU and the analysis' C++ hot paths (indexer/analysis/*.cpp) compile against the system ICU:
# make sure libicu-dev, pkg-config and a C++ compiler are present.
# Installs them with apt-get when we are root on a Debian-like system; otherwise says what to do.
set -euo pipefail
if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists icu-uc icu-i18n 2>/dev/null \
  && { command -v c++ >/dev/null 2>&1 || command -v g++ >/dev/null 2>&1; }; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing libicu-dev, pkg-config and g++ (needed to build PyICU and the analysis)..."
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config g++ >/dev/null
  exit 0
fi
echo "missing system packages: install libicu-dev, pkg-config and g++ (e.g. 'sudo apt-get install libicu-dev pkg-config g++'), then retry" >&2
exit 1
