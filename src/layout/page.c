/* Pagination: cuts each sequence's flow into pages (greedy, at the last
   break the keep, orphan and widow rules allow), lets pictures that do not
   fit shrink or float to the next page (layout/figures), runs column
   sections across pages, draws frame fragments, sets running headers and
   footers with their page numbers, and collects the outline. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/fontpages.h"
#include "base/mem.h"
#include "layout/columns.h"
#include "layout/figures.h"
#include "layout/layout.h"
#include "layout/page.h"
#include "layout/prelayout.h"
#include "layout/table.h"

#define HEADER_RULE_GAP_PT 3.0 /* between the header's last line and its rule */
#define DEFAULT_MARGIN_PT (25.0 * WY_PT_PER_MM)

/* ---- frames ------------------------------------------------------------- */

static WyColor or_black(WyColor c)
{
    return c == WY_COLOR_NONE ? WY_COLOR_BLACK : c;
}

void wy_frame_background(WyPage *page, const WyBox *frame, double x, double y, double w, double h)
{
    if (frame->u.frame.background == WY_COLOR_NONE)
        return;
    WyItem item = {.kind = WY_ITEM_RECT, .x = x, .y = y, .w = w, .h = h,
                   .fill = frame->u.frame.background, .stroke = WY_COLOR_NONE, .loc = frame->loc};
    wy_page_add_item(page, &item);
}

static void add_edge(WyPage *page, const WyBorder *border, double x, double y, double dx, double dy, WyLoc loc)
{
    if (border->width_pt <= 0)
        return;
    WyItem item = {.kind = WY_ITEM_LINE, .x = x, .y = y, .w = dx, .h = dy, .fill = WY_COLOR_NONE,
                   .stroke = or_black(border->color), .stroke_width = border->width_pt, .loc = loc};
    wy_page_add_item(page, &item);
}

/* Each border lies inside the box, centred on its own half width. */
void wy_frame_borders(WyPage *page, const WyBox *frame, double x, double y, double w, double h)
{
    const WyBorder *top = &frame->u.frame.top, *right = &frame->u.frame.right;
    const WyBorder *bottom = &frame->u.frame.bottom, *left = &frame->u.frame.left;
    add_edge(page, top, x, y + top->width_pt / 2, w, 0, frame->loc);
    add_edge(page, bottom, x, y + h - bottom->width_pt / 2, w, 0, frame->loc);
    add_edge(page, left, x + left->width_pt / 2, y, 0, h, frame->loc);
    add_edge(page, right, x + w - right->width_pt / 2, y, 0, h, frame->loc);
}

/* ---- cursor ------------------------------------------------------------- */

void wy_cursor_init_canvas(WyCursor *cur, WyLayoutCtx *lc, WyCanvas *canvas, double x0, double y0)
{
    memset(cur, 0, sizeof *cur);
    cur->lc = lc;
    cur->page = &canvas->page;
    cur->canvas = canvas;
    cur->x0 = x0;
    cur->y = cur->top = y0;
    cur->bottom = INFINITY;
}

void wy_cursor_release(WyCursor *cur)
{
    free(cur->frags);
    cur->frags = NULL;
    cur->n_frags = cur->cap_frags = 0;
}

static void open_frag(WyCursor *cur, WyFrameInst *frame)
{
    if (cur->n_frags == cur->cap_frags) {
        cur->cap_frags = cur->cap_frags ? cur->cap_frags * 2 : 8;
        cur->frags = wy_xrealloc(cur->frags, wy_mul_size(cur->cap_frags, sizeof *cur->frags));
    }
    WyFrag *frag = &cur->frags[cur->n_frags++];
    frag->frame = frame;
    frag->y0 = cur->y;
    frag->background = SIZE_MAX;
    if (frame->box->u.frame.background != WY_COLOR_NONE) {
        /* placed now so it lies under the content; sized when the fragment ends */
        frag->background = cur->page->n_items;
        wy_frame_background(cur->page, frame->box, 0, 0, 0, 0);
    }
    cur->y += frame->top_pt;
}

static void close_frag(WyCursor *cur)
{
    WyFrag frag = cur->frags[--cur->n_frags];
    cur->y += frag.frame->bottom_pt;
    double x = cur->x0 + frag.frame->x, h = cur->y - frag.y0;
    if (frag.background != SIZE_MAX) {
        WyItem *bg = &cur->page->items[frag.background];
        bg->x = x;
        bg->y = frag.y0;
        bg->w = frag.frame->w;
        bg->h = h;
    }
    wy_frame_borders(cur->page, frag.frame->box, x, frag.y0, frag.frame->w, h);
}

void wy_cursor_reopen(WyCursor *cur, WyFrameInst *frame)
{
    if (!frame)
        return;
    wy_cursor_reopen(cur, frame->parent);
    open_frag(cur, frame);
}

void wy_cursor_close_all(WyCursor *cur)
{
    while (cur->n_frags)
        close_frag(cur);
}

void wy_cursor_mark(WyCursor *cur, const char *title, int level, double y)
{
    if (cur->canvas) {
        WyCanvas *c = cur->canvas;
        if (c->n_marks == c->cap_marks) {
            c->cap_marks = c->cap_marks ? c->cap_marks * 2 : 4;
            c->marks = wy_xrealloc(c->marks, wy_mul_size(c->cap_marks, sizeof *c->marks));
        }
        c->marks[c->n_marks++] = (WyMark){title, level, y};
    } else if (cur->pages) {
        wy_pages_add_outline(cur->pages, title, level, cur->page_index, y);
    }
}

static void copy_items(WyPage *page, const WyCanvas *canvas, double x, double y)
{
    for (size_t i = 0; i < canvas->page.n_items; i++) {
        WyItem item = canvas->page.items[i];
        item.x += x;
        item.y += y;
        wy_page_add_item(page, &item);
    }
}

void wy_cursor_copy_canvas(WyCursor *cur, const WyCanvas *canvas, double x, double y)
{
    copy_items(cur->page, canvas, x, y);
    for (size_t i = 0; i < canvas->n_marks; i++)
        wy_cursor_mark(cur, canvas->marks[i].title, canvas->marks[i].level, canvas->marks[i].y_pt + y);
}

/* ---- cutting ------------------------------------------------------------ */

static double chain_bottom(const WyFrameInst *frame)
{
    return frame ? frame->chain_bottom_pt : 0;
}

static const WyFrameInst *frame_after(const WyAtom *a)
{
    if (a->kind == WY_ATOM_OPEN)
        return a->target;
    if (a->kind == WY_ATOM_CLOSE)
        return a->target->parent;
    return a->frame;
}

/* No legal break fits: break just before K anyway, but never right after
   a frame's top edge (walk back over it). Returns FIRST when the piece
   cannot be split at all. */
static size_t forced_break(const WyFlow *flow, size_t first, size_t k)
{
    size_t j = k;
    while (j > first) {
        size_t prev = j - 1;
        while (prev > first && flow->atoms[prev].kind == WY_ATOM_GLUE)
            prev--;
        if (flow->atoms[prev].kind != WY_ATOM_OPEN)
            break;
        j = prev;
    }
    return j;
}

/* Two pitches this close are the same grid: styles give them in mm, 号
   or multiples of the size, rounded differently. */
#define GRID_PITCH_TOLERANCE_PT 0.01
#define GRID_ON_LINE_PT 0.001

double wy_flow_snap(const WyFlow *flow, const WyAtom *a, double y)
{
    if (flow->grid_pt <= 0 || a->kind != WY_ATOM_LINE || a->frame ||
        fabs(a->para->pitch_pt - flow->grid_pt) > GRID_PITCH_TOLERANCE_PT)
        return y;
    double lines = (y - flow->grid_top_pt) / flow->grid_pt;
    /* a line already on the grid, give or take rounding, stays put */
    double whole = ceil(lines - GRID_ON_LINE_PT / flow->grid_pt);
    return whole > 0 ? flow->grid_top_pt + whole * flow->grid_pt : y;
}

WyFit wy_flow_fit(const WyFlow *flow, size_t start, double y, double bottom, bool skip_leading, bool fresh)
{
    WyFit fit = {.end = flow->n, .stop = SIZE_MAX};
    size_t k = start;
    if (skip_leading)
        while (k < flow->n && (flow->atoms[k].kind == WY_ATOM_GLUE || flow->atoms[k].kind == WY_ATOM_BREAK))
            k++;
    const size_t first = k;
    size_t best = SIZE_MAX;
    double pending = 0;
    for (; k < flow->n; k++) {
        const WyAtom *a = &flow->atoms[k];
        if (a->kind == WY_ATOM_GLUE) {
            pending += a->h;
            continue;
        }
        if (k > first && a->breakable && y + chain_bottom(a->frame) <= bottom + WY_FIT_EPSILON_PT)
            best = k;
        if (a->kind == WY_ATOM_BREAK) {
            fit.end = k + 1;
            return fit;
        }
        if (a->kind == WY_ATOM_CLOSE) {
            /* its height was reserved by everything inside the frame */
            y += pending + a->h;
            pending = 0;
            continue;
        }
        bool columns = a->kind == WY_ATOM_COLUMNS || a->kind == WY_ATOM_TABLE;
        double need = a->kind == WY_ATOM_COLUMNS ? a->columns->min_pt : a->h;
        double reserve = columns ? chain_bottom(a->frame) : chain_bottom(frame_after(a));
        /* a table that fits nowhere starts anyway: it names the row that is too tall */
        bool table_anyway = a->kind == WY_ATOM_TABLE && fresh && best == SIZE_MAX;
        pending = wy_flow_snap(flow, a, y + pending) - y;
        if (y + pending + need + reserve <= bottom + WY_FIT_EPSILON_PT || table_anyway) {
            if (columns) {
                fit.end = k;
                fit.columns = true;
                return fit;
            }
            y += pending + a->h;
            pending = 0;
            continue;
        }
        fit.stop = k;
        fit.room_pt = bottom - y - pending - reserve;
        if (best != SIZE_MAX) {
            fit.end = best;
        } else if (!fresh) {
            fit.end = start; /* try again on an empty page */
        } else {
            fit.end = forced_break(flow, first, k);
            if (fit.end == first) {
                fit.end = k;
                fit.too_tall = true;
                fit.need_pt = need;
                fit.avail_pt = bottom - y - reserve;
            }
        }
        return fit;
    }
    return fit;
}

bool wy_flow_place(WyCursor *cur, const WyFlow *flow, size_t start, size_t end, bool skip_leading,
                   bool keep_trailing)
{
    double pending = 0;
    bool started = !skip_leading;
    for (size_t k = start; k < end && k < flow->n; k++) {
        const WyAtom *a = &flow->atoms[k];
        if (a->kind == WY_ATOM_GLUE) {
            if (started)
                pending += a->h;
            continue;
        }
        if (a->kind == WY_ATOM_BREAK)
            continue;
        cur->y = wy_flow_snap(flow, a, cur->y + pending);
        pending = 0;
        started = true;
        if (a->bookmark && a->kind != WY_ATOM_COLUMNS)
            wy_cursor_mark(cur, a->bookmark, a->bookmark_level, cur->y);
        switch (a->kind) {
        case WY_ATOM_OPEN:
            open_frag(cur, a->target);
            break;
        case WY_ATOM_CLOSE:
            if (cur->n_frags)
                close_frag(cur);
            break;
        case WY_ATOM_LINE:
            wy_flow_add_line_item(cur->page, a->para, a->line, cur->x0 + a->x, cur->y, a->box->loc);
            cur->y += a->h;
            cur->placed = true;
            break;
        case WY_ATOM_BLOCK:
            if (a->box && a->box->at_foot && !a->frame && isfinite(cur->bottom))
                cur->y = fmax(cur->y, cur->bottom - a->h);
            wy_cursor_copy_canvas(cur, a->block, cur->x0 + a->x, cur->y);
            cur->y += a->h;
            cur->placed = true;
            break;
        case WY_ATOM_COLUMNS:
            if (!wy_columns_run(cur, a, NULL, NULL))
                return false;
            break;
        case WY_ATOM_TABLE:
            if (!wy_table_run(cur, a, NULL, NULL))
                return false;
            break;
        case WY_ATOM_GLUE:
        case WY_ATOM_BREAK:
            break;
        }
    }
    if (keep_trailing)
        cur->y += pending;
    return true;
}

WyCanvas *wy_flow_to_canvas(WyLayoutCtx *lc, const WyFlow *flow)
{
    WyCanvas *canvas = wy_canvas_new(lc);
    WyCursor cur;
    wy_cursor_init_canvas(&cur, lc, canvas, 0, 0);
    bool ok = wy_flow_place(&cur, flow, 0, flow->n, true, false);
    wy_cursor_close_all(&cur);
    canvas->height_pt = cur.y;
    wy_cursor_release(&cur);
    return ok ? canvas : NULL;
}

/* ---- pages -------------------------------------------------------------- */

typedef struct Paginator {
    WyLayoutCtx *lc;
    WyPages *pages;
    const WySequence *seq;
    const WyPageMaster **masters; /* the master of each kept page, for its header and footer */
    size_t cap_masters;
    size_t n_pages;               /* pages begun */
    const WyPageSink *sink;       /* set: pages are streamed, not kept in `pages` */
    WyPage streamed;              /* streaming: the page being set */
    const WyPageMaster *master;   /* streaming: its master */
    WyCursor cur;
    WyFigures figures;            /* pictures waiting for the top of a page */
    bool seq_first_page;
    WyLoc loc;                    /* the block being set, for the page-cap error */
    WyFonts *fonts;
    GPtrArray *prelayouts;        /* WyPrelayout *: freed after every layout is released */
} Paginator;

static const WyPageMaster DEFAULT_MASTER = {
    .name = "default",
    .width_pt = A4_WIDTH_PT,
    .height_pt = A4_HEIGHT_PT,
    .margin_top_pt = DEFAULT_MARGIN_PT,
    .margin_right_pt = DEFAULT_MARGIN_PT,
    .margin_bottom_pt = DEFAULT_MARGIN_PT,
    .margin_left_pt = DEFAULT_MARGIN_PT,
};

static const WyPageMaster *first_master(const WySequence *seq)
{
    return seq->first ? seq->first : seq->rest ? seq->rest : &DEFAULT_MASTER;
}

static const WyPageMaster *rest_master(const WySequence *seq)
{
    return seq->rest ? seq->rest : first_master(seq);
}

static double type_width(const WyPageMaster *m)
{
    return m->width_pt - m->margin_left_pt - m->margin_right_pt;
}

static double type_height(const WyPageMaster *m)
{
    return m->height_pt - m->margin_top_pt - m->margin_bottom_pt;
}

static bool add_running_blocks(WyPage *page, const WyPageMaster *m, int page_count, WyParaCtx *para,
                               WyCoverage *coverage, WyDiag *d);

/* Streaming: the page being set is final once the next one begins (or
   the document ends). Nothing reaches back to an earlier page: a fit is
   decided before anything is placed, a table moved to the next page takes
   its items back from its own page before the turn, frames close and
   columns balance on the page being left, and waiting pictures open the
   new page. So the page goes to the sink here and is freed. */
static bool emit_page(Paginator *pg)
{
    WyPage *page = &pg->streamed;
    bool ok = add_running_blocks(page, pg->master, 0, pg->lc->para, pg->lc->coverage, pg->lc->diag) &&
              pg->sink->page(pg->sink->ctx, page, (int)pg->n_pages - 1);
    wy_page_release(page);
    pg->pages->n_streamed = pg->n_pages;
    return ok;
}

/* A blank page of master M: the next one kept in the document, or, when
   streaming, the one slot after the page before has gone to the sink. */
static WyPage *begin_page(Paginator *pg, const WyPageMaster *m)
{
    if (!pg->sink) {
        WyPage *page = wy_pages_add_page(pg->pages, m->width_pt, m->height_pt);
        if (pg->pages->n_pages > pg->cap_masters) {
            pg->cap_masters = pg->cap_masters ? pg->cap_masters * 2 : 16;
            pg->masters = wy_xrealloc(pg->masters, wy_mul_size(pg->cap_masters, sizeof *pg->masters));
        }
        pg->masters[pg->pages->n_pages - 1] = m;
        return page;
    }
    if (pg->n_pages > 0 && !emit_page(pg))
        return NULL;
    WyPage *page = &pg->streamed;
    memset(page, 0, sizeof *page);
    page->width_pt = m->width_pt;
    page->height_pt = m->height_pt;
    page->number = (int)pg->n_pages + 1;
    pg->master = m;
    return page;
}

static bool new_page(Paginator *pg)
{
    if (pg->n_pages >= WY_MAX_PAGES) {
        wy_diag_error(pg->lc->diag, pg->loc,
                      "the document would have more than %d pages; split it into several documents",
                      WY_MAX_PAGES);
        return false;
    }
    const WyPageMaster *m = pg->seq_first_page ? first_master(pg->seq) : rest_master(pg->seq);
    pg->seq_first_page = false;
    WyPage *page = begin_page(pg, m);
    if (!page)
        return false;
    pg->n_pages++;
    WyCursor *cur = &pg->cur;
    cur->page = page;
    cur->page_index = (int)pg->n_pages - 1;
    cur->page_number = page->number;
    cur->x0 = m->margin_left_pt;
    cur->y = cur->top = m->margin_top_pt;
    cur->bottom = m->height_pt - m->margin_bottom_pt;
    cur->grid_pt = m->line_grid_pt;
    cur->placed = false;
    return true;
}

/* Moves to a new page: the waiting pictures open it (ALL: every one of
   them, on as many pages as they take), then the fragments of REOPEN's
   chain continue below them. */
static bool turn_page(Paginator *pg, WyFrameInst *reopen, bool all)
{
    WyCursor *cur = &pg->cur;
    do {
        wy_cursor_close_all(cur);
        if (!new_page(pg))
            return false;
        wy_figures_place_top(&pg->figures, cur);
    } while (all && pg->figures.n);
    if (reopen) {
        cur->y += pg->figures.gap_pt;
        pg->figures.gap_pt = 0;
        wy_cursor_reopen(cur, reopen);
    }
    return true;
}

/* The page turn of a column section (WyNextPageFn). */
static bool next_page(void *paginator, WyCursor *cur, WyFrameInst *frame)
{
    Paginator *pg = paginator;
    if (!turn_page(pg, frame, false))
        return false;
    cur->y += pg->figures.gap_pt;
    pg->figures.gap_pt = 0;
    return true;
}

/* Sets every waiting picture: here while they fit, then on new pages. */
static bool flush_figures(Paginator *pg)
{
    while (pg->figures.n && wy_figures_place(&pg->figures, &pg->cur, false))
        ;
    return !pg->figures.n || turn_page(pg, NULL, true);
}

static void too_tall(WyLayoutCtx *lc, const WyAtom *a, const WyFit *fit)
{
    wy_diag_error(lc->diag, a->box ? a->box->loc : wy_loc(NULL, 0, 0),
                  "this block is taller than a page (%.1f pt > %.1f pt); shorten it or allow it to split",
                  fit->need_pt, fit->avail_pt);
}

/* The byte range [*START, *END) of a text that loses its first OFFSET
   bytes; false when nothing of it is left. */
static bool cut_range(size_t *start, size_t *end, size_t offset)
{
    if (*end <= offset)
        return false;
    *start = *start > offset ? *start - offset : 0;
    *end -= offset;
    return true;
}

/* The rest of paragraph BOX from line LINE of its layout PL, as a box of
   its own: no first-line indent, no space before, no bookmark (it was set
   on the earlier page). NULL when fields were spliced into the text. */
static WyBox *para_remainder(WyLayoutCtx *lc, const WyBox *box, const WyParaLayout *pl, int line)
{
    if (pl->fields_spliced)
        return NULL;
    int at = pl->lines[line].start_byte - pl->source_shift;
    size_t offset = at > 0 ? (size_t)at : 0;
    const WyPara *para = &box->u.para;
    WyBox *rest = WY_ARENA_NEW(&lc->arena, WyBox);
    *rest = *box;
    rest->bookmark = NULL;
    rest->space_before_pt = 0;
    rest->u.para.text = para->text + offset;
    if (para->style) {
        WyStyle *style = WY_ARENA_NEW(&lc->arena, WyStyle);
        *style = *para->style;
        style->first_indent_pt = 0;
        style->space_before_pt = 0;
        rest->u.para.style = style;
    }
    rest->u.para.origins = para->n_origins ? WY_ARENA_ARRAY(&lc->arena, WyOrigin, para->n_origins) : NULL;
    rest->u.para.n_origins = 0;
    for (size_t i = 0; i < para->n_origins; i++) {
        WyOrigin o = para->origins[i];
        if (cut_range(&o.start, &o.end, offset))
            rest->u.para.origins[rest->u.para.n_origins++] = o;
    }
    rest->u.para.spans = para->n_spans ? WY_ARENA_ARRAY(&lc->arena, WySpan, para->n_spans) : NULL;
    rest->u.para.n_spans = 0;
    for (size_t i = 0; i < para->n_spans; i++) {
        WySpan span = para->spans[i];
        if (cut_range(&span.start, &span.end, offset))
            rest->u.para.spans[rest->u.para.n_spans++] = span;
    }
    return rest;
}

/* The later pages of a sequence have another measure than its first: the
   blocks not yet begun are flattened again at WIDTH, and a paragraph cut
   at the page break is broken again from its first unset line. Any other
   block cut there keeps its first page's width. */
static WyFlow *reflow_rest(WyLayoutCtx *lc, const WySequence *seq, const WyFlow *flow, size_t s, double width,
                           double max_block)
{
    size_t top = flow->atoms[s].top;
    bool begun = false;
    for (size_t k = 0; k < s; k++)
        begun |= flow->atoms[k].top == top && flow->atoms[k].kind != WY_ATOM_GLUE;
    const WyBox *box = seq->blocks;
    for (size_t i = 0; i < top && box; i++)
        box = box->next;
    if (!begun)
        return wy_flow_build(lc, box, width, max_block, WY_FLOW_PAGE);
    const WyAtom *a = &flow->atoms[s];
    WyBox *rest = NULL;
    if (box->kind == WY_BOX_PARA && a->kind == WY_ATOM_LINE && a->box == box)
        rest = para_remainder(lc, box, a->para, a->line);
    if (rest)
        return wy_flow_build(lc, rest, width, max_block, WY_FLOW_PAGE);
    WyFlow *out = wy_flow_build(lc, box->next, width, max_block, WY_FLOW_PAGE);
    if (out) {
        size_t e = s;
        while (e < flow->n && flow->atoms[e].top == top)
            e++;
        wy_flow_prepend(out, flow->atoms + s, e - s);
    }
    return out;
}

/* Leaving the sequence's first page for pages of another measure: the
   flow from S, and the pictures waiting, are set again at their width. */
static bool leave_first_page(Paginator *pg, WyFlow **flow, size_t *s, double max_block)
{
    const WySequence *seq = pg->seq;
    double width = type_width(rest_master(seq));
    if (type_width(first_master(seq)) == width)
        return true;
    *flow = reflow_rest(pg->lc, seq, *flow, *s, width, max_block);
    if (!*flow)
        return false;
    *s = 0;
    return wy_figures_new_measure(&pg->figures, pg->lc, *flow, width, max_block);
}

static bool paginate_sequence(Paginator *pg, const WySequence *seq)
{
    WyLayoutCtx *lc = pg->lc;
    pg->seq = seq;
    const WyPageMaster *first = first_master(seq), *rest = rest_master(seq);
    double max_block = fmin(type_height(first), type_height(rest));
    /* only when pages are streamed: kept pages hold their layouts after
       layout() returns, past the end of the worker's font map */
    lc->ahead = pg->sink ? wy_prelayout_start(pg->fonts, seq->blocks, type_width(first), max_block, WY_FLOW_PAGE)
                         : NULL;
    if (lc->ahead)
        g_ptr_array_add(pg->prelayouts, lc->ahead);
    WyFlow *flow = wy_flow_build(lc, seq->blocks, type_width(first), max_block, WY_FLOW_PAGE);
    wy_prelayout_join(lc->ahead); /* when the main thread set every box itself */
    if (!flow)
        return false;
    /* shaping the sequence read much of every face it uses; drawing needs
       only a few pages of each again */
    wy_font_pages_release();
    pg->loc = seq->blocks ? seq->blocks->loc : wy_loc(NULL, 0, 0);
    pg->seq_first_page = true;
    pg->figures.gap_pt = 0;
    size_t first_page = pg->n_pages;
    if (!new_page(pg))
        return false;
    WyCursor *cur = &pg->cur;
    size_t s = 0;
    bool skip = true;
    while (s < flow->n) {
        pg->loc = flow->atoms[s].box ? flow->atoms[s].box->loc : pg->loc;
        flow->grid_pt = cur->grid_pt;
        flow->grid_top_pt = cur->top;
        if (wy_figures_resume(&pg->figures, cur, flow, s))
            skip = true;
        WyFlush flush = WY_FLUSH_NONE;
        WyFit fit = wy_figures_fit(&pg->figures, cur, flow, s, skip, &flush);
        if (fit.too_tall) {
            too_tall(lc, &flow->atoms[fit.end], &fit);
            return false;
        }
        if (!wy_flow_place(cur, flow, s, fit.end, skip, fit.columns))
            return false;
        s = fit.end;
        if (fit.columns) {
            bool ran = flow->atoms[s].kind == WY_ATOM_TABLE ? wy_table_run(cur, &flow->atoms[s], next_page, pg)
                                                             : wy_columns_run(cur, &flow->atoms[s], next_page, pg);
            if (!ran)
                return false;
            s++;
            skip = false;
            continue;
        }
        bool on_first = pg->n_pages == first_page + 1;
        if (flush == WY_FLUSH_HERE) {
            /* the pictures of the article that ends go before the next one */
            if (!flush_figures(pg))
                return false;
            if (on_first && pg->n_pages > first_page + 1 && !leave_first_page(pg, &flow, &s, max_block))
                return false;
            skip = true;
            continue;
        }
        if (s >= flow->n)
            break;
        if (on_first && !leave_first_page(pg, &flow, &s, max_block))
            return false;
        /* nothing after a page break comes before the pictures from before it */
        if (!turn_page(pg, flow->atoms[s].frame, flush == WY_FLUSH_NEXT))
            return false;
        skip = true;
    }
    if (!flush_figures(pg))
        return false;
    wy_cursor_close_all(cur);
    return true;
}

/* ---- headers and footers ------------------------------------------------ */

static void add_header_rule(WyPage *page, const WyPageMaster *m, double header_bottom)
{
    const WyBorder *rule = &m->header_rule;
    if (rule->width_pt <= 0)
        return;
    double gap = fmin(HEADER_RULE_GAP_PT, m->header_gap_pt / 2);
    WyItem item = {.kind = WY_ITEM_LINE, .x = m->margin_left_pt, .y = header_bottom + gap + rule->width_pt / 2,
                   .w = type_width(m), .fill = WY_COLOR_NONE, .stroke = or_black(rule->color),
                   .stroke_width = rule->width_pt};
    wy_page_add_item(page, &item);
}

/* Sets BLOCKS (a header or footer) for one page with its fields filled in.
   Returns its height, or -1 on error. */
static double running_canvas(WyLayoutCtx *lc, const WyBox *blocks, const WyPageMaster *m, WyCanvas **out)
{
    WyFlow *flow = wy_flow_build(lc, blocks, type_width(m), m->height_pt, WY_FLOW_CANVAS);
    if (!flow)
        return -1;
    *out = wy_flow_to_canvas(lc, flow);
    return *out ? (*out)->height_pt : -1;
}

/* Sets master M's header, header rule and footer on PAGE, PAGE_COUNT
   filling the page-count fields (0 leaves them empty). */
static bool add_running_blocks(WyPage *page, const WyPageMaster *m, int page_count, WyParaCtx *para,
                               WyCoverage *coverage, WyDiag *d)
{
    if (!m->header && !m->footer && m->header_rule.width_pt <= 0)
        return true;
    WyParaFields fields = {.page_number = page->number, .page_count = page_count};
    WyLayoutCtx lc;
    wy_layout_ctx_init(&lc, para, d);
    lc.fields = &fields;
    lc.coverage = coverage;
    bool ok = true;
    double header_bottom = m->margin_top_pt - m->header_gap_pt;
    WyCanvas *canvas = NULL;
    if (m->header) {
        double h = running_canvas(&lc, m->header, m, &canvas);
        ok = h >= 0;
        if (ok)
            copy_items(page, canvas, m->margin_left_pt, header_bottom - h);
    }
    if (ok)
        add_header_rule(page, m, header_bottom);
    if (ok && m->footer) {
        ok = running_canvas(&lc, m->footer, m, &canvas) >= 0;
        if (ok)
            copy_items(page, canvas, m->margin_left_pt, m->height_pt - m->margin_bottom_pt + m->footer_gap_pt);
    }
    wy_layout_ctx_release(&lc);
    return ok;
}

static bool add_all_running_blocks(WyPages *pages, const WyPageMaster *const *masters, WyParaCtx *para,
                                   WyCoverage *coverage, WyDiag *d)
{
    for (size_t i = 0; i < pages->n_pages; i++)
        if (!add_running_blocks(&pages->pages[i], masters[i], (int)pages->n_pages, para, coverage, d))
            return false;
    return true;
}

/* ---- does the document need its page count? ------------------------------ */

static bool blocks_count_pages(const WyBox *box);

static bool para_counts_pages(const WyPara *para)
{
    for (size_t i = 0; para && i < para->n_fields; i++)
        if (para->fields[i].kind == WY_FIELD_PAGE_COUNT)
            return true;
    return false;
}

static bool rows_count_pages(const WyTableRow *row)
{
    for (; row; row = row->next)
        for (const WyTableCell *cell = row->cells; cell; cell = cell->next)
            if (blocks_count_pages(cell->blocks))
                return true;
    return false;
}

static bool table_counts_pages(const WyTable *t)
{
    return para_counts_pages(t->caption) || para_counts_pages(t->continued_caption) ||
           rows_count_pages(t->header) || rows_count_pages(t->body) || rows_count_pages(t->footer);
}

static bool blocks_count_pages(const WyBox *box)
{
    for (; box; box = box->next) {
        bool counts = false;
        if (box->kind == WY_BOX_PARA)
            counts = para_counts_pages(&box->u.para);
        else if (box->kind == WY_BOX_IMAGE)
            counts = para_counts_pages(box->u.image.caption);
        else if (box->kind == WY_BOX_TABLE)
            counts = table_counts_pages(box->u.table);
        if (counts || blocks_count_pages(box->children))
            return true;
    }
    return false;
}

static bool master_counts_pages(const WyPageMaster *m)
{
    return m && (blocks_count_pages(m->header) || blocks_count_pages(m->footer));
}

/* Only headers and footers have their fields filled in (the body's stay
   empty), so only they are searched. */
bool wy_layout_needs_page_count(const WyDocument *doc)
{
    for (const WySequence *seq = doc->sequences; seq; seq = seq->next)
        if (master_counts_pages(seq->first) || master_counts_pages(seq->rest))
            return true;
    return false;
}

/* ---- the document ------------------------------------------------------- */

static void copy_meta(WyPages *pages, const WyDocMeta *meta)
{
    WyArena *a = &pages->arena;
    pages->meta.title = wy_arena_strdup(a, meta->title);
    pages->meta.author = wy_arena_strdup(a, meta->author);
    pages->meta.subject = wy_arena_strdup(a, meta->subject);
    pages->meta.keywords = wy_arena_strdup(a, meta->keywords);
    pages->meta.creator = wy_arena_strdup(a, meta->creator);
    pages->meta.lang = wy_arena_strdup(a, meta->lang ? meta->lang : "zh-Hans");
}

/* Kept pages get their headers and footers once the page count is
   known; streamed pages got theirs as they went, but for the last. */
static WyPages *layout(const WyDocument *doc, WyFonts *fonts, const WyPageSink *sink, WyDiag *d)
{
    WyParaCtx *para = wy_para_ctx_new(wy_fonts_context(fonts));
    WyLayoutCtx lc;
    wy_layout_ctx_init(&lc, para, d);
    lc.coverage = wy_coverage_new(fonts, d);
    WyPages *pages = wy_pages_new();
    copy_meta(pages, &doc->meta);
    Paginator pg = {.lc = &lc, .pages = pages, .sink = sink, .fonts = fonts, .prelayouts = g_ptr_array_new()};
    pg.cur.lc = &lc;
    pg.cur.pages = pages;
    bool ok = true;
    for (const WySequence *seq = doc->sequences; seq && ok; seq = seq->next)
        ok = paginate_sequence(&pg, seq);
    wy_cursor_release(&pg.cur);
    wy_figures_release(&pg.figures);
    if (ok && sink && pg.n_pages > 0)
        ok = emit_page(&pg);
    else if (ok && !sink)
        ok = add_all_running_blocks(pages, pg.masters, para, lc.coverage, d);
    wy_page_release(&pg.streamed);
    free(pg.masters);
    wy_coverage_free(lc.coverage);
    wy_layout_ctx_release(&lc);
    for (guint i = 0; i < pg.prelayouts->len; i++)
        wy_prelayout_free(pg.prelayouts->pdata[i]);
    g_ptr_array_free(pg.prelayouts, TRUE);
    wy_para_ctx_free(para);
    if (!ok) {
        wy_pages_free(pages);
        return NULL;
    }
    return pages;
}

WyPages *wy_layout_document(const WyDocument *doc, WyFonts *fonts, WyDiag *d)
{
    return layout(doc, fonts, NULL, d);
}

WyPages *wy_layout_document_streamed(const WyDocument *doc, WyFonts *fonts, const WyPageSink *sink, WyDiag *d)
{
    return layout(doc, fonts, sink, d);
}
