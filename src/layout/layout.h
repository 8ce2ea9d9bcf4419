/* Layout: boxes → positioned pages. Paragraphs through pango (layout/para),
   pagination with keeps, widows and orphans, balanced columns and grids
   (layout/page). Pure: reads only the document and fonts it is given. */
#ifndef WY_LAYOUT_H
#define WY_LAYOUT_H
#include "base/diag.h"
#include "expand/box.h"
#include "layout/fonts.h"
#include "layout/pages.h"

#define WY_MAX_PAGES 20000

/* Lays out DOC with FONTS. Returns pages the caller frees with
   wy_pages_free, or NULL with an error recorded (e.g. a block taller than
   a page, naming the block's template or data line). */
WyPages *wy_layout_document(const WyDocument *doc, WyFonts *fonts, WyDiag *d);

#endif
