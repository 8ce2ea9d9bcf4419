/* <content>: an article's Markdown body from the data tree (p, h, ul/ol,
   blockquote, figure, hr; see data/markdown.h) as boxes in the styles the
   <content> element names. */
#ifndef WY_CONTENT_H
#define WY_CONTENT_H
#include <stdbool.h>

#include "expand/compile.h"
#include "expand/emit.h"

/* Appends to OUT the boxes of every body TN's select gives in the current
   context. Returns false with an error at the data's line (or TN's). */
bool wy_content_expand(WyExpander *E, const WyTplNode *tn, WyBoxList *out);

#endif
