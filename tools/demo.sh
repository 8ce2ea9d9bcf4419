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
pages() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }
echo "out/bulletin.pdf ($(pages out/bulletin.pdf) pages), out/bulletin.png (page 1)"

# The award list (表彰名单): the official notice with names by surname
# strokes, the same as a three-line table, and the 南太湖 talents as
# roster cards, eight to a row on A4 landscape.
A=samples/awards
AWARDS=(templates/award-list.xml -d notice=$A/notice.xml -d awardees=$A/awardees.csv)
# render_with_preview NAME ARGS...: out/NAME.pdf and a PNG of its page 1
render_with_preview() {
  local name=$1; shift
  "$BIN" render "$@" -o "out/$name.pdf"
  "$BIN" render "$@" --page 1 -o "out/$name.png"
  echo "out/$name.pdf ($(pages "out/$name.pdf") pages), out/$name.png (page 1)"
}
render_with_preview awards "${AWARDS[@]}"
render_with_preview awards-table "${AWARDS[@]}" -p layout=table
render_with_preview roster templates/award-list.xml -d awardees=$S/talents.csv -p layout=cards -p per-row=8

# The type specimen (中文排版样张): every Chinese typesetting rule with a
# before and after, fonts by role, sizes in 号, a GB/T 9704 page, and a
# cover with a vertical title.
render_with_preview specimen templates/specimen.xml -d specimen=samples/specimen/specimen.xml
