#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS (default 60) each, seeded from
# samples/ and the test cases. Findings land in build-fuzz/findings/.
set -u
cd "$(dirname "$0")/../.." || exit 3
secs=${1:-60}
export WENYIN_DATADIR=$PWD   # the targets live in build-fuzz/fuzz/, two levels down
mkdir -p build-fuzz/corpus build-fuzz/findings
seed() { mkdir -p "build-fuzz/corpus/$1"; shift; for f in "$@"; do [ -f "$f" ] && cp "$f" "build-fuzz/corpus/${f//\//_}" 2>/dev/null; done; }
seed csv samples/bulletin/*.csv tests/cases/*/*.csv tests/cases/*/*.txt
seed markdown samples/bulletin/articles/*.md
seed xml samples/bulletin/issue.xml tests/cases/*/issue.xml
seed template templates/*.xml tests/cases/*/t.xml
for f in build-fuzz/corpus/*_*; do
  case "$f" in
    *.csv|*.txt) mv "$f" build-fuzz/corpus/csv/ ;;
    *.md) mv "$f" build-fuzz/corpus/markdown/ ;;
    *templates_*|*t.xml) mv "$f" build-fuzz/corpus/template/ ;;
    *.xml) mv "$f" build-fuzz/corpus/xml/ ;;
  esac
done
status=0
for target in csv markdown xml template; do
  echo "fuzz_$target: ${secs}s"
  ASAN_OPTIONS=detect_leaks=1 build-fuzz/fuzz/fuzz_$target -max_total_time="$secs" -max_len=65536 \
    -artifact_prefix=build-fuzz/findings/$target- build-fuzz/corpus/$target >/dev/null 2>build-fuzz/fuzz_$target.log || status=1
  tail -1 build-fuzz/fuzz_$target.log
done
exit $status
