/* Flattening: boxes → a flow of atoms (layout/page.h). Paragraphs become
   lines with the orphan, widow and keep rules turned into "may break
   before" flags; pictures, rules, grid rows and kept frames become
   finished blocks; splittable frames become an opening and a closing edge
   around their children; a table, and a grid row that may split and is
   taller than a page, become one atom that layout/table sets across pages. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "layout/columns.h"
#include "layout/grid.h"
#include "layout/page.h"
#include "layout/prelayout.h"
#include "layout/table.h"

#define DEFAULT_DPI 96.0
#define MIN_WIDTH_PT 1.0

typedef struct Builder {
    WyLayoutCtx *lc;
    WyFlow *flow;
    WyFlowMode mode;
    bool forbid_next;         /* no break before the next content atom */
    bool at_frame_start;      /* space-before is dropped inside a frame's top edge */
    const char *bookmark;     /* waiting for the next content atom */
    int bookmark_level;
    size_t top;
} Builder;

static bool flatten_list(Builder *b, const WyBox *first, const WyBox *stop, double x, double w,
                         WyFrameInst *frame, double max_block_pt, bool top_level);
static bool flatten_box(Builder *b, const WyBox *box, double x, double w, WyFrameInst *frame,
                        double max_block_pt, bool as_whole);

/* ---- context ------------------------------------------------------------ */

static void free_para(gpointer p)
{
    wy_para_layout_release(p);
    free(p);
}

static void free_canvas(gpointer p)
{
    WyCanvas *c = p;
    wy_page_release(&c->page);
    free(c->marks);
    free(c);
}

static void free_flow(gpointer p)
{
    WyFlow *f = p;
    free(f->atoms);
    free(f);
}

void wy_layout_ctx_init(WyLayoutCtx *lc, WyParaCtx *para, WyDiag *diag)
{
    memset(lc, 0, sizeof *lc);
    lc->para = para;
    lc->diag = diag;
    wy_arena_init(&lc->arena);
    lc->paras = g_ptr_array_new_with_free_func(free_para);
    lc->canvases = g_ptr_array_new_with_free_func(free_canvas);
    lc->flows = g_ptr_array_new_with_free_func(free_flow);
}

void wy_layout_ctx_release(WyLayoutCtx *lc)
{
    g_ptr_array_free(lc->flows, TRUE);
    g_ptr_array_free(lc->canvases, TRUE);
    g_ptr_array_free(lc->paras, TRUE);
    wy_arena_release(&lc->arena);
}

WyCanvas *wy_canvas_new(WyLayoutCtx *lc)
{
    WyCanvas *c = wy_xcalloc(1, sizeof *c);
    g_ptr_array_add(lc->canvases, c);
    return c;
}

static WyFlow *new_flow(WyLayoutCtx *lc)
{
    WyFlow *f = wy_xcalloc(1, sizeof *f);
    g_ptr_array_add(lc->flows, f);
    return f;
}

static const WyParaLayout *new_para(WyLayoutCtx *lc, const WyPara *para, double w, WyLoc loc)
{
    WyParaLayout *pl = lc->fields ? NULL : wy_prelayout_take(lc->ahead, para, w, loc);
    if (!pl) {
        pl = wy_xcalloc(1, sizeof *pl);
        if (!wy_para_layout(lc->para, para, w, lc->fields, loc, lc->diag, pl)) {
            free(pl);
            lc->failed = true;
            return NULL;
        }
    }
    if (lc->recording) {
        wy_prelayout_record(lc->recording, para, w, loc, pl);
        return pl;
    }
    g_ptr_array_add(lc->paras, pl);
    if (lc->coverage)
        wy_coverage_check(lc->coverage, pl, para, loc);
    return pl;
}

/* ---- atoms -------------------------------------------------------------- */

static WyAtom *push(Builder *b, WyAtomKind kind, double h, WyFrameInst *frame, const WyBox *box)
{
    WyFlow *f = b->flow;
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->atoms = wy_xrealloc(f->atoms, wy_mul_size(f->cap, sizeof *f->atoms));
    }
    WyAtom *a = &f->atoms[f->n++];
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->h = h;
    a->frame = frame;
    a->box = box;
    a->top = b->top;
    return a;
}

static WyAtom *push_content(Builder *b, WyAtomKind kind, double h, WyFrameInst *frame, const WyBox *box)
{
    WyAtom *a = push(b, kind, h, frame, box);
    a->breakable = !b->forbid_next;
    b->forbid_next = false;
    b->at_frame_start = false;
    if (b->bookmark) {
        a->bookmark = b->bookmark;
        a->bookmark_level = b->bookmark_level;
        b->bookmark = NULL;
    }
    return a;
}

static WyAtom *last_atom(Builder *b)
{
    return b->flow->n ? &b->flow->atoms[b->flow->n - 1] : NULL;
}

/* Space between blocks collapses: the larger of one block's space-after and
   the next one's space-before. */
static void space_before(Builder *b, double h, WyFrameInst *frame, const WyBox *box)
{
    if (h <= 0 || b->at_frame_start)
        return;
    WyAtom *last = last_atom(b);
    if (last && last->kind == WY_ATOM_GLUE && last->collapsible) {
        if (h > last->h)
            last->h = h;
        last->before_pt = h;
        last->collapsible = false;
        return;
    }
    push(b, WY_ATOM_GLUE, h, frame, box)->before_pt = h;
}

static void space_after(Builder *b, double h, WyFrameInst *frame, const WyBox *box)
{
    if (h > 0) {
        WyAtom *a = push(b, WY_ATOM_GLUE, h, frame, box);
        a->collapsible = true;
        a->after_pt = h;
    }
}

static void drop_trailing_space(Builder *b)
{
    WyAtom *last = last_atom(b);
    if (last && last->kind == WY_ATOM_GLUE && last->collapsible)
        b->flow->n--;
}

static void push_block(Builder *b, const WyCanvas *canvas, double x, WyFrameInst *frame, const WyBox *box)
{
    WyAtom *a = push_content(b, WY_ATOM_BLOCK, canvas->height_pt, frame, box);
    a->x = x;
    a->block = canvas;
}

/* ---- paragraphs --------------------------------------------------------- */

static int lines_or_default(int n)
{
    return n > 0 ? n : 2; /* 0 = not set: the default of two lines */
}

static bool flatten_para(Builder *b, const WyBox *box, double x, double w, WyFrameInst *frame)
{
    const WyPara *para = &box->u.para;
    const WyParaLayout *pl = new_para(b->lc, para, w, box->loc);
    if (!pl)
        return false;
    const WyStyle *style = para->style;
    bool keep_together = box->keep_together || (style && style->keep_together);
    bool keep_with_next = box->keep_with_next || (style && style->keep_with_next);
    int orphans = lines_or_default(style ? style->orphans : 0);
    int widows = lines_or_default(style ? style->widows : 0);
    double before = fmax(box->space_before_pt, style ? style->space_before_pt : 0);
    double after = fmax(box->space_after_pt, style ? style->space_after_pt : 0);

    space_before(b, before, frame, box);
    for (int i = 0; i < pl->n_lines; i++) {
        if (i > 0)
            b->forbid_next = keep_together || i < orphans || pl->n_lines - i < widows;
        WyAtom *a = push_content(b, WY_ATOM_LINE, pl->pitch_pt, frame, box);
        a->x = x; /* the paragraph's left edge; the line adds its own offset */
        a->para = pl;
        a->line = i;
    }
    b->forbid_next = keep_with_next;
    space_after(b, after, frame, box);
    return true;
}

void wy_flow_add_line_item(WyPage *page, const WyParaLayout *pl, int i, double x, double y, WyLoc loc)
{
    WyItem item = {0};
    item.kind = WY_ITEM_TEXT;
    item.x = x + pl->lines[i].x_pt;
    item.y = y + pl->lines[i].baseline_pt;
    item.w = pl->lines[i].width_pt;
    item.h = pl->pitch_pt;
    item.fill = item.stroke = WY_COLOR_NONE;
    item.layout = pl->layout;
    item.line_index = i;
    item.loc = loc;
    wy_page_add_item(page, &item);
}

/* A vertical paragraph (writing-mode="vertical-rl"): its lines are
   columns as long as a page's (or a cell's) room, read top to bottom and right to
   left, set as one block as tall as its longest column and as wide as its
   columns' pitches. The block sits at the right edge of the measure, or
   in its middle when the style is centred. */
static WyCanvas *vertical_canvas(Builder *b, const WyBox *box, double w, double max_block_pt)
{
    const WyParaLayout *pl = new_para(b->lc, &box->u.para, max_block_pt, box->loc);
    if (!pl)
        return NULL;
    WyCanvas *c = wy_canvas_new(b->lc);
    double block_w = pl->pitch_pt * pl->n_lines;
    double right = box->u.para.style->align == WY_ALIGN_CENTER ? (w + block_w) / 2 : w;
    double length = 0;
    for (int i = 0; i < pl->n_lines; i++) {
        const WyParaLine *line = &pl->lines[i];
        WyItem item = {0};
        item.kind = WY_ITEM_TEXT;
        item.rotation = 90;
        item.x = right - (i * pl->pitch_pt + line->baseline_pt);
        item.y = line->x_pt;
        item.w = pl->pitch_pt;
        item.h = line->width_pt;
        item.fill = item.stroke = WY_COLOR_NONE;
        item.layout = pl->layout;
        item.line_index = i;
        item.loc = box->loc;
        wy_page_add_item(&c->page, &item);
        length = fmax(length, line->x_pt + line->width_pt);
    }
    c->height_pt = length;
    return c;
}

/* ---- pictures and rules ------------------------------------------------- */

static double natural_pt(unsigned px, double dpi)
{
    return px * 72.0 / (dpi >= 1 && dpi <= 100000 ? dpi : DEFAULT_DPI);
}

static WyCanvas *image_canvas(Builder *b, const WyBox *box, double w, double max_block_pt)
{
    WyCanvas *c = wy_canvas_new(b->lc);
    const WyImage *img = box->u.image.image;
    const WyParaLayout *caption = NULL;
    double caption_h = 0, gap = 0;
    if (box->u.image.caption) {
        caption = new_para(b->lc, box->u.image.caption, w, box->loc);
        if (!caption)
            return NULL;
        const WyStyle *cs = box->u.image.caption->style;
        gap = cs && cs->space_before_pt > 0 ? cs->space_before_pt : WY_CAPTION_GAP_PT;
        caption_h = caption->height_pt;
    }
    double img_w = 0, img_h = 0;
    if (img && img->width_px > 0 && img->height_px > 0) {
        double nat_w = natural_pt(img->width_px, img->dpi);
        double nat_h = natural_pt(img->height_px, img->dpi);
        img_w = box->u.image.width_pt > 0 ? box->u.image.width_pt : nat_w;
        if (img_w > w)
            img_w = w;
        img_h = img_w * nat_h / nat_w;
        /* a picture taller than the page is scaled down, never split or refused */
        double room = max_block_pt - caption_h - gap;
        if (room > 0 && img_h > room) {
            img_w *= room / img_h;
            img_h = room;
        }
    }
    double x = 0;
    if (box->u.image.align == WY_ALIGN_CENTER)
        x = (w - img_w) / 2;
    else if (box->u.image.align == WY_ALIGN_END)
        x = w - img_w;
    if (img_h > 0) {
        WyItem item = {0};
        item.kind = WY_ITEM_IMAGE;
        item.x = x;
        item.w = img_w;
        item.h = img_h;
        item.fill = item.stroke = WY_COLOR_NONE;
        item.image = img;
        item.loc = box->loc;
        wy_page_add_item(&c->page, &item);
    }
    c->height_pt = img_h;
    if (caption) {
        double y = img_h + gap;
        for (int i = 0; i < caption->n_lines; i++, y += caption->pitch_pt)
            wy_flow_add_line_item(&c->page, caption, i, 0, y, box->loc);
        c->height_pt = y;
    }
    return c;
}

static void add_hline(WyPage *page, double x, double y, double w, double thickness, WyColor color, WyLoc loc)
{
    WyItem item = {0};
    item.kind = WY_ITEM_LINE;
    item.x = x;
    item.y = y;
    item.w = w;
    item.fill = WY_COLOR_NONE;
    item.stroke = color == WY_COLOR_NONE ? WY_COLOR_BLACK : color;
    item.stroke_width = thickness;
    item.loc = loc;
    wy_page_add_item(page, &item);
}

static WyCanvas *rule_canvas(Builder *b, const WyBox *box, double w)
{
    WyCanvas *c = wy_canvas_new(b->lc);
    double thick = box->u.rule.thickness_pt > 0 ? box->u.rule.thickness_pt : 0.5;
    double len = box->u.rule.width_pt > 0 && box->u.rule.width_pt < w ? box->u.rule.width_pt : w;
    add_hline(&c->page, 0, thick / 2, len, thick, box->u.rule.color, box->loc);
    c->height_pt = thick;
    if (box->u.rule.double_line) {
        /* thick over thin, as under a masthead */
        double thin = fmax(0.5, thick / 3);
        double y = thick + WY_RULE_DOUBLE_GAP_PT;
        add_hline(&c->page, 0, y + thin / 2, len, thin, box->u.rule.color, box->loc);
        c->height_pt = y + thin;
    }
    return c;
}

/* ---- frames, grids, columns --------------------------------------------- */

static WyFrameInst *new_frame(Builder *b, const WyBox *box, double x, double w, WyFrameInst *parent)
{
    WyFrameInst *f = WY_ARENA_NEW(&b->lc->arena, WyFrameInst);
    f->box = box;
    f->parent = parent;
    f->x = x;
    f->w = box->u.frame.width_pt > 0 && box->u.frame.width_pt < w ? box->u.frame.width_pt : w;
    f->top_pt = box->u.frame.top.width_pt + box->u.frame.padding_pt[0];
    f->bottom_pt = box->u.frame.padding_pt[2] + box->u.frame.bottom.width_pt;
    f->chain_top_pt = f->top_pt + (parent ? parent->chain_top_pt : 0);
    f->chain_bottom_pt = f->bottom_pt + (parent ? parent->chain_bottom_pt : 0);
    return f;
}

static bool flatten_frame(Builder *b, const WyBox *box, double x, double w, WyFrameInst *frame,
                          double max_block_pt)
{
    WyFrameInst *f = new_frame(b, box, x, w, frame);
    double left = box->u.frame.left.width_pt + box->u.frame.padding_pt[3];
    double right = box->u.frame.right.width_pt + box->u.frame.padding_pt[1];
    space_before(b, box->space_before_pt, frame, box);
    WyAtom *open = push_content(b, WY_ATOM_OPEN, f->top_pt, frame, box);
    open->target = f;
    b->forbid_next = true; /* never leave an empty frame top at a page foot */
    b->at_frame_start = true;
    if (!flatten_list(b, box->children, NULL, x + left, fmax(MIN_WIDTH_PT, f->w - left - right), f,
                      max_block_pt - f->top_pt - f->bottom_pt, false))
        return false;
    drop_trailing_space(b);
    WyAtom *close = push(b, WY_ATOM_CLOSE, f->bottom_pt, f, box);
    close->target = f;
    b->at_frame_start = false;
    b->forbid_next = box->keep_with_next;
    space_after(b, box->space_after_pt, frame, box);
    return true;
}

/* Lays BOX out on its own canvas, unsplittable. */
static WyCanvas *whole_canvas(Builder *b, const WyBox *box, double w, double max_block_pt)
{
    Builder sub = {.lc = b->lc, .flow = new_flow(b->lc), .mode = WY_FLOW_CANVAS};
    if (!flatten_box(&sub, box, 0, w, NULL, max_block_pt, true))
        return NULL;
    return wy_flow_to_canvas(b->lc, sub.flow);
}

/* A table atom for BOX: layout/table sets it across pages. */
static bool push_table(Builder *b, const WyBox *box, double x, double w, WyFrameInst *frame, double max_block_pt)
{
    WyTableInst *table = wy_table_build(b->lc, box, w, max_block_pt);
    if (!table)
        return false;
    WyAtom *a = push_content(b, WY_ATOM_TABLE, wy_table_min_height(table), frame, box);
    a->table = table;
    a->x = x;
    return true;
}

/* A grid row that may split and is taller than a page: it goes to the
   table code, which starts it where it stands and continues every cell
   at the top of the next page. One that fits on a page stays a block,
   moved whole. Only a page's flow splits it. */
static bool splits(const Builder *b, const WyBox *grid, const WyGridRow *row, double max_block_pt)
{
    return grid->u.grid.split_tall_rows && b->mode == WY_FLOW_PAGE &&
           row->canvas->height_pt > max_block_pt + WY_FIT_EPSILON_PT;
}

static bool flatten_grid(Builder *b, const WyBox *box, double x, double w, WyFrameInst *frame,
                         double max_block_pt)
{
    size_t n_rows = 0;
    WyGridRow *rows = wy_grid_rows(b->lc, box, w, max_block_pt, &n_rows);
    if (!rows && b->lc->failed)
        return false;
    space_before(b, box->space_before_pt, frame, box);
    double gap = box->u.grid.row_gap_pt;
    if (box->keep_together && n_rows > 1) {
        WyCanvas *all = wy_canvas_new(b->lc);
        WyCursor cur;
        wy_cursor_init_canvas(&cur, b->lc, all, 0, 0);
        for (size_t i = 0; i < n_rows; i++) {
            wy_cursor_copy_canvas(&cur, rows[i].canvas, 0, cur.y);
            cur.y += rows[i].canvas->height_pt + (i + 1 < n_rows ? gap : 0);
        }
        all->height_pt = cur.y;
        wy_cursor_release(&cur);
        push_block(b, all, x, frame, box);
    } else {
        for (size_t i = 0; i < n_rows; i++) {
            if (i > 0 && gap > 0)
                push(b, WY_ATOM_GLUE, gap, frame, box);
            if (!splits(b, box, &rows[i], max_block_pt)) {
                push_block(b, rows[i].canvas, x, frame, rows[i].tallest ? rows[i].tallest : box);
            } else if (!push_table(b, wy_grid_row_table(b->lc, box, i, w), x, w, frame, max_block_pt)) {
                free(rows);
                return false;
            }
        }
    }
    free(rows);
    b->forbid_next = box->keep_with_next;
    space_after(b, box->space_after_pt, frame, box);
    return true;
}

static bool flatten_columns(Builder *b, const WyBox *box, double x, double w, WyFrameInst *frame,
                            double max_block_pt)
{
    WyColumnsInst *cols = wy_columns_build(b->lc, box, x, w, max_block_pt);
    if (!cols)
        return false;
    space_before(b, box->space_before_pt, frame, box);
    WyAtom *a = push_content(b, WY_ATOM_COLUMNS, wy_flow_total_height(cols->flow), frame, box);
    a->columns = cols;
    a->x = x;
    b->forbid_next = box->keep_with_next;
    space_after(b, box->space_after_pt, frame, box);
    return true;
}

/* A table runs across pages in a page's flow; anywhere else it is set in
   one piece. */
static bool flatten_table(Builder *b, const WyBox *box, double x, double w, WyFrameInst *frame,
                          double max_block_pt)
{
    space_before(b, box->space_before_pt, frame, box);
    if (b->mode == WY_FLOW_PAGE) {
        if (!push_table(b, box, x, w, frame, max_block_pt))
            return false;
    } else {
        WyCanvas *c = wy_table_canvas(b->lc, box, w, max_block_pt);
        if (!c)
            return false;
        push_block(b, c, x, frame, box);
    }
    b->forbid_next = box->keep_with_next;
    space_after(b, box->space_after_pt, frame, box);
    return true;
}

/* ---- the walk ----------------------------------------------------------- */

/* AS_WHOLE: BOX is being set on its own canvas, so its keep_together has
   been honoured already. */
static bool flatten_box(Builder *b, const WyBox *box, double x, double w, WyFrameInst *frame,
                        double max_block_pt, bool as_whole)
{
    bool whole = !as_whole && ((box->kind == WY_BOX_FRAME && box->keep_together) ||
                               (box->kind == WY_BOX_COLUMNS && b->mode == WY_FLOW_COLUMN));
    if (whole) {
        /* the box's bookmark travels inside the canvas */
        space_before(b, box->space_before_pt, frame, box);
        WyCanvas *c = whole_canvas(b, box, w, max_block_pt);
        if (!c)
            return false;
        push_block(b, c, x, frame, box);
        b->forbid_next = box->keep_with_next;
        space_after(b, box->space_after_pt, frame, box);
        if (box->at_foot && b->mode == WY_FLOW_PAGE && !frame) {
            /* the page ends with it: what follows starts the next one */
            WyAtom *a = push(b, WY_ATOM_BREAK, 0, frame, box);
            a->breakable = true;
            b->forbid_next = false;
        }
        return true;
    }
    if (box->bookmark) {
        b->bookmark = box->bookmark;
        b->bookmark_level = box->bookmark_level;
    }
    switch (box->kind) {
    case WY_BOX_PARA:
        if (box->u.para.style && box->u.para.style->vertical) {
            WyCanvas *c = vertical_canvas(b, box, w, max_block_pt);
            if (!c)
                return false;
            const WyStyle *style = box->u.para.style;
            space_before(b, fmax(box->space_before_pt, style->space_before_pt), frame, box);
            push_block(b, c, x, frame, box);
            b->forbid_next = box->keep_with_next || style->keep_with_next;
            space_after(b, fmax(box->space_after_pt, style->space_after_pt), frame, box);
            return true;
        }
        return flatten_para(b, box, x, w, frame);
    case WY_BOX_IMAGE:
    case WY_BOX_RULE: {
        WyCanvas *c = box->kind == WY_BOX_IMAGE ? image_canvas(b, box, w, max_block_pt) : rule_canvas(b, box, w);
        if (!c)
            return false;
        space_before(b, box->space_before_pt, frame, box);
        push_block(b, c, x, frame, box);
        b->forbid_next = box->keep_with_next;
        space_after(b, box->space_after_pt, frame, box);
        return true;
    }
    case WY_BOX_SPACE:
        if (box->u.space.height_pt > 0)
            push(b, WY_ATOM_GLUE, box->u.space.height_pt, frame, box);
        return true;
    case WY_BOX_PAGE_BREAK:
        if (b->mode != WY_FLOW_CANVAS) {
            WyAtom *a = push(b, WY_ATOM_BREAK, 0, frame, box);
            a->breakable = true;
            b->forbid_next = false;
        }
        return true;
    case WY_BOX_FRAME:
        return flatten_frame(b, box, x, w, frame, max_block_pt);
    case WY_BOX_GRID:
        return flatten_grid(b, box, x, w, frame, max_block_pt);
    case WY_BOX_COLUMNS:
        return flatten_columns(b, box, x, w, frame, max_block_pt);
    case WY_BOX_TABLE:
        return flatten_table(b, box, x, w, frame, max_block_pt);
    }
    return true;
}

static bool flatten_list(Builder *b, const WyBox *first, const WyBox *stop, double x, double w,
                         WyFrameInst *frame, double max_block_pt, bool top_level)
{
    size_t index = 0;
    for (const WyBox *box = first; box != stop; box = box->next, index++) {
        if (top_level)
            b->top = index;
        if (top_level)
            wy_prelayout_arrive(b->lc->ahead, box); /* from a box the worker has, layouts are taken */
        if (!flatten_box(b, box, x, w, frame, max_block_pt, false))
            return false;
    }
    return true;
}

/* The top-level boxes from FIRST up to STOP (NULL: the end). */
static WyFlow *build(WyLayoutCtx *lc, const WyBox *first, const WyBox *stop, double width_pt, double max_block_pt,
                     WyFlowMode mode)
{
    Builder b = {.lc = lc, .flow = new_flow(lc), .mode = mode};
    if (!flatten_list(&b, first, stop, 0, fmax(MIN_WIDTH_PT, width_pt), NULL, max_block_pt, true)) {
        lc->failed = true;
        return NULL;
    }
    return b.flow;
}

WyFlow *wy_flow_build(WyLayoutCtx *lc, const WyBox *first, double width_pt, double max_block_pt,
                      WyFlowMode mode)
{
    return build(lc, first, NULL, width_pt, max_block_pt, mode);
}

WyFlow *wy_flow_build_one(WyLayoutCtx *lc, const WyBox *box, double width_pt, double max_block_pt,
                          WyFlowMode mode)
{
    return build(lc, box, box->next, width_pt, max_block_pt, mode);
}

static void delete_atom(WyFlow *flow, size_t k)
{
    memmove(flow->atoms + k, flow->atoms + k + 1, (flow->n - k - 1) * sizeof *flow->atoms);
    flow->n--;
}

/* The glue around a removed block held its space-before (in the glue above,
   maybe merged with the previous block's space-after) and its space-after
   (in the glue below, maybe merged with the next block's space-before).
   What remains is the larger of the neighbours' own spaces, as if the
   block had never been there. */
void wy_flow_remove_block(WyFlow *flow, size_t k)
{
    const WyAtom removed = flow->atoms[k];
    delete_atom(flow, k);
    if (k < flow->n && flow->atoms[k].kind == WY_ATOM_GLUE && flow->atoms[k].box == removed.box &&
        flow->atoms[k].after_pt > 0) {
        WyAtom *below = &flow->atoms[k];
        below->h = below->before_pt;
        below->after_pt = 0;
        if (below->h <= 0)
            delete_atom(flow, k);
    }
    if (k > 0 && flow->atoms[k - 1].kind == WY_ATOM_GLUE && flow->atoms[k - 1].before_pt > 0) {
        WyAtom *above = &flow->atoms[k - 1];
        above->h = above->after_pt;
        above->before_pt = 0;
        if (above->h <= 0) {
            delete_atom(flow, k - 1);
            k--;
        }
    }
    if (k > 0 && k < flow->n && flow->atoms[k - 1].kind == WY_ATOM_GLUE && flow->atoms[k].kind == WY_ATOM_GLUE &&
        flow->atoms[k].before_pt > 0 && flow->atoms[k - 1].after_pt > 0) {
        /* the neighbours' spaces now meet: they collapse as they would have */
        WyAtom *above = &flow->atoms[k - 1];
        above->h = fmax(above->h, flow->atoms[k].h);
        above->before_pt = flow->atoms[k].before_pt;
        delete_atom(flow, k);
    }
    for (size_t j = k; j < flow->n; j++) {
        WyAtom *a = &flow->atoms[j];
        if (a->kind == WY_ATOM_GLUE)
            continue;
        if (a->kind != WY_ATOM_BREAK)
            a->breakable = removed.breakable;
        break;
    }
}

void wy_flow_prepend(WyFlow *flow, const WyAtom *atoms, size_t n)
{
    if (n == 0)
        return;
    size_t need = wy_add_size(flow->n, n);
    if (need > flow->cap) {
        flow->cap = need;
        flow->atoms = wy_xrealloc(flow->atoms, wy_mul_size(flow->cap, sizeof *flow->atoms));
    }
    memmove(flow->atoms + n, flow->atoms, flow->n * sizeof *flow->atoms);
    memcpy(flow->atoms, atoms, n * sizeof *flow->atoms);
    flow->n = need;
}

double wy_flow_total_height(const WyFlow *flow)
{
    double total = 0;
    for (size_t k = 0; k < flow->n; k++)
        total += flow->atoms[k].h;
    return total;
}

WyFrameInst *wy_flow_frame_before(const WyFlow *flow, size_t k)
{
    return k < flow->n ? flow->atoms[k].frame : NULL;
}
