#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop test (issue [H], finding 10; CTest label "interop"): what
# examples/authgram_uas.c must refuse, played by a hostile client
# (tests/interop/uas_client.py, which computes its digests with hashlib).
#
#   uas_refusals.sh CASE BASE-PORT AUTHGRAM_UAS AUTHGRAM_UAC
#
# CASE: exact-replay | retransmission | replay-call-id | nc-order |
#       uri-mismatch | expired | table-full | no-qop-replay | forged-nonce |
#       log-escape
#       (uas_client.py says what each sends and expects)
# Ports: the server BASE, the client BASE+1.  AUTHGRAM_UAC only polls the
# server's readiness (an OPTIONS).  The server's log is checked too: its
# summary at exit, and per case what it must (or must never) say.
# Exit 0 pass, 1 fail, 77 skipped (python3 missing and CI not set).
source "$(dirname "$0")/lib.sh"

ag_uas_args "$@"
here=$(cd "$(dirname "$0")" && pwd)

uas_args=()
log_has=()
case $case_name in
  exact-replay)   log_has=('nc 00000001 not above 00000001 (a replay) -> 407 stale') ;;
  retransmission) log_has=('retransmission: the response resent') ;;
  replay-call-id) log_has=('(a replay) -> 407 stale') ;;
  nc-order)       log_has=('nc 00000000 not above 00000001' 'nc 00000002 not above 00000003') ;;
  uri-mismatch)   log_has=('is not the Request-URI -> 400') ;;
  expired)        uas_args=(--nonce-lifetime 1)
                  log_has=('nonce expired -> 407 stale') ;;
  table-full)     uas_args=(--nonce-slots 1)
                  log_has=('nonce forgotten (the table was full) -> 407 stale') ;;
  no-qop-replay)  uas_args=(--qop none)
                  log_has=('nonce already used (a replay) -> 407 stale') ;;
  forged-nonce)   log_has=('a nonce we did not issue -> 407 Proxy-Authenticate') ;;
  log-escape)     log_has=('user al\x1b]0;pwned\x07ice\x7f' 'OPTIONS sip:\x1b[2Jbob@127.0.0.1 -> 200') ;;
  *) echo "unknown case $case_name" >&2; exit 2 ;;
esac

ag_require python3
python=$(ag_find python3)

base=$(ag_pick_base "$base_port" 0 1) || { say "FAIL: no free ports near $base_port"; exit 1; }

say "case $case_name"
ag_start_uas "$uas" "$uac" "$base" ${uas_args[@]+"${uas_args[@]}"}

rc=0
ag_run "$ag_tmp/client.log" "$ag_client_seconds" "$python" "$here/uas_client.py" \
  "$case_name" "$base" $((base + 1)) || rc=$?
cat "$ag_tmp/client.log"
fail=0
ag_stop_uas || fail=1
if [ "$rc" -ne 0 ]; then
  say "FAIL: uas_client.py exited $rc"
  fail=1
fi
for want in "${log_has[@]}"; do
  if ! grep -qF -- "$want" "$ag_tmp/uas.log"; then
    say "FAIL: the server's log lacks: $want"
    fail=1
  fi
done
# never a raw control byte (C0 but the newline, DEL) in the log, whatever the case
if LC_ALL=C grep -qaP '[\x00-\x09\x0b-\x1f\x7f]' "$ag_tmp/uas.log"; then
  say "FAIL: the server's log holds raw control bytes:"
  LC_ALL=C grep -naP '[\x00-\x09\x0b-\x1f\x7f]' "$ag_tmp/uas.log" | cat -v
  fail=1
fi
if [ "$fail" -ne 0 ]; then
  say "FAIL: case $case_name"
  exit 1
fi
say "PASS: case $case_name"
