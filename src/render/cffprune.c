#include "render/cffprune.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

/* Limits of the Type 2 charstring format (Adobe TN 5177, appendix B). */
#define MAX_STACK 48
#define MAX_CALL_DEPTH 10

#define OP_RETURN 11

/* ---- INDEX and DICT ------------------------------------------------------- */

typedef struct Index {
    uint32_t count;
    uint8_t off_size;
    size_t offsets; /* position of the offset array */
    size_t data;    /* position of the byte before the first element (offsets count from 1) */
    size_t end;     /* position after the INDEX */
    size_t start;   /* position of its count */
} Index;

typedef struct Font {
    const uint8_t *b;
    size_t len;
} Font;

static bool read_offset(const Font *f, size_t at, uint8_t size, uint32_t *out)
{
    if (size < 1 || size > 4 || at > f->len || f->len - at < size)
        return false;
    uint32_t v = 0;
    for (uint8_t i = 0; i < size; i++)
        v = v << 8 | f->b[at + i];
    *out = v;
    return true;
}

static bool index_read(const Font *f, size_t at, Index *idx)
{
    memset(idx, 0, sizeof *idx);
    idx->start = at;
    if (at > f->len || f->len - at < 2)
        return false;
    idx->count = (uint32_t)f->b[at] << 8 | f->b[at + 1];
    if (idx->count == 0) {
        idx->end = at + 2;
        return true;
    }
    if (f->len - at < 3)
        return false;
    idx->off_size = f->b[at + 2];
    idx->offsets = at + 3;
    if (idx->off_size < 1 || idx->off_size > 4 ||
        (f->len - idx->offsets) / idx->off_size < (size_t)idx->count + 1)
        return false;
    idx->data = idx->offsets + ((size_t)idx->count + 1) * idx->off_size - 1;
    uint32_t last;
    if (!read_offset(f, idx->offsets + (size_t)idx->count * idx->off_size, idx->off_size, &last) || last < 1 ||
        f->len - idx->data < last)
        return false;
    idx->end = idx->data + last;
    return true;
}

/* Element I of IDX as [*start, *end). */
static bool index_item(const Font *f, const Index *idx, uint32_t i, size_t *start, size_t *end)
{
    uint32_t a, b;
    if (i >= idx->count || !read_offset(f, idx->offsets + (size_t)i * idx->off_size, idx->off_size, &a) ||
        !read_offset(f, idx->offsets + ((size_t)i + 1) * idx->off_size, idx->off_size, &b) || a < 1 || b < a ||
        idx->data + b > idx->end)
        return false;
    *start = idx->data + a;
    *end = idx->data + b;
    return true;
}

/* The operands of one DICT operator, as integers (reals are refused where
   an offset is wanted). */
typedef struct DictEntry {
    int op; /* 0–21, or 1200 + the second byte of an escape */
    long operands[4];
    int n;
    bool real;
} DictEntry;

/* Calls FOUND for each operator of the DICT [start, end). */
static bool dict_walk(const Font *f, size_t start, size_t end, bool (*found)(const DictEntry *, void *), void *ctx)
{
    DictEntry e = {0};
    size_t p = start;
    while (p < end) {
        uint8_t b = f->b[p];
        long v = 0;
        if (b <= 21) {
            e.op = b;
            p++;
            if (b == 12) {
                if (p >= end)
                    return false;
                e.op = 1200 + f->b[p++];
            }
            if (!found(&e, ctx))
                return false;
            memset(&e, 0, sizeof e);
            continue;
        }
        if (b == 28) {
            if (end - p < 3)
                return false;
            v = (int16_t)(f->b[p + 1] << 8 | f->b[p + 2]);
            p += 3;
        } else if (b == 29) {
            if (end - p < 5)
                return false;
            v = (int32_t)((uint32_t)f->b[p + 1] << 24 | (uint32_t)f->b[p + 2] << 16 | (uint32_t)f->b[p + 3] << 8 |
                          f->b[p + 4]);
            p += 5;
        } else if (b == 30) {
            /* a real: nibbles up to the end marker 0xf */
            p++;
            for (;;) {
                if (p >= end)
                    return false;
                uint8_t n = f->b[p++];
                if ((n & 0x0f) == 0x0f || (n >> 4) == 0x0f)
                    break;
            }
            e.real = true;
        } else if (b >= 32 && b <= 246) {
            v = (long)b - 139;
            p++;
        } else if (b >= 247 && b <= 250) {
            if (end - p < 2)
                return false;
            v = ((long)b - 247) * 256 + f->b[p + 1] + 108;
            p += 2;
        } else if (b >= 251 && b <= 254) {
            if (end - p < 2)
                return false;
            v = -((long)b - 251) * 256 - f->b[p + 1] - 108;
            p += 2;
        } else {
            return false; /* 22–27, 31, 255: reserved */
        }
        if (e.n < 4)
            e.operands[e.n] = v;
        e.n++;
    }
    return true;
}

/* ---- the font's structure ------------------------------------------------ */

typedef struct Subrs {
    Index index;     /* count 0 when there are none */
    int bias;
    uint8_t *used;
} Subrs;

/* A byte range [start, end) the walk read as structure or as a called
   charstring: emptying never writes into one. */
typedef struct Range {
    size_t start, end;
} Range;

typedef struct Cff {
    Font f;
    Range *kept;
    size_t n_kept, cap_kept;
    Index charstrings;
    Subrs global;
    Subrs *local;    /* one per font DICT (one for a font that is not CID-keyed) */
    size_t n_local;
    size_t fdselect; /* position of FDSelect; 0 when not CID-keyed */
} Cff;

typedef struct TopDict {
    long charstrings, fdarray, fdselect, private_size, private_offset, charstring_type, charset, encoding;
    bool has_private, bad;
} TopDict;

static bool offset_ok(const DictEntry *e, int n)
{
    return !e->real && e->n == n && e->operands[n - 1] >= 0;
}

/* The one offset operand of E; a missing or real one makes T bad. */
static long one_offset(const DictEntry *e, TopDict *t)
{
    t->bad |= !offset_ok(e, 1);
    return e->operands[0];
}

static bool top_entry(const DictEntry *e, void *ctx)
{
    TopDict *t = ctx;
    switch (e->op) {
    case 17:
        t->charstrings = one_offset(e, t);
        break;
    case 18:
        t->bad |= !offset_ok(e, 2) || e->operands[0] < 0;
        t->private_size = e->operands[0];
        t->private_offset = e->operands[1];
        t->has_private = true;
        break;
    case 1236:
        t->fdarray = one_offset(e, t);
        break;
    case 1237:
        t->fdselect = one_offset(e, t);
        break;
    case 1206:
        t->charstring_type = e->operands[0];
        break;
    case 15:
        t->charset = one_offset(e, t);
        break;
    case 16:
        t->encoding = one_offset(e, t);
        break;
    default:
        break;
    }
    return true;
}

typedef struct PrivateDict {
    long subrs;
    bool has_subrs, bad;
} PrivateDict;

static bool private_entry(const DictEntry *e, void *ctx)
{
    PrivateDict *pd = ctx;
    if (e->op == 19) {
        pd->bad |= !offset_ok(e, 1);
        pd->subrs = e->operands[0];
        pd->has_subrs = true;
    }
    return true;
}

static int bias_for(uint32_t count)
{
    return count < 1240 ? 107 : count < 33900 ? 1131 : 32768;
}

static void keep(Cff *c, size_t start, size_t end)
{
    if (end <= start)
        return;
    if (c->n_kept == c->cap_kept) {
        c->cap_kept = c->cap_kept ? c->cap_kept * 2 : 64;
        c->kept = wy_xrealloc(c->kept, wy_mul_size(c->cap_kept, sizeof *c->kept));
    }
    c->kept[c->n_kept++] = (Range){start, end};
}

/* An INDEX's count, offsets and (WHOLE) its elements too. */
static void keep_index(Cff *c, const Index *idx, bool whole)
{
    keep(c, idx->start, whole || !idx->count ? idx->end : idx->data + 1);
}

static void subrs_init(Subrs *s)
{
    s->bias = bias_for(s->index.count);
    s->used = s->index.count ? wy_xcalloc(s->index.count, 1) : NULL;
}

/* The local subroutines of the Private DICT of SIZE bytes at OFFSET. */
static bool read_private(Cff *c, long size, long offset, Subrs *out)
{
    memset(out, 0, sizeof *out);
    if (size < 0 || offset < 0 || (size_t)offset > c->f.len || c->f.len - (size_t)offset < (size_t)size)
        return false;
    PrivateDict pd = {0};
    if (!dict_walk(&c->f, (size_t)offset, (size_t)offset + (size_t)size, private_entry, &pd) || pd.bad)
        return false;
    keep(c, (size_t)offset, (size_t)offset + (size_t)size);
    if (pd.has_subrs && !index_read(&c->f, (size_t)(offset + pd.subrs), &out->index))
        return false;
    keep_index(c, &out->index, false);
    subrs_init(out);
    return true;
}

static bool font_dicts(Cff *c, const TopDict *t)
{
    if (t->fdarray > 0) {
        Index fds;
        if (t->fdselect <= 0 || !index_read(&c->f, (size_t)t->fdarray, &fds) || fds.count == 0 || fds.count > 256)
            return false;
        keep_index(c, &fds, true);
        c->fdselect = (size_t)t->fdselect;
        c->n_local = fds.count;
        c->local = wy_xcalloc(fds.count, sizeof *c->local);
        for (uint32_t i = 0; i < fds.count; i++) {
            size_t s, e;
            TopDict fd = {0};
            if (!index_item(&c->f, &fds, i, &s, &e) || !dict_walk(&c->f, s, e, top_entry, &fd) || fd.bad ||
                !fd.has_private || !read_private(c, fd.private_size, fd.private_offset, &c->local[i]))
                return false;
        }
        return true;
    }
    c->n_local = 1;
    c->local = wy_xcalloc(1, sizeof *c->local);
    if (!t->has_private)
        return true; /* no Private DICT: no local subroutines */
    return read_private(c, t->private_size, t->private_offset, &c->local[0]);
}

/* The charset at OFFSET (0–2: predefined, nothing in the font). */
static bool keep_charset(Cff *c, long offset)
{
    if (offset <= 2)
        return true;
    const Font *f = &c->f;
    size_t p = (size_t)offset, need = c->charstrings.count - 1, covered = 0;
    if (p >= f->len)
        return false;
    uint8_t format = f->b[p++];
    if (format == 0) {
        if ((f->len - p) / 2 < need)
            return false;
        keep(c, (size_t)offset, p + 2 * need);
        return true;
    }
    if (format != 1 && format != 2)
        return false;
    size_t range = format == 1 ? 3 : 4;
    while (covered < need) {
        if (f->len - p < range)
            return false;
        size_t left = format == 1 ? f->b[p + 2] : (size_t)f->b[p + 2] << 8 | f->b[p + 3];
        covered += left + 1;
        p += range;
    }
    keep(c, (size_t)offset, p);
    return true;
}

/* A custom encoding at OFFSET (0 and 1 are predefined). */
static bool keep_encoding(Cff *c, long offset)
{
    if (offset <= 1)
        return true;
    const Font *f = &c->f;
    size_t p = (size_t)offset;
    if (f->len - p < 2 || p >= f->len)
        return false;
    uint8_t format = f->b[p];
    size_t n = f->b[p + 1], body = (format & 0x7f) == 0 ? n : (format & 0x7f) == 1 ? 2 * n : SIZE_MAX;
    if (body == SIZE_MAX || f->len - p - 2 < body)
        return false;
    p += 2 + body;
    if (format & 0x80) {
        if (p >= f->len || (f->len - p - 1) / 3 < f->b[p])
            return false;
        p += 1 + 3 * (size_t)f->b[p];
    }
    keep(c, (size_t)offset, p);
    return true;
}

static bool keep_fdselect(Cff *c)
{
    const Font *f = &c->f;
    size_t p = c->fdselect;
    if (p >= f->len)
        return false;
    if (f->b[p] == 0) {
        if (f->len - p - 1 < c->charstrings.count)
            return false;
        keep(c, p, p + 1 + c->charstrings.count);
        return true;
    }
    if (f->b[p] != 3 || f->len - p < 3)
        return false;
    size_t n = (size_t)f->b[p + 1] << 8 | f->b[p + 2];
    if ((f->len - p - 3) / 3 < n || f->len - p - 3 - 3 * n < 2)
        return false;
    keep(c, p, p + 3 + 3 * n + 2);
    return true;
}

static bool parse(Cff *c)
{
    const Font *f = &c->f;
    if (f->len < 4 || f->b[0] != 1 || f->b[2] < 4)
        return false;
    Index names, tops, strings;
    if (!index_read(f, f->b[2], &names) || !index_read(f, names.end, &tops) || tops.count != 1 ||
        !index_read(f, tops.end, &strings) || !index_read(f, strings.end, &c->global.index))
        return false;
    keep(c, 0, strings.end); /* header, names, top DICT, strings */
    keep_index(c, &c->global.index, false);
    subrs_init(&c->global);
    size_t s, e;
    TopDict t = {.charstring_type = 2};
    if (!index_item(f, &tops, 0, &s, &e) || !dict_walk(f, s, e, top_entry, &t) || t.bad ||
        t.charstring_type != 2 || t.charstrings <= 0 ||
        !index_read(f, (size_t)t.charstrings, &c->charstrings) || c->charstrings.count == 0)
        return false;
    keep_index(c, &c->charstrings, true);
    if (!keep_charset(c, t.charset) || !keep_encoding(c, t.encoding) || !font_dicts(c, &t))
        return false;
    return !c->fdselect || keep_fdselect(c);
}

/* The font DICT glyph GID uses (FDSelect's bounds were checked by
   keep_fdselect); -1 when no range holds it. */
static long fd_of(const Cff *c, uint32_t gid)
{
    if (!c->fdselect)
        return 0;
    const uint8_t *p = c->f.b + c->fdselect;
    if (p[0] == 0)
        return p[1 + gid];
    uint32_t n = (uint32_t)p[1] << 8 | p[2];
    for (const uint8_t *r = p + 3; n--; r += 3) {
        uint32_t first = (uint32_t)r[0] << 8 | r[1];
        uint32_t next = (uint32_t)r[3] << 8 | r[4]; /* the next range's first, or the sentinel */
        if (gid >= first && gid < next)
            return r[2];
    }
    return -1;
}

/* ---- walking charstrings --------------------------------------------------- */

typedef struct Walk {
    Cff *c;
    Subrs *local;
    long stack[MAX_STACK];
    bool is_int[MAX_STACK];
    int sp;
    int hints;
    int depth;
    bool ended;  /* endchar: the glyph is done, whatever the depth */
    bool failed;
} Walk;

static void push(Walk *w, long v, bool is_int)
{
    if (w->sp == MAX_STACK) {
        w->failed = true;
        return;
    }
    w->stack[w->sp] = v;
    w->is_int[w->sp] = is_int;
    w->sp++;
}

static void run(Walk *w, size_t start, size_t end);

static void call(Walk *w, Subrs *s)
{
    if (w->sp < 1 || !w->is_int[w->sp - 1] || w->depth >= MAX_CALL_DEPTH) {
        w->failed = true;
        return;
    }
    long i = w->stack[--w->sp] + s->bias;
    size_t start, end;
    if (i < 0 || (uint32_t)i >= s->index.count || !index_item(&w->c->f, &s->index, (uint32_t)i, &start, &end)) {
        w->failed = true;
        return;
    }
    s->used[i] = 1;
    w->depth++;
    run(w, start, end);
    w->depth--;
}

/* Escape operators: only the flex family and the obsolete dotsection,
   which clear the stack; the arithmetic and storage ones could compute a
   subroutine number, so the walk gives up on them. */
static void escape(Walk *w, uint8_t op)
{
    if (op == 0 || (op >= 34 && op <= 37))
        w->sp = 0;
    else
        w->failed = true;
}

static void run(Walk *w, size_t p, size_t end)
{
    const uint8_t *b = w->c->f.b;
    while (p < end && !w->ended && !w->failed) {
        uint8_t op = b[p];
        if (op == 28) {
            if (end - p < 3) {
                w->failed = true;
                break;
            }
            push(w, (int16_t)(b[p + 1] << 8 | b[p + 2]), true);
            p += 3;
        } else if (op >= 32 && op <= 246) {
            push(w, (long)op - 139, true);
            p++;
        } else if (op >= 247 && op <= 254) {
            if (end - p < 2) {
                w->failed = true;
                break;
            }
            long v = ((long)(op >= 251 ? op - 251 : op - 247)) * 256 + b[p + 1] + 108;
            push(w, op >= 251 ? -v : v, true);
            p += 2;
        } else if (op == 255) {
            if (end - p < 5) {
                w->failed = true;
                break;
            }
            push(w, 0, false); /* 16.16 fixed */
            p += 5;
        } else {
            p++;
            switch (op) {
            case 1: case 3: case 18: case 23: /* stems */
                w->hints += w->sp / 2;
                w->sp = 0;
                break;
            case 19: case 20: /* hintmask, cntrmask: operands left are an implied vstem */
                w->hints += w->sp / 2;
                w->sp = 0;
                p += (size_t)(w->hints + 7) / 8;
                break;
            case 10:
                call(w, w->local);
                break;
            case 29:
                call(w, &w->c->global);
                break;
            case OP_RETURN:
                return;
            case 14: /* endchar */
                w->ended = true;
                return;
            case 12:
                if (p >= end) {
                    w->failed = true;
                    return;
                }
                escape(w, b[p++]);
                break;
            case 0: case 2: case 9: case 13: case 15: case 16: case 17:
                w->failed = true; /* reserved */
                break;
            default: /* path operators */
                w->sp = 0;
                break;
            }
        }
    }
    if (p > end)
        w->failed = true; /* a hintmask ran past the charstring */
}

static bool walk_glyphs(Cff *c)
{
    for (uint32_t gid = 0; gid < c->charstrings.count; gid++) {
        long fd = fd_of(c, gid);
        size_t start, end;
        if (fd < 0 || (size_t)fd >= c->n_local || !index_item(&c->f, &c->charstrings, gid, &start, &end))
            return false;
        Walk w = {.c = c, .local = &c->local[fd]};
        run(&w, start, end);
        if (w.failed)
            return false;
    }
    return true;
}

/* ---- emptying ------------------------------------------------------------- */

/* A `return` and nothing after it but zeros. */
static bool is_empty(const uint8_t *subr, size_t len)
{
    if (subr[0] != OP_RETURN)
        return false;
    for (size_t i = 1; i < len; i++)
        if (subr[i])
            return false;
    return true;
}

static int by_start(const void *a, const void *b)
{
    const Range *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Every range the walk read, and every subroutine it called, sorted and
   merged: what emptying must not write into, however the font's parts
   overlap (two font DICTs may share one subroutine INDEX). */
static void keep_used(Cff *c, const Subrs *s)
{
    for (uint32_t i = 0; i < s->index.count; i++) {
        size_t start, end;
        if (s->used[i] && index_item(&c->f, &s->index, i, &start, &end))
            keep(c, start, end);
    }
}

static void merge_kept(Cff *c)
{
    if (!c->n_kept)
        return;
    qsort(c->kept, c->n_kept, sizeof *c->kept, by_start);
    size_t n = 0;
    for (size_t i = 1; i < c->n_kept; i++) {
        if (c->kept[i].start <= c->kept[n].end) {
            if (c->kept[i].end > c->kept[n].end)
                c->kept[n].end = c->kept[i].end;
        } else {
            c->kept[++n] = c->kept[i];
        }
    }
    c->n_kept = n + 1;
}

static bool touches_kept(const Cff *c, size_t start, size_t end)
{
    size_t lo = 0, hi = c->n_kept;
    while (lo < hi) { /* the first kept range ending after START */
        size_t mid = lo + (hi - lo) / 2;
        if (c->kept[mid].end <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n_kept && c->kept[lo].start < end;
}

/* An unused subroutine that may be emptied. */
typedef struct Candidate {
    size_t start, end;
    bool overlaps;   /* shares bytes with another candidate (of another INDEX): left alone */
} Candidate;

static void add_candidates(const Cff *c, const Subrs *s, Candidate **list, size_t *n, size_t *cap)
{
    for (uint32_t i = 0; i < s->index.count; i++) {
        size_t start, end;
        if (s->used[i] || !index_item(&c->f, &s->index, i, &start, &end) || end == start)
            continue;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 256;
            *list = wy_xrealloc(*list, wy_mul_size(*cap, sizeof **list));
        }
        (*list)[(*n)++] = (Candidate){start, end, false};
    }
}

static int candidate_by_start(const void *a, const void *b)
{
    const Candidate *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Empties every unused subroutine that shares no byte with what the walk
   read, nor with another unused one, and is not empty already. */
static long empty_unused(uint8_t *cff, const Cff *c)
{
    Candidate *list = NULL;
    size_t n = 0, cap = 0;
    add_candidates(c, &c->global, &list, &n, &cap);
    for (size_t i = 0; i < c->n_local; i++)
        add_candidates(c, &c->local[i], &list, &n, &cap);
    if (n)
        qsort(list, n, sizeof *list, candidate_by_start);
    size_t reach = 0, last = SIZE_MAX; /* the furthest end so far, and whose */
    for (size_t i = 0; i < n; i++) {
        if (last != SIZE_MAX && list[i].start < reach) {
            list[i].overlaps = true;
            list[last].overlaps = true;
        }
        if (list[i].end > reach || last == SIZE_MAX) {
            reach = list[i].end;
            last = i;
        }
    }
    long emptied = 0;
    for (size_t i = 0; i < n; i++) {
        size_t start = list[i].start, end = list[i].end;
        if (list[i].overlaps || is_empty(cff + start, end - start) || touches_kept(c, start, end))
            continue;
        cff[start] = OP_RETURN;
        memset(cff + start + 1, 0, end - start - 1);
        emptied++;
    }
    free(list);
    return emptied;
}

static void release(Cff *c)
{
    free(c->kept);
    free(c->global.used);
    for (size_t i = 0; i < c->n_local; i++)
        free(c->local[i].used);
    free(c->local);
}

long wy_cff_prune_subrs(uint8_t *cff, size_t len)
{
    Cff c = {.f = {cff, len}};
    long emptied = -1;
    if (parse(&c) && walk_glyphs(&c)) {
        keep_used(&c, &c.global);
        for (size_t i = 0; i < c.n_local; i++)
            keep_used(&c, &c.local[i]);
        merge_kept(&c);
        emptied = empty_unused(cff, &c);
    }
    release(&c);
    return emptied;
}
