#include "expand/parallel.h"

#include <stdlib.h>

#include "base/mem.h"
#include "expand/content.h"

const xmlNode **wy_parallel_blocks(const xmlNodeSet *set, size_t *count)
{
    *count = 0;
    int bodies = set ? set->nodeNr : 0;
    size_t total = 0;
    for (int i = 0; i < bodies; i++)
        for (const xmlNode *k = set->nodeTab[i]->children; k; k = k->next)
            total += k->type == XML_ELEMENT_NODE;
    if (total == 0)
        return NULL;
    const xmlNode **blocks = wy_xmalloc(wy_mul_size(total, sizeof *blocks));
    for (int i = 0; i < bodies; i++)
        for (const xmlNode *k = set->nodeTab[i]->children; k; k = k->next)
            if (k->type == XML_ELEMENT_NODE)
                blocks[(*count)++] = k;
    return blocks;
}

/* The first body's language, or NULL. */
static const char *set_lang(WyExpander *E, const xmlNodeSet *set)
{
    return set && set->nodeNr > 0 ? wy_content_body_lang(E, set->nodeTab[0]) : NULL;
}

/* One cell: a plain frame holding BLOCK's boxes (none when BLOCK is NULL),
   expanded WIDTH wide. */
static WyBox *pair_cell(WyExpander *E, const WyTplNode *tn, const WyTplContent *map, const char *lang,
                        const xmlNode *block, double width)
{
    WyBox *cell = wy_expand_new_box(E, WY_BOX_FRAME, tn->loc);
    if (!cell)
        return NULL;
    cell->u.frame.valign = WY_VALIGN_TOP;
    cell->u.frame.background = WY_COLOR_NONE;
    if (!block)
        return cell;
    WyBoxList boxes;
    wy_box_list_init(&boxes);
    double saved = E->measure_pt;
    E->measure_pt = width;
    bool ok = wy_content_expand_block(E, map, lang, block, &boxes);
    E->measure_pt = saved;
    if (!ok)
        return NULL;
    cell->children = boxes.head;
    return cell;
}

/* Whether the last box of CELL wants to stay with what follows (a heading). */
static bool cell_keeps_with_next(const WyBox *cell)
{
    const WyBox *last = cell->children;
    while (last && last->next)
        last = last->next;
    return last && (last->keep_with_next || (last->kind == WY_BOX_PARA && last->u.para.style &&
                                             last->u.para.style->keep_with_next));
}

static bool expand_pair(WyExpander *E, const WyTplNode *tn, const char *left_lang, const xmlNode *left,
                        const char *right_lang, const xmlNode *right, WyBoxList *out)
{
    double gap = tn->u.parallel.gap_pt;
    double width = (E->measure_pt - gap) / 2;
    WyBox *row = wy_expand_new_box(E, WY_BOX_GRID, tn->loc);
    WyBox *l = row ? pair_cell(E, tn, &tn->u.parallel.left, left_lang, left, width) : NULL;
    WyBox *r = l ? pair_cell(E, tn, &tn->u.parallel.right, right_lang, right, width) : NULL;
    if (!r)
        return false;
    row->u.grid.columns = 2;
    row->u.grid.gap_pt = gap;
    row->keep_together = true;
    row->u.grid.split_tall_rows = true; /* a pair taller than a page splits between lines */
    row->keep_with_next = cell_keeps_with_next(l) || cell_keeps_with_next(r);
    l->next = r;
    row->children = l;
    wy_box_list_append(out, row);
    return true;
}

static WyBox *last_box(WyBox *b)
{
    while (b && b->next)
        b = b->next;
    return b;
}

static bool is_figure(const xmlNode *n)
{
    return n && xmlStrEqual(n->name, BAD_CAST "figure");
}

/* The picture of LEFT (else RIGHT) across the full measure, under it
   LEFT's caption and then RIGHT's when both sides have the picture. */
static bool expand_figure(WyExpander *E, const WyTplNode *tn, const char *left_lang, const xmlNode *left,
                          const char *right_lang, const xmlNode *right, WyBoxList *out)
{
    if (!left)
        return wy_content_expand_block(E, &tn->u.parallel.right, right_lang, right, out);
    return wy_content_expand_figure_pair(E, &tn->u.parallel.left, left_lang, left, &tn->u.parallel.right, right_lang,
                                         right, out);
}

bool wy_parallel_expand(WyExpander *E, const WyTplNode *tn, WyBoxList *out)
{
    xmlXPathObjectPtr left_set = wy_bind_nodes(E->bind, tn->u.parallel.left.select, "parallel select");
    if (!left_set)
        return false;
    xmlXPathObjectPtr right_set = wy_bind_nodes(E->bind, tn->u.parallel.right.select, "parallel with");
    if (!right_set) {
        xmlXPathFreeObject(left_set);
        return false;
    }
    size_t n_left, n_right;
    const xmlNode **left = wy_parallel_blocks(left_set->nodesetval, &n_left);
    const xmlNode **right = wy_parallel_blocks(right_set->nodesetval, &n_right);
    const char *left_lang = set_lang(E, left_set->nodesetval);
    const char *right_lang = set_lang(E, right_set->nodesetval);
    WyBoxList rows;
    wy_box_list_init(&rows);
    bool ok = true;
    size_t i = 0, j = 0;
    while (ok && (i < n_left || j < n_right)) {
        const xmlNode *l = i < n_left ? left[i] : NULL;
        const xmlNode *r = j < n_right ? right[j] : NULL;
        if ((l && !is_figure(l)) || (r && !is_figure(r))) {
            /* text beside text; a side waiting at a picture gives an empty cell */
            bool take_l = l && !is_figure(l), take_r = r && !is_figure(r);
            ok = expand_pair(E, tn, left_lang, take_l ? l : NULL, right_lang, take_r ? r : NULL, &rows);
            i += take_l;
            j += take_r;
            continue;
        }
        ok = expand_figure(E, tn, left_lang, l, right_lang, r, &rows);
        i += l != NULL;
        j += r != NULL;
    }
    if (ok && rows.head) {
        rows.head->space_before_pt += tn->u.parallel.sp.before_pt;
        WyBox *last = last_box(rows.head);
        last->space_after_pt += tn->u.parallel.sp.after_pt;
        last->keep_with_next |= tn->u.parallel.sp.keep_with_next;
        *out->tail = rows.head;
        out->tail = rows.tail;
    }
    free(left);
    free(right);
    xmlXPathFreeObject(left_set);
    xmlXPathFreeObject(right_set);
    return ok;
}
