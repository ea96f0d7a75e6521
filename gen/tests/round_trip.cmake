# SPDX-License-Identifier: MIT
# dump prints ABNF: reading its rules back must give the same rules.
#
#   cmake -DGEN=<authgram-gen> -DSRC=<gen/tests> -DINPUT=<tags or abnf, relative
#         to SRC> -DOUTDIR=<scratch directory> -P round_trip.cmake
#
# The first dump's rule lines (without their "; RFC section" comments and the
# "entry" lines, which are not ABNF) are written to a file; dumping that file
# must print the same lines, in the same (dependency) order.

foreach(v GEN SRC INPUT OUTDIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "round_trip.cmake: -D${v}=... is required")
  endif()
endforeach()
if(DEFINED ENV{ASAN_OPTIONS} AND NOT "$ENV{ASAN_OPTIONS}" STREQUAL "")
  set(ENV{ASAN_OPTIONS} "$ENV{ASAN_OPTIONS}:detect_leaks=0")
endif()
file(REMOVE_RECURSE "${OUTDIR}")
file(MAKE_DIRECTORY "${OUTDIR}")

function(dump input result)
  execute_process(COMMAND "${GEN}" dump "${input}" WORKING_DIRECTORY "${SRC}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "authgram-gen dump ${input} failed (${rc}):\n${err}")
  endif()
  # one rule per line; drop entries and the trailing cite comments
  string(REGEX REPLACE "(^|\n)entry [^\n]*" "" out "${out}")
  string(REGEX REPLACE "  ; [^\n]*" "" out "${out}")
  string(REGEX REPLACE "\n+" "\n" out "${out}")
  set(${result} "${out}" PARENT_SCOPE)
endfunction()

dump("${INPUT}" first)
file(WRITE "${OUTDIR}/dumped.abnf" "${first}")
dump("${OUTDIR}/dumped.abnf" second)
file(WRITE "${OUTDIR}/redumped.abnf" "${second}")
if(NOT first STREQUAL second)
  find_program(DIFF_EXECUTABLE diff)
  set(d "")
  if(DIFF_EXECUTABLE)
    execute_process(COMMAND ${DIFF_EXECUTABLE} -u "${OUTDIR}/dumped.abnf" "${OUTDIR}/redumped.abnf"
                    OUTPUT_VARIABLE d)
  endif()
  message(FATAL_ERROR "dump of ${INPUT} does not read back as the same rules "
                      "(- first dump, + dump of the first dump):\n${d}")
endif()
message(STATUS "dump of ${INPUT} reads back as the same rules")
