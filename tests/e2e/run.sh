#!/usr/bin/env bash
# End-to-end tests: render the shipped samples with the real binary and
# inspect the results with poppler (pdftotext, pdffonts, pdfinfo, pdftoppm),
# qpdf and pdfminer; then run every data-driven case in tests/cases/.
# Ends with "N passed, N failed".
set -u
BIN=$(realpath "${1:-build/wenyin}")
cd "$(dirname "$0")/../.." || exit 3
PROBE=tests/e2e/pdfprobe.py
export SOURCE_DATE_EPOCH=1679356800   # 2023-03-21, so runs compare byte for byte
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0

pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }
# expect NAME COMMAND...: passes when COMMAND succeeds
expect() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }

S=samples/bulletin
BULLETIN_ARGS=(templates/bulletin.xml -d issue=$S/issue.xml -d articles=$S/articles
               -d stations=$S/stations.csv -d talents=$S/talents.csv)
PDF=$TMP/bulletin.pdf

# --- the bulletin -----------------------------------------------------------
"$BIN" render "${BULLETIN_ARGS[@]}" -o "$PDF" 2>"$TMP/render.err"
rc=$?
expect "bulletin renders (exit 0)" test "$rc" -eq 0
[ -s "$TMP/render.err" ] && sed 's/^/    /' "$TMP/render.err" | head -20
if [ ! -s "$PDF" ]; then
  fail "bulletin.pdf exists" "no output; skipping the checks that need it"
else
  pdftotext -layout "$PDF" "$TMP/bulletin.txt"
  pdftotext "$PDF" "$TMP/bulletin-raw.txt"
  expect "qpdf --check passes" qpdf --check "$PDF" >/dev/null
  pages=$(pdfinfo "$PDF" | sed -n 's/^Pages: *//p')
  expect "at least 8 pages (got ${pages:-0})" test "${pages:-0}" -ge 8
  expect "PDF title is set" grep -q "^Title: *德清社工" <(pdfinfo "$PDF")
  expect "CreationDate comes from SOURCE_DATE_EPOCH" grep -q "CreationDate: *Tue Mar 21 00:00:00 2023" <(TZ=UTC pdfinfo "$PDF")
  pdffonts "$PDF" | tail -n +3 >"$TMP/fonts.txt"
  expect "fonts are listed" test -s "$TMP/fonts.txt"
  expect "every font embedded as a subset" awk '{ if ($(NF-4) != "yes" || $(NF-3) != "yes") bad=1 } END { exit bad }' "$TMP/fonts.txt"
  expect "body face is Noto Serif CJK" grep -q "NotoSerifCJK" "$TMP/fonts.txt"
  flat=$(tr -d ' \n' <"$TMP/bulletin-raw.txt")
  has() { case "$flat" in *"$1"*) return 0 ;; *) return 1 ;; esac; }
  expect "masthead: bulletin name" has "德清社工"
  expect "masthead: issue number" has "第3期"
  expect "masthead: total issue number" has "总第58期"
  expect "figures copy verbatim (2611名)" has "2611名"
  missing=""
  while IFS= read -r name; do has "$name" || missing="$missing $name"; done < <(/usr/bin/python3 $PROBE csv-column $S/talents.csv 姓名)
  expect "all talents in the roster${missing:+ (missing:$missing)}" test -z "$missing"
  n_talents=$(/usr/bin/python3 $PROBE csv-column $S/talents.csv 姓名 | wc -l)
  expect "talents.csv has 16 names (got $n_talents)" test "$n_talents" -eq 16
  missing=""
  while IFS= read -r name; do has "$(echo "$name" | tr -d ' ')" || missing="$missing $name"; done < <(/usr/bin/python3 $PROBE csv-column $S/stations.csv 名称)
  expect "all stations in the spotlight${missing:+ (missing:$missing)}" test -z "$missing"
  missing=""
  for md in $S/articles/*.md; do
    title=$(sed -n '2,20{s/^title: *//p}' "$md" | head -1 | tr -d ' "')
    has "$title" || missing="$missing $title"
  done
  expect "every article title printed${missing:+ (missing:$missing)}" test -z "$missing"
  n_articles=$(ls $S/articles/*.md | wc -l)
  n_top=$(/usr/bin/python3 $PROBE outline "$PDF" | awk -F'\t' '$1 == 1' | wc -l)
  expect "a bookmark per article at least ($n_top >= $n_articles)" test "$n_top" -ge "$n_articles"
  copies=$(sed -n 's:.*<copies>\(.*\)</copies>.*:\1:p' $S/issue.xml)
  expect "distribution block: 共印${copies}份" has "共印${copies}份"
  expect "distribution block: 报/送/发" has "报："
  expect "page number on page 2 reads — 2 —" grep -qE "^— ?2 ?—$" <(pdftotext -f 2 -l 2 "$PDF" -)
  kx=$(/usr/bin/python3 $PROBE kangxi "$PDF")
  expect "no Kangxi radicals in the text layer (got $kx)" test "$kx" = 0
  pdftoppm -r 40 -f 1 -l 1 "$PDF" "$TMP/p1"
  red=$(/usr/bin/python3 $PROBE ppm-red "$TMP"/p1-*1.ppm 0.3)
  expect "page 1 has a red masthead ($red of the top)" awk -v r="$red" 'BEGIN { exit !(r > 0.005) }'
  blank=""
  pdftoppm -r 20 "$PDF" "$TMP/all"
  for f in "$TMP"/all-*.ppm; do
    ink=$(/usr/bin/python3 $PROBE ppm-ink "$f")
    awk -v r="$ink" 'BEGIN { exit !(r > 0.01) }' || blank="$blank $(basename "$f")"
  done
  expect "no blank pages${blank:+ (blank:$blank)}" test -z "$blank"

  # --- same inputs, same bytes ----------------------------------------------
  "$BIN" render "${BULLETIN_ARGS[@]}" -o "$TMP/again.pdf" 2>/dev/null
  expect "two runs give identical bytes" cmp -s "$PDF" "$TMP/again.pdf"
fi

# --- previews -------------------------------------------------------------------
"$BIN" render "${BULLETIN_ARGS[@]}" --page 1 -o "$TMP/first.png" 2>/dev/null
expect "PNG preview of page 1 is A4 at 96 dpi" test "$(/usr/bin/python3 $PROBE png-size "$TMP/first.png" 2>/dev/null)" = "794x1123"
"$BIN" render "${BULLETIN_ARGS[@]}" -o "$TMP/pv.png" 2>/dev/null
n_png=$(ls "$TMP"/pv-*.png 2>/dev/null | wc -l)
expect "one PNG per page ($n_png for ${pages:-?})" test "$n_png" = "${pages:-x}"
"$BIN" render "${BULLETIN_ARGS[@]}" --page 2 -o "$TMP/p2.svg" 2>/dev/null
expect "SVG page is well-formed XML" xmllint --noout "$TMP/p2.svg"

# --- a failed run leaves the old output and no temp files ---------------------
mkdir -p "$TMP/keep"
echo "previous output" >"$TMP/keep/out.pdf"
printf '<template xmlns="urn:wenyin:template">\n  <sequence>\n</template>\n' >"$TMP/broken.xml"
"$BIN" render "$TMP/broken.xml" -o "$TMP/keep/out.pdf" 2>"$TMP/broken.err"
rc=$?
expect "malformed template: exit 1 (got $rc)" test "$rc" -eq 1
expect "malformed template: FILE:LINE:COL: error:" grep -qE "^$TMP/broken.xml:[0-9]+:[0-9]+: error: " "$TMP/broken.err"
expect "malformed template: previous output untouched" grep -qx "previous output" "$TMP/keep/out.pdf"
expect "malformed template: no temp files left" test "$(ls -A "$TMP/keep")" = "out.pdf"

# --- command line ---------------------------------------------------------------
"$BIN" --help >/dev/null; expect "--help exits 0" test $? -eq 0
expect "--version prints the version" grep -qE '^wenyin [0-9]+\.[0-9]+' <("$BIN" --version)
"$BIN" >/dev/null 2>&1; expect "no command: exit 2" test $? -eq 2
"$BIN" render templates/bulletin.xml --bogus >/dev/null 2>&1; expect "unknown option: exit 2" test $? -eq 2
"$BIN" render templates/bulletin.xml -o out.docx >/dev/null 2>&1; expect "unknown output type: exit 2" test $? -eq 2
SOURCE_DATE_EPOCH=yesterday "$BIN" render "${BULLETIN_ARGS[@]}" -o "$TMP/sde.pdf" >/dev/null 2>&1
rc=$?; expect "malformed SOURCE_DATE_EPOCH: exit 2 and no output" test "$rc" -eq 2 -a ! -e "$TMP/sde.pdf"
"$BIN" check templates/bulletin.xml $S/issue.xml $S/articles $S/stations.csv $S/talents.csv >"$TMP/check.out" 2>&1
expect "check accepts the samples" test $? -eq 0
"$BIN" check "$TMP/broken.xml" >/dev/null 2>&1; expect "check rejects a malformed template: exit 1" test $? -eq 1
"$BIN" fonts >"$TMP/fonts.out" 2>&1
expect "fonts lists the body role" grep -qE '^body +Noto Serif CJK SC' "$TMP/fonts.out"

# --- data-driven cases ----------------------------------------------------------
for dir in tests/cases/*/; do
  [ -f "$dir/cmd" ] || continue
  name=$(basename "$dir")
  out="$TMP/case-$name"
  mkdir -p "$out"
  read -r -a argv < <(sed "s|OUT|$out/out|g" "$dir/cmd")
  echo "previous output" >"$out/out.pdf"
  "$BIN" "${argv[@]}" >"$out/stdout" 2>"$out/stderr"
  rc=$?
  want=$(cat "$dir/exit" 2>/dev/null || echo 0)
  if [ "$rc" != "$want" ]; then
    fail "case $name" "exit $rc, expected $want: $(head -1 "$out/stderr")"
    continue
  fi
  if [ "$want" != 0 ]; then
    first=$(grep -m1 ': error: ' "$out/stderr")
    if ! printf '%s\n' "$first" | grep -qE '^[^:]+(:[0-9]+:[0-9]+)?: error: .+'; then
      fail "case $name" "no FILE:LINE:COL: error: line in: $(head -2 "$out/stderr")"; continue
    fi
    if [ -f "$dir/stderr" ] && ! grep -qF "$(cat "$dir/stderr")" <<<"$first"; then
      fail "case $name" "expected '$(cat "$dir/stderr")' in: $first"; continue
    fi
    if ! grep -qx "previous output" "$out/out.pdf" || [ "$(ls -A "$out" | grep -c wenyin-tmp)" != 0 ]; then
      fail "case $name" "the previous output was changed or a temp file was left"; continue
    fi
  elif [ -f "$dir/expect-text" ]; then
    txt=$(pdftotext "$out/out.pdf" - 2>/dev/null | tr -d ' \n')
    miss=""
    while IFS= read -r s; do [ -z "$s" ] || case "$txt" in *"$s"*) ;; *) miss="$miss $s" ;; esac; done <"$dir/expect-text"
    if [ -n "$miss" ]; then fail "case $name" "missing from the PDF:$miss"; continue; fi
  fi
  pass "case $name"
done

# --- memory: no leaks in a real run -------------------------------------------
if [ "${WY_SKIP_VALGRIND:-0}" != 1 ] && command -v valgrind >/dev/null; then
  valgrind -q --suppressions=tests/e2e/valgrind.supp --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --error-exitcode=99 "$BIN" render "${BULLETIN_ARGS[@]}" -o "$TMP/vg.pdf" >"$TMP/vg.log" 2>&1
  rc=$?
  expect "valgrind: no memory errors or definite leaks (exit $rc)" test "$rc" -eq 0
  [ "$rc" -ne 0 ] && head -40 "$TMP/vg.log"
fi

# --- Chinese typesetting (CJK.md §3): copy-paste and the Han–Latin gap ---------
if [ -s "$PDF" ]; then
  # verbatim: no space where layout put ¼ em between Han and Latin text
  expect "pdftotext copies 2611名 verbatim" grep -qF "2611名" "$TMP/bulletin-raw.txt"
  expect "pdftotext copies 社工用PDF排版 verbatim" grep -qF "社工用PDF排版" "$TMP/bulletin-raw.txt"
  pdftotext -bbox-layout "$PDF" "$TMP/bbox.html"
  expect "bbox: 社工用PDF排版 is one word, not two" grep -qE "<word [^>]*>[^<]*社工用PDF排版[^<]*</word>" "$TMP/bbox.html"
  # the gap itself: pdfminer gives each glyph's box (it ignores /ActualText)
  gaps=$(/usr/bin/python3 - "$PDF" <<'PY'
import sys
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar
def chars(o):
    if isinstance(o, LTChar):
        yield o
    elif hasattr(o, '__iter__'):
        for c in o:
            yield from chars(c)
for page in extract_pages(sys.argv[1]):
    cs = [c for c in chars(page) if c.get_text() != ' ']
    text = ''.join(c.get_text() for c in cs)
    at = text.find('社工用PDF排版')
    if at >= 0:
        han, p, f, pai = cs[at + 2], cs[at + 3], cs[at + 5], cs[at + 6]
        em = han.x1 - han.x0
        print(f"{(p.x0 - han.x1) / em:.3f} {(pai.x0 - f.x1) / em:.3f}")
        break
PY
)
  read -r han_latin latin_han <<<"${gaps:-x x}"
  expect "Han→Latin gap in 社工用PDF is 0.25 em (got $han_latin)" awk -v g="$han_latin" 'BEGIN { exit !(g > 0.23 && g < 0.27) }'
  expect "Latin→Han gap in PDF排版 is 0.25 em (got $latin_han)" awk -v g="$latin_han" 'BEGIN { exit !(g > 0.23 && g < 0.27) }'
fi

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
