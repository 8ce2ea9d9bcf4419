#include "layout/prelayout.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

/* Below this much paragraph text (bytes) a second thread, its font map and
   its first fonts cost more than they save: about two pages of Chinese. */
#define MIN_TEXT_BYTES 6000

typedef struct Entry {
    double width_pt;
    WyLoc loc;
    WyParaLayout *pl;
} Entry;

struct WyPrelayout {
    WyFonts *fonts;           /* the worker's own font map and context */
    WyParaCtx *para;
    const WyBox **boxes;      /* the top-level boxes, in order */
    size_t n_boxes;
    double width_pt, max_block_pt;
    WyFlowMode mode;
    GThread *thread;          /* NULL once joined */
    GHashTable *made;         /* const WyPara * → GPtrArray of Entry *; the worker's until joined */
    GMutex lock;              /* guards the two fields below */
    size_t main_next;         /* boxes below this are the main thread's */
    size_t worker_low;        /* boxes from this one on are the worker's */
    size_t cut;               /* where the two met (worker_low once joined) */
};

/* ---- what is worth it ---------------------------------------------------- */

static size_t text_bytes(const WyPara *para)
{
    return para && para->text ? strlen(para->text) : 0;
}

/* The paragraph text a box's flattening sets (tables are set later, page
   by page, and are not laid out ahead). */
static size_t box_text(const WyBox *box)
{
    switch (box->kind) {
    case WY_BOX_PARA:
        return text_bytes(&box->u.para);
    case WY_BOX_IMAGE:
        return text_bytes(box->u.image.caption);
    case WY_BOX_FRAME:
    case WY_BOX_COLUMNS:
    case WY_BOX_GRID: {
        size_t n = 0;
        for (const WyBox *c = box->children; c; c = c->next)
            n += box_text(c);
        return n;
    }
    default:
        return 0;
    }
}

/* Whether the list holds enough text to gain from a second thread. */
static bool worth_it(const WyBox *first)
{
    size_t total = 0, n = 0;
    for (const WyBox *b = first; b; b = b->next, n++)
        total += box_text(b);
    return n > 1 && total >= MIN_TEXT_BYTES;
}

static bool threads_off(void)
{
    const char *v = getenv("WENYIN_THREADS");
    return v && strcmp(v, "1") == 0;
}

/* ---- the worker ---------------------------------------------------------- */

static gpointer run(gpointer data)
{
    WyPrelayout *p = data;
    /* what goes wrong here is reported by the main thread, which sets
       these boxes again when it finds no layout for them */
    WyDiag quiet;
    wy_diag_init(&quiet, NULL);
    WyLayoutCtx lc;
    wy_layout_ctx_init(&lc, p->para, &quiet);
    lc.recording = p;
    /* from the last box backwards, each claimed while the main thread has
       not reached it; a box's paragraphs do not depend on the boxes
       before it, so one flattened alone gives the same layouts */
    for (;;) {
        g_mutex_lock(&p->lock);
        bool go = p->worker_low > p->main_next;
        if (go)
            p->worker_low--;
        size_t k = p->worker_low;
        g_mutex_unlock(&p->lock);
        if (!go)
            break;
        wy_flow_build_one(&lc, p->boxes[k], p->width_pt, p->max_block_pt, p->mode);
    }
    wy_layout_ctx_release(&lc);
    wy_diag_release(&quiet);
    return NULL;
}

static void free_entries(gpointer data)
{
    GPtrArray *entries = data;
    for (guint i = 0; i < entries->len; i++) {
        Entry *e = entries->pdata[i];
        wy_para_layout_release(e->pl);
        free(e->pl);
        free(e);
    }
    g_ptr_array_free(entries, TRUE);
}

WyPrelayout *wy_prelayout_start(WyFonts *fonts, const WyBox *first, double width_pt, double max_block_pt,
                                WyFlowMode mode)
{
    if (threads_off() || !worth_it(first))
        return NULL;
    WyFonts *own = wy_fonts_fork(fonts);
    if (!own)
        return NULL;
    WyPrelayout *p = wy_xcalloc(1, sizeof *p);
    p->fonts = own;
    p->para = wy_para_ctx_new(wy_fonts_context(own));
    for (const WyBox *b = first; b; b = b->next)
        p->n_boxes++;
    p->boxes = wy_xmalloc(wy_mul_size(p->n_boxes, sizeof *p->boxes));
    size_t i = 0;
    for (const WyBox *b = first; b; b = b->next)
        p->boxes[i++] = b;
    p->worker_low = p->cut = p->n_boxes;
    g_mutex_init(&p->lock);
    p->width_pt = width_pt;
    p->max_block_pt = max_block_pt;
    p->mode = mode;
    p->made = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_entries);
    p->thread = g_thread_try_new("wenyin-prelayout", run, p, NULL);
    if (!p->thread) {
        wy_prelayout_free(p);
        return NULL;
    }
    return p;
}

void wy_prelayout_join(WyPrelayout *p)
{
    if (p && p->thread) {
        g_mutex_lock(&p->lock);
        p->main_next = p->n_boxes; /* claim nothing more */
        g_mutex_unlock(&p->lock);
        g_thread_join(p->thread);
        p->thread = NULL;
        p->cut = p->worker_low;
    }
}

bool wy_prelayout_arrive(WyPrelayout *p, const WyBox *box)
{
    if (!p || !p->thread)
        return false;
    size_t i = p->main_next;
    if (i >= p->n_boxes || p->boxes[i] != box)
        return false; /* not the next top-level box: another flow's */
    g_mutex_lock(&p->lock);
    bool mine = i < p->worker_low;
    if (mine)
        p->main_next = i + 1;
    g_mutex_unlock(&p->lock);
    if (mine)
        return false;
    wy_prelayout_join(p); /* the worker has this box and those after it */
    return true;
}

size_t wy_prelayout_cut(const WyPrelayout *p)
{
    return p->cut;
}

size_t wy_prelayout_claimed(WyPrelayout *p)
{
    g_mutex_lock(&p->lock);
    size_t low = p->worker_low;
    g_mutex_unlock(&p->lock);
    return low;
}

static bool same_loc(WyLoc a, WyLoc b)
{
    if (a.line != b.line || a.col != b.col)
        return false;
    if (a.file == b.file)
        return true;
    return a.file && b.file && strcmp(a.file, b.file) == 0;
}

WyParaLayout *wy_prelayout_take(WyPrelayout *p, const WyPara *para, double width_pt, WyLoc loc)
{
    if (!p || p->thread)
        return NULL;
    GPtrArray *entries = g_hash_table_lookup(p->made, para);
    if (!entries)
        return NULL;
    for (guint i = 0; i < entries->len; i++) {
        Entry *e = entries->pdata[i];
        if (e->width_pt == width_pt && same_loc(e->loc, loc)) {
            WyParaLayout *pl = e->pl;
            g_ptr_array_remove_index(entries, i);
            free(e);
            return pl;
        }
    }
    return NULL;
}

void wy_prelayout_record(WyPrelayout *p, const WyPara *para, double width_pt, WyLoc loc, WyParaLayout *pl)
{
    GPtrArray *entries = g_hash_table_lookup(p->made, para);
    if (!entries) {
        entries = g_ptr_array_new();
        g_hash_table_insert(p->made, (gpointer)para, entries);
    }
    Entry *e = wy_xmalloc(sizeof *e);
    e->width_pt = width_pt;
    e->loc = loc;
    e->pl = pl;
    g_ptr_array_add(entries, e);
}

void wy_prelayout_free(WyPrelayout *p)
{
    if (!p)
        return;
    wy_prelayout_join(p);
    g_mutex_clear(&p->lock);
    free(p->boxes);
    g_hash_table_destroy(p->made);
    wy_para_ctx_free(p->para);
    wy_fonts_free(p->fonts);
    free(p);
}
