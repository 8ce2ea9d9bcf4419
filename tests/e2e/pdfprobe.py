#!/usr/bin/python3
"""Small PDF/PNG probes for the end-to-end tests, on Debian's python3 and
pdfminer (no network, no pip). Each command prints a value or exits 1.

  outline FILE            one line per bookmark: LEVEL<TAB>TITLE
  csv-column FILE NAME    the values of column NAME (any encoding Excel writes)
  ppm-red FILE TOP        fraction of pure-ish red pixels in the top TOP (0..1) of a PPM
  ppm-ink FILE            fraction of non-white pixels of a PPM
  png-size FILE           WIDTHxHEIGHT of a PNG
  kangxi FILE             count of Kangxi radicals (U+2F00–U+2FDF) in pdfminer's text
  char-count FILE HEX     count of the character U+HEX in pdfminer's text (which maps
                          every glyph through ToUnicode; pdftotext drops U+3000)
  right-half-lines FILE NEEDLE
                          on the first page whose text holds NEEDLE and the next: the
                          most text lines starting in the right half of a page (two columns)
  names-in-text TXT CSV COLUMN
                          reads `pdftotext -layout` output: each name of COLUMN found
                          on a line, one per line in reading order, a letter-spaced
                          two-character name (two one-character words) joined; other
                          lines as "# LINE". Names are compared without U+3000
  name-gaps FILE CSV COLUMN
                          for every two-character name of COLUMN drawn in FILE (its
                          first glyph followed on the same baseline by its second, in
                          pdfminer's glyphs): NAME DX EM, where DX is the distance
                          from the first character's left edge to the second's and EM
                          the first character's width
  mark-span FILE NEEDLE FACE
                          every NEEDLE (e.g. 说：「社: a character, marks, a character)
                          set in a face whose PDF name holds FACE, by page and from
                          left to right: the room its marks take, from the first
                          character's right edge to the last one's left edge, in ems
                          of the first character's width (pdfminer's glyph boxes)
  grid FILE BOTTOM        per page: the number of text lines above y=BOTTOM (pt), the
                          line pitches seen (rounded to 0.1 pt), the x of the first
                          line below BOTTOM (the folio) and the commonest line length
                          in characters: PAGE LINES PITCHES FOLIO_X CHARS
  stray-spaces TXT SOURCE...
                          each "X Y" of two Han characters around one space in the
                          pdftotext output TXT that no SOURCE file (whitespace
                          collapsed) holds: spaces an extractor made up from gaps.
                          Left out: pairs whose characters both share their glyph with
                          a Kangxi or CJK radical in the body face (力 and ⼒), which no
                          filler may join (fontTools reads the face's cmap)
  grid-phase FILE SIZE PITCH FIRST LAST BOTTOM
                          the baselines of every upright character SIZE pt tall (±0.05)
                          on pages FIRST to LAST above y=BOTTOM (pt from the top),
                          measured from the page's top modulo PITCH: LINES SPREAD, where
                          SPREAD is how far apart those phases lie (0 when every such
                          line sits on one grid)
  han-latin-gaps FILE NEEDLE
                          where NEEDLE (e.g. 社工用PDF排版) turns from Han to Latin
                          text and back, on its first page: the two gaps in ems of the
                          Han character before the Latin text (pdfminer's glyph boxes)
  cff-subrs FILE          per embedded CFF font: NAME GLYPHS DRAWN CALLED DEAD, where
                          DRAWN counts the glyphs fontTools could draw, CALLED the
                          subroutines their charstrings call, and DEAD the others
                          that still hold more than an empty `return` (bytes no glyph
                          can reach)
"""
import csv, io, struct, sys


def outline(path):
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdfdocument import PDFDocument
    with open(path, 'rb') as f:
        doc = PDFDocument(PDFParser(f))
        for level, title, *_ in doc.get_outlines():
            print(f"{level}\t{title}")


def decode(raw):
    for enc in ('utf-8-sig', 'utf-16', 'gb18030'):
        try:
            if enc == 'utf-16' and not raw[:2] in (b'\xff\xfe', b'\xfe\xff'):
                continue
            return raw.decode(enc)
        except UnicodeDecodeError:
            pass
    raise SystemExit(1)


def csv_column(path, name):
    text = decode(open(path, 'rb').read())
    delim = '\t' if '\t' in text.splitlines()[0] and ',' not in text.splitlines()[0] else ','
    for row in csv.DictReader(io.StringIO(text, newline=''), delimiter=delim):
        v = (row.get(name) or '').strip()
        if v:
            print(v)


def read_ppm(path):
    data = open(path, 'rb').read()
    parts, pos = [], 0
    while len(parts) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b'#':
            pos = data.index(b'\n', pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        parts.append(data[pos:end])
        pos = end
    pos += 1
    w, h = int(parts[1]), int(parts[2])
    return w, h, data[pos:pos + w * h * 3]


def ppm_red(path, top):
    w, h, px = read_ppm(path)
    rows = int(h * float(top))
    red = total = 0
    for i in range(0, rows * w * 3, 3):
        r, g, b = px[i], px[i + 1], px[i + 2]
        total += 1
        if r > 180 and g < 90 and b < 90:
            red += 1
    print(f"{red / max(total, 1):.5f}")


def ppm_ink(path):
    w, h, px = read_ppm(path)
    ink = sum(1 for i in range(0, len(px), 3) if px[i] + px[i + 1] + px[i + 2] < 600)
    print(f"{ink / max(w * h, 1):.5f}")


def png_size(path):
    data = open(path, 'rb').read(24)
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise SystemExit(1)
    w, h = struct.unpack('>II', data[16:24])
    print(f"{w}x{h}")


def kangxi(path):
    from pdfminer.high_level import extract_text
    text = extract_text(path)
    print(sum(1 for ch in text if 0x2F00 <= ord(ch) <= 0x2FDF))


def char_count(path, hexcode):
    from pdfminer.high_level import extract_text
    print(extract_text(path).count(chr(int(hexcode, 16))))


def right_half_lines(path, needle):
    import re, subprocess
    xml = subprocess.run(['pdftotext', '-bbox-layout', path, '-'], capture_output=True,
                         text=True, check=True).stdout
    pages = re.findall(r'<page width="([0-9.]+)"[^>]*>(.*?)</page>', xml, re.S)
    for i, (width, body) in enumerate(pages):
        if needle not in ''.join(re.findall(r'>([^<]*)</word>', body)):
            continue
        # the article may start at a page foot: count its first two pages
        best = 0
        for w, b in pages[i:i + 2]:
            starts = [float(x) for x in re.findall(r'<line xMin="([0-9.]+)"', b)]
            best = max(best, sum(1 for x in starts if x > float(w) / 2))
        print(best)
        return
    raise SystemExit(1)


def csv_names(path, name):
    text = decode(open(path, 'rb').read())
    return [(row.get(name) or '').replace('\u3000', '').strip()
            for row in csv.DictReader(io.StringIO(text, newline=''))]


def names_in_text(txt, path, column):
    names = set(n for n in csv_names(path, column) if n)
    for line in open(txt, encoding='utf-8').read().split('\n'):
        words = line.replace('\f', ' ').split()
        found, i = [], 0
        while i < len(words):
            if words[i] in names:
                found.append(words[i])
            elif len(words[i]) == 1 and i + 1 < len(words) and len(words[i + 1]) == 1 \
                    and words[i] + words[i + 1] in names:
                found.append(words[i] + words[i + 1])
                i += 1
            i += 1
        if found:
            print('\n'.join(found))
        elif line.strip():
            print('# ' + line.strip())


def drawn_chars(node):
    """The glyphs under a pdfminer layout node, in drawing order (pdfminer
    ignores /ActualText: a filler shows as its own glyph)."""
    from pdfminer.layout import LTChar, LTContainer
    for child in node:
        if isinstance(child, LTChar):
            yield child
        elif isinstance(child, LTContainer):
            yield from drawn_chars(child)


def han_latin_gaps(path, needle):
    """The gaps where NEEDLE turns from Han to Latin and back, in ems of
    the Han character before: HAN_LATIN LATIN_HAN (first occurrence)."""
    from pdfminer.high_level import extract_pages
    import unicodedata

    def han(ch):
        return unicodedata.name(ch, '').startswith('CJK UNIFIED')
    into = next(i for i in range(1, len(needle)) if han(needle[i - 1]) and not han(needle[i]))
    back = next(i for i in range(into, len(needle)) if han(needle[i]))
    for page in extract_pages(path):
        cs = [c for c in drawn_chars(page) if c.get_text() != ' ']
        text = ''.join(c.get_text() for c in cs)
        at = text.find(needle)
        if at >= 0:
            before, em = cs[at + into - 1], cs[at + into - 1].x1 - cs[at + into - 1].x0
            print(f"{(cs[at + into].x0 - before.x1) / em:.3f} {(cs[at + back].x0 - cs[at + back - 1].x1) / em:.3f}")
            return


def name_gaps(path, csv_path, column):
    from pdfminer.high_level import extract_pages

    pairs = set(n for n in csv_names(csv_path, column) if len(n) == 2)
    for page in extract_pages(path):
        # the glyphs as drawn (pdfminer ignores /ActualText): the invisible
        # space that lets extractors copy 李明 whole reads as ' ' here
        cs = [c for c in drawn_chars(page) if c.get_text() != ' ']
        for a, b in zip(cs, cs[1:]):
            name = a.get_text() + b.get_text()
            if name in pairs and abs(a.matrix[5] - b.matrix[5]) < 0.01 and b.x0 > a.x0:
                print(f"{name} {b.x0 - a.x0:.3f} {a.x1 - a.x0:.3f}")


def grid(path, bottom):
    import re, subprocess
    from collections import Counter
    xml = subprocess.run(['pdftotext', '-bbox-layout', path, '-'], capture_output=True,
                         text=True, check=True).stdout
    pages = re.findall(r'<page width="[0-9.]+"[^>]*>(.*?)</page>', xml, re.S)
    for number, body in enumerate(pages, 1):
        lines = []
        for m in re.finditer(r'<line xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">(.*?)</line>',
                             body, re.S):
            text = ''.join(re.findall(r'>([^<]*)</word>', m.group(4)))
            lines.append((float(m.group(1)), float(m.group(2)), float(m.group(3)), text))
        inside = [l for l in lines if l[2] <= float(bottom)]
        tops = sorted(set(round(l[1], 2) for l in inside))
        pitches = sorted(set(f"{b - a:.1f}" for a, b in zip(tops, tops[1:])))
        folio = [l[0] for l in lines if l[1] > float(bottom)]
        modal = Counter(len(l[3]) for l in inside).most_common(1)
        print(number, len(tops), ','.join(pitches) or '-', f"{folio[0]:.1f}" if folio else '-',
              modal[0][0] if modal else 0)


def grid_phase(path, size, pitch, first, last, bottom):
    from pdfminer.high_level import extract_pages
    size, pitch, bottom = float(size), float(pitch), float(bottom)

    baselines = set()
    for page in extract_pages(path, page_numbers=range(int(first) - 1, int(last))):
        for c in drawn_chars(page):
            a, b, _, d, _, f = c.matrix
            if b == 0 and abs(a - size) < 0.05 and abs(d - size) < 0.05 and page.height - f < bottom:
                baselines.add(round(page.height - f, 3))
    phases = sorted(y % pitch for y in baselines)
    if not phases:
        print(0, 0)
        return
    # the phases lie on a circle of length PITCH: the spread is the circle
    # less its widest empty arc
    arcs = [b - a for a, b in zip(phases, phases[1:])] + [phases[0] + pitch - phases[-1]]
    print(len(baselines), f"{pitch - max(arcs):.3f}")


def mark_span(path, needle, face):
    from pdfminer.high_level import extract_pages

    found = []
    for number, page in enumerate(extract_pages(path), 1):
        cs = [c for c in drawn_chars(page) if face in c.fontname and c.get_text().strip()]
        text = ''.join(c.get_text() for c in cs)
        at = text.find(needle)
        while at >= 0:
            first, last = cs[at], cs[at + len(needle) - 1]
            if abs(first.y0 - last.y0) < 0.01:
                em = first.x1 - first.x0
                found.append((number, first.x0, (last.x0 - first.x1) / em))
            at = text.find(needle, at + 1)
    if not found:
        raise SystemExit(1)
    print(' '.join(f"{span:.3f}" for _, _, span in sorted(found)))


def stray_spaces(txt, *sources):
    import re
    text = ''
    for path in sources:
        with open(path, encoding='utf-8-sig', errors='replace') as f:
            text += re.sub(r'\s+', ' ', f.read()) + '\n'
    import subprocess
    from fontTools.ttLib import TTFont
    han = r'[\u3400-\u9fff]'
    face = subprocess.run(['fc-match', '-f', '%{file}:%{index}', 'Noto Serif CJK SC'], capture_output=True,
                          text=True, check=True).stdout
    path, index = face.rsplit(':', 1)
    cmap = TTFont(path, fontNumber=int(index), lazy=True).getBestCmap()
    radical_glyphs = {cmap[c] for c in range(0x2E80, 0x2FE0) if c in cmap}
    radicals = {chr(c) for c, g in cmap.items() if g in radical_glyphs and c >= 0x3400}
    seen = set()
    with open(txt, encoding='utf-8') as f:
        for line in f:
            for m in re.finditer(f'(?=({han} {han}))', line):
                pair = m.group(1)
                both_radicals = pair[0] in radicals and pair[2] in radicals
                if pair not in text and pair not in seen and not both_radicals:
                    seen.add(pair)
                    print(pair)


def cff_subrs(path):
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdftypes import PDFStream
    from fontTools.cffLib import CFFFontSet
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.subset.cff import _MarkingT2Decompiler
    with open(path, 'rb') as f:
        doc = PDFDocument(PDFParser(f))
        for xref in doc.xrefs:
            for objid in xref.get_objids():
                obj = doc.getobj(objid)
                if not isinstance(obj, PDFStream) or 'FontType0C' not in str(obj.attrs.get('Subtype')) \
                        and "'Type1C'" not in str(obj.attrs.get('Subtype')):
                    continue
                cff = CFFFontSet()
                cff.decompile(io.BytesIO(obj.get_data()), None)
                top = cff[cff.fontNames[0]]
                drawn = 0
                for name in top.CharStrings.keys():
                    charstring = top.CharStrings[name]
                    charstring.draw(RecordingPen())
                    drawn += 1
                    _MarkingT2Decompiler(getattr(charstring.private, 'Subrs', []), cff.GlobalSubrs,
                                         charstring.private).execute(charstring)
                indexes = [cff.GlobalSubrs]
                privates = [fd.Private for fd in top.FDArray] if hasattr(top, 'FDArray') else [top.Private]
                indexes += [p.Subrs for p in privates if hasattr(p, 'Subrs')]
                called = dead = 0
                for index in indexes:
                    used = getattr(index, '_used', set())
                    called += len(used)
                    raw = index.data if hasattr(index, 'data') else None
                    for i in range(len(index)):
                        if i in used:
                            continue
                        body = index.items[i] if index.items[i] is not None else None
                        if body is None:
                            off = index.offsets
                            body = index.file.getvalue()[index.offsetBase + off[i]:index.offsetBase + off[i + 1]] \
                                if hasattr(index, 'file') else b''
                        if isinstance(body, bytes) and body.rstrip(b'\0') not in (b'', b'\x0b'):
                            dead += 1
                print(cff.fontNames[0], len(top.CharStrings), drawn, called, dead)


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    {'outline': outline, 'csv-column': csv_column, 'ppm-red': ppm_red,
     'ppm-ink': ppm_ink, 'png-size': png_size, 'kangxi': kangxi, 'char-count': char_count,
     'right-half-lines': right_half_lines, 'grid': grid, 'names-in-text': names_in_text,
     'name-gaps': name_gaps, 'grid-phase': grid_phase, 'mark-span': mark_span,
     'stray-spaces': stray_spaces, 'cff-subrs': cff_subrs,
     'han-latin-gaps': han_latin_gaps}[cmd](*args)
