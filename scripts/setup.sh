#!/usr/bin/env bash
# Installs what the engine needs on Debian/Ubuntu (GLPK's library and headers; glpsol for the
# benchmark's peer comparison) when missing. Safe to run again.
set -euo pipefail
need=()
[ -f /usr/include/glpk.h ] || need+=(libglpk-dev)
command -v glpsol >/dev/null 2>&1 || need+=(glpk-utils)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing ${need[*]} ..." >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
