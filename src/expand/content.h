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
/* Appends to OUT the boxes of BLOCK, one child of an article's <body>, in
   MAP's styles made over for LANG (NULL = as the styles say). */
bool wy_content_expand_block(WyExpander *E, const WyTplContent *map, const char *lang, const xmlNode *block,
                             WyBoxList *out);
/* Appends to OUT the picture of FIGURE (a body's <figure>) as MAP sets
   it, its caption followed, on a line of its own in the face, size and
   slant of SECOND_MAP's caption style, by the caption of SECOND_FIGURE
   (the same picture in a translation). */
bool wy_content_expand_figure_pair(WyExpander *E, const WyTplContent *map, const char *lang, const xmlNode *figure,
                                   const WyTplContent *second_map, const char *second_lang,
                                   const xmlNode *second_figure, WyBoxList *out);
/* The <lang> of the article (or translation) BODY belongs to, copied into
   the document; NULL when it says none. */
const char *wy_content_body_lang(WyExpander *E, const xmlNode *body);

#endif
