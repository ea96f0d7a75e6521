# SPDX-License-Identifier: MIT
# Build-tree code generation: re2c, the grammar compiler (authgram-gen) and
# Ragel.  Nothing generated is ever written into the source tree.

find_program(RAGEL_EXECUTABLE ragel)
if(NOT RAGEL_EXECUTABLE)
  message(FATAL_ERROR "ragel not found: authgram compiles its machines with Ragel 6 "
                      "(Debian: apt-get install ragel)")
endif()
execute_process(COMMAND ${RAGEL_EXECUTABLE} --version OUTPUT_VARIABLE _ragel_v ERROR_QUIET)
if(NOT _ragel_v MATCHES "version 6\\.")
  message(FATAL_ERROR "ragel 6.x is required (Ragel 7 changed semantics); found: ${_ragel_v}"
                      " (Debian: apt-get install ragel)")
endif()

find_program(RE2C_EXECUTABLE re2c)
if(NOT RE2C_EXECUTABLE)
  message(FATAL_ERROR "re2c not found: the grammar compiler's ABNF lexer is written for re2c "
                      "(Debian: apt-get install re2c)")
endif()

# ag_re2c(<out.c> <in.re>)
function(ag_re2c out in)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${RE2C_EXECUTABLE} -W -Werror --no-generation-date --no-version
            -o ${out} ${in}
    DEPENDS ${in}
    COMMENT "re2c ${in}"
    VERBATIM)
endfunction()

# ag_ragel(<out.c> <in.rl> STYLE <-G2|-T0|...> [INCLUDE dirs...] [DEPENDS files...])
function(ag_ragel out in)
  cmake_parse_arguments(R "" "STYLE" "INCLUDE;DEPENDS" ${ARGN})
  if(NOT R_STYLE)
    set(R_STYLE -G2)
  endif()
  set(incs)
  foreach(d ${R_INCLUDE})
    list(APPEND incs -I ${d})
  endforeach()
  # -L: no "#line" directives (Ragel writes #line 1 "NONE", which confuses
  # compiler messages and coverage tools)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${RAGEL_EXECUTABLE} ${R_STYLE} -L ${incs} -o ${out} ${in}
    DEPENDS ${in} ${R_DEPENDS}
    COMMENT "ragel ${R_STYLE} ${in}"
    VERBATIM)
endfunction()

# ag_grammar(<profile> <tags> <outdir> <generator target>) defines, in the
# caller's scope, AG_<PROFILE>_RL (the machine files), AG_<PROFILE>_SOURCES
# (the C sources to compile), AG_<PROFILE>_RECOG_RL (the plain recognizers'
# Ragel files, which authgram-leapgen compiles again), AG_<PROFILE>_GOTO
# (the sources in Ragel's goto style), AG_<PROFILE>_DICT and
# AG_<PROFILE>_TWIN (the re2c twin's C source: a recognizer independent of
# the Ragel machines, for the tests and the fuzz harnesses only, never part
# of the library).
function(ag_grammar profile tags outdir gen)
  # the recognizers come in one file per 'compose' line of the tags and one
  # for the other entries (gen/emit.c, part_of)
  file(STRINGS ${tags} composes REGEX "^[ \t]*compose[ \t]")
  list(LENGTH composes last) # the parts are 0 .. the number of composes
  set(recog_rl)
  set(recog_c)
  set(goto_c)
  foreach(k RANGE 0 ${last})
    foreach(v plain diag)
      list(APPEND recog_rl ${outdir}/${profile}_recog_${v}_${k}.rl)
    endforeach()
  endforeach()
  set(rl ${outdir}/${profile}_plain.rl ${outdir}/${profile}_diag.rl ${outdir}/${profile}_capture.rl)
  set(outs ${rl} ${recog_rl}
      ${outdir}/ag_${profile}_grammar.h ${outdir}/${profile}_tables.c ${outdir}/${profile}.dict
      ${outdir}/${profile}_twin.re)
  get_filename_component(gdir ${tags} DIRECTORY)
  file(GLOB abnf CONFIGURE_DEPENDS ${gdir}/*.abnf)
  add_custom_command(
    OUTPUT ${outs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
    COMMAND $<TARGET_FILE:${gen}> emit ${tags} ${outdir}
    DEPENDS ${gen} ${tags} ${abnf}
    COMMENT "authgram-gen emit ${tags}"
    VERBATIM)
  set(plain_rl)
  foreach(k RANGE 0 ${last})
    ag_ragel(${outdir}/${profile}_recog_plain_${k}.c ${outdir}/${profile}_recog_plain_${k}.rl
             STYLE -G2 INCLUDE ${outdir} DEPENDS ${outdir}/${profile}_plain.rl)
    # the diagnostic machines run only on the error path: the smallest
    # tables, which compile in seconds
    ag_ragel(${outdir}/${profile}_recog_diag_${k}.c ${outdir}/${profile}_recog_diag_${k}.rl
             STYLE -T0 INCLUDE ${outdir} DEPENDS ${outdir}/${profile}_diag.rl)
    list(APPEND recog_c ${outdir}/${profile}_recog_plain_${k}.c ${outdir}/${profile}_recog_diag_${k}.c)
    list(APPEND goto_c ${outdir}/${profile}_recog_plain_${k}.c)
    list(APPEND plain_rl ${outdir}/${profile}_recog_plain_${k}.rl)
  endforeach()
  ag_re2c(${outdir}/${profile}_twin.c ${outdir}/${profile}_twin.re)
  string(TOUPPER ${profile} P)
  set(AG_${P}_RL ${rl} PARENT_SCOPE)
  set(AG_${P}_SOURCES ${recog_c} ${outdir}/${profile}_tables.c PARENT_SCOPE)
  set(AG_${P}_RECOG_RL ${plain_rl} PARENT_SCOPE)
  set(AG_${P}_GOTO ${goto_c} PARENT_SCOPE)
  set(AG_${P}_DICT ${outdir}/${profile}.dict PARENT_SCOPE)
  set(AG_${P}_TWIN ${outdir}/${profile}_twin.c PARENT_SCOPE)
endfunction()
