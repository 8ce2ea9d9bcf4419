#!/usr/bin/env bash
# The 100-page bulletin benchmark: the sample articles repeated until the
# bulletin passes 100 pages, rendered by wenyin and, as the floor, the same
# body text set by bare pango+cairo. Prints pages per second, documents per
# second, peak memory and KB per page. Targets (2-core machine): within 2.5×
# bare pango+cairo, at most 15 KB per page, at most 150 MB peak.
set -euo pipefail
BIN=$(realpath "$1")
BARE=$(realpath "$2")
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
S=samples/bulletin
export SOURCE_DATE_EPOCH=1679356800

# best wall time of three runs of "$@", in seconds
best_time() {
  local best=""
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
    best=$(awk -v a="$t0" -v b="$t1" -v best="$best" 'BEGIN { t = b - a; if (best == "" || t < best) best = t; printf "%.4f", best }')
  done
  echo "$best"
}

render_bulletin() {
  "$BIN" render templates/bulletin.xml -d issue=$S/issue.xml -d articles="$1" \
    -d stations=$S/stations.csv -d talents=$S/talents.csv -o "$2"
}

# grow the articles folder until the bulletin has at least 100 pages
mkdir -p "$WORK/articles"
cp -r $S/articles/images "$WORK/articles/" 2>/dev/null || true
copies=0 pages=0
while [ "$pages" -lt 100 ]; do
  copies=$((copies + 1))
  for f in $S/articles/*.md; do cp "$f" "$WORK/articles/$(printf '%03d' $copies)-$(basename "$f")"; done
  render_bulletin "$WORK/articles" "$WORK/big.pdf" 2>/dev/null
  pages=$(pdfinfo "$WORK/big.pdf" | sed -n 's/^Pages: *//p')
done

secs=$(best_time render_bulletin "$WORK/articles" "$WORK/big.pdf")
peak_kb=$( { /usr/bin/time -f '%M' "$BIN" render templates/bulletin.xml -d issue=$S/issue.xml \
  -d articles="$WORK/articles" -d stations=$S/stations.csv -d talents=$S/talents.csv \
  -o "$WORK/mem.pdf" 2>&1 >/dev/null; } | tail -1)
bytes=$(stat -c %s "$WORK/big.pdf")
bare_secs=$(best_time "$BARE" "$WORK/bare.pdf" "$pages" "$WORK"/articles/*.md)

single=$(best_time render_bulletin $S/articles "$WORK/one.pdf")

awk -v p="$pages" -v s="$secs" -v kb="$peak_kb" -v b="$bytes" -v bs="$bare_secs" -v one="$single" 'BEGIN {
  printf "bulletin-100: %d pages in %.3f s = %.1f pages/s\n", p, s, p / s
  printf "bulletin-100: peak memory %.1f MB (target <= 150)\n", kb / 1024
  printf "bulletin-100: %.1f KB per page (target <= 15), %.0f KB in all\n", b / 1024 / p, b / 1024
  printf "bare pango+cairo, same text, %d pages: %.3f s; wenyin/bare = %.2fx (target <= 2.5)\n", p, bs, s / bs
  printf "sample bulletin: %.3f s per document = %.1f documents/s\n", one, 1 / one
}'
