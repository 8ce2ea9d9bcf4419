#!/usr/bin/env bash
# Runs every cmocka unit-test binary given and sums their results.
# Prints each failing test and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 3
passed=0 failed=0
for bin in "$@"; do
  out=$("$bin" 2>&1)
  rc=$?
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed before reporting
  if [ "$f" -ne 0 ]; then
    printf '%s\n' "$out" | grep -E '^\[  (FAILED|ERROR) +\]|error|Error|Assert' | head -40
    echo "FAIL $(basename "$bin") ($f failed)"
  else
    echo "ok   $(basename "$bin") ($p tests)"
  fi
  passed=$((passed + p)); failed=$((failed + f))
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
