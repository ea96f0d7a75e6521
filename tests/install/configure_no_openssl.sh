#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Configuring authgram on a machine without OpenSSL's headers must stop with
# an error that names the Debian package to install (CTest
# "configure_no_openssl", label install).  OpenSSL is hidden from CMake with
# CMAKE_DISABLE_FIND_PACKAGE_OpenSSL; the configure stops before any build.
#   configure_no_openssl.sh SOURCE-DIR      (environment: CMAKE, CC)
set -uo pipefail
src=$1
: "${CMAKE:=cmake}" "${CC:=cc}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/authgram-noossl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
out=$("$CMAKE" -S "$src" -B "$tmp" -DCMAKE_C_COMPILER="$CC" -DAG_TESTS=OFF \
      -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then
  echo "FAIL: configured without OpenSSL" >&2
  exit 1
fi
if ! printf '%s' "$out" | tr -s ' \n' ' ' | grep -q "libcrypto.*not found.*apt-get install libssl-dev"; then
  echo "FAIL: the configure error does not name libcrypto and libssl-dev:" >&2
  printf '%s\n' "$out" >&2
  exit 1
fi
echo "configure without OpenSSL fails naming libssl-dev: ok"
