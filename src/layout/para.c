#include "layout/para.h"

#include <hb-ot.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "layout/cjk.h"
#include "layout/fonts.h"
#include "layout/hyphen.h"

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
/* Times a paragraph is broken again to bring a line too long back. */
#define MAX_FIT_ROUNDS 4

/* pango 1.50 shapes an item with at most 32 OpenType features (shape.c),
   the font's own included, and silently drops the rest: a long Chinese run
   is cut into items of at most this many compressed ranges. */
#define FEATURES_PER_ITEM 24

/* How far a mark's ink may reach past the half of its em it keeps when a
   face without `halt` has it set half width by hand (see synthesize_halt):
   a hair, which the neighbour's side bearing absorbs. */
#define HALF_INK_TOLERANCE_EM 0.03

/* One character shaped alone in a font, with or without halt: a line's
   glyph at its natural width, or compressed. */
typedef struct GlyphShape {
    PangoFont *font; /* a reference */
    gunichar ch;
    bool halt;
    bool synthetic;   /* halved by wenyin, the face having no halt (synthesize_halt) */
    PangoGlyph glyph; /* PANGO_GLYPH_INVALID_INPUT when it is not one glyph */
    int width, x_offset;
} GlyphShape;

/* A cluster of a line's glyphs, in visual (= logical, LTR) order. */
typedef struct Cluster {
    PangoGlyphString *glyphs;
    const PangoAnalysis *analysis;
    int first, end;          /* glyphs [first, end) */
    const WyCjkChar *info;   /* the cluster's first character */
    int gap;                 /* ¼ em of this ideograph, when it has Han–Latin gaps */
    bool shape;              /* a shape (the indent carrier): never trimmed or stretched */
    bool gap_left, gap_right;
    bool trimmed;            /* set half width at the line's start or end, or in a pair by fit_pairs */
} Cluster;

/* Where a share of a justified line's slack goes. */
typedef struct Stretch {
    PangoGlyphInfo *glyph;
    int shift;               /* the glyph's move when its slot takes its whole capacity: what it
                                gives up on its left (an opening mark's blank; half a centred mark's) */
} Stretch;

struct WyParaCtx {
    PangoContext *context;
    GHashTable *styles; /* const WyStyle * → StyleFont * */
    GHashTable *shapes; /* GlyphShape, by font, character and halt */
    /* per-line scratch, reused */
    Cluster *clusters;
    size_t n_clusters, cap_clusters;
    WyCjkSlot *slots;
    Stretch *stretches;
    size_t n_slots, cap_slots;
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

static guint shape_hash(gconstpointer p)
{
    const GlyphShape *s = p;
    return g_direct_hash(s->font) ^ (s->ch * 2654435761u) ^ (guint)s->halt;
}

static gboolean shape_equal(gconstpointer a, gconstpointer b)
{
    const GlyphShape *x = a, *y = b;
    return x->font == y->font && x->ch == y->ch && x->halt == y->halt;
}

static void shape_free(gpointer p)
{
    GlyphShape *s = p;
    g_object_unref(s->font);
    free(s);
}

WyParaCtx *wy_para_ctx_new(PangoContext *context)
{
    WyParaCtx *ctx = wy_xcalloc(1, sizeof *ctx);
    ctx->context = context;
    ctx->styles = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, style_font_free);
    ctx->shapes = g_hash_table_new_full(shape_hash, shape_equal, shape_free, NULL);
    return ctx;
}

void wy_para_ctx_free(WyParaCtx *ctx)
{
    if (!ctx)
        return;
    g_hash_table_destroy(ctx->styles);
    g_hash_table_destroy(ctx->shapes);
    free(ctx->clusters);
    free(ctx->slots);
    free(ctx->stretches);
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
    if (style->vertical) {
        /* Gravity east lays the glyphs on their sides along a horizontal
           line that render turns upright. pango 1.50 shapes such runs top
           to bottom, so HarfBuzz applies the fonts' `vert` forms by itself
           (︵ ︶ ︽ ︾ ﹁ ﹂, and ， 。 、 in the upper right of their square).
           A strong hint keeps Latin letters and digits upright too. */
        insert_attr(list, pango_attr_gravity_new(PANGO_GRAVITY_EAST), 0, all);
        insert_attr(list, pango_attr_gravity_hint_new(PANGO_GRAVITY_HINT_STRONG), 0, all);
    }
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

/* ---- Chinese rules as attributes (CJK.md §1–§3) ------------------------- */

static size_t char_end(const WyCjkText *t, size_t i, size_t text_len)
{
    return i + 1 < t->n_chars ? t->chars[i + 1].byte : text_len;
}

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
        insert_attr(list, pango_attr_allow_breaks_new(FALSE), t->chars[i - 1].byte, char_end(t, j, text_len));
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
        insert_attr(list, pango_attr_word_new(), t->chars[i].byte, char_end(t, j, text_len));
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
            insert_attr(list, pango_attr_fallback_new(TRUE), item_start, t->chars[i].byte);
            item_start = t->chars[i].byte;
        }
        insert_attr(list, pango_attr_font_features_new(feature == WY_CJK_HALT ? "halt" : "fwid"), t->chars[i].byte,
                    char_end(t, j, text_len));
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
        insert_attr(list, pango_attr_letter_spacing_new((int)(sides * quarter * PANGO_SCALE + 0.5)), t->chars[i].byte,
                    char_end(t, i, text_len));
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

/* ---- glyphs after line breaking (CJK.md §2–§4) --------------------------- */

/* Whether FONT's face has the OpenType `halt` feature at all: AR PL UKai
   (the kai role) has none. */
static bool face_has_halt(PangoFont *font)
{
    hb_font_t *hb = pango_font_get_hb_font(font);
    if (!hb)
        return true; /* nothing to learn: leave the glyph as pango shapes it */
    hb_face_t *face = hb_font_get_face(hb);
    hb_tag_t tags[32];
    unsigned start = 0, total, count;
    do {
        count = sizeof tags / sizeof tags[0];
        total = hb_ot_layout_table_get_feature_tags(face, HB_OT_TAG_GPOS, start, &count, tags);
        for (unsigned i = 0; i < count; i++)
            if (tags[i] == HB_TAG('h', 'a', 'l', 't'))
                return true;
        start += count;
    } while (count > 0 && start < total);
    return false;
}

/* CJK.md §2 in a face without `halt`: SHAPE, the mark CH of class CLS at
   NATURAL width, is set half width by hand where its ink fits the half it
   keeps — the left half for closing marks and stops, the right half for
   opening marks (the glyph then moves left by the blank half), or the
   middle for a centred form (AR PL UKai's 、，。．：；！？, CN face as TW),
   moved left by a quarter, as Noto CJK TC's own halt does with its 。.
   A mark whose ink fits none of them keeps its em: no glyph may reach
   into its neighbour. */
static void synthesize_halt(GlyphShape *shape, const GlyphShape *natural, uint8_t cls)
{
    bool opening = cls == WY_CJK_OPENING;
    if (!opening && !wy_cjk_blank_right(cls))
        return;
    PangoRectangle ink;
    pango_font_get_glyph_extents(shape->font, natural->glyph, &ink, NULL);
    int em = natural->width, half = natural->width / 2;
    int tolerance = (int)(HALF_INK_TOLERANCE_EM * em);
    int left = natural->x_offset + ink.x, right = left + ink.width;
    /* where the kept half starts in the em: on the glyph's side, else centred */
    const int starts[] = {opening ? em - half : 0, (em - half) / 2};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        if (left < starts[i] - tolerance || right > starts[i] + half + tolerance)
            continue;
        shape->width = half;
        shape->x_offset = natural->x_offset - starts[i];
        shape->synthetic = true;
        return;
    }
}

/* CH shaped alone with ANALYSIS's font and language, with or without halt
   (synthesized where the face lacks the feature; a face that has it and
   leaves a mark at full width, like Noto CJK TC its ？, means it). Cached
   per document: a handful of marks and ideographs recur. */
static const GlyphShape *glyph_shape(WyParaCtx *ctx, const PangoAnalysis *analysis, gunichar ch, bool halt)
{
    GlyphShape key = {.font = analysis->font, .ch = ch, .halt = halt};
    GlyphShape *shape = g_hash_table_lookup(ctx->shapes, &key);
    if (shape)
        return shape;
    shape = wy_xmalloc(sizeof *shape);
    *shape = key;
    g_object_ref(shape->font);
    char utf8[6];
    int len = g_unichar_to_utf8(ch, utf8);
    PangoAnalysis alone = *analysis;
    alone.flags &= ~PANGO_ANALYSIS_FLAG_NEED_HYPHEN;
    alone.extra_attrs = NULL;
    PangoAttribute *feature = NULL;
    GSList link = {NULL, NULL};
    if (halt) {
        feature = pango_attr_font_features_new("halt");
        feature->start_index = 0;
        feature->end_index = (guint)len;
        link.data = feature;
        alone.extra_attrs = &link;
    }
    PangoGlyphString *glyphs = pango_glyph_string_new();
    pango_shape_with_flags(utf8, len, utf8, len, &alone, glyphs, PANGO_SHAPE_NONE);
    shape->glyph = glyphs->num_glyphs == 1 ? glyphs->glyphs[0].glyph : PANGO_GLYPH_INVALID_INPUT;
    shape->width = glyphs->num_glyphs == 1 ? glyphs->glyphs[0].geometry.width : 0;
    shape->x_offset = glyphs->num_glyphs == 1 ? glyphs->glyphs[0].geometry.x_offset : 0;
    pango_glyph_string_free(glyphs);
    if (feature)
        pango_attribute_destroy(feature);
    if (halt && shape->glyph != PANGO_GLYPH_INVALID_INPUT) {
        const GlyphShape *natural = glyph_shape(ctx, analysis, ch, false);
        if (natural->glyph == shape->glyph && natural->width == shape->width &&
            natural->x_offset == shape->x_offset && natural->width > 0 && !face_has_halt(shape->font))
            synthesize_halt(shape, natural, (uint8_t)wy_cjk_class(ch));
    }
    g_hash_table_add(ctx->shapes, shape);
    return shape;
}

static bool is_shape_item(const PangoItem *item)
{
    for (const GSList *l = item->analysis.extra_attrs; l; l = l->next)
        if (((const PangoAttribute *)l->data)->klass->type == PANGO_ATTR_SHAPE)
            return true;
    return false;
}

static Cluster *push_cluster(WyParaCtx *ctx)
{
    if (ctx->n_clusters == ctx->cap_clusters) {
        ctx->cap_clusters = ctx->cap_clusters ? ctx->cap_clusters * 2 : 64;
        ctx->clusters = wy_xrealloc(ctx->clusters, wy_mul_size(ctx->cap_clusters, sizeof *ctx->clusters));
    }
    Cluster *c = &ctx->clusters[ctx->n_clusters++];
    memset(c, 0, sizeof *c);
    return c;
}

/* The clusters of LINE into ctx->clusters. False for a right-to-left run,
   which the Chinese rules leave alone. */
static bool collect_clusters(WyParaCtx *ctx, PangoLayoutLine *line, const char *text, const WyCjkText *t)
{
    ctx->n_clusters = 0;
    size_t cursor = t->n_chars;
    for (GSList *l = line->runs; l; l = l->next) {
        PangoGlyphItem *run = l->data;
        if (run->item->analysis.level % 2)
            return false;
        bool shape = is_shape_item(run->item);
        PangoGlyphItemIter it;
        for (gboolean more = pango_glyph_item_iter_init_start(&it, run, text); more;
             more = pango_glyph_item_iter_next_cluster(&it)) {
            Cluster *c = push_cluster(ctx);
            c->glyphs = run->glyphs;
            c->analysis = &run->item->analysis;
            c->first = it.start_glyph;
            c->end = it.end_glyph;
            c->info = wy_cjk_text_from(t, &cursor, (size_t)it.start_index);
            c->shape = shape;
        }
    }
    return true;
}

static int cluster_width(const Cluster *c)
{
    int width = 0;
    for (int i = c->first; i < c->end; i++)
        width += c->glyphs->glyphs[i].geometry.width;
    return width;
}

/* The single glyph of C, or NULL when it has several (the rules below only
   reshape one-glyph clusters). */
static PangoGlyphInfo *sole_glyph(const Cluster *c)
{
    return c->end - c->first == 1 ? &c->glyphs->glyphs[c->first] : NULL;
}

static uint8_t cluster_class(const Cluster *c)
{
    return c->info ? c->info->cls : WY_CJK_OTHER;
}

/* Han–Latin gaps (CJK.md §3) where both neighbours are on the line; none
   at its start or end. The ideograph keeps its natural glyph, moved right
   by a gap before it, and its advance grows by each gap. */
static void fit_gaps(WyParaCtx *ctx, size_t first, size_t last)
{
    for (size_t k = first; k <= last; k++) {
        Cluster *c = &ctx->clusters[k];
        unsigned flags = c->info ? c->info->flags : 0;
        PangoGlyphInfo *g = sole_glyph(c);
        if (!(flags & (WY_CJK_GAP_BEFORE | WY_CJK_GAP_AFTER)) || !g || c->shape)
            continue;
        const GlyphShape *natural = glyph_shape(ctx, c->analysis, c->info->ch, false);
        if (natural->glyph != g->glyph)
            continue;
        c->gap = natural->width / 4;
        c->gap_left = (flags & WY_CJK_GAP_BEFORE) && k > first;
        c->gap_right = (flags & WY_CJK_GAP_AFTER) && k < last;
        g->geometry.x_offset = natural->x_offset + (c->gap_left ? c->gap : 0);
        g->geometry.width = natural->width + (c->gap_left + c->gap_right) * c->gap;
    }
}

/* C at its halted width and offset (CJK.md §2), marked trimmed. */
static void set_halted(WyParaCtx *ctx, Cluster *c)
{
    PangoGlyphInfo *g = sole_glyph(c);
    if (!g || c->shape)
        return;
    const GlyphShape *halted = glyph_shape(ctx, c->analysis, c->info->ch, true);
    if (halted->glyph != g->glyph)
        return;
    g->geometry.width = halted->width;
    g->geometry.x_offset = halted->x_offset;
    c->trimmed = true;
}

/* CJK.md §2: the marks of a pair in a face without halt, which pango
   broke at their half widths (synthetic_halt_attrs), take their exact
   halved geometry: pango moves a letter-spaced glyph by half the spacing
   and gives half back at a line's ends. Where the face's own halt
   compressed the mark, HarfBuzz already did all of it. */
static void fit_pairs(WyParaCtx *ctx, size_t first, size_t last)
{
    for (size_t k = first; k <= last; k++) {
        Cluster *c = &ctx->clusters[k];
        if (c->shape || !c->info || !(c->info->flags & WY_CJK_HALT) || !sole_glyph(c))
            continue;
        if (glyph_shape(ctx, c->analysis, c->info->ch, true)->synthetic)
            set_halted(ctx, c);
    }
}

/* CJK.md §2: an opening mark starting a line loses its blank left half,
   except at a paragraph's start, where it keeps its em after the indent
   (the common mainland practice); a closing mark or stop ending a line
   loses its right half, so that the line can end flush. The breaks stay
   where pango put them: the glyphs are reshaped with halt in place and
   only narrow. */
static void trim_line_ends(WyParaCtx *ctx, size_t first, size_t last, bool paragraph_start)
{
    Cluster *head = &ctx->clusters[first], *tail = &ctx->clusters[last];
    if (!paragraph_start && cluster_class(head) == WY_CJK_OPENING)
        set_halted(ctx, head);
    if (wy_cjk_blank_right(cluster_class(tail)))
        set_halted(ctx, tail);
}

static void add_slot(WyParaCtx *ctx, WyCjkTier tier, int capacity, PangoGlyphInfo *glyph, int shift)
{
    if (ctx->n_slots == ctx->cap_slots) {
        ctx->cap_slots = ctx->cap_slots ? ctx->cap_slots * 2 : 64;
        ctx->slots = wy_xrealloc(ctx->slots, wy_mul_size(ctx->cap_slots, sizeof *ctx->slots));
        ctx->stretches = wy_xrealloc(ctx->stretches, wy_mul_size(ctx->cap_slots, sizeof *ctx->stretches));
    }
    ctx->slots[ctx->n_slots] = (WyCjkSlot){.tier = tier, .capacity = capacity};
    ctx->stretches[ctx->n_slots] = (Stretch){.glyph = glyph, .shift = shift};
    ctx->n_slots++;
}

/* The next cluster after K with a width, or LAST. */
static size_t next_visible(const WyParaCtx *ctx, size_t k, size_t last)
{
    size_t next = k + 1;
    while (next < last && cluster_width(&ctx->clusters[next]) == 0)
        next++;
    return next;
}

/* Shares AMOUNT among the slots gathered, widening (SIGN 1) or narrowing
   (SIGN -1) their glyphs. Returns what could not be placed. */
static int apply_slots(WyParaCtx *ctx, int amount, int sign)
{
    int left = wy_cjk_share(amount, ctx->slots, ctx->n_slots);
    for (size_t i = 0; i < ctx->n_slots; i++) {
        const WyCjkSlot *slot = &ctx->slots[i];
        Stretch *s = &ctx->stretches[i];
        s->glyph->geometry.width += sign * slot->amount;
        if (s->shift != 0 && slot->capacity > 0)
            s->glyph->geometry.x_offset += (int)((long long)s->shift * slot->amount / slot->capacity);
    }
    return left;
}

/* CJK.md §4, a line too short: the slack widens the Han–Latin gaps and the
   spaces a little (to ⅜ em, and by half), then goes evenly between
   characters. Latin words and ——/…… are never spaced out. */
static void stretch_line(WyParaCtx *ctx, size_t first, size_t last, int slack, bool chinese)
{
    ctx->n_slots = 0;
    for (size_t k = first; k < last; k++) {
        Cluster *c = &ctx->clusters[k];
        if (c->shape || !c->info || cluster_width(c) == 0)
            continue;
        PangoGlyphInfo *tail = &c->glyphs->glyphs[c->end - 1];
        Cluster *d = &ctx->clusters[next_visible(ctx, k, last)];
        if (c->gap_right || d->gap_left)
            add_slot(ctx, WY_CJK_TIER_GAP, (c->gap_right ? c->gap : d->gap) / 2, tail, 0);
        else if (chinese && c->info->cls == WY_CJK_SPACE)
            add_slot(ctx, WY_CJK_TIER_GAP, cluster_width(c) / 2, tail, 0);
        if (!c->shape && d->info && wy_cjk_stretchable(c->info, d->info, chinese))
            add_slot(ctx, WY_CJK_TIER_EVEN, 0, tail, 0);
    }
    apply_slots(ctx, slack, 1);
}

/* CJK.md §2 and §4, a line too long (pango had half an em more, see
   PUSH_IN_EM): full-width marks give up their blank halves first, then the
   Han–Latin gaps narrow to ⅛ em and spaces by a third. Returns the
   overflow left, which the caller must break again. */
static int shrink_line(WyParaCtx *ctx, size_t first, size_t last, int overflow, bool paragraph_start)
{
    ctx->n_slots = 0;
    for (size_t k = first; k <= last; k++) {
        Cluster *c = &ctx->clusters[k];
        PangoGlyphInfo *g = sole_glyph(c);
        uint8_t cls = cluster_class(c);
        bool opens_paragraph = paragraph_start && k == first; /* keeps its em, see trim_line_ends */
        if (g && !c->shape && !c->trimmed && !opens_paragraph && (cls == WY_CJK_OPENING || wy_cjk_blank_right(cls)) &&
            !(c->info->flags & WY_CJK_HALT)) {
            const GlyphShape *halted = glyph_shape(ctx, c->analysis, c->info->ch, true);
            const GlyphShape *natural = glyph_shape(ctx, c->analysis, c->info->ch, false);
            if (halted->glyph == g->glyph && g->geometry.width > halted->width) {
                /* the glyph gives up the blank on its left in proportion: all
                   of an opening mark's, half of a centred mark's */
                int capacity = g->geometry.width - halted->width, given = natural->width - halted->width;
                int shift = given > 0 ? (int)((long long)capacity * (halted->x_offset - natural->x_offset) / given) : 0;
                add_slot(ctx, WY_CJK_TIER_COMPRESSION, capacity, g, shift);
            }
        }
        if (k == last || c->shape || cluster_width(c) == 0)
            continue;
        PangoGlyphInfo *tail = &c->glyphs->glyphs[c->end - 1];
        Cluster *d = &ctx->clusters[next_visible(ctx, k, last)];
        if (c->gap_right || d->gap_left)
            add_slot(ctx, WY_CJK_TIER_GAP, (c->gap_right ? c->gap : d->gap) / 2, tail, 0);
        else if (cls == WY_CJK_SPACE)
            add_slot(ctx, WY_CJK_TIER_GAP, cluster_width(c) / 3, tail, 0);
    }
    return apply_slots(ctx, overflow, -1);
}

/* The width LINE must fill: the measure less the indent on its side. */
static int line_measure(const PangoLayout *layout, const PangoLayoutLine *line, int measure)
{
    int indent = pango_layout_get_indent((PangoLayout *)layout);
    if (line->is_paragraph_start && indent > 0)
        measure -= indent;
    else if (!line->is_paragraph_start && indent < 0)
        measure += indent;
    return measure;
}

static int line_width(const PangoLayoutLine *line)
{
    int width = 0;
    for (GSList *l = line->runs; l; l = l->next)
        width += pango_glyph_string_get_width(((PangoGlyphItem *)l->data)->glyphs);
    return width;
}

typedef struct FitRules {
    const WyCjkText *text;
    bool chinese;
    WyPunctuation punctuation;
    bool justify;
    int measure;     /* pango units; the layout may be wider, see PUSH_IN_EM */
} FitRules;

typedef enum FitResult {
    FIT_DONE,        /* every line within the measure */
    FIT_AGAIN,       /* lay out again, with the breaks of the lines too long forbidden */
    FIT_FAILED,      /* a line too long that forbidding its break cannot help */
} FitResult;

/* True when pango may break somewhere inside LINE other than at its ends. */
static bool breakable_inside(PangoLayout *layout, const PangoLayoutLine *line, const WyCjkText *t)
{
    int n_log = 0;
    const PangoLogAttr *log = pango_layout_get_log_attrs_readonly(layout, &n_log);
    const WyCjkChar *c = wy_cjk_text_at(t, (size_t)line->start_index);
    if (!c)
        return false;
    for (c++; c < t->chars + t->n_chars && c->byte < (uint32_t)(line->start_index + line->length); c++) {
        size_t i = (size_t)(c - t->chars);
        if ((int)i < n_log && (log[i].is_line_break || log[i].is_char_break))
            return true;
    }
    return false;
}

/* Forbids the break before byte AT of the text, in a copy of LAYOUT's
   attributes made on first use. */
static void forbid_break(PangoAttrList **attrs, PangoLayout *layout, const WyCjkText *t, size_t text_len, size_t at)
{
    const WyCjkChar *c = wy_cjk_text_at(t, at);
    if (!c || c == t->chars)
        return;
    if (!*attrs)
        *attrs = pango_attr_list_copy(pango_layout_get_attributes(layout));
    size_t i = (size_t)(c - t->chars);
    insert_attr(*attrs, pango_attr_allow_breaks_new(FALSE), c[-1].byte, char_end(t, i, text_len));
}

/* pango 1.50 moves each run of a line so that its script's baseline in
   its own face (for Han, the ideographic em box's bottom, from the BASE
   table or a fallback) meets that of the line's first run: a line that
   starts in bold Song has its regular runs set 0.2 pt lower, one that
   starts in regular has its bold runs higher. The faces of a role share
   one em box, and a line grid wants one baseline per line, so each run
   keeps only the rise the text asked for (superscripts). */
static void keep_runs_on_baseline(PangoLayoutLine *line)
{
    for (GSList *l = line->runs; l; l = l->next) {
        PangoGlyphItem *run = l->data;
        int rise = 0;
        for (const GSList *a = run->item->analysis.extra_attrs; a; a = a->next) {
            const PangoAttribute *attr = a->data;
            if (attr->klass->type == PANGO_ATTR_RISE)
                rise += ((const PangoAttrInt *)attr)->value;
        }
        run->y_offset = rise;
    }
}

/* Applies the rules that need the lines: gaps, line-end compression,
   push-in and justification. The lines are pango's own
   (pango_layout_get_lines, which stops pango caching their extents); only
   glyph widths and offsets change, as pango's own justification does.
   A line still too long has its break forbidden in *AGAIN. */
static FitResult fit_lines(WyParaCtx *ctx, PangoLayout *layout, const FitRules *rules, PangoAttrList **again)
{
    const char *text = pango_layout_get_text(layout);
    size_t text_len = strlen(text);
    FitResult result = FIT_DONE;
    for (GSList *l = pango_layout_get_lines(layout); l; l = l->next) {
        PangoLayoutLine *line = l->data;
        PangoLayoutLine *next = l->next ? l->next->data : NULL;
        bool last = !next || next->is_paragraph_start;
        keep_runs_on_baseline(line);
        if (!collect_clusters(ctx, line, text, rules->text))
            continue;
        size_t first = 0, end = ctx->n_clusters;
        while (first < end && cluster_width(&ctx->clusters[first]) == 0)
            first++;
        while (end > first && cluster_width(&ctx->clusters[end - 1]) == 0)
            end--;
        if (first == end)
            continue;
        if (rules->chinese) {
            fit_gaps(ctx, first, end - 1);
            fit_pairs(ctx, first, end - 1);
            if (rules->punctuation == WY_PUNCT_COMPRESSED)
                trim_line_ends(ctx, first, end - 1, line->is_paragraph_start);
        }
        int slack = line_measure(layout, line, rules->measure) - line_width(line);
        bool too_long = slack < 0 && rules->chinese &&
                        shrink_line(ctx, first, end - 1, -slack, line->is_paragraph_start) > 0;
        if (too_long && result != FIT_FAILED) {
            if (!last && breakable_inside(layout, line, rules->text)) {
                forbid_break(again, layout, rules->text, text_len, (size_t)next->start_index);
                result = FIT_AGAIN;
            } else {
                result = FIT_FAILED;
            }
        } else if (slack > 0 && rules->justify && !last) {
            stretch_line(ctx, first, end - 1, slack, rules->chinese);
        }
    }
    return result;
}

/* ---- pairs in faces without halt (CJK.md §2) ----------------------------- */

/* The `halt` attribute of feature_attrs does nothing in a face without
   the feature (AR PL UKai), so pango first breaks its marks at full width.
   Returns LAYOUT's attributes with letter spacing on each mark flagged
   WY_CJK_HALT that glyph_shape can halve by hand, taking it down to its
   half so that pango breaks the lines with the compressed widths; NULL
   when there is none, and the paragraph is not laid out again. Letter
   spacing on one character shrinks its own glyph only (pango 1.50 puts
   half before and half after it, and gives both back at a line's ends);
   fit_pairs then sets the exact geometry. */
static PangoAttrList *synthetic_halt_attrs(WyParaCtx *ctx, PangoLayout *layout, const WyCjkText *t)
{
    const char *text = pango_layout_get_text(layout);
    size_t text_len = strlen(text);
    PangoAttrList *attrs = NULL;
    for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next) {
        if (!collect_clusters(ctx, l->data, text, t))
            continue;
        for (size_t k = 0; k < ctx->n_clusters; k++) {
            const Cluster *c = &ctx->clusters[k];
            const PangoGlyphInfo *g = sole_glyph(c);
            if (!g || c->shape || !c->info || !(c->info->flags & WY_CJK_HALT))
                continue;
            const GlyphShape *halted = glyph_shape(ctx, c->analysis, c->info->ch, true);
            if (!halted->synthetic || halted->glyph != g->glyph)
                continue;
            int natural = glyph_shape(ctx, c->analysis, c->info->ch, false)->width;
            if (!attrs)
                attrs = pango_attr_list_copy(pango_layout_get_attributes(layout));
            size_t i = (size_t)(c->info - t->chars);
            insert_attr(attrs, pango_attr_letter_spacing_new(halted->width - natural), c->info->byte,
                        char_end(t, i, text_len));
        }
    }
    return attrs;
}

/* ---- 孤字 ----------------------------------------------------------------- */

/* CJK.md §4: no paragraph ends with a line holding one character (孤字).
   Forbids the break before such a character when the line above has
   another place to break, so it brings one more character down. Returns
   the attributes to lay out again with, or NULL when nothing changes. */
static PangoAttrList *lone_char_breaks(PangoLayout *layout, const WyCjkText *t, size_t text_len)
{
    int n_log = 0;
    const PangoLogAttr *log = pango_layout_get_log_attrs_readonly(layout, &n_log);
    PangoAttrList *attrs = NULL;
    const PangoLayoutLine *above = NULL;
    for (GSList *l = pango_layout_get_lines_readonly(layout); l; above = l->data, l = l->next) {
        const PangoLayoutLine *line = l->data;
        bool last = !l->next || ((PangoLayoutLine *)l->next->data)->is_paragraph_start;
        if (!last || line->is_paragraph_start || !above ||
            wy_cjk_visible_chars(t, (size_t)line->start_index, (size_t)(line->start_index + line->length)) != 1)
            continue;
        const WyCjkChar *lone = wy_cjk_text_at(t, (size_t)line->start_index);
        const WyCjkChar *top = wy_cjk_text_at(t, (size_t)above->start_index);
        if (!lone || !top || lone == t->chars)
            continue;
        size_t at = (size_t)(lone - t->chars);
        bool elsewhere = false;
        for (size_t m = (size_t)(top - t->chars) + 1; m < at && (int)m < n_log; m++)
            elsewhere |= log[m].is_line_break;
        if (!elsewhere)
            continue;
        if (!attrs)
            attrs = pango_attr_list_copy(pango_layout_get_attributes(layout));
        insert_attr(attrs, pango_attr_allow_breaks_new(FALSE), lone[-1].byte, char_end(t, at, text_len));
    }
    return attrs;
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

/* Breaks LAYOUT's lines with ATTRS (plus synthetic_halt_attrs and the
   孤字 rule) at the measure plus ALLOWANCE, then fits them; a line that
   stays too long is broken earlier, a few times at most. Returns false
   when one stays too long. */
static bool break_lines(WyParaCtx *ctx, PangoLayout *layout, PangoAttrList *attrs, const FitRules *rules,
                        int allowance)
{
    size_t text_len = strlen(pango_layout_get_text(layout));
    pango_layout_set_width(layout, rules->measure + allowance);
    pango_attr_list_ref(attrs);
    FitResult result = FIT_FAILED;
    for (int round = 0; round < MAX_FIT_ROUNDS; round++) {
        pango_layout_set_attributes(layout, attrs);
        PangoAttrList *halved = round == 0 ? synthetic_halt_attrs(ctx, layout, rules->text) : NULL;
        if (halved) {
            pango_layout_set_attributes(layout, halved);
            pango_attr_list_unref(attrs);
            attrs = halved;
        }
        PangoAttrList *lone = lone_char_breaks(layout, rules->text, text_len);
        if (lone) {
            pango_layout_set_attributes(layout, lone);
            pango_attr_list_unref(attrs);
            attrs = lone;
        }
        PangoAttrList *again = NULL;
        result = fit_lines(ctx, layout, rules, &again);
        if (result != FIT_AGAIN || !again) {
            if (again)
                pango_attr_list_unref(again);
            break;
        }
        pango_attr_list_unref(attrs);
        attrs = again;
        result = FIT_FAILED;
    }
    pango_attr_list_unref(attrs);
    return result == FIT_DONE;
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
    FitRules rules = {.chinese = is_cjk_language(style->lang) && !style->vertical,
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
    if (!break_lines(ctx, layout, attrs, &rules, push_in ? (int)(PUSH_IN_EM * style_size(style) * PANGO_SCALE) : 0) &&
        push_in)
        break_lines(ctx, layout, attrs, &rules, 0);
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
