#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS (default 60) each, seeded from
# samples/, the test cases and the PDFs of `make demo` (out/, and the CFF
# fonts inside them). Findings land in build-fuzz/findings/.
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
# PDFs cairo wrote, and the CFF fonts inside them (fontTools reads them out)
seed pdftail out/*.pdf
for f in build-fuzz/corpus/out_*.pdf; do [ -f "$f" ] && mv "$f" build-fuzz/corpus/pdftail/; done
mkdir -p build-fuzz/corpus/cff
/usr/bin/python3 - build-fuzz/corpus/cff out/*.pdf <<'PY' 2>/dev/null || true
import sys
from pdfminer.pdfparser import PDFParser
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdftypes import PDFStream
for n, path in enumerate(sys.argv[2:]):
    doc = PDFDocument(PDFParser(open(path, 'rb')))
    for xref in doc.xrefs:
        for objid in xref.get_objids():
            obj = doc.getobj(objid)
            if isinstance(obj, PDFStream) and 'Type0C' in str(obj.attrs.get('Subtype')):
                open(f'{sys.argv[1]}/{n}-{objid}.cff', 'wb').write(obj.get_data())
PY
status=0
for target in csv markdown xml template cff pdftail; do
  echo "fuzz_$target: ${secs}s"
  max_len=65536
  case $target in cff|pdftail) max_len=2097152 ;; esac   # whole fonts and PDFs
  ASAN_OPTIONS=detect_leaks=1 build-fuzz/fuzz/fuzz_$target -max_total_time="$secs" -max_len=$max_len \
    -artifact_prefix=build-fuzz/findings/$target- build-fuzz/corpus/$target >/dev/null 2>build-fuzz/fuzz_$target.log || status=1
  tail -1 build-fuzz/fuzz_$target.log
done
exit $status
