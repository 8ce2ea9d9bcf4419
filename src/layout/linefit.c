#include "layout/linefit.h"

#include <hb-ot.h>
#include <string.h>

#include "base/mem.h"

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

struct WyLineFit {
    GHashTable *shapes; /* GlyphShape, by font, character and halt */
    /* per-line scratch, reused */
    Cluster *clusters;
    size_t n_clusters, cap_clusters;
    WyCjkSlot *slots;
    Stretch *stretches;
    size_t n_slots, cap_slots;
};

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


WyLineFit *wy_linefit_new(void)
{
    WyLineFit *lf = wy_xcalloc(1, sizeof *lf);
    lf->shapes = g_hash_table_new_full(shape_hash, shape_equal, shape_free, NULL);
    return lf;
}

void wy_linefit_free(WyLineFit *lf)
{
    if (!lf)
        return;
    g_hash_table_destroy(lf->shapes);
    free(lf->clusters);
    free(lf->slots);
    free(lf->stretches);
    free(lf);
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
static const GlyphShape *glyph_shape(WyLineFit *lf, const PangoAnalysis *analysis, gunichar ch, bool halt)
{
    GlyphShape key = {.font = analysis->font, .ch = ch, .halt = halt};
    GlyphShape *shape = g_hash_table_lookup(lf->shapes, &key);
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
        const GlyphShape *natural = glyph_shape(lf, analysis, ch, false);
        if (natural->glyph == shape->glyph && natural->width == shape->width &&
            natural->x_offset == shape->x_offset && natural->width > 0 && !face_has_halt(shape->font))
            synthesize_halt(shape, natural, (uint8_t)wy_cjk_class(ch));
    }
    g_hash_table_add(lf->shapes, shape);
    return shape;
}

static bool is_shape_item(const PangoItem *item)
{
    for (const GSList *l = item->analysis.extra_attrs; l; l = l->next)
        if (((const PangoAttribute *)l->data)->klass->type == PANGO_ATTR_SHAPE)
            return true;
    return false;
}

static Cluster *push_cluster(WyLineFit *lf)
{
    if (lf->n_clusters == lf->cap_clusters) {
        lf->cap_clusters = lf->cap_clusters ? lf->cap_clusters * 2 : 64;
        lf->clusters = wy_xrealloc(lf->clusters, wy_mul_size(lf->cap_clusters, sizeof *lf->clusters));
    }
    Cluster *c = &lf->clusters[lf->n_clusters++];
    memset(c, 0, sizeof *c);
    return c;
}

/* The clusters of LINE into lf->clusters. False for a right-to-left run,
   which the Chinese rules leave alone. */
static bool collect_clusters(WyLineFit *lf, PangoLayoutLine *line, const char *text, const WyCjkText *t)
{
    lf->n_clusters = 0;
    size_t cursor = t->n_chars;
    for (GSList *l = line->runs; l; l = l->next) {
        PangoGlyphItem *run = l->data;
        if (run->item->analysis.level % 2)
            return false;
        bool shape = is_shape_item(run->item);
        PangoGlyphItemIter it;
        for (gboolean more = pango_glyph_item_iter_init_start(&it, run, text); more;
             more = pango_glyph_item_iter_next_cluster(&it)) {
            Cluster *c = push_cluster(lf);
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
static void fit_gaps(WyLineFit *lf, size_t first, size_t last)
{
    for (size_t k = first; k <= last; k++) {
        Cluster *c = &lf->clusters[k];
        unsigned flags = c->info ? c->info->flags : 0;
        PangoGlyphInfo *g = sole_glyph(c);
        if (!(flags & (WY_CJK_GAP_BEFORE | WY_CJK_GAP_AFTER)) || !g || c->shape)
            continue;
        const GlyphShape *natural = glyph_shape(lf, c->analysis, c->info->ch, false);
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
static void set_halted(WyLineFit *lf, Cluster *c)
{
    PangoGlyphInfo *g = sole_glyph(c);
    if (!g || c->shape)
        return;
    const GlyphShape *halted = glyph_shape(lf, c->analysis, c->info->ch, true);
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
static void fit_pairs(WyLineFit *lf, size_t first, size_t last)
{
    for (size_t k = first; k <= last; k++) {
        Cluster *c = &lf->clusters[k];
        if (c->shape || !c->info || !(c->info->flags & WY_CJK_HALT) || !sole_glyph(c))
            continue;
        if (glyph_shape(lf, c->analysis, c->info->ch, true)->synthetic)
            set_halted(lf, c);
    }
}

/* CJK.md §2: an opening mark starting a line loses its blank left half,
   except at a paragraph's start, where it keeps its em after the indent
   (the common mainland practice); a closing mark or stop ending a line
   loses its right half, so that the line can end flush. The breaks stay
   where pango put them: the glyphs are reshaped with halt in place and
   only narrow. */
static void trim_line_ends(WyLineFit *lf, size_t first, size_t last, bool paragraph_start)
{
    Cluster *head = &lf->clusters[first], *tail = &lf->clusters[last];
    if (!paragraph_start && cluster_class(head) == WY_CJK_OPENING)
        set_halted(lf, head);
    if (wy_cjk_blank_right(cluster_class(tail)))
        set_halted(lf, tail);
}

static void add_slot(WyLineFit *lf, WyCjkTier tier, int capacity, PangoGlyphInfo *glyph, int shift)
{
    if (lf->n_slots == lf->cap_slots) {
        lf->cap_slots = lf->cap_slots ? lf->cap_slots * 2 : 64;
        lf->slots = wy_xrealloc(lf->slots, wy_mul_size(lf->cap_slots, sizeof *lf->slots));
        lf->stretches = wy_xrealloc(lf->stretches, wy_mul_size(lf->cap_slots, sizeof *lf->stretches));
    }
    lf->slots[lf->n_slots] = (WyCjkSlot){.tier = tier, .capacity = capacity};
    lf->stretches[lf->n_slots] = (Stretch){.glyph = glyph, .shift = shift};
    lf->n_slots++;
}

/* The next cluster after K with a width, or LAST. */
static size_t next_visible(const WyLineFit *lf, size_t k, size_t last)
{
    size_t next = k + 1;
    while (next < last && cluster_width(&lf->clusters[next]) == 0)
        next++;
    return next;
}

/* Shares AMOUNT among the slots gathered, widening (SIGN 1) or narrowing
   (SIGN -1) their glyphs. Returns what could not be placed. */
static int apply_slots(WyLineFit *lf, int amount, int sign)
{
    int left = wy_cjk_share(amount, lf->slots, lf->n_slots);
    for (size_t i = 0; i < lf->n_slots; i++) {
        const WyCjkSlot *slot = &lf->slots[i];
        Stretch *s = &lf->stretches[i];
        s->glyph->geometry.width += sign * slot->amount;
        if (s->shift != 0 && slot->capacity > 0)
            s->glyph->geometry.x_offset += (int)((long long)s->shift * slot->amount / slot->capacity);
    }
    return left;
}

/* CJK.md §4, a line too short: the slack widens the Han–Latin gaps and the
   spaces a little (to ⅜ em, and by half), then goes evenly between
   characters. Latin words and ——/…… are never spaced out. */
static void stretch_line(WyLineFit *lf, size_t first, size_t last, int slack, bool chinese)
{
    lf->n_slots = 0;
    for (size_t k = first; k < last; k++) {
        Cluster *c = &lf->clusters[k];
        if (c->shape || !c->info || cluster_width(c) == 0)
            continue;
        PangoGlyphInfo *tail = &c->glyphs->glyphs[c->end - 1];
        Cluster *d = &lf->clusters[next_visible(lf, k, last)];
        if (c->gap_right || d->gap_left)
            add_slot(lf, WY_CJK_TIER_GAP, (c->gap_right ? c->gap : d->gap) / 2, tail, 0);
        else if (chinese && c->info->cls == WY_CJK_SPACE)
            add_slot(lf, WY_CJK_TIER_GAP, cluster_width(c) / 2, tail, 0);
        if (!c->shape && d->info && wy_cjk_stretchable(c->info, d->info, chinese))
            add_slot(lf, WY_CJK_TIER_EVEN, 0, tail, 0);
    }
    apply_slots(lf, slack, 1);
}

/* CJK.md §2 and §4, a line too long (pango had half an em more, see
   the push-in of layout/para): full-width marks give up their blank halves first, then the
   Han–Latin gaps narrow to ⅛ em and spaces by a third. Returns the
   overflow left, which the caller must break again. */
static int shrink_line(WyLineFit *lf, size_t first, size_t last, int overflow, bool paragraph_start)
{
    lf->n_slots = 0;
    for (size_t k = first; k <= last; k++) {
        Cluster *c = &lf->clusters[k];
        PangoGlyphInfo *g = sole_glyph(c);
        uint8_t cls = cluster_class(c);
        bool opens_paragraph = paragraph_start && k == first; /* keeps its em, see trim_line_ends */
        if (g && !c->shape && !c->trimmed && !opens_paragraph && (cls == WY_CJK_OPENING || wy_cjk_blank_right(cls)) &&
            !(c->info->flags & WY_CJK_HALT)) {
            const GlyphShape *halted = glyph_shape(lf, c->analysis, c->info->ch, true);
            const GlyphShape *natural = glyph_shape(lf, c->analysis, c->info->ch, false);
            if (halted->glyph == g->glyph && g->geometry.width > halted->width) {
                /* the glyph gives up the blank on its left in proportion: all
                   of an opening mark's, half of a centred mark's */
                int capacity = g->geometry.width - halted->width, given = natural->width - halted->width;
                int shift = given > 0 ? (int)((long long)capacity * (halted->x_offset - natural->x_offset) / given) : 0;
                add_slot(lf, WY_CJK_TIER_COMPRESSION, capacity, g, shift);
            }
        }
        if (k == last || c->shape || cluster_width(c) == 0)
            continue;
        PangoGlyphInfo *tail = &c->glyphs->glyphs[c->end - 1];
        Cluster *d = &lf->clusters[next_visible(lf, k, last)];
        if (c->gap_right || d->gap_left)
            add_slot(lf, WY_CJK_TIER_GAP, (c->gap_right ? c->gap : d->gap) / 2, tail, 0);
        else if (cls == WY_CJK_SPACE)
            add_slot(lf, WY_CJK_TIER_GAP, cluster_width(c) / 3, tail, 0);
    }
    return apply_slots(lf, overflow, -1);
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
    wy_attr_insert(*attrs, pango_attr_allow_breaks_new(FALSE), c[-1].byte, wy_cjk_char_end(t, i, text_len));
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
static FitResult fit_lines(WyLineFit *lf, PangoLayout *layout, const WyFitRules *rules, PangoAttrList **again)
{
    const char *text = pango_layout_get_text(layout);
    size_t text_len = strlen(text);
    FitResult result = FIT_DONE;
    for (GSList *l = pango_layout_get_lines(layout); l; l = l->next) {
        PangoLayoutLine *line = l->data;
        PangoLayoutLine *next = l->next ? l->next->data : NULL;
        bool last = !next || next->is_paragraph_start;
        keep_runs_on_baseline(line);
        if (!collect_clusters(lf, line, text, rules->text))
            continue;
        size_t first = 0, end = lf->n_clusters;
        while (first < end && cluster_width(&lf->clusters[first]) == 0)
            first++;
        while (end > first && cluster_width(&lf->clusters[end - 1]) == 0)
            end--;
        if (first == end)
            continue;
        if (rules->chinese) {
            fit_gaps(lf, first, end - 1);
            fit_pairs(lf, first, end - 1);
            if (rules->punctuation == WY_PUNCT_COMPRESSED)
                trim_line_ends(lf, first, end - 1, line->is_paragraph_start);
        }
        int slack = line_measure(layout, line, rules->measure) - line_width(line);
        bool too_long = slack < 0 && rules->chinese &&
                        shrink_line(lf, first, end - 1, -slack, line->is_paragraph_start) > 0;
        if (too_long && result != FIT_FAILED) {
            if (!last && breakable_inside(layout, line, rules->text)) {
                forbid_break(again, layout, rules->text, text_len, (size_t)next->start_index);
                result = FIT_AGAIN;
            } else {
                result = FIT_FAILED;
            }
        } else if (slack > 0 && rules->justify && !last) {
            stretch_line(lf, first, end - 1, slack, rules->chinese);
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
static bool has_pairs(const WyCjkText *t)
{
    for (size_t i = 0; i < t->n_chars; i++)
        if (t->chars[i].flags & WY_CJK_HALT)
            return true;
    return false;
}

static PangoAttrList *synthetic_halt_attrs(WyLineFit *lf, PangoLayout *layout, const WyCjkText *t)
{
    if (!has_pairs(t))
        return NULL; /* most paragraphs: nothing to look at line by line */
    const char *text = pango_layout_get_text(layout);
    size_t text_len = strlen(text);
    PangoAttrList *attrs = NULL;
    for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next) {
        if (!collect_clusters(lf, l->data, text, t))
            continue;
        for (size_t k = 0; k < lf->n_clusters; k++) {
            const Cluster *c = &lf->clusters[k];
            const PangoGlyphInfo *g = sole_glyph(c);
            if (!g || c->shape || !c->info || !(c->info->flags & WY_CJK_HALT))
                continue;
            const GlyphShape *halted = glyph_shape(lf, c->analysis, c->info->ch, true);
            if (!halted->synthetic || halted->glyph != g->glyph)
                continue;
            int natural = glyph_shape(lf, c->analysis, c->info->ch, false)->width;
            if (!attrs)
                attrs = pango_attr_list_copy(pango_layout_get_attributes(layout));
            size_t i = (size_t)(c->info - t->chars);
            wy_attr_insert(attrs, pango_attr_letter_spacing_new(halted->width - natural), c->info->byte,
                           wy_cjk_char_end(t, i, text_len));
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
        wy_attr_insert(attrs, pango_attr_allow_breaks_new(FALSE), lone[-1].byte, wy_cjk_char_end(t, at, text_len));
    }
    return attrs;
}


/* Times a paragraph is broken again to bring a line too long back. */
#define MAX_FIT_ROUNDS 4

/* Breaks LAYOUT's lines with ATTRS (plus synthetic_halt_attrs and the
   孤字 rule) at the measure plus ALLOWANCE, then fits them; a line that
   stays too long is broken earlier, a few times at most. Returns false
   when one stays too long. */
bool wy_linefit_break(WyLineFit *lf, PangoLayout *layout, PangoAttrList *attrs, const WyFitRules *rules,
                      int allowance)
{
    size_t text_len = strlen(pango_layout_get_text(layout));
    pango_layout_set_width(layout, rules->measure + allowance);
    pango_attr_list_ref(attrs);
    FitResult result = FIT_FAILED;
    for (int round = 0; round < MAX_FIT_ROUNDS; round++) {
        pango_layout_set_attributes(layout, attrs);
        PangoAttrList *halved = round == 0 ? synthetic_halt_attrs(lf, layout, rules->text) : NULL;
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
        result = fit_lines(lf, layout, rules, &again);
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

