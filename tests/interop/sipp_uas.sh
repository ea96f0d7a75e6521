#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop test (issue [G], CTest label "interop"): SIPp as the consumer of the
# challenges authgram's builder writes.  examples/authgram_uas.c challenges
# (ag_proxy_authenticate_digest) and verifies SIPp's answer
# (ag_parse_credentials, ag_digest_verify).
#
#   sipp_uas.sh CASE BASE-PORT AUTHGRAM_UAS AUTHGRAM_UAC
#
# CASE: md5-qop | md5 | opaque | domain | stale | wrong-password
# Ports: the server BASE; SIPp BASE+1 (-p), BASE+2 (-cp), BASE+4 and BASE+6
# (-mp: SIPp binds the media port and the one two above it).  AUTHGRAM_UAC
# only polls the server's readiness (an OPTIONS).
# The server checks the digest-uri against the Request-URI (RFC 7616 section
# 3.4.6): the scenarios' Request-URI is sip:[service]@[remote_ip]:[remote_port]
# and -auth_uri makes SIPp's uri the same (by default it would be
# sip:<remote ip>:<remote port>, without the user part).
# Exit 0 pass, 1 fail, 77 skipped (sipp not installed and CI not set).
source "$(dirname "$0")/lib.sh"

ag_uas_args "$@"
here=$(cd "$(dirname "$0")" && pwd)

# the server's options, SIPp's password and scenario, and what the 407 must carry
scenario=$here/uac_auth.xml
password=secret
uas_args=(--qop auth)
challenge_has=('qop="auth"')
verdict='response verified -> 200'
case $case_name in
  md5-qop) ;;
  md5)            uas_args=(--qop none)
                  challenge_has=('nonce="') ;;
  opaque)         uas_args=(--qop auth --opaque "ag/opaque+1=")
                  challenge_has=('opaque="ag/opaque+1="' 'qop="auth"') ;;
  domain)         uas_args=(--qop auth --domain sip:example.org --domain sip:127.0.0.1)
                  challenge_has=('domain="sip:example.org sip:127.0.0.1"') ;;
  stale)          uas_args=(--qop auth --stale)
                  challenge_has=('stale=true') ;;
  wrong-password) scenario=$here/uac_auth_403.xml
                  password=not-the-secret
                  verdict='(AG_ERR_MISMATCH) -> 403' ;;
  *) echo "unknown case $case_name" >&2; exit 2 ;;
esac

ag_require sipp
sipp=$(ag_find sipp)

base=$(ag_pick_base "$base_port" 0 1 2 4 5 6 7) || { say "FAIL: no free ports near $base_port"; exit 1; }

say "case $case_name"
ag_start_uas "$uas" "$uac" "$base" "${uas_args[@]}"

# SIPp writes its traces (-trace_msg, -trace_err) into the working directory.
# -timeout (its whole run) stays below ag_run's bound, so that SIPp says why.
cd "$ag_tmp"
service=bob
ruri="sip:$service@127.0.0.1:$base"
rc=0
ag_run "$ag_tmp/sipp.log" "$ag_client_seconds" "$sipp" "127.0.0.1:$base" -sf "$scenario" \
  -s "$service" -auth_uri "${ruri#sip:}" \
  -au alice -ap "$password" -m 1 -nostdin -timeout $((ag_client_seconds - 30))s -timeout_error \
  -i 127.0.0.1 -mi 127.0.0.1 -ci 127.0.0.1 \
  -p $((base + 1)) -cp $((base + 2)) -mp $((base + 4)) \
  -trace_msg -trace_err || rc=$?
say "sipp exited $rc"
fail=0
ag_stop_uas || fail=1
if [ "$rc" -ne 0 ]; then
  say "FAIL: sipp exited $rc, expected 0"
  fail=1
fi
# the 407 the server sent, as it logged it
challenge=$(grep -m1 -- '-> 407 Proxy-Authenticate: ' "$ag_tmp/uas.log" || true)
if [ -z "$challenge" ]; then
  say "FAIL: authgram_uas sent no 407"
  fail=1
fi
for want in "${challenge_has[@]}"; do
  if [[ $challenge != *"$want"* ]]; then
    say "FAIL: the challenge lacks $want"
    fail=1
  fi
done
if ! grep -qF -- "$verdict" "$ag_tmp/uas.log"; then
  say "FAIL: authgram_uas did not log '$verdict'"
  fail=1
fi
# verified for the right reason: SIPp's uri is the Request-URI it sent
if ! grep -qF -- "INVITE $ruri: user alice, uri $ruri" "$ag_tmp/uas.log"; then
  say "FAIL: authgram_uas did not log SIPp's uri as the Request-URI $ruri"
  fail=1
fi
if [ "$case_name" != wrong-password ] && ! grep -q '^authgram_uas: BYE .* -> 200' "$ag_tmp/uas.log"; then
  say "FAIL: no BYE answered"
  fail=1
fi
if [ "$fail" -ne 0 ]; then
  ag_show "$ag_tmp/sipp.log" 40
  for f in "$ag_tmp"/*_messages.log "$ag_tmp"/*_errors.log; do
    [ -e "$f" ] && ag_show "$f" 120
  done
  say "FAIL: case $case_name"
  exit 1
fi
say "PASS: case $case_name"
