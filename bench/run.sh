#!/usr/bin/env bash
# The 100-page bulletin benchmark: the sample articles repeated until the
# bulletin passes 100 pages, rendered by wenyin and, as the floor, the same
# body text set by bare pango+cairo. Prints pages per second, documents per
# second, peak memory and KB per page. Targets (2-core machine): within 2.5×
# bare pango+cairo, at most 15 KB per page, at most 150 MB peak.
# Then a 5,000-row table: pages per second, and peak memory against 500 rows.
set -euo pipefail
BIN=$(realpath "$1")
BARE=$(realpath "$2")
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
S=samples/bulletin
export SOURCE_DATE_EPOCH=1679356800

# best wall time of five runs of "$@", in seconds: the machine's timings vary by a fifth from run to run
best_time() {
  local best=""
  for _ in 1 2 3 4 5; do
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

# --- a 5,000-row table --------------------------------------------------------
# The evaluation list of tests/cases/table-long (a three-line table with a
# decimal column and a footer) over ROWS generated rows. Memory must follow
# the page, not the table: 5,000 rows may cost what their pages hold, no more.
table_csv() {
  awk -v n="$1" 'BEGIN {
    split("武康街道 舞阳街道 阜溪街道 乾元镇 新市镇 洛舍镇 钟管镇 禹越镇 新安镇 雷甸镇 莫干山镇", town, " ")
    split("困境儿童关爱 独居老人助餐 残疾人康复支持 社区矫正帮扶 新居民融入 青少年成长护航 社区治理赋能", what, " ")
    split("96.5 93.25 91 88.5 86 84.75 82 79.5 77.25 74 68.5 61", score, " ")
    print "序号,项目名称,承接机构,得分,等级"
    for (i = 1; i <= n; i++)
      printf "%d,%s%s项目,德清县%s社会工作站,%s,%s\n", i, town[i % 11 + 1], what[i % 7 + 1], town[(i * 7) % 11 + 1],
             score[i % 12 + 1], (score[i % 12 + 1] + 0 >= 90 ? "优秀" : "良好")
  }'
}
render_table() {
  "$BIN" render tests/cases/table-long/table.xml -d scores="$1" -o "$2"
}
for rows in 500 5000; do
  table_csv $rows >"$WORK/table-$rows.csv"
  render_table "$WORK/table-$rows.csv" "$WORK/table-$rows.pdf" 2>/dev/null
done
table_pages=$(pdfinfo "$WORK/table-5000.pdf" | sed -n 's/^Pages: *//p')
table_secs=$(best_time render_table "$WORK/table-5000.csv" "$WORK/table-5000.pdf")
table_kb_500=$( { /usr/bin/time -f '%M' "$BIN" render tests/cases/table-long/table.xml -d scores="$WORK/table-500.csv" \
  -o "$WORK/mem500.pdf" 2>&1 >/dev/null; } | tail -1)
table_kb_5000=$( { /usr/bin/time -f '%M' "$BIN" render tests/cases/table-long/table.xml -d scores="$WORK/table-5000.csv" \
  -o "$WORK/mem5000.pdf" 2>&1 >/dev/null; } | tail -1)

awk -v p="$pages" -v s="$secs" -v kb="$peak_kb" -v b="$bytes" -v bs="$bare_secs" -v one="$single" 'BEGIN {
  printf "bulletin-100: %d pages in %.3f s = %.1f pages/s\n", p, s, p / s
  printf "bulletin-100: peak memory %.1f MB (target <= 150)\n", kb / 1024
  printf "bulletin-100: %.1f KB per page (target <= 15), %.0f KB in all\n", b / 1024 / p, b / 1024
  printf "bare pango+cairo, same text, %d pages: %.3f s; wenyin/bare = %.2fx (target <= 2.5)\n", p, bs, s / bs
  printf "sample bulletin: %.3f s per document = %.1f documents/s\n", one, 1 / one
}'
awk -v p="$table_pages" -v s="$table_secs" -v a="$table_kb_500" -v b="$table_kb_5000" 'BEGIN {
  printf "table-5000: %d pages in %.3f s = %.1f pages/s (target: under 3 s)\n", p, s, p / s
  printf "table-5000: peak memory %.1f MB; 500 rows: %.1f MB; x%.2f for 10x the rows, %.1f KB per extra row\n",
         b / 1024, a / 1024, b / a, (b - a) / 4500
}'
