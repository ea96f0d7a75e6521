#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/demo with its output redirected to a file ("scripts/demo > log
# 2>&1", CTest "demo"): the log must hold every step, in order, each
# command's output and the values built, and no NUL byte (a "tee
# /dev/stderr" truncates such a file under the writer's feet).
#   demo_redirect.sh SOURCE-DIR AUTHGRAM
set -uo pipefail
src=$1 ag=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/authgram-demo-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
AG_DEMO_AUTHGRAM=$ag bash "$src/scripts/demo" > "$tmp/log" 2>&1
rc=$?
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
[ "$rc" -eq 0 ] || bad "scripts/demo exited with status $rc"
[ "$(tr -d '\000' < "$tmp/log" | wc -c)" -eq "$(wc -c < "$tmp/log")" ] || bad "the log holds NUL bytes"
# the steps and the lines each must leave, in this order
want=(
  "== authgram check --input message data/kamailio-407.log"
  "authgram: 15 headers checked: 9 conforming, 6 with warnings, 0 failing"
  "== authgram build digest ... --header"
  'Proxy-Authenticate: Digest realm="example.org", nonce="'
  "== authgram check   (that challenge)"
  "authgram: 1 header checked: 1 conforming, 0 with warnings, 0 failing"
  "== authgram digest ... --format header"
  'Proxy-Authorization: Digest username="alice", realm="example.org", nonce="'
  "== authgram check   (that answer)"
  "authgram: 1 header checked: 1 conforming, 0 with warnings, 0 failing"
)
line=0
for w in "${want[@]}"; do
  n=$(tail -n +$((line + 1)) "$tmp/log" | grep -nF -m1 -- "$w" | cut -d: -f1)
  if [ -z "$n" ]; then
    bad "not in the log (after line $line): $w"
  else
    line=$((line + n))
  fi
done
if [ "$fail" -ne 0 ]; then
  echo "--- the log:" >&2
  cat -v "$tmp/log" >&2
  exit 1
fi
echo "scripts/demo > log 2>&1: every step in the log ($(wc -l < "$tmp/log") lines)"
