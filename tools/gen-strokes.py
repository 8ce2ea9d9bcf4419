#!/usr/bin/python3
"""Generates the stroke table src/expand/names.c sorts award lists with.

    gen-strokes.py UNIHAN STROKE_DICT OUTPUT

UNIHAN is Unihan_IRGSources.txt (plain, .bz2, or inside Unihan.zip), where
Unicode 15 keeps kTotalStrokes; its first value is the mainland (G source)
count, the one 姓氏笔画 uses. STROKE_DICT is rime's stroke.dict.yaml: lines
`字<TAB>code` with h s p n z for 一 丨 丿 丶 乛. It lists a character's Taiwan
sequence (the CNS 11643 table) before its mainland one (the table after the
"Mainland" comment), so 陈 appears as zzshzzpn and as zshzspn; the sequence
kept is the one whose length equals kTotalStrokes, the mainland one first.

OUTPUT is a C header of static tables; the same inputs give the same bytes.
Standard library only, so the build needs nothing beyond Debian's python3.
"""

import bz2
import io
import os
import re
import sys
import zipfile

STROKE_DIGITS = {"h": 0, "s": 1, "p": 2, "n": 3, "z": 4}  # 一 丨 丿 丶 乛
DIGITS_PER_WORD = 27   # 5**27 < 2**64: 2.38 bits a stroke
ENTRIES_PER_GROUP = 64  # one sequence offset stored per group of entries
MAX_COUNT = 127         # the count shares its byte with the has-sequence bit
IRG_MEMBER = "Unihan_IRGSources.txt"


class InputError(Exception):
    pass


def open_unihan(path):
    """Returns a text stream of the Unihan file that holds kTotalStrokes."""
    if path.endswith(".zip"):
        archive = zipfile.ZipFile(path)
        if IRG_MEMBER not in archive.namelist():
            raise InputError(f"{path}: no {IRG_MEMBER} inside")
        return io.TextIOWrapper(archive.open(IRG_MEMBER), encoding="utf-8")
    if path.endswith(".bz2"):
        return bz2.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def read_total_strokes(path):
    """Returns ({code point: mainland stroke count}, Unicode version)."""
    counts = {}
    version = "unknown"
    with open_unihan(path) as f:
        for line_no, line in enumerate(f, 1):
            if line.startswith("# Unicode version:"):
                version = line.split(":", 1)[1].strip()
            if "\tkTotalStrokes\t" not in line:
                continue
            code, _, values = line.rstrip("\n").split("\t")
            first = values.split()[0]
            if not code.startswith("U+") or not first.isdigit():
                raise InputError(f"{path}:{line_no}: cannot read {line.strip()!r}")
            count = int(first)
            if not 0 < count <= MAX_COUNT:
                raise InputError(f"{path}:{line_no}: stroke count {count} out of range")
            counts[int(code[2:], 16)] = count
    if not counts:
        raise InputError(f"{path}: no kTotalStrokes field (is it Unihan_IRGSources.txt?)")
    return counts, version


def read_sequences(path):
    """Returns {code point: (mainland sequences, Taiwan sequences)}."""
    sequences = {}
    mainland = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                # The comment that opens the table kept for mainland glyphs
                # (the file's own header, before any entry, does not count).
                if "Mainland" in line and sequences:
                    mainland = True
                continue
            fields = line.rstrip("\n").split("\t")
            # Entries are single characters; the one malformed code upstream
            # (a digit among the letters) is skipped rather than guessed.
            if len(fields) < 2 or len(fields[0]) != 1 or not re.fullmatch("[hspnz]+", fields[1]):
                continue
            pair = sequences.setdefault(ord(fields[0]), ([], []))
            pair[0 if mainland else 1].append(fields[1])
    if not mainland:
        raise InputError(f"{path}: the mainland table's opening comment is missing; "
                         "cannot tell mainland sequences from Taiwan ones")
    return sequences


def pick_sequence(count, candidates):
    mainland, taiwan = candidates
    for seq in mainland + taiwan:
        if len(seq) == count:
            return seq
    return ""  # no sequence agrees with the mainland count: ties fall to code points


def build(counts, sequences):
    code_points = sorted(counts)
    ranges = []  # (first code point, last code point, index of the first)
    for index, cp in enumerate(code_points):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp, index])
    entries, group_starts, digits = [], [], []
    for index, cp in enumerate(code_points):
        if index % ENTRIES_PER_GROUP == 0:
            group_starts.append(len(digits))
        seq = pick_sequence(counts[cp], sequences.get(cp, ([], [])))
        entries.append(counts[cp] | (0x80 if seq else 0))
        digits.extend(STROKE_DIGITS[s] for s in seq)
    words = []
    for start in range(0, len(digits), DIGITS_PER_WORD):
        word = 0
        for digit in reversed(digits[start:start + DIGITS_PER_WORD]):
            word = word * 5 + digit
        words.append(word)
    return ranges, entries, group_starts, words


def c_array(decl, items, per_line, fmt):
    lines = [decl + " = {"]
    for start in range(0, len(items), per_line):
        lines.append("    " + ",".join(fmt(x) for x in items[start:start + per_line]) + ",")
    lines.append("};")
    return "\n".join(lines) + "\n"


def render(version, ranges, entries, group_starts, words):
    with_sequence = sum(1 for e in entries if e & 0x80)
    out = [
        "/* Generated by tools/gen-strokes.py from Unihan kTotalStrokes (mainland count)\n"
        "   and rime's stroke.dict.yaml (mainland sequence first). Do not edit. */\n",
        "#ifndef WY_STROKES_GEN_H\n#define WY_STROKES_GEN_H\n#include <stdint.h>\n\n",
        f'#define WY_STROKES_SOURCE "Unihan {version} kTotalStrokes, rime stroke.dict.yaml"\n',
        f"#define WY_STROKES_ENTRIES {len(entries)}u\n",
        f"#define WY_STROKES_WITH_SEQUENCE {with_sequence}u\n",
        f"#define WY_STROKES_MAX_COUNT {max(e & 0x7F for e in entries)}\n",
        f"#define WY_STROKES_DIGITS_PER_WORD {DIGITS_PER_WORD}u\n",
        f"#define WY_STROKES_ENTRIES_PER_GROUP {ENTRIES_PER_GROUP}u\n",
        "#define WY_STROKES_HAS_SEQUENCE 0x80u\n\n",
        "/* Runs of consecutive code points: first, last, index of first in wy_strokes_entry. */\n",
        c_array("static const uint32_t wy_strokes_range[][3]", ranges, 1,
                lambda r: "{0x%X,0x%X,%d}" % tuple(r)),
        "\n/* Per code point: stroke count, | WY_STROKES_HAS_SEQUENCE when wy_strokes_word holds its\n"
        "   sequence (count digits, 0-4 = h s p n z). */\n",
        c_array("static const uint8_t wy_strokes_entry[]", entries, 24, str),
        "\n/* Digit offset of the sequence of entry k * WY_STROKES_ENTRIES_PER_GROUP. */\n",
        c_array("static const uint32_t wy_strokes_group_start[]", group_starts, 10, str),
        "\n/* Base-5 digits, DIGITS_PER_WORD a word, least significant first. */\n",
        c_array("static const uint64_t wy_strokes_word[]", words, 4,
                lambda w: "UINT64_C(0x%X)" % w),
        "\n#endif\n",
    ]
    return "".join(out)


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: gen-strokes.py UNIHAN_IRGSOURCES STROKE_DICT OUTPUT\n")
        return 2
    unihan, stroke_dict, output = argv[1:]
    try:
        counts, version = read_total_strokes(unihan)
        sequences = read_sequences(stroke_dict)
    except (OSError, InputError, zipfile.BadZipFile, UnicodeDecodeError) as e:
        sys.stderr.write(f"gen-strokes: {e}\n")
        return 1
    text = render(version, *build(counts, sequences))
    # Written beside the target and renamed, so an interrupted build never
    # leaves a truncated table that make would take as up to date.
    tmp = output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
