#include "layout/para.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "layout/cjk.h"
#include "layout/fonts.h"
#include "layout/hyphen.h"
#include "layout/linefit.h"

/* U+2060 WORD JOINER: an invisible character carrying the first-line
   indent as a shape when the paragraph has forced breaks (see indent_by_shape). */
#define INDENT_CARRIER "\xE2\x81\xA0"
#define INDENT_CARRIER_LEN 3

typedef struct StyleFont {
    PangoFontDescription *desc;
    PangoLanguage *language;
    double ascent_pt, descent_pt;
} StyleFont;

/* Push-in (CJK.md §2, §4): a justified Chinese paragraph is broken half an
   em wider than its measure, and a line that comes out too long is brought
   back by compressing its punctuation (a mark at the line end first) and
   its Han–Latin gaps, so "…字，" fits where pango alone would move 字 down
   and leave a loose line. */
#define PUSH_IN_EM 0.5

/* pango 1.50 shapes an item with at most 32 OpenType features (shape.c),
   the font's own included, and silently drops the rest: a long Chinese run
   is cut into items of at most this many compressed ranges. */
#define FEATURES_PER_ITEM 24

struct WyParaCtx {
    PangoContext *context;
    GHashTable *styles; /* const WyStyle * → StyleFont * */
    WyLineFit *fit;     /* glyph caches and per-line scratch of layout/linefit */
    WyHyphenator *hyphen; /* English patterns, loaded on first use */
    bool hyphen_tried;
};

static const WyStyle DEFAULT_STYLE = {
    .name = "default",
    .role = "body",
    .lang = "zh-Hans",
    .size_pt = WY_DEFAULT_SIZE_PT,
    .align = WY_ALIGN_START,
    .color = WY_COLOR_BLACK,
    .weight = 400,
    .orphans = 2,
    .widows = 2,
};

static void style_font_free(gpointer data)
{
    StyleFont *sf = data;
    pango_font_description_free(sf->desc);
    free(sf);
}

WyParaCtx *wy_para_ctx_new(PangoContext *context)
{
    WyParaCtx *ctx = wy_xcalloc(1, sizeof *ctx);
    ctx->context = context;
    ctx->styles = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, style_font_free);
    ctx->fit = wy_linefit_new();
    return ctx;
}

void wy_para_ctx_free(WyParaCtx *ctx)
{
    if (!ctx)
        return;
    g_hash_table_destroy(ctx->styles);
    wy_linefit_free(ctx->fit);
    wy_hyphen_close(ctx->hyphen);
    free(ctx);
}

static double style_size(const WyStyle *style)
{
    return style->size_pt > 0 ? style->size_pt : WY_DEFAULT_SIZE_PT;
}

double wy_para_pitch(const WyStyle *style)
{
    if (!style)
        style = &DEFAULT_STYLE;
    return style->line_height_pt > 0 ? style->line_height_pt : WY_DEFAULT_LINE_FACTOR * style_size(style);
}

static const char *role_family(const char *role)
{
    const char *family = wy_fonts_family(role);
    return family ? family : wy_fonts_family("body");
}

static const StyleFont *style_font(WyParaCtx *ctx, const WyStyle *style)
{
    StyleFont *sf = g_hash_table_lookup(ctx->styles, style);
    if (sf)
        return sf;
    sf = wy_xcalloc(1, sizeof *sf);
    sf->desc = pango_font_description_new();
    pango_font_description_set_family_static(sf->desc, role_family(style->role));
    pango_font_description_set_size(sf->desc, (int)(style_size(style) * PANGO_SCALE + 0.5));
    pango_font_description_set_weight(sf->desc, style->weight > 0 ? (PangoWeight)style->weight : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(sf->desc, style->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    sf->language = wy_fonts_language(style->lang);
    PangoFontMetrics *metrics = pango_context_get_metrics(ctx->context, sf->desc, sf->language);
    sf->ascent_pt = (double)pango_font_metrics_get_ascent(metrics) / PANGO_SCALE;
    sf->descent_pt = (double)pango_font_metrics_get_descent(metrics) / PANGO_SCALE;
    pango_font_metrics_unref(metrics);
    g_hash_table_insert(ctx->styles, (gpointer)style, sf);
    return sf;
}

/* ---- text with fields spliced in ---------------------------------------- */

typedef struct Spliced {
    WyBuf text;
    size_t prefix;        /* bytes put before the paragraph's text */
    size_t *inserted;     /* bytes inserted at each field */
    size_t *hyphens;      /* hyphens put before these bytes of the text as spliced so far */
    size_t n_hyphens;
    size_t hyphen_len;    /* bytes of each: a soft hyphen or a hyphen-minus */
} Spliced;

static void field_value(const WyField *field, const WyParaFields *fields, char *out, size_t size)
{
    int value = 0;
    if (fields)
        value = field->kind == WY_FIELD_PAGE_NUMBER ? fields->page_number : fields->page_count;
    if (value > 0)
        snprintf(out, size, "%d", value);
    else
        out[0] = '\0';
}

static void splice(const WyPara *para, const char *text, bool carrier, const WyParaFields *fields, Spliced *s)
{
    size_t len = strlen(text);
    wy_buf_init(&s->text);
    s->prefix = carrier ? INDENT_CARRIER_LEN : 0;
    s->inserted = para->n_fields ? wy_xcalloc(para->n_fields, sizeof *s->inserted) : NULL;
    s->hyphens = NULL;
    s->n_hyphens = 0;
    s->hyphen_len = 0;
    if (carrier)
        wy_buf_append(&s->text, INDENT_CARRIER, INDENT_CARRIER_LEN);
    size_t pos = 0;
    for (size_t i = 0; i < para->n_fields; i++) {
        size_t at = para->fields[i].offset;
        if (at > len)
            at = len;
        if (at < pos)
            at = pos; /* fields are sorted; tolerate ties */
        wy_buf_append(&s->text, text + pos, at - pos);
        pos = at;
        char value[24];
        field_value(&para->fields[i], fields, value, sizeof value);
        s->inserted[i] = strlen(value);
        wy_buf_puts(&s->text, value);
    }
    wy_buf_append(&s->text, text + pos, len - pos);
}

/* Where byte POS of the source text lands in the spliced text. A field at
   a span's end belongs to the span only when the span is empty (a span
   made to wrap just the field). */
static size_t spliced_offset(const WyPara *para, const Spliced *s, size_t pos, bool is_end, bool empty)
{
    size_t out = s->prefix + pos;
    for (size_t i = 0; i < para->n_fields; i++) {
        size_t at = para->fields[i].offset;
        if (at < pos || (is_end && empty && at == pos))
            out += s->inserted[i];
    }
    /* a soft hyphen at a span's start is outside it, at its end too */
    size_t before = 0;
    while (before < s->n_hyphens && (s->hyphens[before] < out || (!is_end && s->hyphens[before] == out)))
        before++;
    return out + before * s->hyphen_len;
}

static void spliced_release(Spliced *s)
{
    wy_buf_release(&s->text);
    free(s->inserted);
    free(s->hyphens);
}

/* ---- attributes --------------------------------------------------------- */

static PangoAttribute *color_attr(WyColor color)
{
    guint16 r = (guint16)(((color >> 16) & 0xFF) * 257);
    guint16 g = (guint16)(((color >> 8) & 0xFF) * 257);
    guint16 b = (guint16)((color & 0xFF) * 257);
    return pango_attr_foreground_new(r, g, b);
}

static void span_attrs(PangoAttrList *list, const WySpan *span, const WyStyle *style, size_t start, size_t end)
{
    if (span->flags & WY_SPAN_BOLD)
        wy_attr_insert(list, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, end);
    if (span->flags & WY_SPAN_ITALIC)
        wy_attr_insert(list, pango_attr_style_new(PANGO_STYLE_ITALIC), start, end);
    if (span->flags & WY_SPAN_UNDERLINE)
        wy_attr_insert(list, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), start, end);
    const char *family = NULL;
    if (span->flags & WY_SPAN_MONO)
        family = wy_fonts_family("mono");
    else if (span->role)
        family = wy_fonts_family(span->role);
    if (family)
        wy_attr_insert(list, pango_attr_family_new(family), start, end);
    double size = span->size_pt > 0 ? span->size_pt : style_size(style);
    if (span->size_pt > 0)
        wy_attr_insert(list, pango_attr_size_new((int)(span->size_pt * PANGO_SCALE + 0.5)), start, end);
    if (span->flags & WY_SPAN_SUPERSCRIPT) {
        wy_attr_insert(list, pango_attr_rise_new((int)(WY_SUPERSCRIPT_RISE_EM * size * PANGO_SCALE)), start, end);
        wy_attr_insert(list, pango_attr_scale_new(WY_SUPERSCRIPT_SCALE), start, end);
    }
    if (span->color != WY_COLOR_NONE)
        wy_attr_insert(list, color_attr(span->color), start, end);
    else if (span->link)
        wy_attr_insert(list, color_attr(WY_LINK_COLOR), start, end);
}

static PangoAttrList *para_attrs(const WyPara *para, const WyStyle *style, const StyleFont *sf,
                                 const Spliced *s, size_t source_len, double indent_pt)
{
    PangoAttrList *list = pango_attr_list_new();
    size_t all = s->text.len;
    wy_attr_insert(list, pango_attr_language_new(sf->language), 0, all);
    wy_attr_insert(list, color_attr(style->color == WY_COLOR_NONE ? WY_COLOR_BLACK : style->color), 0, all);
    if (style->vertical) {
        /* Gravity east lays the glyphs on their sides along a horizontal
           line that render turns upright. pango 1.50 shapes such runs top
           to bottom, so HarfBuzz applies the fonts' `vert` forms by itself
           (︵ ︶ ︽ ︾ ﹁ ﹂, and ， 。 、 in the upper right of their square).
           A strong hint keeps Latin letters and digits upright too. */
        wy_attr_insert(list, pango_attr_gravity_new(PANGO_GRAVITY_EAST), 0, all);
        wy_attr_insert(list, pango_attr_gravity_hint_new(PANGO_GRAVITY_HINT_STRONG), 0, all);
    }
    if (style->letter_spacing_pt != 0)
        wy_attr_insert(list, pango_attr_letter_spacing_new((int)(style->letter_spacing_pt * PANGO_SCALE)),
                       s->prefix, all);
    if (s->prefix) {
        PangoRectangle ink = {0, 0, 0, 0};
        PangoRectangle logical = {0, (int)(-sf->ascent_pt * PANGO_SCALE), (int)(indent_pt * PANGO_SCALE),
                                  (int)((sf->ascent_pt + sf->descent_pt) * PANGO_SCALE)};
        wy_attr_insert(list, pango_attr_shape_new(&ink, &logical), 0, s->prefix);
    }
    for (size_t i = 0; i < para->n_spans; i++) {
        const WySpan *span = &para->spans[i];
        size_t start = span->start < source_len ? span->start : source_len;
        size_t end = span->end < source_len ? span->end : source_len;
        if (end < start)
            continue;
        bool empty = start == end;
        size_t a = spliced_offset(para, s, start, false, empty);
        size_t b = spliced_offset(para, s, end, true, empty);
        if (a < b)
            span_attrs(list, span, style, a, b);
    }
    return list;
}

/* ---- Chinese rules as attributes (CJK.md §1–§3) ------------------------- */

/* The em at byte AT: the size of the last span with a size over it, or
   the style's. */
static double em_at(const WyPara *para, const WyStyle *style, const Spliced *s, size_t source_len, size_t at)
{
    double em = style_size(style);
    for (size_t i = 0; i < para->n_spans; i++) {
        const WySpan *span = &para->spans[i];
        if (span->size_pt <= 0 || span->start >= span->end || span->end > source_len)
            continue;
        size_t start = spliced_offset(para, s, span->start, false, false);
        if (start <= at && at < spliced_offset(para, s, span->end, true, false))
            em = span->size_pt;
    }
    return em;
}

/* No break before the characters flagged WY_CJK_GLUE: pango 1.50 removes
   the breaks strictly inside an allow-breaks=false range, so each range
   starts at the character before. */
static void glue_attrs(PangoAttrList *list, const WyCjkText *t, size_t text_len)
{
    for (size_t i = 1; i < t->n_chars; i++) {
        if (!(t->chars[i].flags & WY_CJK_GLUE))
            continue;
        size_t j = i;
        while (j + 1 < t->n_chars && (t->chars[j + 1].flags & WY_CJK_GLUE))
            j++;
        wy_attr_insert(list, pango_attr_allow_breaks_new(FALSE), t->chars[i - 1].byte, wy_cjk_char_end(t, j, text_len));
        i = j;
    }
}

/* A break before the characters flagged WY_CJK_BREAK. pango 1.50 has no
   attribute that adds a break, but a word (pango_attr_word_new) allows one
   at its start; it also removes those inside it and may add one at its end
   (before a following word), so each word runs over any opening marks to
   the first character after them. */
static void break_attrs(PangoAttrList *list, const WyCjkText *t, size_t text_len)
{
    for (size_t i = 0; i < t->n_chars; i++) {
        if (!(t->chars[i].flags & WY_CJK_BREAK))
            continue;
        size_t j = i;
        while (j + 1 < t->n_chars && t->chars[j].cls == WY_CJK_OPENING)
            j++;
        wy_attr_insert(list, pango_attr_word_new(), t->chars[i].byte, wy_cjk_char_end(t, j, text_len));
    }
}

/* halt on compressed marks and fwid on dashes, one attribute per run of
   flagged characters. Every FEATURES_PER_ITEM ranges a no-op attribute
   that pango itemizes by (fallback, on by default) starts a new item. */
static void feature_attrs(PangoAttrList *list, const WyCjkText *t, size_t text_len)
{
    int ranges = 0;
    size_t item_start = 0;
    for (size_t i = 0; i < t->n_chars; i++) {
        unsigned feature = t->chars[i].flags & (WY_CJK_HALT | WY_CJK_FWID);
        if (!feature)
            continue;
        size_t j = i;
        while (j + 1 < t->n_chars && (t->chars[j + 1].flags & (WY_CJK_HALT | WY_CJK_FWID)) == feature)
            j++;
        if (++ranges % FEATURES_PER_ITEM == 0) {
            wy_attr_insert(list, pango_attr_fallback_new(TRUE), item_start, t->chars[i].byte);
            item_start = t->chars[i].byte;
        }
        wy_attr_insert(list, pango_attr_font_features_new(feature == WY_CJK_HALT ? "halt" : "fwid"), t->chars[i].byte,
                       wy_cjk_char_end(t, j, text_len));
        i = j;
    }
}

/* CJK.md §3: ¼ em between an ideograph and an adjacent Latin letter or
   digit, without adding a character. pango learns of it through letter
   spacing on the ideograph alone, which it counts in full when breaking
   lines; it puts half on each side, so fit_gaps moves it to the Latin side
   once the lines are known, and drops it at line ends. */
static void gap_attrs(PangoAttrList *list, const WyCjkText *t, size_t text_len, const WyPara *para,
                      const WyStyle *style, const Spliced *s, size_t source_len)
{
    for (size_t i = 0; i < t->n_chars; i++) {
        unsigned flags = t->chars[i].flags;
        if (!(flags & (WY_CJK_GAP_BEFORE | WY_CJK_GAP_AFTER)))
            continue;
        int sides = !!(flags & WY_CJK_GAP_BEFORE) + !!(flags & WY_CJK_GAP_AFTER);
        double quarter = em_at(para, style, s, source_len, t->chars[i].byte) / 4;
        int spacing = (int)(sides * quarter * PANGO_SCALE + 0.5);
        wy_attr_insert(list, pango_attr_letter_spacing_new(spacing), t->chars[i].byte, wy_cjk_char_end(t, i, text_len));
    }
}

static void cjk_attrs(PangoAttrList *list, const WyCjkText *t, size_t text_len, const WyPara *para,
                      const WyStyle *style, const Spliced *s, size_t source_len)
{
    break_attrs(list, t, text_len);
    glue_attrs(list, t, text_len);
    feature_attrs(list, t, text_len);
    gap_attrs(list, t, text_len, para, style, s, source_len);
}

/* ---- layout ------------------------------------------------------------- */

static PangoAlignment resolve_align(WyAlign align, int page_number, bool *justify)
{
    *justify = false;
    bool odd = page_number % 2 == 1;
    switch (align) {
    case WY_ALIGN_CENTER:
        return PANGO_ALIGN_CENTER;
    case WY_ALIGN_END:
        return PANGO_ALIGN_RIGHT;
    case WY_ALIGN_JUSTIFY:
        *justify = true;
        return PANGO_ALIGN_LEFT;
    case WY_ALIGN_OUTSIDE:
        return page_number > 0 && odd ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
    case WY_ALIGN_INSIDE:
        return page_number > 0 && !odd ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
    case WY_ALIGN_START:
    default:
        return PANGO_ALIGN_LEFT;
    }
}

/* pango applies its indent to the first line of every pango paragraph,
   and a '\n' starts one; U+2028 would keep the paragraph but makes pango
   justify the line before the break. So a positive indent in text with
   forced breaks is carried by an invisible shape at the start instead. */
static bool indent_by_shape(const char *text, double indent_pt)
{
    return indent_pt > 0 && strchr(text, '\n') != NULL;
}

static void measure_lines(PangoLayout *layout, double baseline, double left_pt, double pitch_pt, WyParaLayout *out)
{
    int count = pango_layout_get_line_count(layout);
    out->lines = wy_xcalloc((size_t)(count > 0 ? count : 1), sizeof *out->lines);
    PangoLayoutIter *iter = pango_layout_get_iter(layout);
    int i = 0;
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(iter);
        PangoRectangle in_layout; /* a line's logical box starts at its origin */
        pango_layout_iter_get_line_extents(iter, NULL, &in_layout);
        WyParaLine *pl = &out->lines[i];
        pl->x_pt = left_pt + (double)in_layout.x / PANGO_SCALE;
        pl->width_pt = (double)in_layout.width / PANGO_SCALE;
        pl->baseline_pt = baseline;
        pl->start_byte = line->start_index;
        pl->length = line->length;
        i++;
    } while (i < count && pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
    out->n_lines = i;
    out->pitch_pt = pitch_pt;
    out->height_pt = pitch_pt * i;
}

/* Chinese, Japanese and Korean paragraphs get the CJK rules; others keep
   only the line-break ones. */
static bool is_cjk_language(const char *lang)
{
    const char *tag = wy_fonts_lang_tag(lang);
    return strncmp(tag, "zh", 2) == 0 || strncmp(tag, "ja", 2) == 0 || strncmp(tag, "ko", 2) == 0;
}

/* The text S spliced and broken into lines INNER_PT wide: a new layout. */
static PangoLayout *break_spliced(WyParaCtx *ctx, const WyPara *para, const WyStyle *style, const StyleFont *sf,
                                  double inner_pt, bool carrier, size_t source_len, const WyParaFields *fields,
                                  const Spliced *s)
{
    /* Vertical columns keep the line-break rules but not the horizontal
       compression and Han–Latin gaps, which the fonts' `halt` and the
       letter spacing would apply across the column. */
    WyFitRules rules = {.chinese = is_cjk_language(style->lang) && !style->vertical,
                      .punctuation = style->punctuation};
    WyCjkText cjk;
    wy_cjk_analyse(wy_buf_str(&s->text), s->text.len, style->punctuation, rules.chinese, &cjk);
    rules.text = &cjk;

    PangoLayout *layout = pango_layout_new(ctx->context);
    pango_layout_set_font_description(layout, sf->desc);
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, resolve_align(style->vertical ? WY_ALIGN_START : style->align,
                                                     fields ? fields->page_number : 0, &rules.justify));
    /* pango would stretch only the spaces of a line that has any, and
       letter-space Latin words: fit_lines justifies instead. */
    pango_layout_set_justify(layout, FALSE);
    if (!carrier && style->first_indent_pt != 0)
        pango_layout_set_indent(layout, (int)(style->first_indent_pt * PANGO_SCALE));
    PangoAttrList *attrs = para_attrs(para, style, sf, s, source_len, style->first_indent_pt);
    cjk_attrs(attrs, &cjk, s->text.len, para, style, s, source_len);
    pango_layout_set_text(layout, wy_buf_str(&s->text), (int)s->text.len);
    rules.measure = (int)(inner_pt * PANGO_SCALE);
    /* Push-in may leave a line too long that no earlier break can help
       (a long Latin word): then the paragraph is broken at the measure. */
    bool push_in = rules.justify && rules.chinese && style->punctuation == WY_PUNCT_COMPRESSED;
    int allowance = push_in ? (int)(PUSH_IN_EM * style_size(style) * PANGO_SCALE) : 0;
    if (!wy_linefit_break(ctx->fit, layout, attrs, &rules, allowance) && push_in)
        wy_linefit_break(ctx->fit, layout, attrs, &rules, 0);
    pango_attr_list_unref(attrs);
    wy_cjk_text_release(&cjk);
    return layout;
}

/* S with HYPHEN (LEN bytes) put before each of the N bytes AT (ascending). */
static void splice_hyphens(const Spliced *s, const size_t *at, size_t n, const char *hyphen, size_t len, Spliced *out)
{
    *out = *s;
    wy_buf_init(&out->text);
    out->inserted = NULL; /* borrowed from S: never released through OUT */
    out->hyphens = n ? wy_xmalloc(wy_mul_size(n, sizeof *out->hyphens)) : NULL;
    out->n_hyphens = n;
    out->hyphen_len = len;
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        wy_buf_append(&out->text, wy_buf_str(&s->text) + done, at[i] - done);
        wy_buf_append(&out->text, hyphen, len);
        out->hyphens[i] = done = at[i];
    }
    wy_buf_append(&out->text, wy_buf_str(&s->text) + done, s->text.len - done);
}

static void hyphens_release(Spliced *h)
{
    wy_buf_release(&h->text);
    free(h->hyphens);
}

/* Bytes of S's text (before its hyphens) where a line of LAYOUT ends in one
   of S's hyphens, into a malloc'd array; returns how many. */
static size_t hyphens_at_line_ends(PangoLayout *layout, const Spliced *s, size_t **ends)
{
    *ends = NULL;
    size_t n = 0;
    int lines = pango_layout_get_line_count(layout);
    for (int i = 0; i + 1 < lines; i++) {
        PangoLayoutLine *line = pango_layout_get_line_readonly(layout, i);
        size_t end = (size_t)(line->start_index + line->length);
        for (size_t k = 0; k < s->n_hyphens; k++) {
            if (s->hyphens[k] + (k + 1) * s->hyphen_len != end)
                continue;
            *ends = wy_xrealloc(*ends, wy_mul_size(n + 1, sizeof **ends));
            (*ends)[n++] = s->hyphens[k];
        }
    }
    return n;
}

/* English (lang en) broken with hyphens: laid out first with soft hyphens
   at every break point the patterns allow, then again with a plain
   hyphen-minus only where a line ended in one — so the text of the page
   has no soft hyphens and an unbroken word reads as typed. NULL (S
   untouched) when no word breaks, or when the second breaking does not end
   its lines at the hyphens. On success S becomes the text laid out. */
static PangoLayout *hyphenated(WyParaCtx *ctx, const WyPara *para, const WyStyle *style, const StyleFont *sf,
                               double inner_pt, bool carrier, size_t source_len, const WyParaFields *fields,
                               Spliced *s)
{
    if (strncmp(wy_fonts_lang_tag(style->lang), "en", 2) != 0)
        return NULL;
    if (!ctx->hyphen_tried) {
        ctx->hyphen_tried = true;
        ctx->hyphen = wy_hyphen_open(WY_HYPHEN_EN_DIC); /* without it, English breaks between words only */
    }
    if (!ctx->hyphen)
        return NULL;
    size_t *points, n_points;
    wy_hyphen_insert(ctx->hyphen, wy_buf_str(&s->text), s->text.len, NULL, &points, &n_points);
    if (n_points == 0)
        return NULL;
    Spliced soft;
    splice_hyphens(s, points, n_points, WY_SOFT_HYPHEN, WY_SOFT_HYPHEN_LEN, &soft);
    free(points);
    PangoLayout *trial = break_spliced(ctx, para, style, sf, inner_pt, carrier, source_len, fields, &soft);
    size_t *ends;
    size_t n_ends = hyphens_at_line_ends(trial, &soft, &ends);
    g_object_unref(trial);
    hyphens_release(&soft);
    if (n_ends == 0) {
        free(ends);
        return NULL;
    }
    Spliced hard;
    splice_hyphens(s, ends, n_ends, "-", 1, &hard);
    free(ends);
    PangoLayout *layout = break_spliced(ctx, para, style, sf, inner_pt, carrier, source_len, fields, &hard);
    size_t *check;
    bool same = hyphens_at_line_ends(layout, &hard, &check) == n_ends;
    free(check);
    if (!same) { /* a hyphen would stand inside a line: break between words only */
        g_object_unref(layout);
        hyphens_release(&hard);
        return NULL;
    }
    wy_buf_release(&s->text);
    s->text = hard.text;
    s->hyphens = hard.hyphens;
    s->n_hyphens = hard.n_hyphens;
    s->hyphen_len = hard.hyphen_len;
    return layout;
}

/* Where a Chinese line's baseline sits below the top of its em box: the
   ideographic em box of Noto CJK (OpenType BASE: ideo at −0.12 em). Lines
   place the em box, not the face's own ascent, in the middle of their
   pitch, so that Song, kai and heading lines of one size on one grid share
   their baselines whatever their faces' metrics say. */
#define IDEO_EMBOX_ASCENT 0.88

/* The baseline's distance from the top of a horizontal line PITCH_PT tall. */
static double line_baseline(const WyStyle *style, const StyleFont *sf, double pitch_pt)
{
    if (is_cjk_language(style->lang)) {
        double size = style_size(style);
        return (pitch_pt - size) / 2 + IDEO_EMBOX_ASCENT * size;
    }
    return (pitch_pt - (sf->ascent_pt + sf->descent_pt)) / 2 + sf->ascent_pt;
}

bool wy_para_layout(WyParaCtx *ctx, const WyPara *para, double width_pt, const WyParaFields *fields,
                    WyLoc loc, WyDiag *d, WyParaLayout *out)
{
    memset(out, 0, sizeof *out);
    const WyStyle *style = para->style ? para->style : &DEFAULT_STYLE;
    const char *text = para->text ? para->text : "";
    size_t source_len = strlen(text);
    if (!g_utf8_validate(text, (gssize)source_len, NULL)) {
        wy_diag_error(d, loc, "this paragraph's text is not valid UTF-8");
        return false;
    }
    const StyleFont *sf = style_font(ctx, style);
    double inner_pt = width_pt - style->left_indent_pt - style->right_indent_pt;
    if (inner_pt < 1.0)
        inner_pt = 1.0;

    bool carrier = indent_by_shape(text, style->first_indent_pt);
    Spliced s;
    splice(para, text, carrier, fields, &s);
    PangoLayout *layout = hyphenated(ctx, para, style, sf, inner_pt, carrier, source_len, fields, &s);
    bool broke_words = layout != NULL;
    if (!layout)
        layout = break_spliced(ctx, para, style, sf, inner_pt, carrier, source_len, fields, &s);
    spliced_release(&s);

    out->layout = layout;
    out->source_shift = carrier ? INDENT_CARRIER_LEN : 0;
    /* either way the laid-out bytes are not the source's shifted */
    out->fields_spliced = para->n_fields > 0 || broke_words;
    double pitch = wy_para_pitch(style);
    /* sideways glyphs are centred on their baseline */
    double baseline = style->vertical ? pitch / 2 : line_baseline(style, sf, pitch);
    measure_lines(layout, baseline, style->left_indent_pt, pitch, out);
    return true;
}

void wy_para_layout_release(WyParaLayout *pl)
{
    if (pl->layout)
        g_object_unref(pl->layout);
    free(pl->lines);
    memset(pl, 0, sizeof *pl);
}
