/* Paragraphs: one WyPara set with pango at a given width, with the
   paragraph's lines on a fixed pitch so body text sits on a constant grid.
   Breaks lines and measures them; it does not paginate (layout/page) and
   does not draw (render). */
#ifndef WY_PARA_H
#define WY_PARA_H
#include <pango/pango.h>
#include <stdbool.h>

#include "base/diag.h"
#include "expand/box.h"

#define WY_DEFAULT_SIZE_PT 12.0
#define WY_DEFAULT_LINE_FACTOR 1.5 /* pitch = 1.5 × size when the style says 0 */
#define WY_SUPERSCRIPT_SCALE 0.7
#define WY_SUPERSCRIPT_RISE_EM 0.35
#define WY_LINK_COLOR 0x1F4E99u

/* Values only pagination knows, spliced into the paragraph's fields and
   used to resolve WY_ALIGN_OUTSIDE / INSIDE. 0 = unknown: fields stay
   empty and OUTSIDE/INSIDE align like START. */
typedef struct WyParaFields {
    int page_number;
    int page_count;
} WyParaFields;

typedef struct WyParaLine {
    double x_pt;         /* line origin from the paragraph's left edge (indents and alignment included) */
    double width_pt;     /* logical width of the line */
    double baseline_pt;  /* baseline below the top of the line's pitch slot */
    int start_byte;      /* the line's text in pango_layout_get_text(layout) */
    int length;
} WyParaLine;

typedef struct WyParaLayout {
    PangoLayout *layout; /* one reference, dropped by wy_para_layout_release */
    WyParaLine *lines;
    int n_lines;         /* at least 1 */
    double pitch_pt;     /* every line takes exactly this height */
    double height_pt;    /* n_lines × pitch_pt */
    int source_shift;    /* laid-out byte = source byte + this, when no field was spliced in */
    bool fields_spliced; /* the text holds field values: source_shift does not apply */
} WyParaLayout;

/* Per-document state: the pango context and one font description per
   style (keyed by the style's address, so the styles must outlive it),
   so nothing is rebuilt per paragraph or per line. */
typedef struct WyParaCtx WyParaCtx;

/* CONTEXT is borrowed and must outlive the returned state (free it with
   wy_para_ctx_free). */
WyParaCtx *wy_para_ctx_new(PangoContext *context);
void wy_para_ctx_free(WyParaCtx *ctx);

/* Lays out PARA in a column WIDTH_PT wide: font, spans, language, letter
   spacing, alignment, first-line and side indents, fixed pitch, and in
   Chinese the rules of layout/cjk (CJK.md §1–§4): no forbidden line starts
   or ends, compressed punctuation (the style's `punctuation`), ¼ em between
   Han and Latin text, justification that spaces out ideographs rather than
   spaces, no single character on a last line. The lines' glyph widths and
   offsets are set after pango breaks them, so the layout must be drawn as
   it is (never re-laid out). A vertical style (writing-mode vertical-rl)
   lays its glyphs sideways (pango gravity east) with the fonts' vertical
   forms: WIDTH_PT is then the column length, each line a column that
   render turns upright, with the line-break rules but without the
   horizontal compression and Han–Latin gaps. FIELDS may be NULL. Fills OUT (release it with
   wy_para_layout_release). Returns false with an error at LOC only when the
   text is not valid UTF-8. */
bool wy_para_layout(WyParaCtx *ctx, const WyPara *para, double width_pt, const WyParaFields *fields,
                    WyLoc loc, WyDiag *d, WyParaLayout *out);
void wy_para_layout_release(WyParaLayout *pl);

/* The style's pitch: line_height_pt, or WY_DEFAULT_LINE_FACTOR × size. */
double wy_para_pitch(const WyStyle *style);

#endif
