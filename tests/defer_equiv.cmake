# SPDX-License-Identifier: MIT
# The proof that tags 'defer' left the language alone (gen/defer.c): the
# entries' machines compile a deferred rule as the closure of its bytes, and
# what the closure adds must be taken by a fallback branch anyway.  For every
# entry the generator also wrote exactly (p_exact_entry_NAME beside
# p_entry_NAME in <profile>_plain.rl), Ragel compiles exact - deferred,
# which must have no final state (the machines refuse nothing valid), and
# deferred - exact (they accept nothing invalid).
# A header line is its value's machine between a name and a line end, so its
# value's proof is the line's (and its 'when' condition is left out).
#
#   cmake -DRAGEL=<ragel> -DRL=<gendir>/<profile>_plain.rl -DPROFILE=<profile>
#         -DOUTDIR=<scratch> -P defer_equiv.cmake
cmake_minimum_required(VERSION 3.16)
foreach(v RAGEL RL PROFILE OUTDIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "defer_equiv.cmake: -D${v}=... is required")
  endif()
endforeach()

file(STRINGS ${RL} lines REGEX "^p_exact_entry_[a-z0-9_]+ = ")
set(names "")
foreach(line IN LISTS lines)
  if(line MATCHES "when ag_hdr")
    continue()
  endif()
  string(REGEX REPLACE "^p_exact_entry_([a-z0-9_]+) = .*" "\\1" name "${line}")
  list(APPEND names ${name})
endforeach()
if(NOT names)
  message(FATAL_ERROR "${RL}: no exact entry to compare with: does the profile's tags file 'defer' a rule?")
endif()

file(MAKE_DIRECTORY ${OUTDIR})
set(failed "")
foreach(name IN LISTS names)
  foreach(side missing extra)
    if(side STREQUAL "missing")
      set(expr "p_exact_entry_${name} - p_entry_${name}")
    else()
      set(expr "p_entry_${name} - p_exact_entry_${name}")
    endif()
    set(rl ${OUTDIR}/${PROFILE}_equiv_${name}_${side}.rl)
    file(WRITE ${rl} "%%{
machine equiv;
alphtype unsigned char;
action ag_hdr { 1 }
action ag_lbl { }
include ag_${PROFILE}_plain \"${RL}\";
main := ${expr};
}%%
")
    execute_process(COMMAND ${RAGEL} -V -p ${rl} OUTPUT_VARIABLE dot ERROR_VARIABLE err RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "ragel on ${rl} failed (${rc}): ${err}")
    endif()
    # the final states are the nodes listed after the doublecircle shape
    string(REGEX MATCH "shape = doublecircle \\];\n([^\n]*\n)*[ \t]*node \\[ shape = circle \\]" finals "${dot}")
    if(NOT finals)
      message(FATAL_ERROR "${rl}: cannot read Ragel's graph")
    endif()
    string(REGEX MATCHALL "\n[ \t]*[0-9]+;" nodes "${finals}")
    list(LENGTH nodes n)
    if(n GREATER 0)
      list(APPEND failed "${name} (${side})")
      message(STATUS "entry ${name}: ${expr} is not empty (${n} final states)")
    else()
      message(STATUS "entry ${name}: ${expr} is empty")
    endif()
  endforeach()
endforeach()
if(failed)
  message(FATAL_ERROR "${PROFILE}: 'defer' changed the language of: ${failed}")
endif()
