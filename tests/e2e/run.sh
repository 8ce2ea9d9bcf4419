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
  # the second half of the text is laid out on another thread: the same bytes as with one thread
  WENYIN_THREADS=1 "$BIN" render "${BULLETIN_ARGS[@]}" -o "$TMP/bulletin-1thread.pdf" 2>/dev/null
  expect "one thread or two: the bulletin is byte for byte the same" cmp -s "$PDF" "$TMP/bulletin-1thread.pdf"
  # cairo keeps every subroutine of a CID font when its own walk stumbles; the ones no glyph calls are emptied
  cff=$(/usr/bin/python3 $PROBE cff-subrs "$PDF")
  [ -n "$cff" ] && sed 's/^/    cff: /' <<<"$cff"
  expect "CFF fonts: every glyph draws, no subroutine kept that no glyph calls" \
    awk '{ n++; if ($2 != $3 || $5 != 0) bad = 1 } END { exit bad || n == 0 }' <<<"$cff"
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
  two_col=$(grep -l '^columns: *2' $S/articles/*.md | head -1)
  if [ -n "$two_col" ]; then
    t=$(sed -n '2,20{s/^title: *//p}' "$two_col" | head -1 | tr -d ' "')
    right=$(/usr/bin/python3 $PROBE right-half-lines "$PDF" "$t")
    expect "a columns: 2 article is set in two columns ($right lines start right of centre)" test "${right:-0}" -ge 10
    one_col=$(sed -n '2,20{s/^title: *//p}' $S/articles/02-*.md | head -1 | tr -d ' "')
    right=$(/usr/bin/python3 $PROBE right-half-lines "$PDF" "$one_col")
    expect "a one-column article is not ($right lines start right of centre)" test "${right:-99}" -lt 10
  fi
  n_jpeg=$(ls $S/articles/images/*.jpg 2>/dev/null | wc -l)
  n_dct=$(qpdf --qdf --object-streams=disable "$PDF" - 2>/dev/null | grep -ac '/DCTDecode')
  expect "JPEG pictures embedded as-is ($n_dct /DCTDecode for $n_jpeg JPEG files)" test "$n_dct" -ge "$n_jpeg" -a "$n_jpeg" -ge 1
  kx=$(/usr/bin/python3 $PROBE kangxi "$PDF")
  expect "no Kangxi radicals in the text layer (got $kx)" test "$kx" = 0
  # CJK.md §5: body (四号, pitch 1.75 × 14 pt) and the kai and heading lines
  # of its size keep one grid down every page, whatever titles, pictures
  # and captions of other heights stand between them (type area: 37 mm to
  # 35 mm from the bottom)
  read -r n_base spread < <(/usr/bin/python3 $PROBE grid-phase "$PDF" 14 24.5 2 12 742)
  expect "body lines on one grid ($n_base baselines, spread ${spread:-?} pt)" \
    awk -v n="${n_base:-0}" -v s="${spread:-99}" 'BEGIN { exit !(n >= 20 && s < 0.01) }'
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

  # CJK.md §3/§4: copying gives the source text: no space an extractor
  # makes up from a letter-spaced or justified gap between two ideographs
  pdftotext "$PDF" "$TMP/bulletin-plain.txt"
  stray=$(/usr/bin/python3 $PROBE stray-spaces "$TMP/bulletin-plain.txt" $S/articles/*.md $S/*.csv $S/issue.xml |
          tr '\n' ' ')
  expect "no made-up spaces between ideographs in the copied text${stray:+ (got: $stray)}" test -z "$stray"
  # GB/T 9704: the 版记 (报/送/发 and 共印×份) closes the last page at its foot
  last=$(pdfinfo "$PDF" | sed -n 's/^Pages: *//p')
  copies_y=$(pdftotext -bbox -f "$last" -l "$last" "$PDF" - | sed -n 's/.*yMax="\([0-9.]*\)">（共印.*/\1/p' | head -1)
  expect "the 版记 sits at the foot of the last page (共印 line ends at y=${copies_y:-?}, type area at 742.7)" \
    awk -v y="${copies_y:-0}" 'BEGIN { exit !(y > 715 && y < 742.7) }'

  # --- same inputs, same bytes ----------------------------------------------
  "$BIN" render "${BULLETIN_ARGS[@]}" -o "$TMP/again.pdf" 2>/dev/null
  expect "two runs give identical bytes" cmp -s "$PDF" "$TMP/again.pdf"
fi

# --- the award list (表彰名单) ----------------------------------------------------
A=samples/awards
AWARD_ARGS=(templates/award-list.xml -d notice=$A/notice.xml -d awardees=$A/awardees.csv)
"$BIN" render "${AWARD_ARGS[@]}" -o "$TMP/awards.pdf" 2>"$TMP/awards.err"
rc=$?
expect "award list renders (exit 0)" test "$rc" -eq 0
[ -s "$TMP/awards.err" ] && sed 's/^/    /' "$TMP/awards.err" | head -20
if [ ! -s "$TMP/awards.pdf" ]; then
  fail "awards.pdf exists" "no output; skipping the checks that need it"
else
  export LC_ALL=C.UTF-8   # ${#name} counts characters
  expect "awards: qpdf --check passes" qpdf --check "$TMP/awards.pdf" >/dev/null
  pdftotext -layout "$TMP/awards.pdf" "$TMP/awards.txt"
  /usr/bin/python3 $PROBE names-in-text "$TMP/awards.txt" $A/awardees.csv 姓名 >"$TMP/awards.names"
  /usr/bin/python3 $PROBE csv-column $A/awardees.csv 姓名 | sed 's/\xe3\x80\x80//g' >"$TMP/awardees.names"
  n_csv=$(wc -l <"$TMP/awardees.names")
  expect "awardees.csv has about 60 names (got $n_csv)" test "$n_csv" -ge 50
  wrong=$(grep -v '^# ' "$TMP/awards.names" | sort | uniq -c | awk '$1 != 1 { print $2 }' | tr '\n' ' ')
  missing=$(grep -v '^# ' "$TMP/awards.names" | sort -u | comm -13 - <(sort -u "$TMP/awardees.names") | tr '\n' ' ')
  expect "every awardee printed exactly once${missing:+ (missing: $missing)}${wrong:+ (repeated: $wrong)}" \
    test -z "$missing$wrong"
  # group_with SURNAME FILE: the names of the group (between "# " lines) that has one with SURNAME
  group_with() {
    local block="" hit=0 line
    while IFS= read -r line; do
      if [ "${line:0:2}" = "# " ]; then [ $hit = 1 ] && break; block=""; continue; fi
      block+="$line"$'\n'; [ "${line:0:1}" = "$1" ] && hit=1
    done <"$2"
    [ $hit = 1 ] && printf '%s' "$block"
  }
  # the group holding the CJK.md §9 surnames, in the order the PDF prints it
  surnames=$(group_with 李 "$TMP/awards.names" | while IFS= read -r n; do echo "${n:0:1}"; done |
             grep -E '^(李|吴|何|宋|张|陈|周)$' | uniq | tr -d '\n')
  expect "stroke order: the 7-stroke surnames read 李吴何宋张陈, then 周 (got $surnames)" test "$surnames" = "李吴何宋张陈周"
  n3000=$(/usr/bin/python3 $PROBE char-count "$TMP/awards.pdf" 3000)
  expect "no U+3000 in the text layer (got ${n3000:-?})" test "${n3000:-1}" = 0
  expect "a clerk's 李　明 prints as 李明" grep -qx 李明 "$TMP/awards.names"
  n_two=$(while IFS= read -r n; do [ ${#n} -eq 2 ] && echo "$n"; done <"$TMP/awardees.names" | wc -l)
  /usr/bin/python3 $PROBE name-gaps "$TMP/awards.pdf" $A/awardees.csv 姓名 >"$TMP/gaps.txt"
  off=$(awk '{ d = $2 - 2 * $3; if (d < -0.1 || d > 0.1) print $1 "=" $2 }' "$TMP/gaps.txt" | tr '\n' ' ')
  expect "two-character names: the second character 2 em after the first (${n_two} names${off:+; off: $off})" \
    test "$(wc -l <"$TMP/gaps.txt")" -eq "$n_two" -a -z "$off" -a "$n_two" -gt 0
  # the em between them is filled for extractors: pdftotext copies 李明, not 李 明
  split=$(while IFS= read -r n; do
            [ ${#n} -eq 2 ] && ! grep -qF "$n" "$TMP/awards.txt" && printf '%s ' "$n"
          done <"$TMP/awardees.names")
  expect "two-character names copy whole from the PDF${split:+ (split: $split)}" test -z "$split"
  heads=$(grep -c '^# [一二三四五六七八九十]、.*（[0-9]*名）$' "$TMP/awards.names")
  expect "a heading with its count per group (got $heads)" test "$heads" -eq 3
  for c in 26 13 21; do
    expect "group counts: （${c}名）" grep -q "（${c}名）" "$TMP/awards.names"
  done
  expect "date and sealing unit at the end" grep -q '2023年3月21日' <(tail -5 "$TMP/awards.names")

  "$BIN" render "${AWARD_ARGS[@]}" -p order=pinyin -o "$TMP/pinyin.pdf" 2>/dev/null
  pdftotext -layout "$TMP/pinyin.pdf" "$TMP/pinyin.txt"
  /usr/bin/python3 $PROBE names-in-text "$TMP/pinyin.txt" $A/awardees.csv 姓名 >"$TMP/pinyin.names"
  differ() { ! cmp -s "$1" "$2"; }
  expect "pinyin order differs from stroke order" differ "$TMP/awards.names" "$TMP/pinyin.names"
  group_with 安 "$TMP/pinyin.names" >"$TMP/pinyin.group"
  before() { local a b; a=$(grep -n "^$1" "$TMP/pinyin.group" | head -1 | cut -d: -f1)
             b=$(grep -n "^$2" "$TMP/pinyin.group" | head -1 | cut -d: -f1); [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]; }
  for pair in 安:白 白:蔡 蔡:陈 陈:丁 何:李 欧:宋 吴:张 张:周; do
    expect "pinyin order: ${pair%%:*} before ${pair##*:}" before "${pair%%:*}" "${pair##*:}"
  done

  "$BIN" render "${AWARD_ARGS[@]}" -p layout=table -o "$TMP/awards-table.pdf" 2>/dev/null
  expect "layout=table renders with its header row" grep -q '序号 *姓名 *单位 *职务' <(pdftotext -layout "$TMP/awards-table.pdf" -)
  n_at=$(pdfinfo "$TMP/awards-table.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
  no_head=""
  for p in $(seq 1 "${n_at:-0}"); do
    pdftotext -f "$p" -l "$p" -layout "$TMP/awards-table.pdf" - | grep -q '序号 *姓名 *单位 *职务' || no_head="$no_head $p"
  done
  expect "layout=table: the header row on every one of its ${n_at:-0} pages${no_head:+ (missing on:$no_head)}" test -z "$no_head" -a "${n_at:-0}" -ge 2
  "$BIN" render templates/award-list.xml -d awardees=$S/talents.csv -p layout=cards -p per-row=8 -o "$TMP/roster.pdf" 2>/dev/null
  expect "roster: 16 cards, 8 to a row, on one page" grep -q 'Pages: *1$' <(pdfinfo "$TMP/roster.pdf")
  expect "roster: A4 landscape" grep -q 'Page size: *841.89 x 595.276' <(pdfinfo "$TMP/roster.pdf")
  missing=""
  roster=$(pdftotext "$TMP/roster.pdf" - | tr -d ' \n')
  while IFS= read -r name; do case "$roster" in *"$name"*) ;; *) missing="$missing $name" ;; esac
  done < <(/usr/bin/python3 $PROBE csv-column $S/talents.csv 姓名)
  expect "roster: all 16 talents${missing:+ (missing:$missing)}" test -z "$missing"
  unset LC_ALL
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
expect "fonts: the body face covers all of GB 2312" grep -qE '^body +Noto Serif CJK SC +6763/6763 GB2312, [0-9]+/20992 URO' "$TMP/fonts.out"

# --- coverage: every character of the samples is in its role's face -----------
"$BIN" render "${BULLETIN_ARGS[@]}" --strict -o "$TMP/strict.pdf" 2>"$TMP/strict.err"
rc=$?; expect "the bulletin renders with --strict (exit $rc)" test "$rc" -eq 0 -a -s "$TMP/strict.pdf"
[ "$rc" -ne 0 ] && sed 's/^/    /' "$TMP/strict.err" | head -20
"$BIN" render "${AWARD_ARGS[@]}" --strict -o "$TMP/strict-awards.pdf" 2>"$TMP/strict.err"
rc=$?; expect "the award list renders with --strict (exit $rc)" test "$rc" -eq 0
[ "$rc" -ne 0 ] && sed 's/^/    /' "$TMP/strict.err" | head -20

# --- the GB/T 9704 page preset -------------------------------------------------
"$BIN" render tests/cases/gb9704-page/t.xml -d notice=tests/cases/gb9704-page/notice.xml \
  -d articles=$S/articles -o "$TMP/gb.pdf" 2>/dev/null
if [ -s "$TMP/gb.pdf" ]; then
  # type area bottom: 37 mm + 225 mm from the top
  /usr/bin/python3 $PROBE grid "$TMP/gb.pdf" 742.7 >"$TMP/gb.grid"
  n_gb=$(wc -l <"$TMP/gb.grid")
  body=$(sed '1d;$d' "$TMP/gb.grid")   # the title page and the last page are not full
  expect "GB/T 9704: no page holds more than 22 lines" awk '$2 > 22 { bad = 1 } END { exit bad }' "$TMP/gb.grid"
  full=$(awk '$2 == 22' <<<"$body" | wc -l)
  expect "GB/T 9704: full pages hold 22 lines ($full of $((n_gb - 2)))" test "$full" -ge $(( (n_gb - 2) / 2 ))
  expect "GB/T 9704: one line pitch of 29.0 pt on every body page" awk '$3 != "29.0" { bad = 1 } END { exit bad }' <<<"$body"
  expect "GB/T 9704: lines of 28 characters" awk '$5 != 28 { bad = 1 } END { exit bad }' <<<"$body"
  expect "GB/T 9704: page numbers outside, one character in (odd right, even left)" \
    awk '$4 == "-" || ($1 % 2 == 1 && $4 < 297) || ($1 % 2 == 0 && ($4 > 297 || $4 < 93 || $4 > 94)) { bad = 1 } END { exit bad }' "$TMP/gb.grid"
else
  fail "GB/T 9704 preset renders"
fi

# --- a Traditional Chinese article is set in the TC faces, title included --------
mkdir -p "$TMP/hant/articles"
cat >"$TMP/hant/articles/01-taipei.md" <<'MD'
---
title: 臺北市社會工作者節表揚大會
section: 外地經驗
lang: zh-Hant
---

臺北市政府社會局今年表揚績優社會工作者，共計三十位獲獎。「社會工作是連結群眾的重要橋樑。」
MD
"$BIN" render templates/bulletin.xml -d issue=$S/issue.xml -d articles="$TMP/hant/articles" \
  -d stations=$S/stations.csv -d talents=$S/talents.csv -o "$TMP/hant.pdf" 2>/dev/null
pdffonts "$TMP/hant.pdf" 2>/dev/null >"$TMP/hant.fonts"
expect "zh-Hant article: body in Noto Serif CJK TC" grep -q "NotoSerifCJKtc-Regular" "$TMP/hant.fonts"
expect "zh-Hant article: title in the bold TC face (lang=\"{lang}\")" grep -q "NotoSerifCJKtc-Bold" "$TMP/hant.fonts"

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

# --- a long table: its header and continued caption on every page --------------
LONG="$TMP/case-table-long/out.pdf"
n_long=$(pdfinfo "$LONG" 2>/dev/null | sed -n 's/^Pages: *//p')
if [ -n "$n_long" ]; then
  expect "long table runs over several pages (${n_long:-0})" test "${n_long:-0}" -ge 3
  no_header="" no_caption=""
  for p in $(seq 1 "${n_long:-0}"); do
    page=$(pdftotext -f "$p" -l "$p" "$LONG" - | tr -d ' \n')
    for h in 序号 项目名称 承接机构 等级; do  # 得分 is in the caption too
      case "$page" in *"$h"*) ;; *) no_header="$no_header $p:$h" ;; esac
    done
    if [ "$p" -gt 1 ]; then
      case "$page" in *"表12023年度项目评估得分（续）"*) ;; *) no_caption="$no_caption $p" ;; esac
    fi
  done
  expect "long table: the header on every page${no_header:+ (missing:$no_header)}" test -z "$no_header"
  expect "long table: （续） caption on pages 2–${n_long:-?}${no_caption:+ (missing on:$no_caption)}" test -z "$no_caption"
  footers=$(pdftotext "$LONG" - | tr -d ' \n' | grep -o "合计160个项目" | wc -l)
  expect "long table: the footer row once, at the end (got $footers)" test "$footers" -eq 1
else
  fail "long table" "tests/cases/table-long produced no PDF"
fi

# --- <parallel>: a paragraph pair taller than a page splits between lines -------
# tests/cases/parallel-tall-pair: pair 1 (〔101〕…, [101]…), a heading pair, pair 2
# (〔201〕–〔216〕 beside [201]–[216]) taller than an A5 page, then pairs 3–8 of
# about 40 % of a page each.
TALL="$TMP/case-parallel-tall-pair/out.pdf"
if pdfinfo "$TALL" >/dev/null 2>&1; then
  expect "tall pair: no diagnostics" test ! -s "$TMP/case-parallel-tall-pair/stderr"
  pdftotext -bbox-layout "$TALL" "$TMP/tall.html"
  /usr/bin/python3 - "$TMP/tall.html" >"$TMP/tall.txt" <<'PY'
import html, re, sys
# Every word with its page and column (left or right of the page's middle);
# words at the same top in a column make a line.
doc = open(sys.argv[1], encoding="utf-8").read()
lines = {}
for number, page in enumerate(doc.split("<page ")[1:], 1):
    middle = float(re.match(r'width="([\d.]+)"', page).group(1)) / 2
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page):
        x, top, bottom, text = float(m.group(1)), float(m.group(2)), float(m.group(3)), html.unescape(m.group(4))
        key = (number, 0 if x < middle else 1, round(top, 1))
        line = lines.setdefault(key, [top, bottom, []])
        line[2].append(text)
lines = sorted((p, c, v[0], v[1], "".join(v[2])) for (p, c, _), v in lines.items())
marker = [re.compile(r"〔(\d{3})〕"), re.compile(r"\[(\d{3})\]")]
found = [[], []]                         # per column: (marker, page, top)
for page, col, top, bottom, text in lines:
    for m in marker[col].finditer(text):
        found[col].append((int(m.group(1)), page, top))
want = [p * 100 + s for p, n in [(1, 3), (2, 16)] + [(k, 3) for k in range(3, 9)] for s in range(1, n + 1)]
for col, name in ((0, "zh"), (1, "en")):
    got = [m for m, _, _ in found[col]]
    print("order-%s %s" % (name, "ok" if got == want else "bad:" + ",".join(map(str, got))))
page_of = [{m: p for m, p, _ in found[col]} for col in (0, 1)]
top_of = [{m: t for m, _, t in found[col]} for col in (0, 1)]
start, end = page_of[0].get(201), max(page_of[0].get(216, 0), page_of[1].get(216, 0))
print("start %s %s %s" % (page_of[0].get(103), start, page_of[1].get(201)))
print("span %s %s" % (start, end))
# both sides start level: where the pair begins, then at the top of each later page
level = []
for page in range(start or 1, end + 1):
    if page == start:
        tops = (top_of[0][201], top_of[1][201])
    else:
        tops = tuple(min((t for p, c, t, _, _ in lines if p == page and c == col), default=-1) for col in (0, 1))
    level.append("%d:%.2f/%.2f" % (page, tops[0], tops[1]))
print("level " + " ".join(level))
# pairs 3-8: each on one page; a pair opening a page after room was left below the last
bottom_of = {}
for page, col, top, bottom, text in lines:
    bottom_of[page] = max(bottom_of.get(page, 0), bottom)
whole, moved = [], []
for k in range(3, 9):
    pages = {page_of[c].get(k * 100 + s) for c in (0, 1) for s in (1, 2, 3)}
    whole.append("%d:%s" % (k, ",".join(str(p) for p in sorted(pages, key=str))))
    page = pages.pop() if len(pages) == 1 else None
    first_here = page and min(t for p, c, t, _, _ in lines if p == page) >= top_of[0][k * 100 + 1] - 1
    if first_here and page > 1:
        moved.append("%d:%.1f" % (k, bottom_of[page - 1]))
print("whole " + " ".join(whole))
print("moved " + " ".join(moved))
PY
  order=$(grep '^order' "$TMP/tall.txt" | tr '\n' ' ')
  expect "tall pair: both texts complete and in order, every sentence once ($order)" \
    test "$(grep -c '^order-.. ok$' "$TMP/tall.txt")" -eq 2
  read -r _ intro_page zh_page en_page < <(grep '^start' "$TMP/tall.txt")
  expect "tall pair: it starts on the page of the pair before it (page $zh_page/$en_page, that pair on $intro_page)" \
    test -n "$intro_page" -a "$zh_page" = "$intro_page" -a "$en_page" = "$intro_page"
  read -r _ first last < <(grep '^span' "$TMP/tall.txt")
  expect "tall pair: it runs over 2-3 pages ($first to $last)" test "$((last - first))" -ge 1 -a "$((last - first))" -le 2
  level=$(sed -n 's/^level //p' "$TMP/tall.txt")
  uneven=$(tr ' ' '\n' <<<"$level" | awk -F'[:/]' '$2 < 0 || $3 < 0 || $2 - $3 > 1 || $3 - $2 > 1')
  [ "$(wc -w <<<"$level")" -eq "$((last - first + 1))" ] || uneven="pages missing"
  expect "tall pair: both columns start level on every page, within 1 pt ($level)" test -z "$uneven"
  # A5, 20 mm margins: the type area runs from 56.7 to 538.6 pt
  late=$(tr ' ' '\n' <<<"$level" | awk -F'[:/]' -v first="$first" '$1 > first && ($2 > 70 || $3 > 70)')
  expect "tall pair: each side continues at the top of the next page" test -z "$late"
  whole=$(sed -n 's/^whole //p' "$TMP/tall.txt")
  expect "short pairs: each lies whole on one page ($whole)" \
    test "$(tr ' ' '\n' <<<"$whole" | grep -cE '^[0-9]+:[0-9]+$')" -eq 6
  moved=$(sed -n 's/^moved //p' "$TMP/tall.txt")
  roomy=$(tr ' ' '\n' <<<"$moved" | awk -F: '$2 != "" && 538.6 - $2 >= 34' | wc -l)
  expect "short pairs: one that did not fit went whole to the next page, two lines of room left behind ($moved)" \
    test "$roomy" -ge 1
else
  fail "tall pair" "tests/cases/parallel-tall-pair produced no PDF"
fi

# --- memory: no leaks in a real run -------------------------------------------
if [ "${WY_SKIP_VALGRIND:-0}" != 1 ] && command -v valgrind >/dev/null; then
  valgrind -q --suppressions=tests/e2e/valgrind.supp --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --error-exitcode=99 "$BIN" render "${BULLETIN_ARGS[@]}" -o "$TMP/vg.pdf" >"$TMP/vg.log" 2>&1
  rc=$?
  expect "valgrind: no memory errors or definite leaks (exit $rc)" test "$rc" -eq 0
  [ "$rc" -ne 0 ] && head -40 "$TMP/vg.log"
  valgrind -q --suppressions=tests/e2e/valgrind.supp --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --error-exitcode=99 "$BIN" render "${AWARD_ARGS[@]}" -p order=pinyin -o "$TMP/vg-awards.pdf" >"$TMP/vg.log" 2>&1
  rc=$?
  expect "valgrind: the award list (sorting, wy: functions, include) is clean too (exit $rc)" test "$rc" -eq 0
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
  gaps=$(/usr/bin/python3 $PROBE han-latin-gaps "$PDF" 社工用PDF排版)
  read -r han_latin latin_han <<<"${gaps:-x x}"
  expect "Han→Latin gap in 社工用PDF is 0.25 em (got $han_latin)" awk -v g="$han_latin" 'BEGIN { exit !(g > 0.23 && g < 0.27) }'
  expect "Latin→Han gap in PDF排版 is 0.25 em (got $latin_han)" awk -v g="$latin_han" 'BEGIN { exit !(g > 0.23 && g < 0.27) }'
fi

# --- the type specimen (中文排版样张) -------------------------------------------
# Every Chinese rule of CJK.md with a before and after, the vertical cover
# title, numbers and dates by the wy: functions and a GB/T 9704 page.
SPEC=$TMP/specimen.pdf
"$BIN" render templates/specimen.xml -d specimen=samples/specimen/specimen.xml -o "$SPEC" 2>"$TMP/specimen.err"
rc=$?
expect "specimen renders (exit 0)" test "$rc" -eq 0
expect "specimen renders without a warning" test ! -s "$TMP/specimen.err"
if [ ! -s "$SPEC" ]; then
  fail "specimen.pdf exists" "no output; skipping the checks that need it"
else
  pdftotext "$SPEC" "$TMP/specimen.txt"
  expect "specimen: qpdf --check passes" qpdf --check "$SPEC" >/dev/null
  spec_pages=$(pdfinfo "$SPEC" | sed -n 's/^Pages: *//p')
  expect "specimen: 6 pages (cover, rules, numbers and vertical text, sizes, GB/T 9704) (got ${spec_pages:-0})" \
    test "${spec_pages:-0}" -eq 6
  for s in 社工用PDF排版 2611名 二〇二三年三月二十一日 壹万贰仟叁佰元整 1.6万 1.23亿 第十七届 \
           社會工作者應秉持「助人自助」 人员、有制度、有 德清县2023年共有社会工作站; do
    expect "specimen text holds $s verbatim" grep -qF -- "$s" "$TMP/specimen.txt"
  done
  # Vertical text: a column whose glyphs all map back to their characters
  # copies as one piece (/ActualText); one with a glyph that would read as a
  # radical (文 → ⽂) or a vertical bracket copies a character a line, but
  # every character right, in reading order
  expect "specimen: a vertical subtitle copies verbatim" \
    grep -qx 民政出版物的排版规则 <(pdftotext -f 1 -l 1 "$SPEC" -)
  expect "specimen: the vertical cover title copies in order" \
    grep -qF 中文排版样张 <(pdftotext -f 1 -l 1 "$SPEC" - | tr -d '\n')
  expect "specimen: vertical brackets copy as themselves, in order" \
    grep -qF "《社会工作》（第17期）" <(pdftotext -f 4 -l 4 "$SPEC" - | tr -d '\n')
  kx=$(/usr/bin/python3 $PROBE kangxi "$SPEC")
  expect "specimen: no Kangxi radicals in pdfminer's text (got $kx)" test "$kx" = 0
  cid=$(/usr/bin/python3 -c 'import sys
from pdfminer.high_level import extract_text
print(extract_text(sys.argv[1]).count("(cid:"))' "$SPEC")
  expect "specimen: every glyph has a character in ToUnicode (got $cid unmapped)" test "$cid" = 0
  expect "specimen: page 6 is the GB/T 9704 notice" \
    grep -q "关于做好2023年度社会工作站" <(pdftotext -f 6 -l 6 "$SPEC" - | tr -d '\n')
  spec_a4=$(pdfinfo -f 6 -l 6 "$SPEC" | grep -c "size: *595.276 x 841.89")
  expect "specimen: the GB/T 9704 page is A4" test "$spec_a4" -eq 1
fi

# --- punctuation compression in a face without halt (CJK.md §2) -------------
# AR PL UKai (the kai role) has no OpenType halt: wenyin halves its marks
# by their ink. The specimen's §2 ends each convention's column with one
# line in kai: compressed, full-width, half-width, from left to right.
if [ -s "$SPEC" ]; then
  spans=$(/usr/bin/python3 $PROBE mark-span "$SPEC" 说：「社 UKai)
  read -r kai_compressed kai_full kai_half <<<"${spans:-x x x}"
  expect "kai: the pair ：「 in 说：「社 spans 1.5 em (got $kai_compressed)" \
    awk -v s="$kai_compressed" 'BEGIN { exit !(s > 1.49 && s < 1.51) }'
  expect "kai: full-width keeps 2 em (got $kai_full)" awk -v s="$kai_full" 'BEGIN { exit !(s > 1.99 && s < 2.01) }'
  expect "kai: half-width takes 1 em (got $kai_half)" awk -v s="$kai_half" 'BEGIN { exit !(s > 0.99 && s < 1.01) }'
  spans=$(/usr/bin/python3 $PROBE mark-span "$SPEC" 家。」 UKai)
  read -r kai_stop _ <<<"${spans:-x}"
  expect "kai: 。 before 」 (UKai's centred stop) takes half an em (got $kai_stop)" \
    awk -v s="$kai_stop" 'BEGIN { exit !(s > 0.49 && s < 0.51) }'
fi

# --- streamed PDF: an error after pages were written leaves the old file -------
# Pages go into the PDF as layout finishes them; a block too tall for a
# page at the end fails the run after several pages, and the previous
# file must stay as it was, with no temporary file beside it.
LATE="$TMP/late"
mkdir -p "$LATE"
{ echo text; for i in $(seq 1 120); do echo "第${i}段：德清县社会工作站建设稳步推进，服务覆盖全县各镇街。"; done; } >"$LATE/rows.csv"
late_template() {
  cat <<EOT
<?xml version="1.0" encoding="UTF-8"?>
<template xmlns="urn:wenyin:template">
  <sequence>
    <for-each select="rows/row"><p><value-of select="text"/></p></for-each>
    $1
  </sequence>
</template>
EOT
}
late_template "" >"$LATE/ok.xml"
late_template '<box keep-together="true"><for-each select="rows/row"><p><value-of select="text"/></p></for-each></box>' >"$LATE/late.xml"
"$BIN" render "$LATE/ok.xml" -d rows="$LATE/rows.csv" -o "$LATE/ok.pdf" 2>/dev/null
n_ok=$(pdfinfo "$LATE/ok.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
expect "streamed: the pages before the late error fill several pages (${n_ok:-0})" test "${n_ok:-0}" -ge 3
echo "the previous issue" >"$LATE/out.pdf"
"$BIN" render "$LATE/late.xml" -d rows="$LATE/rows.csv" -o "$LATE/out.pdf" 2>"$LATE/err"
rc=$?
expect "streamed: a block too tall after ${n_ok:-some} pages fails (exit $rc)" test "$rc" -eq 1
expect "streamed: the error names the block" grep -q "late.xml:5:.*taller than a page" "$LATE/err"
expect "streamed: the previous file is untouched" test "$(cat "$LATE/out.pdf")" = "the previous issue"
expect "streamed: no temporary file is left" test "$(ls -A "$LATE" | tr '\n' ' ')" = "err late.xml ok.pdf ok.xml out.pdf rows.csv "

# --- bilingual: the lead article beside its English (01-….en.md) ---------------
BI=$TMP/bilingual.pdf
"$BIN" render "${BULLETIN_ARGS[@]}" -o "$BI" 2>/dev/null
if [ ! -s "$BI" ]; then
  fail "bilingual: bulletin renders" "no output"
else
  flat=$(pdftotext "$BI" - | tr -d ' \n')
  en_title=$(sed -n '2,20{s/^title: *//p}' $S/articles/01-*.en.md | head -1 | tr -d ' ')
  expect "bilingual: the English title is printed" grep -qF "$en_title" <<<"$flat"
  expect "bilingual: an English sentence is printed" grep -qF "Deqinghasbecomeanationaldemonstrationarea" <<<"$flat"
  expect "bilingual: no soft hyphen (U+00AD) in the text layer" test "$(pdftotext "$BI" - | grep -c $'\xc2\xad')" -eq 0
  expect "bilingual: an unbroken long word reads as typed" grep -qw "Ministry" <(pdftotext -raw "$BI" -)
  pdftotext -bbox-layout "$BI" "$TMP/bi.html"
  # each Chinese paragraph's first word and its English partner's start level
  tops=$(/usr/bin/python3 - "$TMP/bi.html" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
pairs = [("今年的3月21日", "March"), ("在今年3月21日", "During"), ("通过十余年", "Through")]
words = [(float(m.group(2)), m.group(3)) for m in
         re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)]
out = []
for zh, en in pairs:
    a = next((y for y, w in words if w.startswith(zh)), None)
    b = next((y for y, w in words if w == en), None)
    out.append("%s/%s:%s" % (zh, en, "missing" if a is None or b is None else "%.2f" % abs(a - b)))
print(" ".join(out))
PY
)
  off=$(tr ' ' '\n' <<<"$tops" | awk -F: '$2 == "missing" || $2 > 1.0' | tr '\n' ' ')
  expect "bilingual: each pair starts level within 1 pt ($tops)" test -z "$off"
  hyphenated=$(pdftotext -raw "$BI" - | sed -n '/^March 21/,/^country/p' | grep -c '[a-z]-$')
  expect "bilingual: English lines end in a hyphen where a word breaks ($hyphenated)" test "$hyphenated" -ge 1
fi

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
