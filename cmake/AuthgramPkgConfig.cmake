# SPDX-License-Identifier: MIT
# Writes and installs authgram.pc; run by "cmake --install" (see the install
# rules in CMakeLists.txt), not at configure time, so that the prefix in the
# file is the one actually installed to ("cmake --install . --prefix P"
# overrides CMAKE_INSTALL_PREFIX only here).  DESTDIR is not part of it.
#
# In: AG_PC_TEMPLATE, AG_PC_OUTPUT (a file in the build tree),
#     AG_PC_LIBDIR_REL, AG_PC_INCLUDEDIR_REL (GNUInstallDirs values, relative
#     to the prefix or absolute), PROJECT_VERSION, PROJECT_DESCRIPTION, AG_LICENSE.
set(AG_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
foreach(d LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${AG_PC_${d}_REL}")
    set(AG_PC_${d} "${AG_PC_${d}_REL}")
  elseif(d STREQUAL "LIBDIR")
    set(AG_PC_${d} "\${exec_prefix}/${AG_PC_${d}_REL}")
  else()
    set(AG_PC_${d} "\${prefix}/${AG_PC_${d}_REL}")
  endif()
endforeach()
configure_file("${AG_PC_TEMPLATE}" "${AG_PC_OUTPUT}" @ONLY)
if(IS_ABSOLUTE "${AG_PC_LIBDIR_REL}")
  set(_ag_pc_dest "${AG_PC_LIBDIR_REL}/pkgconfig")
else()
  set(_ag_pc_dest "${CMAKE_INSTALL_PREFIX}/${AG_PC_LIBDIR_REL}/pkgconfig")
endif()
# file(INSTALL) applies DESTDIR and records the file in install_manifest.txt
file(INSTALL DESTINATION "${_ag_pc_dest}" TYPE FILE FILES "${AG_PC_OUTPUT}")
