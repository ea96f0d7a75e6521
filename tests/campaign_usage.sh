#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz/campaign's messages name the harnesses as a clean list (no stray
# " ," or " )" from a trailing separator), and an unknown harness is a usage
# error (exit 2) that lists them.  Runs nothing: the harness is refused
# before any build (CTest "campaign_usage").
#   campaign_usage.sh SOURCE-DIR
set -uo pipefail
src=$1
err=$(bash "$src/fuzz/campaign" --harness nope --build /nonexistent 2>&1 >/dev/null)
rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: exit status $rc for an unknown harness, not 2" >&2; exit 1; }
want="campaign: no harness 'nope' (have: $(cd "$src/fuzz" && ls h_*.c | sed 's/^h_\(.*\)\.c$/\1/' | tr '\n' ' ' | sed 's/ $//'))"
[ "$err" = "$want" ] || { printf 'FAIL: got      [%s]\n      expected [%s]\n' "$err" "$want" >&2; exit 1; }
echo "campaign usage: ok"
