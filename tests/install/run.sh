#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The install test (CTest "install", label install; see tests/CMakeLists.txt).
#
#   run.sh BUILD-DIR VERSION LIBDIR
#
# Installs BUILD-DIR into a temporary prefix ("cmake --install BUILD-DIR
# --prefix TMP/prefix"), checks that every file is there and that the shared
# object exports only ag_* symbols and that bin/authgram runs, then builds
# tests/install/consumer.c against that prefix, as a project outside this one
# would:
#   - with pkg-config (PKG_CONFIG_PATH=TMP/prefix/LIBDIR/pkgconfig), against
#     the shared library (run with LD_LIBRARY_PATH) and, with "pkg-config
#     --static", against the static one;
#   - with CMake, find_package(authgram COMPONENTS digest) and
#     CMAKE_PREFIX_PATH=TMP/prefix (tests/install/CMakeLists.txt), against
#     authgram::authgram, authgram::authgram_static and the digest targets;
#   - with CMake, a parser-only consumer on a machine without OpenSSL
#     (CMAKE_DISABLE_FIND_PACKAGE_OpenSSL): it must configure, build and run,
#     and asking for the digest component there must fail with a message
#     naming the package;
# and runs the programs, whose output must be the expected one.  The license
# (MIT) must be in the installed LICENSE, both .pc files and the package.
#
# VERSION is the project version, LIBDIR CMAKE_INSTALL_LIBDIR (relative).
# Environment: CC, CMAKE, PKG_CONFIG, CMAKE_GENERATOR, CMAKE_MAKE_PROGRAM
# (the build's own), AG_CONSUMER_FLAGS (compiler and linker flags the
# consumers need, e.g. the sanitizers the library was built with),
# AG_KEEP_TMP=1 keeps the temporary directory.  Exit 0 pass, 1 fail,
# 77 skipped.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 BUILD-DIR VERSION LIBDIR" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
version=$2
libdir_rel=$3
here=$(cd "$(dirname "$0")" && pwd)
: "${CC:=cc}" "${CMAKE:=cmake}" "${PKG_CONFIG:=pkg-config}" "${AG_CONSUMER_FLAGS:=}"
major=${version%%.*}

case $libdir_rel in
  /*) echo "skipped: CMAKE_INSTALL_LIBDIR is absolute ($libdir_rel), not under a prefix" >&2
      exit 77 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/authgram-install.XXXXXX")
cleanup() {
  if [ "${AG_KEEP_TMP:-0}" = 1 ]; then
    echo "kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
prefix=$tmp/prefix
libdir=$prefix/$libdir_rel
pcdir=$libdir/pkgconfig

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
step() {
  echo "--- $*" >&2
}

# ---- install ---------------------------------------------------------------
step "cmake --install $build --prefix $prefix"
"$CMAKE" --install "$build" --prefix "$prefix"

for f in include/authgram.h include/authgram_version.h include/authgram_digest.h bin/authgram \
         share/man/man1/authgram.1 \
         "$libdir_rel/libauthgram.a" "$libdir_rel/libauthgram.so" "$libdir_rel/libauthgram.so.$major" \
         "$libdir_rel/libauthgram.so.$version" "$libdir_rel/pkgconfig/authgram.pc" \
         "$libdir_rel/libauthgram-digest.a" "$libdir_rel/libauthgram-digest.so.$version" \
         "$libdir_rel/pkgconfig/authgram-digest.pc" \
         "$libdir_rel/cmake/authgram/authgramConfig.cmake" \
         "$libdir_rel/cmake/authgram/authgramConfigVersion.cmake" \
         "$libdir_rel/cmake/authgram/authgramTargets.cmake" \
         "$libdir_rel/cmake/authgram/authgramDigestTargets.cmake" share/doc/authgram/LICENSE; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
[ -x "$prefix/bin/authgram" ] || fail "bin/authgram is not executable"
[ -L "$libdir/libauthgram.so" ] || fail "libauthgram.so is not a symbolic link (namelink)"
if [ "$failures" -ne 0 ]; then
  echo "installed:" >&2
  (cd "$prefix" && find . | sort) >&2
  exit 1
fi

step "only the public API is exported"
soname=$(readelf -d "$libdir/libauthgram.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libauthgram.so.$major" ] || fail "SONAME is '$soname', expected libauthgram.so.$major"
allowed='^ag_'
case $AG_CONSUMER_FLAGS in
  # the sanitizers' instrumentation may define symbols of its own
  *-fsanitize*) allowed='^(ag_|__asan|__odr_asan|__ubsan|__sanitizer|__lsan)' ;;
esac
extra=$(nm -D --defined-only "$libdir/libauthgram.so.$version" "$libdir/libauthgram-digest.so.$version" |
        awk 'NF > 1 {print $NF}' | grep -Ev "$allowed" || true)
[ -z "$extra" ] || fail "exported symbols that are not ag_*: $(echo "$extra" | tr "\n" " ")"
nm -D --defined-only "$libdir/libauthgram.so.$version" | grep -q ' ag_version$' ||
  fail "ag_version is not exported"

step "bin/authgram --version"
cli_version=$("$prefix/bin/authgram" --version) || fail "bin/authgram --version exited with status $?"
case $cli_version in
  *"$version"*) ;;
  *) fail "bin/authgram --version printed '$cli_version', not version $version" ;;
esac

step "the license"
cmp -s "$prefix/share/doc/authgram/LICENSE" "$here/../../LICENSE" || fail "share/doc/authgram/LICENSE differs from LICENSE"
grep -q '^MIT License' "$here/../../LICENSE" || fail "LICENSE is not the MIT license"
for pc in authgram authgram-digest; do
  grep -qx 'License: MIT' "$pcdir/$pc.pc" || fail "$pc.pc has no 'License: MIT'"
done

step "no build-tree or source-tree paths in the installed package files"
src=$(cd "$here/../.." && pwd)
for f in "$pcdir/authgram.pc" "$pcdir/authgram-digest.pc" "$libdir"/cmake/authgram/*.cmake "$prefix"/include/*.h; do
  # the prefix itself is under TMPDIR, which may hold the build tree's path
  # as a substring (or be inside it): look at the file without it
  if sed "s|$prefix|<prefix>|g" "$f" | grep -qF -e "$build" -e "$src"; then
    fail "$f names the build or source tree:"
    sed "s|$prefix|<prefix>|g" "$f" | grep -nF -e "$build" -e "$src" >&2
  fi
done

expected="version $version
parse Digest realm=atlanta.com nonce=f84f1cec41e6cbe5aea9c8e88d359 qop=auth,auth-int
build Proxy-Authenticate: Digest realm=\"example.org\", nonce=\"abc\", algorithm=SHA-256, qop=\"auth,auth-int\", stale=true, domain=\"sip:example.org sip:ss1.example.org\"
reparse ok"

# check_run NAME SHARED(0|1) PROGRAM [LD_LIBRARY_PATH]: runs a consumer,
# compares its output and checks whether it needs libauthgram.so
check_run() {
  local name=$1 shared=$2 prog=$3 ldpath=${4:-} out rc=0 needed
  out=$(if [ -n "$ldpath" ]; then LD_LIBRARY_PATH=$ldpath "$prog"; else "$prog"; fi) || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "$name exited with status $rc"
  elif [ "$out" != "$expected" ]; then
    fail "$name: unexpected output"
    diff <(echo "$expected") <(echo "$out") >&2 || true
  fi
  needed=$(readelf -d "$prog" | grep -c 'NEEDED.*libauthgram' || true)
  if [ "$shared" = 1 ]; then
    [ "$needed" = 1 ] || fail "$name does not link libauthgram.so"
  else
    [ "$needed" = 0 ] || fail "$name links libauthgram.so: it should be static"
  fi
}

# the consumer must compile cleanly against the installed header alone
warn="-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes"

# ---- pkg-config ------------------------------------------------------------
step "pkg-config (PKG_CONFIG_PATH=$pcdir)"
export PKG_CONFIG_PATH=$pcdir
pc_version=$("$PKG_CONFIG" --modversion authgram)
[ "$pc_version" = "$version" ] || fail "pkg-config --modversion: '$pc_version', expected $version"
pc_prefix=$("$PKG_CONFIG" --variable=prefix authgram)
[ "$pc_prefix" = "$prefix" ] || fail "pkg-config prefix: '$pc_prefix', expected $prefix"
cflags=$("$PKG_CONFIG" --cflags authgram)
libs=$("$PKG_CONFIG" --libs authgram)
echo "cflags: $cflags" >&2
echo "libs:   $libs" >&2
# shellcheck disable=SC2086 # word splitting of flags is intended
"$CC" -std=c99 -pedantic $warn $AG_CONSUMER_FLAGS $cflags -o "$tmp/consumer-pc" \
  "$here/consumer.c" $libs
lib_in_prefix=$(LD_LIBRARY_PATH=$libdir ldd "$tmp/consumer-pc" | grep -F "$libdir/libauthgram.so.$major" || true)
[ -n "$lib_in_prefix" ] || fail "consumer-pc does not load $libdir/libauthgram.so.$major"
check_run consumer-pc 1 "$tmp/consumer-pc" "$libdir"

step "pkg-config --static"
scflags=$("$PKG_CONFIG" --static --cflags authgram)
sL=$("$PKG_CONFIG" --static --libs-only-L authgram)
sl=$("$PKG_CONFIG" --static --libs-only-l authgram)
echo "static libs: $sL $sl" >&2
# shellcheck disable=SC2086
"$CC" -std=c11 $warn $AG_CONSUMER_FLAGS $scflags -o "$tmp/consumer-pc-static" "$here/consumer.c" \
  $sL -Wl,-Bstatic $sl -Wl,-Bdynamic
check_run consumer-pc-static 0 "$tmp/consumer-pc-static"

# digest_run NAME PROGRAM [LD_LIBRARY_PATH]: the digest consumer prints the
# RFC 7616 section 3.9.1 SHA-256 response
digest_run() {
  local out rc=0
  out=$(LD_LIBRARY_PATH=${3:-} "$2") || rc=$?
  [ "$rc" -eq 0 ] && [ "$out" = "digest 753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1 verified" ] ||
    fail "$1 printed '$out' (status $rc)"
}
step "pkg-config authgram-digest, shared and --static"
# shellcheck disable=SC2086
"$CC" -std=c99 -pedantic $warn $AG_CONSUMER_FLAGS $("$PKG_CONFIG" --cflags authgram-digest) \
  -o "$tmp/consumer-digest" "$here/consumer_digest.c" $("$PKG_CONFIG" --libs authgram-digest)
digest_run consumer-digest "$tmp/consumer-digest" "$libdir"
# (libcrypto comes from Requires.private, and stays shared: Debian's is)
# shellcheck disable=SC2086
"$CC" -std=c99 $warn $AG_CONSUMER_FLAGS $("$PKG_CONFIG" --static --cflags authgram-digest) \
  -o "$tmp/consumer-digest-static" "$here/consumer_digest.c" \
  $("$PKG_CONFIG" --libs-only-L authgram-digest) -Wl,-Bstatic -lauthgram-digest -Wl,-Bdynamic \
  $("$PKG_CONFIG" --static --libs-only-l authgram-digest | sed 's/-lauthgram-digest//')
readelf -d "$tmp/consumer-digest-static" | grep -q 'NEEDED.*libauthgram-digest' &&
  fail "consumer-digest-static links libauthgram-digest.so"
digest_run consumer-digest-static "$tmp/consumer-digest-static"

# ---- find_package ----------------------------------------------------------
step "find_package(authgram) (CMAKE_PREFIX_PATH=$prefix)"
cb=$tmp/consumer-build
gen=()
[ -n "${CMAKE_GENERATOR:-}" ] && gen=(-G "$CMAKE_GENERATOR")
[ -n "${CMAKE_MAKE_PROGRAM:-}" ] && gen+=(-DCMAKE_MAKE_PROGRAM="$CMAKE_MAKE_PROGRAM")
"$CMAKE" -S "$here" -B "$cb" "${gen[@]}" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$warn $AG_CONSUMER_FLAGS" \
  -DCMAKE_EXE_LINKER_FLAGS="$AG_CONSUMER_FLAGS" -DAG_EXPECT_VERSION="$version" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
found=$(sed -n 's/^authgram_DIR:PATH=//p' "$cb/CMakeCache.txt")
[ "$found" = "$libdir/cmake/authgram" ] || fail "find_package found '$found', expected $libdir/cmake/authgram"
"$CMAKE" --build "$cb"
lib_in_prefix=$(ldd "$cb/consumer_shared" | grep -F "$libdir/libauthgram.so.$major" || true)
[ -n "$lib_in_prefix" ] || fail "consumer_shared does not load $libdir/libauthgram.so.$major"
check_run consumer_shared 1 "$cb/consumer_shared"
check_run consumer_static 0 "$cb/consumer_static"
digest_run consumer_digest_shared "$cb/consumer_digest_shared"
digest_run consumer_digest_static "$cb/consumer_digest_static"

step "find_package(authgram) for the parser alone, OpenSSL absent"
nb=$tmp/consumer-no-openssl
"$CMAKE" -S "$here" -B "$nb" "${gen[@]}" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$warn $AG_CONSUMER_FLAGS" \
  -DCMAKE_EXE_LINKER_FLAGS="$AG_CONSUMER_FLAGS" -DAG_CONSUMER_DIGEST=OFF \
  -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF ||
  fail "a parser-only consumer does not configure without OpenSSL"
if [ -f "$nb/CMakeCache.txt" ] && "$CMAKE" --build "$nb"; then
  check_run consumer_shared-no-openssl 1 "$nb/consumer_shared"
  check_run consumer_static-no-openssl 0 "$nb/consumer_static"
else
  fail "the parser-only consumer does not build without OpenSSL"
fi

step "find_package(authgram COMPONENTS digest), OpenSSL absent: a clear error"
db=$tmp/consumer-digest-no-openssl
rc=0
out=$("$CMAKE" -S "$here" -B "$db" "${gen[@]}" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_COMPILER="$CC" -DAG_CONSUMER_DIGEST=ON -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF 2>&1) || rc=$?
if [ "$rc" -eq 0 ]; then
  fail "COMPONENTS digest configured although OpenSSL was disabled"
elif ! printf '%s' "$out" | tr -s ' \n' ' ' | grep -q "digest component of authgram needs OpenSSL.*libssl-dev"; then
  fail "COMPONENTS digest without OpenSSL: the error does not name libcrypto and libssl-dev:"
  printf '%s\n' "$out" >&2
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "install test passed: $prefix" >&2
