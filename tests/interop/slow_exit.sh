#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Stands in for a server that is slow to exit (issue [H], finding 13): runs
# $AG_SLOW_EXIT_COMMAND with the arguments and, after a TERM, waits for it and
# then takes AG_SLOW_EXIT_SECONDS (default 5) more before exiting with its
# status, as authgram_uas did under ASan's leak check on a machine at load 6
# (the 2 s grace of the scripts then killed it: 137).  interop_sipp_slow_exit
# runs sipp_uas.sh with this as the server: it passes only when the scripts
# wait for a process's own exit.
"$AG_SLOW_EXIT_COMMAND" "$@" &
kid=$!
trap 'kill -TERM "$kid"; wait "$kid"; rc=$?; sleep "${AG_SLOW_EXIT_SECONDS:-5}"; exit "$rc"' TERM
wait "$kid"
