# Shared by the interop tests (issue [G]; tests/interop/interop.cmake), sourced by
# kamailio_uac.sh and sipp_uas.sh.  Bash.
#
#  - Everything binds 127.0.0.1 only.
#  - Every process a test starts runs under timeout(1), in the background, its PID
#    recorded; on exit (trap) each is stopped by its PID: TERM, then KILL after 3 s.
#  - Missing kamailio / sipp: exit 77 (CTest: skipped), unless the environment
#    variable CI is set (even empty): then exit 1 (a CI machine must have them; scripts/setup
#    installs them).
#  - AG_KEEP_TMP=1 keeps the temporary directory (logs, SIPp's traces).

set -euo pipefail

ag_tmp=$(mktemp -d "${TMPDIR:-/tmp}/authgram-interop.XXXXXX")
ag_pids=()     # PIDs started by this test (timeout(1) wrappers) not yet reaped

say() { echo "interop: $*"; }

# alive PID: the process exists and is not a zombie
ag_alive() {
  local pid=$1 state
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/status" ]; then
    state=$(awk '/^State:/ {print $2; exit}' "/proc/$pid/status" 2>/dev/null || true)
    [ "$state" != Z ] || return 1
  fi
  return 0
}

# ag_stop PID: TERM, up to 3 s for it to end, then KILL; reaps it when it is
# ours and returns its exit status
ag_stop() {
  local pid=$1 i rc=0
  if ag_alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 30); do
      ag_alive "$pid" || break
      sleep 0.1
    done
    if ag_alive "$pid"; then
      echo "interop: PID $pid did not end on TERM: KILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || rc=$?
  return "$rc"
}

# The descendants of a PID (Linux /proc): the command under timeout(1) and, for
# kamailio, its worker processes
ag_descendants() {
  local kid
  for kid in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    echo "$kid"
    ag_descendants "$kid"
  done
}

# Stops what the test started and is still running: each wrapper by its PID
# (timeout(1) passes the TERM on to its command), then, by PID, any
# descendant that outlived it.
ag_cleanup() {
  local rc=$? pid kid kids
  set +e
  for pid in "${ag_pids[@]}"; do
    kids=$(ag_descendants "$pid")
    ag_stop "$pid" || true
    for kid in $kids; do
      if ag_alive "$kid"; then
        echo "interop: PID $kid outlived its parent: KILL" >&2
        kill -KILL "$kid" 2>/dev/null
      fi
    done
  done
  if [ "${AG_KEEP_TMP:-0}" = 1 ]; then
    echo "interop: kept $ag_tmp" >&2
  else
    rm -rf "$ag_tmp"
  fi
  exit "$rc"
}
trap ag_cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# ag_find TOOL: its path, also in the sbin directories (kamailio is in /usr/sbin,
# which a non-root PATH may lack); empty when not installed
ag_find() {
  local t=$1 d
  if command -v "$t" >/dev/null 2>&1; then
    command -v "$t"
    return 0
  fi
  for d in /usr/local/sbin /usr/sbin /sbin; do
    if [ -x "$d/$t" ]; then
      echo "$d/$t"
      return 0
    fi
  done
}

# ag_require TOOL...: exit 77 (skip) when one is missing, 1 when CI is set
ag_require() {
  local t missing=()
  for t in "$@"; do
    [ -n "$(ag_find "$t")" ] || missing+=("$t")
  done
  [ ${#missing[@]} -ne 0 ] || return 0
  if [ -n "${CI+set}" ]; then
    say "FAIL: not installed: ${missing[*]} (CI is set, so this is a failure; scripts/setup installs them)"
    exit 1
  fi
  say "SKIP: not installed: ${missing[*]} (scripts/setup installs them)"
  exit 77
}

# ag_port_in_use PORT: something is bound to it (UDP or TCP, any address)
ag_port_in_use() {
  local hex
  hex=$(printf ':%04X' "$1")
  awk -v h="$hex" 'FNR > 1 && toupper(substr($2, length($2) - 4)) == h { f = 1 }
                   END { exit !f }' /proc/net/udp /proc/net/udp6 /proc/net/tcp /proc/net/tcp6 \
    2>/dev/null
}

# ag_pick_base BASE OFFSET...: the first of BASE, BASE+1000, ... BASE+4000 at which
# every BASE+OFFSET is free (each test has its own BASE, so tests running in
# parallel do not meet; the steps of 1000 avoid a foreign process)
ag_pick_base() {
  local base=$1 step o busy
  shift
  for step in 0 1000 2000 3000 4000; do
    busy=""
    for o in "$@"; do
      if ag_port_in_use $((base + step + o)); then
        busy="$busy $((base + step + o))"
      fi
    done
    if [ -z "$busy" ]; then
      echo $((base + step))
      return 0
    fi
    echo "interop: ports in use:$busy" >&2
  done
  return 1
}

# ag_start LOG SECONDS COMMAND...: runs COMMAND in the background under
# timeout(1) (TERM at SECONDS, KILL 2 s later), output to LOG; its PID in
# ag_last_pid and in ag_pids
ag_start() {
  local log=$1 secs=$2
  shift 2
  timeout -k 2 "$secs" "$@" >"$log" 2>&1 &
  ag_last_pid=$!
  ag_pids+=("$ag_last_pid")
}

# ag_wait PID: waits for a process of ag_start, returns its exit status (124
# when timeout(1) ended it) and forgets its PID (it is reaped: the PID may be
# reused)
ag_wait() {
  local pid=$1 rc=0 p keep=()
  wait "$pid" || rc=$?
  for p in "${ag_pids[@]}"; do
    [ "$p" = "$pid" ] || keep+=("$p")
  done
  ag_pids=(${keep[@]+"${keep[@]}"})
  return "$rc"
}

# ag_stop_wait PID: stops a process of ag_start, forgets it and returns its
# exit status
ag_stop_wait() {
  local rc=0 p keep=()
  ag_stop "$1" || rc=$?
  for p in "${ag_pids[@]}"; do
    [ "$p" = "$1" ] || keep+=("$p")
  done
  ag_pids=(${keep[@]+"${keep[@]}"})
  return "$rc"
}

# ag_run LOG SECONDS COMMAND...: ag_start and ag_wait
ag_run() {
  ag_start "$@"
  ag_wait "$ag_last_pid"
}

# ag_show FILE [LINES]: the file, indented, for the output of a failing test
ag_show() {
  local f=$1 n=${2:-200}
  echo "---- $(basename "$f") (last $n lines)"
  tail -n "$n" "$f" 2>/dev/null | sed 's/^/    /' || true
  echo "----"
}

# ag_wait_ready UAC PORT SECONDS PID: polls 127.0.0.1:PORT with an OPTIONS
# (authgram_uac --ping) until a reply comes; fails when PID has ended
ag_wait_ready() {
  local uac=$1 port=$2 secs=$3 pid=$4 i
  for i in $(seq $((secs * 5))); do
    if ! ag_alive "$pid"; then
      return 1
    fi
    if ag_run "$ag_tmp/ping.log" 2 "$uac" --port "$port" --ping --timeout-ms 300; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}
