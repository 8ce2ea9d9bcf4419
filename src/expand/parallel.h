/* <parallel>: an article and its translation side by side. The text
   blocks of the two bodies pair up by position; each pair becomes one
   two-cell grid row, so the pair starts level and moves whole to the next
   page when it fits on one; a pair taller than a page splits between
   lines, both sides continuing level at the top of the next page (layout
   decides which, by its height). Pictures do not pair: the n-th picture of
   either body is set once across the full measure, with the translation's
   caption of its n-th picture under the article's, and the pairing starts
   afresh after it. */
#ifndef WY_PARALLEL_H
#define WY_PARALLEL_H
#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "expand/compile.h"
#include "expand/emit.h"

/* The element children of every node of SET in order: the blocks of the
   bodies, in a malloc'd array the caller frees (NULL when none). */
const xmlNode **wy_parallel_blocks(const xmlNodeSet *set, size_t *count);

/* Appends to OUT one grid row per pair of text blocks of TN's select and
   with bodies, and the pictures between them; a block without a partner
   sits beside an empty cell. Returns false with an error at the data's
   line (or TN's). */
bool wy_parallel_expand(WyExpander *E, const WyTplNode *tn, WyBoxList *out);

#endif
