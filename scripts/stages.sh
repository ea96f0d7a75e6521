# SPDX-License-Identifier: MIT
# The stage runner of scripts/test-all, sourced (tests/stages_test.sh tests
# it with stages of its own).  A stage is a command run under "set -e" in a
# subshell; a failing stage does not stop the run: every stage runs (but
# one whose prerequisite did not pass, which is reported as skipped), and
# ag_stages_report prints each stage's result and time, then returns 1 when
# any stage failed or was skipped.
#
#   ag_stage NAME [--needs STAGE] COMMAND [ARG...]
#   ag_stages_report

declare -A _ag_stage_status=()
_ag_stage_order=()
_ag_stage_time=()

ag_stage() {
  local name=$1 needs="" rc=0 t0=$SECONDS
  shift
  if [ "${1:-}" = "--needs" ]; then
    needs=$2
    shift 2
  fi
  _ag_stage_order+=("$name")
  if [ -n "$needs" ] && [ "${_ag_stage_status[$needs]:-}" != "ok" ]; then
    _ag_stage_status[$name]="skipped ($needs did not pass)"
    _ag_stage_time+=(0)
    echo "=== $name: skipped ($needs did not pass)" >&2
    return 0
  fi
  echo "=== $name" >&2
  # not "( ... ) || rc=$?": a subshell in a || list runs without set -e
  set +e
  (
    set -e
    "$@"
  )
  rc=$?
  set -e
  _ag_stage_time+=($((SECONDS - t0)))
  if [ "$rc" -eq 0 ]; then
    _ag_stage_status[$name]="ok"
  else
    _ag_stage_status[$name]="FAILED (exit status $rc)"
    echo "=== $name: FAILED (exit status $rc); going on with the other stages" >&2
  fi
  return 0
}

ag_stages_report() {
  local i name bad=0 total=0
  echo "=== summary" >&2
  for i in "${!_ag_stage_order[@]}"; do
    name=${_ag_stage_order[$i]}
    total=$((total + _ag_stage_time[i]))
    printf '  %-14s %-32s %4d min %02d s\n' "$name" "${_ag_stage_status[$name]}" \
      $((_ag_stage_time[i] / 60)) $((_ag_stage_time[i] % 60)) >&2
    [ "${_ag_stage_status[$name]}" = "ok" ] || bad=$((bad + 1))
  done
  printf '  %-47s %4d min %02d s\n' "total" $((total / 60)) $((total % 60)) >&2
  if [ "$bad" -ne 0 ]; then
    echo "$bad of ${#_ag_stage_order[@]} stages did not pass" >&2
    return 1
  fi
  echo "all ${#_ag_stage_order[@]} stages passed" >&2
}
