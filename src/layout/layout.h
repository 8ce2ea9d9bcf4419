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

/* Where a streamed layout hands its pages: PAGE, the INDEX-th (0-based),
   is final (headers and footers included) and valid only during the call;
   layout frees it right after. Returns false, with an error recorded in
   the layout's WyDiag, to stop the layout. */
typedef struct WyPageSink {
    bool (*page)(void *ctx, const WyPage *page, int index);
    void *ctx;
} WyPageSink;

/* Lays out DOC with FONTS. Returns pages the caller frees with
   wy_pages_free, or NULL with an error recorded (e.g. a block taller than
   a page, naming the block's template or data line). */
WyPages *wy_layout_document(const WyDocument *doc, WyFonts *fonts, WyDiag *d);

/* Whether DOC's headers or footers show the page count, which is known
   only once every page is set: such a document cannot be streamed. */
bool wy_layout_needs_page_count(const WyDocument *doc);

/* Lays out DOC as wy_layout_document does, but hands each page to SINK, in
   order, as soon as nothing can change it any more, and frees it: memory
   follows the page, not the document. DOC must not need the page count
   (wy_layout_needs_page_count): it is left empty. Returns the document
   without its pages (n_pages 0, n_streamed the pages handed over, the
   outline and metadata filled), freed with wy_pages_free; or NULL with an
   error recorded, from layout or from SINK, the pages already handed over
   then being the caller's to discard. */
WyPages *wy_layout_document_streamed(const WyDocument *doc, WyFonts *fonts, const WyPageSink *sink, WyDiag *d);

#endif
