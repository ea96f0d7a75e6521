# SPDX-License-Identifier: MIT
# Shared by the interop tests (issue [G]; tests/interop/interop.cmake), sourced by
# kamailio_uac.sh and sipp_uas.sh.  Bash.
#
#  - Everything binds 127.0.0.1 only.
#  - Every process a test starts runs under timeout(1), in the background, its PID
#    recorded; on exit (trap) each is stopped by its PID: TERM, then KILL only
#    when it has not ended after a grace of $ag_grace seconds.
#  - No verdict depends on how fast the machine is (issue [H], finding 13: under
#    load 6, ASan's leak check at exit outlasted a 2 s grace and the KILL failed
#    the test).  Every bound below stops a hung process; none is an expectation.
#    Readiness is polled, never slept for; a server's exit is waited for and
#    judged by what it printed and returned.
#  - Missing kamailio / sipp: exit 77 (CTest: skipped), unless the environment
#    variable CI is set (even empty): then exit 1 (a CI machine must have them; scripts/setup
#    installs them).
#  - AG_KEEP_TMP=1 keeps the temporary directory (logs, SIPp's traces).

set -euo pipefail

# Bounds in seconds (the environment may raise them).  The ctest TIMEOUT of
# interop.cmake (600) is above a test's worst sum: ready + client + grace.
ag_grace=${AG_GRACE:-90}                  # from TERM to a process's own exit
ag_ready_seconds=${AG_READY_SECONDS:-90}  # for a server's first answer
ag_client_seconds=${AG_CLIENT_SECONDS:-180} # one client run (SIPp, authgram_uac, ...)
ag_server_seconds=300                     # a server's whole life (its own time limit)

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

# ag_stop PID: stops a process of ag_start: TERM to the command itself (the
# wrapper's children), then up to $ag_grace seconds for it to end (ASan's leak
# check on a loaded machine takes seconds), then KILL; reaps the wrapper when
# it is ours and returns its exit status (the command's).
# Why not TERM the timeout(1) wrapper: it passes a TERM on to its whole
# process group and then sends SIGCONT to it.  Under load that SIGCONT can
# come after LeakSanitizer's tracer (a clone in the group) has attached to
# the exiting process with ptrace, whose SIGSTOP it then discards: the tracer
# waits for a stop that never comes and the process hangs in its leak check
# (seen at load 10: summary printed, no exit in 90 s).
ag_stop() {
  local pid=$1 rc=0 end kids
  if ag_alive "$pid"; then
    kids=$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)
    if [ -n "$kids" ]; then
      kill -TERM $kids 2>/dev/null || true
    else
      kill -TERM "$pid" 2>/dev/null || true # not a wrapper, or its command is gone
    fi
    end=$((SECONDS + ag_grace))
    while ag_alive "$pid" && [ "$SECONDS" -lt "$end" ]; do
      sleep 0.1
    done
    if ag_alive "$pid"; then
      echo "interop: PID $pid did not end within $ag_grace s of TERM: KILL" >&2
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
# timeout(1), output to LOG; its PID in ag_last_pid and in ag_pids.  timeout
# acts only on a hang: TERM at SECONDS, KILL $ag_grace s later (-k leaves
# time for a clean exit).  ag_stop signals the command, not timeout.
ag_start() {
  local log=$1 secs=$2
  shift 2
  timeout -k "$ag_grace" "$secs" "$@" >"$log" 2>&1 &
  ag_last_pid=$!
  ag_pids+=("$ag_last_pid")
}

# ag_start_server LOG COMMAND...: ag_start for a server that the test stops
# itself; give it --time-limit $ag_server_seconds where it has one (timeout's
# bound comes a minute later, for a server that ignores its own)
ag_start_server() {
  local log=$1
  shift
  ag_start "$log" $((ag_server_seconds + 60)) "$@"
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

# ag_wait_ready UAC PORT PID: polls 127.0.0.1:PORT with an OPTIONS
# (authgram_uac --ping) until a reply comes, for up to $ag_ready_seconds;
# fails at once when PID has ended (a server that could not start)
ag_wait_ready() {
  local uac=$1 port=$2 pid=$3 end=$((SECONDS + ag_ready_seconds))
  while [ "$SECONDS" -lt "$end" ]; do
    if ! ag_alive "$pid"; then
      return 1
    fi
    if ag_run "$ag_tmp/ping.log" 60 "$uac" --port "$port" --ping --timeout-ms 1000; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# ag_check_server_exit RC LOG NAME: judges an examples/ server stopped by
# ag_stop_wait by what it returned (0) and printed (its summary), saying why
# when it fails
ag_check_server_exit() {
  local rc=$1 log=$2 name=$3 ok=0
  if [ "$rc" -ne 0 ]; then
    say "FAIL: $name exited $rc on TERM, expected 0"
    ok=1
  fi
  if ! grep -q "^$name: stopped by a signal\$" "$log" ||
     ! grep -q "^$name: [0-9]* requests handled\$" "$log"; then
    say "FAIL: $name did not print its summary (stopped by a signal, N requests handled)"
    ok=1
  fi
  return "$ok"
}

# ag_uas_args SCRIPT-ARGS...: the arguments of a script that drives
# authgram_uas, "CASE BASE-PORT AUTHGRAM_UAS AUTHGRAM_UAC", into case_name,
# base_port, uas, uac; usage and exit 2 unless there are four, exit 1 when a
# binary is not built
ag_uas_args() {
  if [ $# -ne 4 ]; then
    echo "usage: $0 CASE BASE-PORT AUTHGRAM_UAS AUTHGRAM_UAC" >&2
    exit 2
  fi
  case_name=$1 base_port=$2 uas=$3 uac=$4
  local b
  for b in "$uas" "$uac"; do
    [ -x "$b" ] || { say "FAIL: $b is not built"; exit 1; }
  done
}

# ag_start_uas UAS UAC PORT ARG...: starts examples/authgram_uas on
# 127.0.0.1:PORT (realm example.org, password secret, --time-limit
# $ag_server_seconds) with the ARGs, its log in $ag_tmp/uas.log, and waits
# until it answers an OPTIONS; its PID in ag_uas_pid.  When it does not
# answer, shows its log and exits 1 (the test fails).
ag_start_uas() {
  local uas=$1 uac=$2 port=$3
  shift 3
  say "authgram_uas $* on 127.0.0.1:$port"
  ag_start_server "$ag_tmp/uas.log" "$uas" --port "$port" --realm example.org \
    --password secret --time-limit "$ag_server_seconds" "$@"
  ag_uas_pid=$ag_last_pid
  if ! ag_wait_ready "$uac" "$port" "$ag_uas_pid"; then
    ag_show "$ag_tmp/uas.log"
    say "FAIL: authgram_uas did not answer an OPTIONS on 127.0.0.1:$port"
    exit 1
  fi
  say "authgram_uas ready"
}

# ag_stop_uas: stops the server of ag_start_uas and judges its exit
# (ag_check_server_exit); its log follows, escaped (cat -v: a hostile
# client's bytes, should the server have written them raw)
ag_stop_uas() {
  local rc=0
  ag_stop_wait "$ag_uas_pid" || rc=$?
  cat -v "$ag_tmp/uas.log"
  ag_check_server_exit "$rc" "$ag_tmp/uas.log" authgram_uas
}
