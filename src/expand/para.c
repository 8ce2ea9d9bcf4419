#include "expand/para.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/uchar.h"
#include "data/encoding.h"


/* Marks Chinese text shares with Western text (“ ” ‘ ’ — …): they join
   CJK without a space only when the other side is CJK proper. The middle
   dot is left out: " · " between words is a separator typed with spaces. */
static bool is_shared_mark(unsigned cp)
{
    return cp == 0x2014 || cp == 0x2015 || (cp >= 0x2018 && cp <= 0x201F) || cp == 0x2026;
}

/* Whether collapsed whitespace between BEFORE and AFTER disappears: a
   line-wrapped Chinese sentence in a template must not gain spaces. */
static bool joins_without_space(unsigned before, unsigned after)
{
    bool b = wy_uchar_is_cjk(before), a = wy_uchar_is_cjk(after);
    return (b && a) || (b && is_shared_mark(after)) || (a && is_shared_mark(before));
}

void wy_para_init(WyParaBuilder *pb)
{
    memset(pb, 0, sizeof *pb);
    wy_buf_init(&pb->text);
}

void wy_para_release(WyParaBuilder *pb)
{
    wy_buf_release(&pb->text);
    free(pb->spans);
    free(pb->fields);
    free(pb->origins);
    memset(pb, 0, sizeof *pb);
}

static bool is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Places pending collapsed whitespace before character NEXT. Spans that
   opened right at the space start after it, so bold text does not begin
   with a bold space. */
static void flush_pending(WyParaBuilder *pb, unsigned next)
{
    if (!pb->pending_space)
        return;
    pb->pending_space = false;
    if (pb->last_cp == 0 || pb->last_cp == ' ' || next == ' ' || joins_without_space(pb->last_cp, next))
        return;
    size_t at = pb->text.len;
    wy_buf_putc(&pb->text, ' ');
    pb->last_cp = ' ';
    for (int i = 0; i < pb->depth; i++)
        if (pb->spans[pb->open[i].slot].start == at)
            pb->spans[pb->open[i].slot].start = at + 1;
}

static void append_char(WyParaBuilder *pb, const char *s, size_t len, unsigned cp)
{
    flush_pending(pb, cp);
    wy_buf_append(&pb->text, s, len);
    pb->last_cp = cp;
}

void wy_para_template_text(WyParaBuilder *pb, const char *s)
{
    while (*s) {
        if (is_xml_space(*s)) {
            pb->pending_space = true;
            s++;
            continue;
        }
        unsigned cp;
        size_t len = wy_utf8_decode(s, strlen(s), &cp);
        if (cp < 0x20 || cp == 0x7F) {
            s += len;
            continue;
        }
        append_char(pb, s, len, cp);
        s += len;
    }
}

void wy_para_literal(WyParaBuilder *pb, const char *s, bool newline_is_space)
{
    while (*s) {
        unsigned cp;
        size_t len = wy_utf8_decode(s, strlen(s), &cp);
        if (cp == '\n') {
            if (newline_is_space)
                append_char(pb, " ", 1, ' ');
            else
                wy_para_break(pb);
        } else if (cp == '\t') {
            append_char(pb, " ", 1, ' ');
        } else if (cp >= 0x20 && cp != 0x7F) {
            append_char(pb, s, len, cp);
        }
        s += len;
    }
}

void wy_para_break(WyParaBuilder *pb)
{
    pb->pending_space = false; /* whitespace before a break is trimmed */
    wy_buf_putc(&pb->text, '\n');
    pb->last_cp = 0;
}

void wy_para_field(WyParaBuilder *pb, WyFieldKind kind)
{
    flush_pending(pb, '0'); /* a page number reads like a digit */
    if (pb->n_fields == pb->alloc_fields) {
        pb->alloc_fields = pb->alloc_fields ? pb->alloc_fields * 2 : 4;
        pb->fields = wy_xrealloc(pb->fields, wy_mul_size(pb->alloc_fields, sizeof *pb->fields));
    }
    pb->fields[pb->n_fields].offset = pb->text.len;
    pb->fields[pb->n_fields].kind = kind;
    pb->n_fields++;
    pb->last_cp = '0';
}

bool wy_para_span_open(WyParaBuilder *pb, const WySpanAttrs *attrs)
{
    if (pb->depth == WY_PARA_MAX_SPAN_DEPTH)
        return false;
    if (pb->n_spans == pb->alloc_spans) {
        pb->alloc_spans = pb->alloc_spans ? pb->alloc_spans * 2 : 8;
        pb->spans = wy_xrealloc(pb->spans, wy_mul_size(pb->alloc_spans, sizeof *pb->spans));
    }
    WySpan inherited = {0, 0, 0, WY_COLOR_NONE, 0, NULL, NULL};
    if (pb->depth > 0)
        inherited = pb->spans[pb->open[pb->depth - 1].slot];
    WySpan *s = &pb->spans[pb->n_spans];
    *s = inherited;
    s->start = s->end = pb->text.len;
    s->flags = (inherited.flags | attrs->set_flags) & ~attrs->clear_flags;
    if (attrs->color != WY_COLOR_NONE)
        s->color = attrs->color;
    if (attrs->size_pt > 0)
        s->size_pt = attrs->size_pt;
    if (attrs->role)
        s->role = attrs->role;
    if (attrs->link)
        s->link = attrs->link;
    pb->open[pb->depth++].slot = pb->n_spans++;
    return true;
}

void wy_para_span_close(WyParaBuilder *pb)
{
    if (pb->depth == 0)
        return;
    WySpan *s = &pb->spans[pb->open[--pb->depth].slot];
    s->end = pb->text.len;
    if (s->end < s->start)
        s->end = s->start;
}

bool wy_para_is_empty(const WyParaBuilder *pb)
{
    for (size_t i = 0; i < pb->text.len; i++)
        if (pb->text.data[i] != ' ' && pb->text.data[i] != '\n')
            return false;
    return pb->n_fields == 0;
}

const char *wy_para_text(const WyParaBuilder *pb)
{
    return wy_buf_str(&pb->text);
}

static size_t clamp(size_t v, size_t lo, size_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void wy_para_origin(WyParaBuilder *pb, size_t start, WyLoc loc)
{
    if (pb->text.len <= start || !loc.file || loc.line <= 0)
        return;
    if (pb->n_origins == pb->alloc_origins) {
        pb->alloc_origins = pb->alloc_origins ? pb->alloc_origins * 2 : 4;
        pb->origins = wy_xrealloc(pb->origins, wy_mul_size(pb->alloc_origins, sizeof *pb->origins));
    }
    pb->origins[pb->n_origins++] = (WyOrigin){start, pb->text.len, loc};
}

void wy_para_finish(WyParaBuilder *pb, WyArena *arena, WyPara *out)
{
    while (pb->depth > 0)
        wy_para_span_close(pb);
    const char *t = wy_buf_str(&pb->text);
    size_t lo = 0, hi = pb->text.len;
    /* a field at an end keeps the spaces beside it: "— 1 —" */
    size_t first_field = pb->n_fields ? pb->fields[0].offset : hi;
    size_t last_field = pb->n_fields ? pb->fields[pb->n_fields - 1].offset : lo;
    while (lo < hi && lo < first_field && (t[lo] == ' ' || t[lo] == '\n'))
        lo++;
    while (hi > lo && hi > last_field && (t[hi - 1] == ' ' || t[hi - 1] == '\n'))
        hi--;
    out->text = wy_arena_strndup(arena, t + lo, hi - lo);
    size_t n = 0;
    WySpan *spans = pb->n_spans ? WY_ARENA_ARRAY(arena, WySpan, pb->n_spans) : NULL;
    for (size_t i = 0; i < pb->n_spans; i++) {
        WySpan s = pb->spans[i];
        s.start = clamp(s.start, lo, hi) - lo;
        s.end = clamp(s.end, lo, hi) - lo;
        if (s.end > s.start)
            spans[n++] = s;
    }
    out->spans = n ? spans : NULL;
    out->n_spans = n;
    out->fields = pb->n_fields ? WY_ARENA_ARRAY(arena, WyField, pb->n_fields) : NULL;
    for (size_t i = 0; i < pb->n_fields; i++) {
        out->fields[i] = pb->fields[i];
        out->fields[i].offset = clamp(pb->fields[i].offset, lo, hi) - lo;
    }
    out->n_fields = pb->n_fields;
    size_t n_origins = 0;
    out->origins = pb->n_origins ? WY_ARENA_ARRAY(arena, WyOrigin, pb->n_origins) : NULL;
    for (size_t i = 0; i < pb->n_origins; i++) {
        WyOrigin o = pb->origins[i];
        o.start = clamp(o.start, lo, hi) - lo;
        o.end = clamp(o.end, lo, hi) - lo;
        if (o.end > o.start)
            out->origins[n_origins++] = o;
    }
    out->n_origins = n_origins;
    wy_buf_clear(&pb->text);
    pb->n_spans = pb->n_fields = pb->n_origins = 0;
    pb->depth = 0;
    pb->pending_space = false;
    pb->last_cp = 0;
}
