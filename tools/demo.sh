#!/usr/bin/env bash
# Renders every shipped sample into out/: the PDF and a PNG preview of its
# first page. Used by `make demo`.
set -euo pipefail
BIN=${1:-build/wenyin}
cd "$(dirname "$0")/.."
mkdir -p out
S=samples/bulletin
BULLETIN=(templates/bulletin.xml -d issue=$S/issue.xml -d articles=$S/articles
          -d stations=$S/stations.csv -d talents=$S/talents.csv)
"$BIN" render "${BULLETIN[@]}" -o out/bulletin.pdf
"$BIN" render "${BULLETIN[@]}" --page 1 -o out/bulletin.png
pages=$(pdfinfo out/bulletin.pdf 2>/dev/null | sed -n 's/^Pages: *//p')
echo "out/bulletin.pdf (${pages:-?} pages), out/bulletin.png (page 1)"
