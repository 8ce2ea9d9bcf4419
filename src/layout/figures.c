/* Figures on the page (layout/figures.h): a good printer never leaves half
   a page empty because a picture did not fit under the text. He first sets
   it a little smaller; if that is not enough, he lets the text run on and
   puts the picture at the head of the next page. */
#include "layout/figures.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

void wy_figures_release(WyFigures *fg)
{
    free(fg->queue);
    memset(fg, 0, sizeof *fg);
}

/* ---- which atoms ---------------------------------------------------------- */

/* A picture of the page flow itself: not inside a frame (frames, column
   sections and grid cells keep their pictures where they are). */
static bool floats(const WyAtom *a)
{
    return a->kind == WY_ATOM_BLOCK && !a->frame && a->box && a->box->kind == WY_BOX_IMAGE;
}

static bool canvas_opens_article(const WyCanvas *c)
{
    for (size_t i = 0; i < c->n_marks; i++)
        if (c->marks[i].level == 1)
            return true;
    return false;
}

/* A level-1 bookmark at the top level: a new article (or section) starts,
   and the pictures of the one before must not run into it. */
static bool opens_article(const WyAtom *a)
{
    if (a->frame || floats(a) || a->kind == WY_ATOM_GLUE || a->kind == WY_ATOM_CLOSE)
        return false;
    if (a->bookmark && a->bookmark_level == 1)
        return true;
    return a->kind == WY_ATOM_BLOCK && canvas_opens_article(a->block);
}

static size_t first_float(const WyFlow *flow, size_t from, size_t end)
{
    for (size_t k = from; k < end && k < flow->n; k++)
        if (floats(&flow->atoms[k]))
            return k;
    return SIZE_MAX;
}

/* Where the page may end before the article opening at K: before the run
   of blocks kept with it (a section heading and its rule above the title),
   and before the space above them. Never before LO. */
static size_t article_start(const WyFlow *flow, size_t lo, size_t k)
{
    size_t c = k;
    while (c > lo && !flow->atoms[c].breakable) {
        size_t j = c - 1;
        while (j > lo && flow->atoms[j].kind == WY_ATOM_GLUE)
            j--;
        if (flow->atoms[j].kind == WY_ATOM_CLOSE)
            break; /* a frame ends just above: the run starts here */
        c = j;
    }
    while (c > lo && flow->atoms[c - 1].kind == WY_ATOM_GLUE)
        c--;
    return c;
}

typedef struct Limit {
    size_t end;               /* the region may hold atoms before this one */
    WyFlush flush;            /* what ends there */
} Limit;

/* How far the flow may run while pictures wait: up to and including a page
   break, or up to a new article. */
static Limit wait_limit(const WyFigures *fg, const WyFlow *flow)
{
    Limit lim = {flow->n, WY_FLUSH_NONE};
    if (!fg->n)
        return lim;
    for (size_t k = fg->from; k < flow->n; k++) {
        const WyAtom *a = &flow->atoms[k];
        if (a->kind == WY_ATOM_BREAK) {
            lim.end = k + 1;
            lim.flush = WY_FLUSH_NEXT;
            return lim;
        }
        if (opens_article(a)) {
            lim.end = article_start(flow, fg->from, k);
            lim.flush = WY_FLUSH_HERE;
            return lim;
        }
    }
    return lim;
}

/* ---- scaling -------------------------------------------------------------- */

static const WyItem *picture_of(const WyCanvas *c)
{
    for (size_t i = 0; i < c->page.n_items; i++)
        if (c->page.items[i].kind == WY_ITEM_IMAGE)
            return &c->page.items[i];
    return NULL;
}

/* The factor that makes picture canvas C (picture over caption) ROOM tall;
   the caption keeps its lines. 0 when there is no picture to scale. */
static double scale_to(const WyCanvas *c, double room)
{
    const WyItem *pic = picture_of(c);
    if (!pic || pic->h <= 0)
        return 0;
    return (room - (c->height_pt - pic->h)) / pic->h;
}

/* A copy of the picture canvas of A with the picture SCALE times its size,
   aligned as before, and the caption (set at the measure) moved up under it. */
static const WyCanvas *scaled_canvas(WyLayoutCtx *lc, const WyAtom *a, double scale)
{
    const WyCanvas *src = a->block;
    const WyItem *pic = picture_of(src);
    double drop = pic->h * (1 - scale), narrower = pic->w * (1 - scale);
    double shift = 0;
    if (a->box->u.image.align == WY_ALIGN_CENTER)
        shift = narrower / 2;
    else if (a->box->u.image.align == WY_ALIGN_END)
        shift = narrower;
    WyCanvas *c = wy_canvas_new(lc);
    for (size_t i = 0; i < src->page.n_items; i++) {
        WyItem item = src->page.items[i];
        if (&src->page.items[i] == pic) {
            item.x += shift;
            item.w *= scale;
            item.h *= scale;
        } else {
            item.y -= drop; /* the caption, below the picture */
        }
        wy_page_add_item(&c->page, &item);
    }
    c->height_pt = src->height_pt - drop;
    return c;
}

/* Sets picture K of VIEW small enough for the ROOM it had, if that keeps
   it at WY_FIGURE_MIN_SCALE at least and the region then holds it. */
static bool shrink(WyCursor *cur, WyFlow *view, size_t start, bool skip, size_t k, double room)
{
    WyAtom *a = &view->atoms[k];
    double scale = scale_to(a->block, room);
    if (scale < WY_FIGURE_MIN_SCALE || scale >= 1)
        return false;
    const WyAtom saved = *a;
    a->block = scaled_canvas(cur->lc, a, scale);
    a->h = a->block->height_pt;
    WyFit again = wy_flow_fit(view, start, cur->y, cur->bottom, skip, !cur->placed);
    if (!again.too_tall && again.end > k)
        return true;
    *a = saved;
    return false;
}

/* ---- deferring ------------------------------------------------------------ */

static void defer(WyFigures *fg, WyFlow *flow, size_t k)
{
    if (!fg->n)
        fg->from = k;
    if (fg->n == fg->cap) {
        fg->cap = fg->cap ? fg->cap * 2 : 4;
        fg->queue = wy_xrealloc(fg->queue, wy_mul_size(fg->cap, sizeof *fg->queue));
    }
    const WyAtom *a = &flow->atoms[k];
    fg->queue[fg->n++] = (WyFloat){*a, a->box->space_before_pt, a->box->space_after_pt};
    wy_flow_remove_block(flow, k);
}

WyFit wy_figures_fit(WyFigures *fg, WyCursor *cur, WyFlow *flow, size_t start, bool skip, WyFlush *flush)
{
    if (fg->n)
        fg->from = start;
    for (;;) {
        Limit lim = wait_limit(fg, flow);
        WyFlow view = *flow;
        view.n = lim.end;
        WyFit fit = wy_flow_fit(&view, start, cur->y, cur->bottom, skip, !cur->placed);
        bool reached = !fit.too_tall && !fit.columns && fit.end == lim.end;
        *flush = reached ? lim.flush : WY_FLUSH_NONE;
        if (fit.too_tall)
            return fit;
        /* with pictures waiting, a later one waits too, or the order breaks */
        size_t k = fg->n ? first_float(flow, fg->from, fit.end) : SIZE_MAX;
        if (k == SIZE_MAX) {
            if (fit.stop == SIZE_MAX || !floats(&flow->atoms[fit.stop]))
                return fit;
            /* a picture kept off this page by the break rules goes first */
            k = first_float(flow, fit.end, fit.stop + 1);
            if (k == fit.stop && !fg->n && shrink(cur, &view, start, skip, k, fit.room_pt))
                continue;
        }
        defer(fg, flow, k);
    }
}

/* ---- setting them --------------------------------------------------------- */

bool wy_figures_place(WyFigures *fg, WyCursor *cur, bool force)
{
    if (!fg->n)
        return false;
    const WyFloat *f = &fg->queue[0];
    double gap = cur->placed ? fmax(fg->gap_pt, f->before_pt) : 0;
    double room = cur->bottom - cur->y - gap;
    const WyCanvas *c = f->atom.block;
    if (c->height_pt > room + WY_FIT_EPSILON_PT) {
        double scale = scale_to(c, room);
        if (scale >= WY_FIGURE_MIN_SCALE)
            c = scaled_canvas(cur->lc, &f->atom, scale);
        else if (!force)
            return false;
    }
    cur->y += gap;
    if (f->atom.bookmark)
        wy_cursor_mark(cur, f->atom.bookmark, f->atom.bookmark_level, cur->y);
    wy_cursor_copy_canvas(cur, c, cur->x0 + f->atom.x, cur->y);
    cur->y += c->height_pt;
    cur->placed = true;
    fg->gap_pt = f->after_pt;
    fg->n--;
    memmove(fg->queue, fg->queue + 1, fg->n * sizeof *fg->queue);
    return true;
}

void wy_figures_place_top(WyFigures *fg, WyCursor *cur)
{
    while (fg->n && wy_figures_place(fg, cur, !cur->placed))
        ;
}

bool wy_figures_resume(WyFigures *fg, WyCursor *cur, const WyFlow *flow, size_t start)
{
    if (fg->gap_pt <= 0)
        return false;
    double leading = 0;
    for (size_t k = start; k < flow->n && flow->atoms[k].kind == WY_ATOM_GLUE; k++)
        leading += flow->atoms[k].h;
    cur->y += fmax(fg->gap_pt, leading);
    fg->gap_pt = 0;
    return true;
}

static bool waiting(const WyFigures *fg, const WyBox *box)
{
    for (size_t i = 0; i < fg->n; i++)
        if (fg->queue[i].atom.box == box)
            return true;
    return false;
}

/* Sets the picture of F again at WIDTH, from a copy of its box standing
   alone (the flow builder follows `next`). */
static bool remeasure(WyFloat *f, WyLayoutCtx *lc, double width, double max_block_pt)
{
    WyBox *alone = WY_ARENA_NEW(&lc->arena, WyBox);
    *alone = *f->atom.box;
    alone->next = NULL;
    WyFlow *flow = wy_flow_build(lc, alone, width, max_block_pt, WY_FLOW_PAGE);
    if (!flow)
        return false;
    for (size_t k = 0; k < flow->n; k++)
        if (flow->atoms[k].kind == WY_ATOM_BLOCK) {
            f->atom.block = flow->atoms[k].block;
            f->atom.h = flow->atoms[k].h;
            f->atom.x = flow->atoms[k].x;
        }
    return true;
}

bool wy_figures_new_measure(WyFigures *fg, WyLayoutCtx *lc, WyFlow *flow, double width, double max_block_pt)
{
    for (size_t k = 0; k < flow->n;) {
        if (floats(&flow->atoms[k]) && waiting(fg, flow->atoms[k].box))
            wy_flow_remove_block(flow, k);
        else
            k++;
    }
    for (size_t i = 0; i < fg->n; i++)
        if (!remeasure(&fg->queue[i], lc, width, max_block_pt))
            return false;
    return true;
}
