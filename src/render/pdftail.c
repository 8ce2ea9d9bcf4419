#include "render/pdftail.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <zlib.h>

#include "base/mem.h"
#include "render/cffprune.h"

#define XREF_ENTRY_BYTES 20
/* How far after `N 0 obj` a font stream's dictionary may end. */
#define MAX_DICT_BYTES 512
/* A CFF font inflates to at most this many times its compressed size
   before it is refused (a safeguard: cairo's own streams come nowhere near). */
#define MAX_INFLATE_FACTOR 64

/* zlib's level for the shrunk fonts: half the time of the default level
   (6), for 4% more bytes (Noto Serif CJK's subset: 377 KB against 362).
   The fonts are compressed a second time here, at the end of the run. */
#define FONT_COMPRESSION 2

/* One change to the tail: OLD_LEN bytes at tail position AT become NEW. */
typedef struct Edit {
    size_t at, old_len;
    unsigned char *bytes;
    size_t len;
} Edit;

typedef struct Tail {
    const char *t;
    size_t n, base;
    size_t *offsets; /* per object number, absolute; 0 when free */
    char (*gens)[6]; /* the generation field of each entry, as written */
    char *kinds;     /* 'n' or 'f' */
    size_t count;
    size_t xref;     /* absolute offset of `xref` */
    size_t startxref;/* tail position of `startxref` */
    size_t table_end;/* tail position after the last entry */
    Edit *edits;
    size_t n_edits, cap_edits;
    GPtrArray *jobs;  /* shrunk ahead (Job *); NULL when none */
} Tail;

static bool parse_size(const char *s, size_t n, size_t *out, size_t *used)
{
    size_t i = 0, v = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        if (v > (SIZE_MAX - 9) / 10)
            return false;
        v = v * 10 + (size_t)(s[i] - '0');
        i++;
    }
    if (i == 0)
        return false;
    *out = v;
    *used = i;
    return true;
}

static bool starts(const Tail *tl, size_t at, const char *word)
{
    size_t k = strlen(word);
    return at <= tl->n && tl->n - at >= k && memcmp(tl->t + at, word, k) == 0;
}

/* startxref and the one cross-reference section cairo writes. */
static bool read_xref(Tail *tl)
{
    /* cairo ends with "startxref\nOFFSET\n%%EOF\n" */
    const char *key = "startxref\n", *eof = "\n%%EOF\n";
    size_t from = tl->n > 64 ? tl->n - 64 : 0, at = SIZE_MAX;
    for (size_t i = from; i + strlen(key) <= tl->n; i++)
        if (memcmp(tl->t + i, key, strlen(key)) == 0)
            at = i;
    size_t used, count;
    if (at == SIZE_MAX || !parse_size(tl->t + at + strlen(key), tl->n - at - strlen(key), &tl->xref, &used) ||
        at + strlen(key) + used + strlen(eof) != tl->n || !starts(tl, at + strlen(key) + used, eof) ||
        tl->xref < tl->base || tl->xref - tl->base >= tl->n)
        return false;
    tl->startxref = at;
    size_t p = tl->xref - tl->base;
    if (!starts(tl, p, "xref\n0 "))
        return false;
    p += 7;
    if (!parse_size(tl->t + p, tl->n - p, &count, &used) || count == 0 || count > 10000000)
        return false;
    p += used;
    if (!starts(tl, p, "\n") || (tl->n - p - 1) / XREF_ENTRY_BYTES < count)
        return false;
    p++;
    tl->count = count;
    tl->offsets = wy_xcalloc(count, sizeof *tl->offsets);
    tl->gens = wy_xcalloc(count, sizeof *tl->gens);
    tl->kinds = wy_xcalloc(count, 1);
    for (size_t i = 0; i < count; i++, p += XREF_ENTRY_BYTES) {
        const char *e = tl->t + p;
        size_t off;
        if (!parse_size(e, 10, &off, &used) || used != 10 || e[10] != ' ' || e[16] != ' ' ||
            (e[17] != 'n' && e[17] != 'f') || e[18] != ' ' || e[19] != '\n')
            return false;
        memcpy(tl->gens[i], e + 11, 5);
        tl->kinds[i] = e[17];
        tl->offsets[i] = e[17] == 'n' ? off : 0;
    }
    tl->table_end = p;
    return tl->startxref >= p; /* the trailer lies between the two */
}

static void add_edit(Tail *tl, size_t at, size_t old_len, unsigned char *bytes, size_t len)
{
    if (tl->n_edits == tl->cap_edits) {
        tl->cap_edits = tl->cap_edits ? tl->cap_edits * 2 : 8;
        tl->edits = wy_xrealloc(tl->edits, wy_mul_size(tl->cap_edits, sizeof *tl->edits));
    }
    tl->edits[tl->n_edits++] = (Edit){at, old_len, bytes, len};
}

/* The tail position of object NUM's first byte after `NUM 0 obj\n`; 0
   when it is not in the tail or not where the table says. */
static size_t object_body(const Tail *tl, size_t num)
{
    if (num >= tl->count || tl->kinds[num] != 'n' || tl->offsets[num] < tl->base)
        return 0;
    size_t p = tl->offsets[num] - tl->base;
    char head[32];
    snprintf(head, sizeof head, "%zu 0 obj\n", num);
    return starts(tl, p, head) ? p + strlen(head) : 0;
}

static bool dict_has(const char *dict, size_t len, const char *key)
{
    size_t k = strlen(key);
    for (size_t i = 0; i + k <= len; i++)
        if (memcmp(dict + i, key, k) == 0)
            return true;
    return false;
}

static unsigned char *inflate_all(const unsigned char *in, size_t len, size_t *out_len)
{
    size_t cap = len * 4 + 1024, max = len * MAX_INFLATE_FACTOR + 1024;
    unsigned char *out = wy_xmalloc(cap);
    z_stream z = {0};
    if (inflateInit(&z) != Z_OK) {
        free(out);
        return NULL;
    }
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)len;
    int rc = Z_OK;
    while (rc == Z_OK) {
        if (z.total_out == cap) {
            if (cap >= max)
                break;
            cap = cap * 2 > max ? max : cap * 2;
            out = wy_xrealloc(out, cap);
        }
        z.next_out = out + z.total_out;
        z.avail_out = (uInt)(cap - z.total_out);
        rc = inflate(&z, Z_NO_FLUSH);
    }
    *out_len = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

static unsigned char *deflate_all(const unsigned char *in, size_t len, size_t *out_len)
{
    uLongf cap = compressBound((uLong)len);
    unsigned char *out = wy_xmalloc(cap);
    if (compress2(out, &cap, in, (uLong)len, FONT_COMPRESSION) != Z_OK) {
        free(out);
        return NULL;
    }
    *out_len = cap;
    return out;
}

/* The Flate stream DATA (LEN bytes) of a CFF font, its unused subroutines
   emptied, compressed again; NULL when that gains nothing. */
static unsigned char *shrunk_stream(const unsigned char *data, size_t len, size_t *out_len)
{
    size_t cff_len;
    unsigned char *cff = inflate_all(data, len, &cff_len);
    if (!cff)
        return NULL;
    unsigned char *packed = NULL;
    if (wy_cff_prune_subrs(cff, cff_len) > 0)
        packed = deflate_all(cff, cff_len, out_len);
    free(cff);
    if (packed && *out_len >= len) {
        free(packed);
        packed = NULL;
    }
    return packed;
}

/* ---- shrinking ahead ------------------------------------------------------ */

/* A font stream spotted while cairo was still writing the rest, shrunk on
   a thread of its own. */
typedef struct Job {
    size_t at, len;        /* its data, in tail positions */
    unsigned char *in;     /* a copy of the data */
    GThread *thread;       /* NULL once joined, or when none could start */
    unsigned char *out;    /* the shrunk stream; NULL when nothing is gained */
    size_t out_len;
} Job;

struct WyPdfTail {
    WyBuf buf;
    size_t scan;           /* where the search for font streams goes on */
    size_t open;           /* data start of a font stream whose end has not come yet; 0 = none */
    GPtrArray *jobs;       /* Job * */
};

static gpointer run_job(gpointer data)
{
    Job *job = data;
    job->out = shrunk_stream(job->in, job->len, &job->out_len);
    return NULL;
}

static void free_job(gpointer data)
{
    Job *job = data;
    if (job->thread)
        g_thread_join(job->thread);
    free(job->in);
    free(job->out);
    free(job);
}

/* The finished job for the stream at AT of LEN bytes; NULL when none (a
   stream spotted wrongly, or missed, is shrunk on the spot). */
static Job *find_job(GPtrArray *jobs, size_t at, size_t len)
{
    for (guint i = 0; jobs && i < jobs->len; i++) {
        Job *job = jobs->pdata[i];
        if (job->at == at && job->len == len) {
            if (job->thread) {
                g_thread_join(job->thread);
                job->thread = NULL;
            }
            return job;
        }
    }
    return NULL;
}

/* Object NUM, when it is a Flate-compressed CFF font: its stream shrunk,
   as two edits (the data, and the number in its /Length object). */
static void shrink_font(Tail *tl, size_t num)
{
    size_t p = object_body(tl, num);
    if (!p || !starts(tl, p, "<<"))
        return;
    const char *dict = tl->t + p;
    size_t limit = tl->n - p < MAX_DICT_BYTES ? tl->n - p : MAX_DICT_BYTES, end = 0;
    for (size_t i = 0; i + 10 <= limit && memcmp(dict + i, "endobj", 6) != 0; i++)
        if (memcmp(dict + i, ">>\nstream\n", 10) == 0) {
            end = i;
            break;
        }
    if (!end || !(dict_has(dict, end, "/Subtype /CIDFontType0C") || dict_has(dict, end, "/Subtype /Type1C")) ||
        !dict_has(dict, end, "/Filter /FlateDecode"))
        return;
    size_t length_obj = 0, used = 0;
    for (size_t i = 0; i + 8 < end; i++)
        if (memcmp(dict + i, "/Length ", 8) == 0 && parse_size(dict + i + 8, end - i - 8, &length_obj, &used))
            break;
    size_t lp = length_obj ? object_body(tl, length_obj) : 0, len;
    if (!lp || !starts(tl, lp, "   ") || !parse_size(tl->t + lp + 3, tl->n - lp - 3, &len, &used) ||
        !starts(tl, lp + 3 + used, "\nendobj"))
        return;
    size_t data = p + end + 10;
    if (tl->n - data < len || !starts(tl, data + len, "\nendstream"))
        return;
    size_t packed_len = 0;
    unsigned char *packed = NULL;
    Job *job = find_job(tl->jobs, data, len);
    if (job) {
        packed = job->out;
        packed_len = job->out_len;
        job->out = NULL;
    } else {
        packed = shrunk_stream((const unsigned char *)tl->t + data, len, &packed_len);
    }
    if (!packed)
        return;
    char digits[32];
    int nd = snprintf(digits, sizeof digits, "%zu", packed_len);
    add_edit(tl, data, len, packed, packed_len);
    add_edit(tl, lp + 3, used, (unsigned char *)wy_xstrdup(digits), (size_t)nd);
}

static int by_position(const void *a, const void *b)
{
    const Edit *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* How far a byte at tail position AT moves. */
static long long shift_at(const Tail *tl, size_t at)
{
    long long d = 0;
    for (size_t i = 0; i < tl->n_edits && tl->edits[i].at < at; i++)
        d += (long long)tl->edits[i].len - (long long)tl->edits[i].old_len;
    return d;
}

/* Sorted edits that neither overlap nor reach the cross-reference table. */
static bool edits_apart(const Tail *tl)
{
    size_t end = 0;
    for (size_t i = 0; i < tl->n_edits; i++) {
        if (tl->edits[i].at < end)
            return false;
        end = tl->edits[i].at + tl->edits[i].old_len;
    }
    return end <= tl->xref - tl->base;
}

static void rebuild(Tail *tl, WyBuf *out)
{
    size_t xref_at = tl->xref - tl->base, p = 0;
    for (size_t i = 0; i < tl->n_edits; i++) {
        const Edit *e = &tl->edits[i];
        wy_buf_append(out, tl->t + p, e->at - p);
        wy_buf_append(out, (const char *)e->bytes, e->len);
        p = e->at + e->old_len;
    }
    wy_buf_append(out, tl->t + p, xref_at - p);
    wy_buf_printf(out, "xref\n0 %zu\n", tl->count);
    for (size_t i = 0; i < tl->count; i++) {
        size_t off = tl->offsets[i];
        if (tl->kinds[i] == 'n' && off >= tl->base)
            off = (size_t)((long long)off + shift_at(tl, off - tl->base));
        wy_buf_printf(out, "%010zu %.5s %c \n", off, tl->gens[i], tl->kinds[i]);
    }
    wy_buf_append(out, tl->t + tl->table_end, tl->startxref - tl->table_end);
    wy_buf_printf(out, "startxref\n%zu\n%%%%EOF\n", (size_t)((long long)tl->xref + shift_at(tl, xref_at)));
}

static void release(Tail *tl)
{
    for (size_t i = 0; i < tl->n_edits; i++)
        free(tl->edits[i].bytes);
    free(tl->edits);
    free(tl->offsets);
    free(tl->gens);
    free(tl->kinds);
}

static size_t shrink_tail(WyBuf *tail, size_t base, GPtrArray *jobs)
{
    Tail tl = {.t = tail->data, .n = tail->len, .base = base, .jobs = jobs};
    size_t saved = 0;
    if (tl.t && read_xref(&tl)) {
        for (size_t num = 1; num < tl.count; num++)
            shrink_font(&tl, num);
        if (tl.n_edits)
            qsort(tl.edits, tl.n_edits, sizeof *tl.edits, by_position);
        if (tl.n_edits && edits_apart(&tl)) {
            WyBuf out;
            wy_buf_init(&out);
            rebuild(&tl, &out);
            if (out.len < tail->len) {
                saved = tail->len - out.len;
                WyBuf old = *tail;
                *tail = out;
                wy_buf_release(&old);
            } else {
                wy_buf_release(&out);
            }
        }
    }
    release(&tl);
    return saved;
}

size_t wy_pdf_tail_shrink_fonts(WyBuf *tail, size_t base)
{
    return shrink_tail(tail, base, NULL);
}

/* cairo ends a CFF font's stream dictionary with its /Subtype. */
static const char *const FONT_STREAM_STARTS[] = {"/Subtype /CIDFontType0C\n>>\nstream\n",
                                                 "/Subtype /Type1C\n>>\nstream\n"};
static const char STREAM_END[] = "\nendstream\nendobj\n";

WyPdfTail *wy_pdf_tail_new(void)
{
    WyPdfTail *t = wy_xcalloc(1, sizeof *t);
    wy_buf_init(&t->buf);
    t->jobs = g_ptr_array_new_with_free_func(free_job);
    return t;
}

static bool find_from(const WyBuf *b, size_t from, const char *needle, size_t *at)
{
    size_t k = strlen(needle);
    if (from >= b->len)
        return false;
    const char *hit = memmem(b->data + from, b->len - from, needle, k);
    if (hit)
        *at = (size_t)(hit - b->data);
    return hit != NULL;
}

static void start_job(WyPdfTail *t, size_t at, size_t len)
{
    Job *job = wy_xcalloc(1, sizeof *job);
    job->at = at;
    job->len = len;
    job->in = wy_xmalloc(len ? len : 1);
    memcpy(job->in, t->buf.data + at, len);
    job->thread = g_thread_try_new("wenyin-font", run_job, job, NULL);
    if (job->thread)
        g_ptr_array_add(t->jobs, job);
    else
        free_job(job);
}

/* Looks for font streams completed by the bytes just added. */
static void spot_fonts(WyPdfTail *t)
{
    for (;;) {
        size_t at;
        if (!t->open) {
            size_t best = SIZE_MAX, best_len = 0;
            for (size_t i = 0; i < sizeof FONT_STREAM_STARTS / sizeof FONT_STREAM_STARTS[0]; i++)
                if (find_from(&t->buf, t->scan, FONT_STREAM_STARTS[i], &at) && at < best) {
                    best = at;
                    best_len = strlen(FONT_STREAM_STARTS[i]);
                }
            if (best == SIZE_MAX)
                break;
            t->open = best + best_len;
            t->scan = t->open;
        }
        if (!find_from(&t->buf, t->scan, STREAM_END, &at))
            break;
        start_job(t, t->open, at - t->open);
        t->scan = at + strlen(STREAM_END);
        t->open = 0;
    }
    /* a marker may straddle the next append: look again from a little before the end */
    size_t keep = 64;
    if (!t->open && t->buf.len > keep && t->scan < t->buf.len - keep)
        t->scan = t->buf.len - keep;
    if (t->open && t->buf.len > keep && t->scan < t->buf.len - keep)
        t->scan = t->buf.len - keep;
}

bool wy_pdf_tail_append(WyPdfTail *t, const void *data, size_t len)
{
    if (!wy_buf_append(&t->buf, data, len))
        return false;
    spot_fonts(t);
    return true;
}

size_t wy_pdf_tail_len(const WyPdfTail *t)
{
    return t->buf.len;
}

size_t wy_pdf_tail_fonts_ahead(const WyPdfTail *t)
{
    return t->jobs->len;
}

const WyBuf *wy_pdf_tail_finish(WyPdfTail *t, size_t base)
{
    shrink_tail(&t->buf, base, t->jobs);
    return &t->buf;
}

const WyBuf *wy_pdf_tail_bytes(const WyPdfTail *t)
{
    return &t->buf;
}

void wy_pdf_tail_free(WyPdfTail *t)
{
    if (!t)
        return;
    g_ptr_array_free(t->jobs, TRUE);
    wy_buf_release(&t->buf);
    free(t);
}
