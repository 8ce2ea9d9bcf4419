#include "layout/para.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "layout/fonts.h"

/* U+2060 WORD JOINER: an invisible character carrying the first-line
   indent as a shape when the paragraph has forced breaks (see indent_by_shape). */
#define INDENT_CARRIER "\xE2\x81\xA0"
#define INDENT_CARRIER_LEN 3

typedef struct StyleFont {
    PangoFontDescription *desc;
    PangoLanguage *language;
    double ascent_pt, descent_pt;
} StyleFont;

struct WyParaCtx {
    PangoContext *context;
    GHashTable *styles; /* const WyStyle * → StyleFont * */
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
    return ctx;
}

void wy_para_ctx_free(WyParaCtx *ctx)
{
    if (!ctx)
        return;
    g_hash_table_destroy(ctx->styles);
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
    return out;
}

static void spliced_release(Spliced *s)
{
    wy_buf_release(&s->text);
    free(s->inserted);
}

/* ---- attributes --------------------------------------------------------- */

static void insert_attr(PangoAttrList *list, PangoAttribute *attr, size_t start, size_t end)
{
    attr->start_index = (guint)start;
    attr->end_index = (guint)end;
    pango_attr_list_insert(list, attr);
}

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
        insert_attr(list, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, end);
    if (span->flags & WY_SPAN_ITALIC)
        insert_attr(list, pango_attr_style_new(PANGO_STYLE_ITALIC), start, end);
    if (span->flags & WY_SPAN_UNDERLINE)
        insert_attr(list, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), start, end);
    const char *family = NULL;
    if (span->flags & WY_SPAN_MONO)
        family = wy_fonts_family("mono");
    else if (span->role)
        family = wy_fonts_family(span->role);
    if (family)
        insert_attr(list, pango_attr_family_new(family), start, end);
    double size = span->size_pt > 0 ? span->size_pt : style_size(style);
    if (span->size_pt > 0)
        insert_attr(list, pango_attr_size_new((int)(span->size_pt * PANGO_SCALE + 0.5)), start, end);
    if (span->flags & WY_SPAN_SUPERSCRIPT) {
        insert_attr(list, pango_attr_rise_new((int)(WY_SUPERSCRIPT_RISE_EM * size * PANGO_SCALE)), start, end);
        insert_attr(list, pango_attr_scale_new(WY_SUPERSCRIPT_SCALE), start, end);
    }
    if (span->color != WY_COLOR_NONE)
        insert_attr(list, color_attr(span->color), start, end);
    else if (span->link)
        insert_attr(list, color_attr(WY_LINK_COLOR), start, end);
}

static PangoAttrList *para_attrs(const WyPara *para, const WyStyle *style, const StyleFont *sf,
                                 const Spliced *s, size_t source_len, double indent_pt)
{
    PangoAttrList *list = pango_attr_list_new();
    size_t all = s->text.len;
    insert_attr(list, pango_attr_language_new(sf->language), 0, all);
    insert_attr(list, color_attr(style->color == WY_COLOR_NONE ? WY_COLOR_BLACK : style->color), 0, all);
    if (style->letter_spacing_pt != 0)
        insert_attr(list, pango_attr_letter_spacing_new((int)(style->letter_spacing_pt * PANGO_SCALE)),
                    s->prefix, all);
    if (s->prefix) {
        PangoRectangle ink = {0, 0, 0, 0};
        PangoRectangle logical = {0, (int)(-sf->ascent_pt * PANGO_SCALE), (int)(indent_pt * PANGO_SCALE),
                                  (int)((sf->ascent_pt + sf->descent_pt) * PANGO_SCALE)};
        insert_attr(list, pango_attr_shape_new(&ink, &logical), 0, s->prefix);
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

static void measure_lines(PangoLayout *layout, const StyleFont *sf, double left_pt, double pitch_pt,
                          WyParaLayout *out)
{
    int count = pango_layout_get_line_count(layout);
    out->lines = wy_xcalloc((size_t)(count > 0 ? count : 1), sizeof *out->lines);
    double baseline = (pitch_pt - (sf->ascent_pt + sf->descent_pt)) / 2 + sf->ascent_pt;
    PangoLayoutIter *iter = pango_layout_get_iter(layout);
    int i = 0;
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(iter);
        PangoRectangle in_layout, own;
        pango_layout_iter_get_line_extents(iter, NULL, &in_layout);
        pango_layout_line_get_extents(line, NULL, &own);
        WyParaLine *pl = &out->lines[i];
        pl->x_pt = left_pt + (double)(in_layout.x - own.x) / PANGO_SCALE;
        pl->width_pt = (double)own.width / PANGO_SCALE;
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

    PangoLayout *layout = pango_layout_new(ctx->context);
    pango_layout_set_font_description(layout, sf->desc);
    pango_layout_set_width(layout, (int)(inner_pt * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    bool justify;
    pango_layout_set_alignment(layout, resolve_align(style->align, fields ? fields->page_number : 0, &justify));
    /* pango 1.50 leaves a justified paragraph's last line ragged, as wanted. */
    pango_layout_set_justify(layout, justify);
    if (!carrier && style->first_indent_pt != 0)
        pango_layout_set_indent(layout, (int)(style->first_indent_pt * PANGO_SCALE));
    PangoAttrList *attrs = para_attrs(para, style, sf, &s, source_len, style->first_indent_pt);
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
    pango_layout_set_text(layout, wy_buf_str(&s.text), (int)s.text.len);
    spliced_release(&s);

    out->layout = layout;
    out->source_shift = carrier ? INDENT_CARRIER_LEN : 0;
    out->fields_spliced = para->n_fields > 0;
    measure_lines(layout, sf, style->left_indent_pt, wy_para_pitch(style), out);
    return true;
}

void wy_para_layout_release(WyParaLayout *pl)
{
    if (pl->layout)
        g_object_unref(pl->layout);
    free(pl->lines);
    memset(pl, 0, sizeof *pl);
}
