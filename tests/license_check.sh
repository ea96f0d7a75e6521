#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every source file of the project carries an SPDX line naming the MIT
# license in its first three lines, and LICENSE is the MIT license (CTest
# "license", label docs).  Data is exempt: fuzz corpora, test vectors and
# golden outputs, captured traffic, Markdown.  Lists the files git tracks;
# exit 77 (skipped) outside a git checkout.
#   license_check.sh SOURCE-DIR
set -euo pipefail
src=$1
cd "$src"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "not a git checkout: skipped"; exit 77; }
grep -q '^MIT License$' LICENSE || { echo "FAIL: LICENSE is not the MIT license" >&2; exit 1; }
missing=0 checked=0
while IFS= read -r -d '' f; do
  case $f in
    fuzz/corpus/* | gen/tests/cases/* | gen/tests/toy/emit/* | tests/vectors/* | data/* | tests/cli/*.txt | \
    tests/cli/*.log | bench/corpus.txt | *.expected | *.md | .gitignore | */.gitattributes | .gitattributes | LICENSE)
      continue ;;
  esac
  [ -f "$f" ] || continue   # deleted in the work tree, not yet committed
  checked=$((checked + 1))
  if ! head -n 3 "$f" | grep -q 'SPDX-License-Identifier: MIT'; then
    echo "no 'SPDX-License-Identifier: MIT' in the first 3 lines: $f" >&2
    missing=$((missing + 1))
  fi
done < <(git ls-files -z --cached --others --exclude-standard)
if [ "$missing" -ne 0 ]; then
  echo "FAIL: $missing of $checked source files lack the SPDX line" >&2
  exit 1
fi
echo "$checked source files carry SPDX-License-Identifier: MIT"
