#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The stage runner of scripts/test-all (scripts/stages.sh): a failing stage
# does not hide the ones after it, a stage stops at its first failing
# command, a stage whose prerequisite failed is skipped, and the report
# names every stage and fails the run (CTest "test_all_stages").
#   stages_test.sh SOURCE-DIR
set -uo pipefail
src=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/authgram-stages.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

(
  set -euo pipefail
  # shellcheck source=../scripts/stages.sh
  . "$src/scripts/stages.sh"
  first() { touch "$tmp/first"; }
  broken() { echo "broken runs"; false; touch "$tmp/after-false"; }
  dependent() { touch "$tmp/dependent"; }
  last() { touch "$tmp/last"; }
  ag_stage one first
  ag_stage two broken
  ag_stage three --needs two dependent
  ag_stage four --needs one last
  ag_stages_report
) > "$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 1 ] || bad "the run exited with $rc, not 1"
[ -e "$tmp/first" ] || bad "stage one did not run"
[ -e "$tmp/after-false" ] && bad "stage two went on after a failing command"
[ -e "$tmp/dependent" ] && bad "stage three ran although stage two failed"
[ -e "$tmp/last" ] || bad "stage four did not run after stage two failed"
for w in "one  *ok" "two  *FAILED (exit status 1)" "three  *skipped (two did not pass)" "four  *ok" \
         "2 of 4 stages did not pass"; do
  grep -q -- "$w" "$tmp/out" || bad "the report lacks '$w'"
done

(
  set -euo pipefail
  . "$src/scripts/stages.sh"
  ag_stage a true
  ag_stage b --needs a true
  ag_stages_report
) > "$tmp/out2" 2>&1
rc=$?
[ "$rc" -eq 0 ] || bad "a run of passing stages exited with $rc"
grep -q "all 2 stages passed" "$tmp/out2" || bad "no 'all 2 stages passed'"

if [ "$fail" -ne 0 ]; then
  cat "$tmp/out" "$tmp/out2" >&2
  exit 1
fi
echo "stage runner: ok"
