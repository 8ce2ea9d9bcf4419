/* The document being built during expansion: the expander's state, box
   allocation under the block cap, document copies of styles and shared
   strings, data locations, and images loaded once per document. Shared by
   the template walker (expand.c) and the Markdown mapping (content.c). */
#ifndef WY_EMIT_H
#define WY_EMIT_H
#include <libxml/tree.h>
#include <stdbool.h>

#include "base/diag.h"
#include "expand/bind.h"
#include "expand/box.h"
#include "expand/compile.h"
#include "expand/para.h"

/* A document with more blocks than this is a runaway for-each. */
#define WY_EXPAND_MAX_BOXES 200000

typedef struct WyBoxList {
    WyBox *head;
    WyBox **tail;
} WyBoxList;

typedef struct WyStyleVariant {
    const WyStyle *base;
    const char *lang;        /* NULL = the base's */
    int list_level;          /* 0 = not in a list */
    double hang_em;
    const WyStyle *style;
} WyStyleVariant;

typedef struct WyInterned {
    const void *key;         /* a string of the data tree or the template */
    const char *copy;        /* in the document's arena */
} WyInterned;

typedef struct WyExpander {
    const WyTemplate *t;
    WyDocument *doc;
    WyDiag *d;
    WyBind *bind;
    const WyStyle **styles;  /* document copies, by sheet index, made on first use */
    size_t n_boxes;
    int depth;
    double measure_pt;       /* width of the column being filled */
    char *template_dir;
    const char *template_file; /* the template's path, copied into the document */
    WyInterned *interned;
    size_t n_interned, alloc_interned;
    WyStyleVariant *variants;
    size_t n_variants, alloc_variants;
} WyExpander;

void wy_box_list_init(WyBoxList *l);
void wy_box_list_append(WyBoxList *l, WyBox *b);

/* A new box in the document's arena, counted against WY_EXPAND_MAX_BOXES;
   NULL with an error at LOC past the cap. */
WyBox *wy_expand_new_box(WyExpander *E, WyBoxKind kind, WyLoc loc);
/* Counts one more block that is not a box (a table row or cell) against
   the same cap; false with the error at LOC past it. */
bool wy_expand_take_slot(WyExpander *E, WyLoc loc);
/* LOC, a template location, with the file name the document keeps. */
WyLoc wy_expand_template_loc(WyExpander *E, WyLoc loc);
/* The document's copy of sheet style INDEX. */
const WyStyle *wy_expand_style(WyExpander *E, int index);
/* BASE in another language, and/or as a list item LIST_LEVEL deep
   (2 em more left indent per level, first line hanging HANG_EM). */
const WyStyle *wy_expand_style_variant(WyExpander *E, const WyStyle *base, const char *lang, int list_level,
                                       double hang_em);
/* The data file and line NODE came from (its `file` and `line`
   attributes or its ancestors'), the file name copied into the arena. */
WyLoc wy_expand_data_loc(WyExpander *E, const xmlNode *node);
/* Where NODE was read: a spreadsheet's row (wy_expand_data_loc), else an
   XML data file's own line; the file name copied into the arena. Line 0
   when unknown. */
WyLoc wy_expand_node_origin(WyExpander *E, const xmlNode *node);
/* Loads PATH once per document; NULL with an error at LOC. */
const WyImage *wy_expand_image(WyExpander *E, const char *path, WyLoc loc);
/* Finishes PB into a PARA box in STYLE; *OUT is NULL when the paragraph
   is empty (dropped). Returns false only past the box cap. */
bool wy_expand_para_box(WyExpander *E, WyParaBuilder *pb, const WyStyle *style, WyLoc loc, WyBox **out);
/* The text of attribute NAME of data node N, borrowed, or NULL. */
const xmlChar *wy_expand_attr(const xmlNode *n, const char *name);
/* The document's copy of TEXT, a string of the data tree or the template
   (file names, font roles) that many boxes share: one copy per string. */
const char *wy_expand_intern(WyExpander *E, const char *text);

#endif
