/* Fitting a paragraph's lines to its measure after pango has broken them
   (CJK.md §2–§4): Han–Latin gaps moved to the Latin side and dropped at
   line ends, punctuation pairs and line ends compressed (with the face's
   `halt`, or by hand in a face without it), a line too long pushed in or
   broken again, the slack of a justified line shared out, no character
   alone on a last line. layout/para builds the text and its attributes;
   this module owns what happens to the glyphs of the lines. */
#ifndef WY_LINEFIT_H
#define WY_LINEFIT_H
#include <pango/pango.h>
#include <stdbool.h>

#include "expand/box.h"
#include "layout/cjk.h"

/* Per-document state: glyph shapes cached by font, character and halt,
   and scratch reused from line to line. */
typedef struct WyLineFit WyLineFit;

WyLineFit *wy_linefit_new(void);
void wy_linefit_free(WyLineFit *lf);

/* How a paragraph's lines are fitted. */
typedef struct WyFitRules {
    const WyCjkText *text;       /* the analysed text of the layout */
    bool chinese;                /* compression and Han–Latin gaps apply */
    WyPunctuation punctuation;
    bool justify;                /* non-last lines end flush */
    int measure;                 /* pango units; the layout may be set wider (push-in) */
} WyFitRules;

/* Breaks LAYOUT's lines with ATTRS (plus the attributes a face without
   `halt` needs and the 孤字 rule) at the measure plus ALLOWANCE, then
   fits them; a line that stays too long is broken earlier, a few times at
   most. The lines' glyph widths and offsets are changed in place, so the
   layout must be drawn as it is. Returns false when a line stays too long. */
bool wy_linefit_break(WyLineFit *lf, PangoLayout *layout, PangoAttrList *attrs, const WyFitRules *rules,
                      int allowance);

/* Puts ATTR over bytes [START, END) into LIST, which takes it. */
static inline void wy_attr_insert(PangoAttrList *list, PangoAttribute *attr, size_t start, size_t end)
{
    attr->start_index = (guint)start;
    attr->end_index = (guint)end;
    pango_attr_list_insert(list, attr);
}

#endif
