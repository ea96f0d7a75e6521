# SPDX-License-Identifier: MIT
# One golden test of authgram-gen, run as
#
#   cmake -DGEN=<authgram-gen> -DSRC=<gen/tests> -DCASE=<golden stem>
#         -DMODE=<check|dump|emit|kinds> -DINPUT=<path relative to SRC>
#         -DOUTDIR=<scratch directory in the build tree> -P run_case.cmake
#
# The generator runs in SRC with INPUT as a relative path, so diagnostics
# read "cases/x.abnf:3:5: error: ..." and the goldens hold no absolute path.
# SRC/CASE.expected is the golden transcript:
#
#   exit: <status>
#   --- stdout
#   <standard output>
#   --- stderr
#   <standard error>
#
# For emit, every file the generator wrote into OUTDIR must also equal its
# copy in SRC/CASE/ (same file names, no file missing, none extra), and the
# depfile too, with OUTDIR written as <OUTDIR>.
#
# With the environment variable AG_GEN_UPDATE=1 the test writes the goldens
# from the actual output instead of comparing (see README.md).

foreach(v GEN SRC CASE MODE INPUT OUTDIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_case.cmake: -D${v}=... is required")
  endif()
endforeach()

set(update FALSE)
if("$ENV{AG_GEN_UPDATE}" STREQUAL "1")
  set(update TRUE)
endif()

# The generator keeps its AST until exit on purpose (gen/main.c); a
# sanitizer build run with ASAN_OPTIONS=detect_leaks=1 must not report it.
if(DEFINED ENV{ASAN_OPTIONS} AND NOT "$ENV{ASAN_OPTIONS}" STREQUAL "")
  set(ENV{ASAN_OPTIONS} "$ENV{ASAN_OPTIONS}:detect_leaks=0")
endif()

find_program(DIFF_EXECUTABLE diff)

# compare(<what> <expected file> <actual file>): records a mismatch, with a
# unified diff (or, without diff(1), the first differing line).
set(failures "")
function(compare what expected actual)
  if(NOT EXISTS "${expected}")
    set(failures "${failures}\n${what}: golden file ${expected} is missing" PARENT_SCOPE)
    return()
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${expected}" "${actual}"
                  RESULT_VARIABLE same)
  if(same EQUAL 0)
    return()
  endif()
  if(DIFF_EXECUTABLE)
    execute_process(COMMAND ${DIFF_EXECUTABLE} -u --label "golden ${expected}"
                            --label "actual ${actual}" "${expected}" "${actual}"
                    OUTPUT_VARIABLE d ERROR_VARIABLE d)
  else()
    file(STRINGS "${expected}" e_lines)
    file(STRINGS "${actual}" a_lines)
    list(LENGTH e_lines ne)
    list(LENGTH a_lines na)
    set(d "expected ${ne} lines, got ${na}\n")
    set(i 0)
    while(i LESS ne OR i LESS na)
      set(el "<none>")
      set(al "<none>")
      if(i LESS ne)
        list(GET e_lines ${i} el)
      endif()
      if(i LESS na)
        list(GET a_lines ${i} al)
      endif()
      if(NOT el STREQUAL al)
        math(EXPR ln "${i} + 1")
        set(d "${d}first difference at line ${ln}:\n-${el}\n+${al}\n")
        break()
      endif()
      math(EXPR i "${i} + 1")
    endwhile()
  endif()
  set(failures "${failures}\n${what} differs from ${expected} (- golden, + actual):\n${d}"
      PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "emit")
  file(REMOVE_RECURSE "${OUTDIR}")
  file(MAKE_DIRECTORY "${OUTDIR}")
  set(args emit "${INPUT}" "${OUTDIR}" --depfile "${OUTDIR}.run/depfile")
elseif(MODE STREQUAL "kinds") # INPUT: tags files separated by ','
  file(REMOVE_RECURSE "${OUTDIR}")
  file(MAKE_DIRECTORY "${OUTDIR}")
  string(REPLACE "," ";" inputs "${INPUT}")
  set(args kinds "${OUTDIR}/authgram_kinds.h" ${inputs})
else()
  set(args ${MODE} "${INPUT}")
endif()
set(scratch "${OUTDIR}.run")
string(JOIN " " shown ${args})
file(REMOVE_RECURSE "${scratch}")
file(MAKE_DIRECTORY "${scratch}")

execute_process(COMMAND "${GEN}" ${args}
                WORKING_DIRECTORY "${SRC}"
                RESULT_VARIABLE status
                OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(NOT status MATCHES "^[0-9]+$")
  message(FATAL_ERROR "authgram-gen ${shown} did not run: ${status}")
endif()

# the transcript, with the same layout as the golden
string(REPLACE "${OUTDIR}" "<OUTDIR>" err "${err}")
file(WRITE "${scratch}/transcript" "exit: ${status}\n--- stdout\n${out}--- stderr\n${err}")
if(MODE STREQUAL "kinds" AND EXISTS "${OUTDIR}/authgram_kinds.h")
  file(READ "${OUTDIR}/authgram_kinds.h" written)
  file(APPEND "${scratch}/transcript" "--- authgram_kinds.h\n${written}")
endif()

set(golden "${SRC}/${CASE}.expected")
set(golden_dir "${SRC}/${CASE}")
set(outputs "")
if(MODE STREQUAL "emit" AND status EQUAL 0)
  file(READ "${scratch}/depfile" dep)
  string(REPLACE "${OUTDIR}" "<OUTDIR>" dep "${dep}")
  file(WRITE "${scratch}/depfile.expected-form" "${dep}")
  file(GLOB outputs RELATIVE "${OUTDIR}" "${OUTDIR}/*")
  list(SORT outputs)
endif()

if(update)
  configure_file("${scratch}/transcript" "${golden}" COPYONLY)
  message(STATUS "updated ${golden}")
  if(MODE STREQUAL "emit" AND status EQUAL 0)
    file(REMOVE_RECURSE "${golden_dir}")
    file(MAKE_DIRECTORY "${golden_dir}")
    foreach(f ${outputs})
      configure_file("${OUTDIR}/${f}" "${golden_dir}/${f}" COPYONLY)
    endforeach()
    configure_file("${scratch}/depfile.expected-form" "${golden_dir}/depfile" COPYONLY)
    message(STATUS "updated ${golden_dir}/")
  endif()
  return()
endif()

compare("the exit status and output of 'authgram-gen ${shown}'" "${golden}" "${scratch}/transcript")
if(MODE STREQUAL "emit" AND status EQUAL 0)
  file(GLOB expected_files RELATIVE "${golden_dir}" "${golden_dir}/*")
  list(REMOVE_ITEM expected_files depfile)
  list(SORT expected_files)
  if(NOT outputs STREQUAL expected_files)
    set(failures "${failures}\nemit wrote [${outputs}], the goldens in ${golden_dir} are [${expected_files}]")
  endif()
  foreach(f ${outputs})
    compare("emitted file ${f}" "${golden_dir}/${f}" "${OUTDIR}/${f}")
  endforeach()
  compare("the depfile (--depfile)" "${golden_dir}/depfile" "${scratch}/depfile.expected-form")
endif()

if(NOT failures STREQUAL "")
  # message() without a mode prints verbatim (FATAL_ERROR would reflow the diff)
  message("golden test ${CASE} failed: cd ${SRC} && authgram-gen ${shown}${failures}\n"
          "If the change is intended, regenerate the goldens: see gen/tests/README.md.")
  message(FATAL_ERROR "golden test ${CASE} failed")
endif()
message(STATUS "${CASE}: output matches the goldens")
