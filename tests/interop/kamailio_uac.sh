#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop test (issue [G], CTest label "interop"): Kamailio as the producer of real
# 407 challenges, examples/authgram_uac.c as the client that parses, checks,
# round-trips and answers them.
#
#   kamailio_uac.sh CASE BASE-PORT AUTHGRAM_UAC
#
# CASE: md5 | md5-qop | sha256 | sha256-qop | wrong-password | stale
# BASE-PORT: kamailio listens on 127.0.0.1:BASE (UDP); the client takes an
# ephemeral port.  tests/interop/kamailio.cfg, variants by -A defines.
# Exit 0 pass, 1 fail, 77 skipped (kamailio not installed and CI not set).
source "$(dirname "$0")/lib.sh"

if [ $# -ne 3 ]; then
  echo "usage: $0 CASE BASE-PORT AUTHGRAM_UAC" >&2
  exit 2
fi
case_name=$1
uac=$3
cfg=$(cd "$(dirname "$0")" && pwd)/kamailio.cfg

# what Kamailio is started with, and what the client must see
defines=()
uac_args=()
case $case_name in
  md5)            uac_args=(--expect-algorithm none --expect-qop none --expect-warnings digest-no-qop) ;;
  md5-qop)        defines=(-A WITH_QOP)
                  uac_args=(--expect-algorithm none --expect-qop auth --expect-warnings "") ;;
  sha256)         defines=(-A WITH_SHA256)
                  uac_args=(--expect-algorithm SHA-256 --expect-qop none --expect-warnings digest-no-qop) ;;
  sha256-qop)     defines=(-A WITH_SHA256 -A WITH_QOP)
                  uac_args=(--expect-algorithm SHA-256 --expect-qop auth --expect-warnings "") ;;
  wrong-password) defines=(-A WITH_QOP)
                  uac_args=(--expect-qop auth --expect-warnings "" --wrong-password not-the-secret) ;;
  stale)          # nonce_expire 10 s: the first answer must come within it, which
                  # leaves a loaded machine 10 s for a loopback round trip; then
                  # the client waits 11 s (Kamailio's nonces have a granularity
                  # of one second), a lower bound only
                  defines=(-A WITH_QOP -A WITH_SHORT_NONCE)
                  uac_args=(--expect-qop auth --expect-warnings "" --stale-after 11) ;;
  *) echo "unknown case $case_name" >&2; exit 2 ;;
esac

ag_require kamailio
kamailio=$(ag_find kamailio)
[ -x "$uac" ] || { say "FAIL: $uac is not built"; exit 1; }

port=$(ag_pick_base "$2" 0) || { say "FAIL: no free port near $2"; exit 1; }

say "case $case_name: kamailio ${defines[*]:-} on 127.0.0.1:$port"
ag_run "$ag_tmp/check.log" "$ag_client_seconds" "$kamailio" -c -f "$cfg" "${defines[@]}" || {
  ag_show "$ag_tmp/check.log"
  say "FAIL: kamailio -c refuses $cfg"
  exit 1
}
# -DD -E: in the foreground, logging to stderr; the config has no listen= of its own
ag_start_server "$ag_tmp/kamailio.log" "$kamailio" -f "$cfg" "${defines[@]}" \
  -l "udp:127.0.0.1:$port" -DD -E -n 1 -m 16 -M 4 \
  -Y "$ag_tmp" -w "$ag_tmp" -P "$ag_tmp/kamailio.pid"
kam=$ag_last_pid
if ! ag_wait_ready "$uac" "$port" "$kam"; then
  ag_show "$ag_tmp/kamailio.log"
  say "FAIL: kamailio did not answer an OPTIONS on 127.0.0.1:$port"
  exit 1
fi
say "kamailio ready (PID $(cat "$ag_tmp/kamailio.pid" 2>/dev/null || echo '?'))"

rc=0
# --timeout-ms: the longest wait for one final response, a bound for a hang
ag_run "$ag_tmp/uac.log" "$ag_client_seconds" "$uac" --port "$port" --user alice --password secret \
  --domain example.org --ruri sip:bob@example.org --timeout-ms 60000 "${uac_args[@]}" || rc=$?
cat "$ag_tmp/uac.log"
ag_stop_wait "$kam" || true
if [ "$rc" -ne 0 ]; then
  ag_show "$ag_tmp/kamailio.log" 60
  say "FAIL: case $case_name: authgram_uac exited $rc"
  exit 1
fi
# what Kamailio's pv_proxy_authenticate said, for the record
grep -o 'pv_proxy_authenticate returned -\?[0-9]*' "$ag_tmp/kamailio.log" | sed 's/^/interop: kamailio: /' || true
say "PASS: case $case_name"
