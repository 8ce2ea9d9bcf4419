#include "render/draw.h"

#include <hb.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "base/mem.h"
#include "layout/cjk.h"
#include "base/fontpages.h"

typedef enum DrawResult {
    DRAWN,
    BAD_ITEM,  /* layout produced something that cannot be drawn: internal */
    REPORTED,  /* the item's input is at fault; the error is recorded */
} DrawResult;

static void set_color(cairo_t *cr, WyColor color)
{
    cairo_set_source_rgb(cr, ((color >> 16) & 0xff) / 255.0, ((color >> 8) & 0xff) / 255.0,
                         (color & 0xff) / 255.0);
}

/* A NaN or infinite coordinate puts cairo into an error state that blanks
   the rest of the page. */
static bool geometry_finite(const WyItem *item)
{
    return isfinite(item->x) && isfinite(item->y) && isfinite(item->w) && isfinite(item->h) &&
           isfinite(item->stroke_width);
}

/* ---- text ------------------------------------------------------------------ */

/* Text extractors (poppler: pdftotext and the viewers built on it) insert
   a space wherever two glyphs are more than about 0.1 em apart, so the ¼ em
   layout puts between an ideograph and a Latin letter (CJK.md §3) would
   copy as "社工用 PDF". The Latin character's cluster therefore also
   carries an invisible space glyph that fills the gap: cairo writes the
   cluster as /ActualText with the source character alone, and the gap is
   no longer empty. The ideograph keeps a one-to-one cluster, so its
   ToUnicode entry is its own character (a glyph first mapped inside
   /ActualText would take the lowest code point of the font's cmap — for
   用 the Kangxi radical ⽤). Gaps narrower than this fraction of an em need
   no filling. */
#define GAP_FILL_MIN_EM 0.05
/* Between two ideographs poppler keeps characters less than a tenth of
   the font size apart in one word (TextOutputDev's minWordBreakSpace), so
   the slack of an ordinary justified line needs no filling; letter-spaced
   names and loose lines do. */
#define HAN_GAP_FILL_MIN_EM 0.1

/* A pango renderer drawing each run with cairo_show_text_glyphs, as
   pango's cairo renderer does, plus the gap fillers. */
typedef struct WyTextRenderer {
    PangoRenderer parent;
    cairo_t *cr;
    double x, y;            /* the line's origin in user space */
    PangoLayoutLine *line;
    bool vertical;          /* the line is a column: each run is one cluster */
    cairo_glyph_t *glyphs;  /* scratch, reused across runs */
    cairo_text_cluster_t *clusters;
    int cap;
    bool *first_use;        /* set when a face is drawn for the first time; NULL = release at once */
} WyTextRenderer;

typedef struct WyTextRendererClass {
    PangoRendererClass parent_class;
} WyTextRendererClass;

GType wy_text_renderer_get_type(void);
G_DEFINE_TYPE(WyTextRenderer, wy_text_renderer, PANGO_TYPE_RENDERER)

static gunichar char_at(const char *text, const PangoGlyphItem *run, int glyph)
{
    return g_utf8_get_char(text + run->item->offset + run->glyphs->log_clusters[glyph]);
}

static int natural_advance(PangoFont *font, PangoGlyph glyph)
{
    PangoRectangle logical;
    pango_font_get_glyph_extents(font, glyph, NULL, &logical);
    return logical.width;
}

/* The space glyph of FONT and its advance, or false when it has none. */
static bool filler_glyph(PangoFont *font, PangoGlyph *glyph, int *advance)
{
    hb_codepoint_t gid = 0;
    if (!hb_font_get_nominal_glyph(pango_font_get_hb_font(font), ' ', &gid) || gid == 0)
        return false;
    *glyph = gid;
    *advance = natural_advance(font, gid);
    return true;
}

static bool glyph_maps_back(hb_font_t *font, gunichar ch, PangoGlyph glyph);

/* Where the filler before RUN starts (pango units from the line origin):
   RUN begins with a Latin character right after an ideograph, or with an
   ideograph whose glyph maps back to it (see glyph_maps_back) after any
   glyph, with a gap between them (the ¼ em of CJK.md §3, or letter
   spacing). X is RUN's start. False when there is nothing to fill. */
static bool filler_before(const char *text, const PangoGlyphItem *prev, const PangoGlyphItem *run, int x, int em,
                          int *at)
{
    if (!prev || prev->glyphs->num_glyphs == 0 || run->glyphs->num_glyphs == 0)
        return false;
    int last = prev->glyphs->num_glyphs - 1;
    gunichar first = char_at(text, run, 0);
    const PangoGlyphInfo *head = &run->glyphs->glyphs[0];
    WyCjkClass before = wy_cjk_class(char_at(text, prev, last));
    bool latin_after_han = before == WY_CJK_IDEOGRAPH && wy_cjk_class(first) == WY_CJK_LATIN;
    /* after a Latin letter the gap is filled by filler_after, on its side */
    bool one_glyph = run->glyphs->num_glyphs == 1 || run->glyphs->log_clusters[1] != 0;
    bool han = before != WY_CJK_LATIN && wy_cjk_class(first) == WY_CJK_IDEOGRAPH && one_glyph &&
               !(head->glyph & PANGO_GLYPH_UNKNOWN_FLAG) &&
               glyph_maps_back(pango_font_get_hb_font(run->item->analysis.font), first, head->glyph);
    if (!latin_after_han && !han)
        return false;
    const PangoGlyphInfo *tail = &prev->glyphs->glyphs[last];
    if (tail->glyph & PANGO_GLYPH_UNKNOWN_FLAG)
        return false;
    *at = x - tail->geometry.width + tail->geometry.x_offset + natural_advance(prev->item->analysis.font, tail->glyph);
    return x + head->geometry.x_offset - *at > (han ? HAN_GAP_FILL_MIN_EM : GAP_FILL_MIN_EM) * em;
}

/* Whether RUN's last glyph is its last cluster's only glyph and that
   cluster one character. */
static bool ends_in_one_char(const char *text, const PangoGlyphItem *run)
{
    int last = run->glyphs->num_glyphs - 1;
    const char *c = text + run->item->offset + run->glyphs->log_clusters[last];
    return (last == 0 || run->glyphs->log_clusters[last - 1] != run->glyphs->log_clusters[last]) &&
           g_utf8_next_char(c) == text + run->item->offset + run->item->length;
}

/* Where the filler after RUN ends: RUN ends with a Latin character right
   before an ideograph; or with a character whose glyph maps back to it
   right before an ideograph whose glyph does not (which filler_before
   therefore leaves alone), the gap wider than HAN_GAP_FILL_MIN_EM. X is
   RUN's start. */
static bool filler_after(const char *text, const PangoGlyphItem *run, const PangoGlyphItem *next, int x, int em,
                         int *at)
{
    if (!next || next->glyphs->num_glyphs == 0 || run->glyphs->num_glyphs == 0)
        return false;
    int last = run->glyphs->num_glyphs - 1;
    gunichar tail_ch = char_at(text, run, last), head_ch = char_at(text, next, 0);
    const PangoGlyphInfo *tail = &run->glyphs->glyphs[last], *head = &next->glyphs->glyphs[0];
    if (wy_cjk_class(head_ch) != WY_CJK_IDEOGRAPH || (tail->glyph & PANGO_GLYPH_UNKNOWN_FLAG) ||
        (head->glyph & PANGO_GLYPH_UNKNOWN_FLAG))
        return false;
    bool latin = wy_cjk_class(tail_ch) == WY_CJK_LATIN;
    bool han = !latin && ends_in_one_char(text, run) &&
               glyph_maps_back(pango_font_get_hb_font(run->item->analysis.font), tail_ch, tail->glyph) &&
               !glyph_maps_back(pango_font_get_hb_font(next->item->analysis.font), head_ch, head->glyph);
    if (!latin && !han)
        return false;
    int end = x + pango_glyph_string_get_width(run->glyphs);
    int tail_end = end - tail->geometry.width + tail->geometry.x_offset +
                   natural_advance(run->item->analysis.font, tail->glyph);
    *at = end + head->geometry.x_offset;
    return *at - tail_end > (latin ? GAP_FILL_MIN_EM : HAN_GAP_FILL_MIN_EM) * em;
}

static void reserve(WyTextRenderer *tr, int n)
{
    if (n <= tr->cap)
        return;
    tr->cap = n + 16;
    tr->glyphs = wy_xrealloc(tr->glyphs, wy_mul_size((size_t)tr->cap, sizeof *tr->glyphs));
    tr->clusters = wy_xrealloc(tr->clusters, wy_mul_size((size_t)tr->cap, sizeof *tr->clusters));
}

static void set_part_color(PangoRenderer *renderer, cairo_t *cr, PangoRenderPart part)
{
    const PangoColor *color = pango_renderer_get_color(renderer, part);
    guint16 alpha = pango_renderer_get_alpha(renderer, part);
    if (color)
        cairo_set_source_rgba(cr, color->red / 65535., color->green / 65535., color->blue / 65535.,
                              alpha ? alpha / 65535. : 1.0);
}

static cairo_glyph_t place(const WyTextRenderer *tr, PangoGlyph glyph, int x, int y)
{
    return (cairo_glyph_t){glyph, tr->x + x / (double)PANGO_SCALE, tr->y + y / (double)PANGO_SCALE};
}

/* A character the fonts lack: a box where it goes (the coverage check
   reports it by name), as pango's cairo renderer draws, without the hex
   digits. Adds to the current path. */
static void box_unknown(const WyTextRenderer *tr, PangoFont *font, const PangoGlyphInfo *gi, int x, int y)
{
    if (gi->glyph == (0x20 | PANGO_GLYPH_UNKNOWN_FLAG))
        return;
    PangoRectangle ink;
    pango_font_get_glyph_extents(font, gi->glyph, &ink, NULL);
    cairo_rectangle(tr->cr, tr->x + (x + ink.x) / (double)PANGO_SCALE, tr->y + (y + ink.y) / (double)PANGO_SCALE,
                    ink.width / (double)PANGO_SCALE, ink.height / (double)PANGO_SCALE);
}

/* A glyph drawn last in a run, for the gaps inside it. */
typedef struct Drawn {
    int end;          /* its natural end (pango units from the line origin), -1 when unknown */
    gunichar ch;      /* its character, when its cluster is one character and one glyph */
    PangoGlyph glyph;
} Drawn;

/* A gap inside a run wider than HAN_GAP_FILL_MIN_EM between the glyph before
   (PREV) and the one-glyph cluster at IT, drawn at GX: letter-spaced names
   (李 and 明 set an em apart) and the gaps of a loose justified line, which
   extractors would copy as "李 明". As with the Han–Latin gaps a filler
   covers it, inside the cluster of a character whose glyph maps back to it
   (see glyph_maps_back): the one after the gap (*AFTER true) or else the
   one before it. False when neither may take it. */
static bool gap_inside_run(const char *text, const PangoGlyphItem *run, const PangoGlyphItemIter *it, int gx,
                           const Drawn *prev, int em, bool *after)
{
    const PangoGlyphInfo *gi = &run->glyphs->glyphs[it->start_glyph];
    if (prev->end < 0 || it->end_glyph - it->start_glyph != 1 || (gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) ||
        gx - prev->end <= HAN_GAP_FILL_MIN_EM * em)
        return false;
    hb_font_t *hb = pango_font_get_hb_font(run->item->analysis.font);
    gunichar ch = g_utf8_get_char(text + it->start_index);
    bool one_char = g_utf8_next_char(text + it->start_index) == text + it->end_index;
    *after = one_char && glyph_maps_back(hb, ch, gi->glyph);
    return *after || (prev->ch && glyph_maps_back(hb, prev->ch, prev->glyph));
}

/* Puts RUN's glyphs, drawn at X, Y (pango units from the line origin), in
   the scratch arrays with one cluster per pango cluster, as pango's cairo
   renderer does; empty glyphs are left out and unknown ones boxed. A
   FILLER (0 for none: vertical text) of FILLER_ADVANCE covers each gap
   inside the run (see gap_inside_run). Returns the number of clusters. */
static int run_glyphs(WyTextRenderer *tr, const char *text, PangoGlyphItem *run, int x, int y, int em,
                      PangoGlyph filler, int filler_advance, int *count)
{
    hb_font_t *hb = filler ? pango_font_get_hb_font(run->item->analysis.font) : NULL;
    int n_clusters = 0;
    Drawn prev = {-1, 0, 0};
    PangoGlyphItemIter it;
    for (gboolean more = pango_glyph_item_iter_init_start(&it, run, text); more;
         more = pango_glyph_item_iter_next_cluster(&it)) {
        int in_cluster = 0;
        int gx0 = x + run->glyphs->glyphs[it.start_glyph].geometry.x_offset;
        bool after = false;
        if (hb && gap_inside_run(text, run, &it, gx0, &prev, em, &after)) {
            if (after) {
                tr->glyphs[(*count)++] = place(tr, filler, prev.end, y), in_cluster++;
            } else {
                tr->glyphs[(*count)++] = place(tr, filler, gx0 - filler_advance, y);
                tr->clusters[n_clusters - 1].num_glyphs++;
            }
        }
        prev = (Drawn){-1, 0, 0};
        bool one = it.end_glyph - it.start_glyph == 1;
        for (int i = it.start_glyph; i < it.end_glyph; i++) {
            const PangoGlyphInfo *gi = &run->glyphs->glyphs[i];
            int gx = x + gi->geometry.x_offset, gy = y + gi->geometry.y_offset;
            if (gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) {
                box_unknown(tr, run->item->analysis.font, gi, gx, gy);
            } else if (gi->glyph != PANGO_GLYPH_EMPTY) {
                tr->glyphs[(*count)++] = place(tr, gi->glyph, gx, gy), in_cluster++;
                if (hb && one) {
                    const char *c = text + it.start_index;
                    bool one_char = g_utf8_next_char(c) == text + it.end_index;
                    prev = (Drawn){gx + hb_font_get_glyph_h_advance(hb, gi->glyph), one_char ? g_utf8_get_char(c) : 0,
                                   gi->glyph};
                }
            }
            x += gi->geometry.width;
        }
        tr->clusters[n_clusters++] = (cairo_text_cluster_t){it.end_index - it.start_index, in_cluster};
    }
    return n_clusters;
}

/* Whether a reader that ignores /ActualText still gets CH back from GLYPH
   of FONT. cairo writes the ToUnicode entry of a glyph drawn only inside
   /ActualText from the font's cmap, taking the lowest code point that maps
   to it: for 文 or 用 that is the Kangxi radical ⽂ or ⽤ (U+2F00–U+2FDF)
   or a CJK radical supplement form, and for a vertical form (︵ for （) no
   code point at all. */
/* The glyphs of FONT's face that a CJK or Kangxi radical (U+2E80–U+2FDF)
   maps to, as GUINT_TO_POINTER(glyph + 1): computed once per face, kept
   with it. */
static GHashTable *radical_glyphs(hb_font_t *font)
{
    static hb_user_data_key_t key;
    hb_face_t *face = hb_font_get_face(font);
    GHashTable *set = hb_face_get_user_data(face, &key);
    if (set)
        return set;
    set = g_hash_table_new(NULL, NULL);
    for (hb_codepoint_t radical = 0x2E80; radical <= 0x2FDF; radical++) {
        hb_codepoint_t gid = 0;
        if (hb_font_get_nominal_glyph(font, radical, &gid))
            g_hash_table_add(set, GUINT_TO_POINTER(gid + 1));
    }
    if (!hb_face_set_user_data(face, &key, set, (hb_destroy_func_t)g_hash_table_destroy, false)) {
        g_hash_table_destroy(set);
        return NULL;
    }
    return set;
}

static bool glyph_maps_back(hb_font_t *font, gunichar ch, PangoGlyph glyph)
{
    hb_codepoint_t gid = 0;
    if (!hb_font_get_nominal_glyph(font, ch, &gid) || gid != glyph)
        return false;
    if (ch < 0x2E80)
        return true; /* below every radical: the lowest code point of its glyph */
    GHashTable *radicals = radical_glyphs(font);
    return radicals && !g_hash_table_contains(radicals, GUINT_TO_POINTER(glyph + 1));
}

/* Text extractors know no vertical writing: upright glyphs one below the
   other come out one character per line. A run drawn as one cluster is
   written with /ActualText, which extractors built on poppler copy in one
   piece; but readers going by ToUnicode alone (pdfminer, search indexes)
   would see a radical for 文 or nothing for a vertical bracket. So a run
   is joined only when every glyph maps back to its character; otherwise
   each keeps its own cluster, which gives every glyph a ToUnicode entry of
   the right character. N clusters of the run's TEXT are in the scratch
   arrays; returns how many are left. */
static int join_vertical_clusters(WyTextRenderer *tr, const char *text, PangoFont *font, int n)
{
    hb_font_t *hb = pango_font_get_hb_font(font);
    int glyph = 0, byte = 0;
    for (int k = 0; k < n; k++) {
        cairo_text_cluster_t c = tr->clusters[k];
        bool one_to_one = c.num_glyphs == 1 && c.num_bytes == g_utf8_skip[(unsigned char)text[byte]];
        if (!one_to_one || !glyph_maps_back(hb, g_utf8_get_char(text + byte), tr->glyphs[glyph].index))
            return n;
        glyph += c.num_glyphs;
        byte += c.num_bytes;
    }
    tr->clusters[0] = (cairo_text_cluster_t){byte, glyph};
    return 1;
}

/* A face drawn for the first time has been read whole: laying it out
   touched much of it, and cairo's PDF surface loads its entire CFF table
   to see how to embed it when the page is shown. Its pages go back to the
   system then (see base/fontpages.h), so that a page using four CJK faces
   does not hold all four: at once when nothing waits for the page
   (tr->first_use NULL), else after the page through *first_use. Marked on
   the face, which pango keeps for the process. */
static const cairo_user_data_key_t face_drawn_key;

static void release_after_first_use(WyTextRenderer *tr, cairo_scaled_font_t *scaled)
{
    cairo_font_face_t *face = cairo_scaled_font_get_font_face(scaled);
    if (cairo_font_face_get_user_data(face, &face_drawn_key))
        return;
    if (cairo_font_face_set_user_data(face, &face_drawn_key, (void *)&face_drawn_key, NULL) != CAIRO_STATUS_SUCCESS)
        return;
    if (tr->first_use)
        *tr->first_use = true;
    else
        wy_font_pages_release();
}

static void text_renderer_draw_glyph_item(PangoRenderer *renderer, const char *text, PangoGlyphItem *run, int x,
                                          int y)
{
    WyTextRenderer *tr = (WyTextRenderer *)renderer;
    PangoFont *font = run->item->analysis.font;
    cairo_scaled_font_t *scaled = font ? pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font)) : NULL;
    if (!scaled || run->item->analysis.level % 2)
        return; /* Chinese documents have no right-to-left runs */
    const PangoGlyphItem *prev = NULL, *next = NULL;
    for (GSList *l = tr->line ? tr->line->runs : NULL; l; l = l->next) {
        if (l->data == run) {
            next = l->next ? l->next->data : NULL;
            break;
        }
        prev = l->data;
    }
    cairo_matrix_t font_matrix;
    cairo_scaled_font_get_font_matrix(scaled, &font_matrix);
    int em = (int)(font_matrix.yy * PANGO_SCALE);
    int before_at = 0, after_at = 0, filler_advance = 0;
    PangoGlyph filler = 0;
    bool fill = !tr->vertical && filler_glyph(font, &filler, &filler_advance);
    bool before = fill && filler_before(text, prev, run, x, em, &before_at);
    bool after = fill && filler_after(text, run, next, x, em, &after_at);

    /* room for a filler before every glyph, and one at each end */
    reserve(tr, 2 * run->glyphs->num_glyphs + 2);
    cairo_save(tr->cr);
    cairo_new_path(tr->cr);
    int count = 0;
    if (before)
        tr->glyphs[count++] = place(tr, filler, before_at, y);
    int n_clusters = run_glyphs(tr, text, run, x, y, em, fill ? filler : 0, filler_advance, &count);
    if (tr->vertical && n_clusters > 1)
        n_clusters = join_vertical_clusters(tr, text + run->item->offset, font, n_clusters);
    if (n_clusters > 0 && before)
        tr->clusters[0].num_glyphs++;
    if (n_clusters > 0 && after) {
        tr->glyphs[count++] = place(tr, filler, after_at - filler_advance, y);
        tr->clusters[n_clusters - 1].num_glyphs++;
    }
    set_part_color(renderer, tr->cr, PANGO_RENDER_PART_FOREGROUND);
    cairo_set_scaled_font(tr->cr, scaled);
    cairo_show_text_glyphs(tr->cr, text + run->item->offset, run->item->length, tr->glyphs, count, tr->clusters,
                           n_clusters, 0);
    release_after_first_use(tr, scaled);
    cairo_set_line_width(tr->cr, em / (double)PANGO_SCALE / 20);
    cairo_stroke(tr->cr);
    cairo_restore(tr->cr);
}

/* Glyphs without their text (pango draws none this way through
   pango_renderer_draw_layout_line; kept for completeness). */
static void text_renderer_draw_glyphs(PangoRenderer *renderer, PangoFont *font, PangoGlyphString *glyphs, int x,
                                      int y)
{
    WyTextRenderer *tr = (WyTextRenderer *)renderer;
    cairo_scaled_font_t *scaled = font ? pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font)) : NULL;
    if (!scaled)
        return;
    reserve(tr, glyphs->num_glyphs);
    int count = 0;
    for (int i = 0; i < glyphs->num_glyphs; i++) {
        const PangoGlyphInfo *gi = &glyphs->glyphs[i];
        if (gi->glyph != PANGO_GLYPH_EMPTY && !(gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG))
            tr->glyphs[count++] = place(tr, gi->glyph, x + gi->geometry.x_offset, y + gi->geometry.y_offset);
        x += gi->geometry.width;
    }
    cairo_save(tr->cr);
    set_part_color(renderer, tr->cr, PANGO_RENDER_PART_FOREGROUND);
    cairo_set_scaled_font(tr->cr, scaled);
    cairo_show_glyphs(tr->cr, tr->glyphs, count);
    cairo_restore(tr->cr);
}

/* Underlines (links, underlined spans), overlines and strike-throughs. */
static void text_renderer_draw_rectangle(PangoRenderer *renderer, PangoRenderPart part, int x, int y, int width,
                                         int height)
{
    WyTextRenderer *tr = (WyTextRenderer *)renderer;
    cairo_save(tr->cr);
    set_part_color(renderer, tr->cr, part);
    cairo_rectangle(tr->cr, tr->x + x / (double)PANGO_SCALE, tr->y + y / (double)PANGO_SCALE,
                    width / (double)PANGO_SCALE, height / (double)PANGO_SCALE);
    cairo_fill(tr->cr);
    cairo_restore(tr->cr);
}

static void wy_text_renderer_finalize(GObject *object)
{
    WyTextRenderer *tr = (WyTextRenderer *)object;
    free(tr->glyphs);
    free(tr->clusters);
    G_OBJECT_CLASS(wy_text_renderer_parent_class)->finalize(object);
}

static void wy_text_renderer_init(WyTextRenderer *tr)
{
    (void)tr;
}

static void wy_text_renderer_class_init(WyTextRendererClass *klass)
{
    PangoRendererClass *renderer_class = PANGO_RENDERER_CLASS(klass);
    renderer_class->draw_glyph_item = text_renderer_draw_glyph_item;
    renderer_class->draw_glyphs = text_renderer_draw_glyphs;
    renderer_class->draw_rectangle = text_renderer_draw_rectangle;
    G_OBJECT_CLASS(klass)->finalize = wy_text_renderer_finalize;
}

/* Draws the line with its origin (left end of the baseline) at the item's
   x, y, turned clockwise about it for vertical text (its glyphs were laid
   sideways with gravity east, so they come out upright). The source is
   black unless a run has a colour. */
static DrawResult draw_text(cairo_t *cr, const WyItem *item, WyTextRenderer *tr)
{
    if (!item->layout)
        return BAD_ITEM;
    PangoLayoutLine *line = pango_layout_get_line_readonly(item->layout, item->line_index);
    if (!line)
        return BAD_ITEM;
    cairo_set_source_rgb(cr, 0, 0, 0);
    tr->cr = cr;
    tr->x = item->x;
    tr->y = item->y;
    tr->vertical = item->rotation == 90;
    if (tr->vertical) {
        cairo_translate(cr, item->x, item->y);
        cairo_rotate(cr, M_PI / 2);
        tr->x = tr->y = 0;
    }
    tr->line = line;
    pango_renderer_draw_layout_line(&tr->parent, line, 0, 0);
    tr->line = NULL;
    tr->cr = NULL;
    return DRAWN;
}

static DrawResult draw_rect(cairo_t *cr, const WyItem *item)
{
    cairo_rectangle(cr, item->x, item->y, item->w, item->h);
    if (item->fill != WY_COLOR_NONE) {
        set_color(cr, item->fill);
        cairo_fill_preserve(cr);
    }
    if (item->stroke != WY_COLOR_NONE && item->stroke_width > 0) {
        set_color(cr, item->stroke);
        cairo_set_line_width(cr, item->stroke_width);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
        cairo_stroke_preserve(cr);
    }
    cairo_new_path(cr);
    return DRAWN;
}

/* Butt caps: a rule ends exactly where layout says, so rules meeting at a
   table corner do not overshoot. */
static DrawResult draw_line(cairo_t *cr, const WyItem *item)
{
    if (item->stroke == WY_COLOR_NONE || item->stroke_width <= 0)
        return DRAWN;
    cairo_move_to(cr, item->x, item->y);
    cairo_line_to(cr, item->x + item->w, item->y + item->h);
    set_color(cr, item->stroke);
    cairo_set_line_width(cr, item->stroke_width);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_stroke(cr);
    return DRAWN;
}

static DrawResult draw_image(cairo_t *cr, const WyItem *item, WyPictureCache *pictures, WyDiag *d)
{
    if (!item->image)
        return BAD_ITEM;
    if (item->w <= 0 || item->h <= 0)
        return DRAWN; /* nothing to see; scaling by 0 would break the matrix */
    cairo_surface_t *picture = wy_picture_cache_get(pictures, item->image, item->loc, d);
    if (!picture)
        return REPORTED;
    int width_px = cairo_image_surface_get_width(picture);
    int height_px = cairo_image_surface_get_height(picture);
    cairo_translate(cr, item->x, item->y);
    cairo_scale(cr, item->w / width_px, item->h / height_px);
    cairo_set_source_surface(cr, picture, 0, 0);
    /* GOOD smooths PNG previews; a PDF viewer gets /Interpolate. */
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_rectangle(cr, 0, 0, width_px, height_px);
    cairo_fill(cr);
    return DRAWN;
}

static DrawResult draw_item(cairo_t *cr, const WyItem *item, WyTextRenderer *tr, WyPictureCache *pictures,
                            WyDiag *d)
{
    if (!geometry_finite(item))
        return BAD_ITEM;
    switch (item->kind) {
    case WY_ITEM_TEXT:
        return draw_text(cr, item, tr);
    case WY_ITEM_RECT:
        return draw_rect(cr, item);
    case WY_ITEM_LINE:
        return draw_line(cr, item);
    case WY_ITEM_IMAGE:
        return draw_image(cr, item, pictures, d);
    }
    return BAD_ITEM;
}

static const char *kind_name(WyItemKind kind)
{
    switch (kind) {
    case WY_ITEM_TEXT:
        return "text line";
    case WY_ITEM_RECT:
        return "rectangle";
    case WY_ITEM_LINE:
        return "rule";
    case WY_ITEM_IMAGE:
        return "picture";
    }
    return "unknown item";
}

static void report_bad_item(const WyItem *item, size_t page_index, const char *output, WyDiag *d)
{
    if (item->loc.file)
        wy_diag_io_error(d, wy_loc(output, 0, 0),
                         "internal error: page %zu: a %s made from %s:%d cannot be drawn", page_index + 1,
                         kind_name(item->kind), item->loc.file, item->loc.line);
    else
        wy_diag_io_error(d, wy_loc(output, 0, 0), "internal error: page %zu: a %s cannot be drawn",
                         page_index + 1, kind_name(item->kind));
}

bool wy_draw_page(cairo_t *cr, const WyPage *page, size_t page_index, WyPictureCache *pictures,
                  const char *output, bool *first_use, WyDiag *d)
{
    WyTextRenderer *tr = g_object_new(wy_text_renderer_get_type(), NULL);
    tr->first_use = first_use;
    bool ok = true;
    for (size_t i = 0; i < page->n_items && ok; i++) {
        const WyItem *item = &page->items[i];
        cairo_save(cr);
        DrawResult result = draw_item(cr, item, tr, pictures, d);
        cairo_restore(cr);
        if (result == BAD_ITEM)
            report_bad_item(item, page_index, output, d);
        ok = result == DRAWN;
    }
    g_object_unref(tr);
    return ok;
}

bool wy_draw_check(cairo_t *cr, size_t page_index, const char *output, WyDiag *d)
{
    cairo_status_t status = cairo_status(cr);
    if (status == CAIRO_STATUS_SUCCESS)
        return true;
    if (status == CAIRO_STATUS_NO_MEMORY)
        wy_diag_io_error(d, wy_loc(output, 0, 0), "out of memory while drawing page %zu", page_index + 1);
    else
        wy_diag_io_error(d, wy_loc(output, 0, 0), "internal error: page %zu could not be drawn (cairo: %s)",
                         page_index + 1, cairo_status_to_string(status));
    return false;
}

static bool page_size_valid(const WyPage *page)
{
    return isfinite(page->width_pt) && isfinite(page->height_pt) && page->width_pt > 0 &&
           page->height_pt > 0 && page->width_pt <= WY_PAGE_MAX_SIDE_PT && page->height_pt <= WY_PAGE_MAX_SIDE_PT;
}

bool wy_draw_pages_check(const WyPages *pages, const char *output, WyDiag *d)
{
    if (pages->n_pages == 0 || !pages->pages) {
        wy_diag_io_error(d, wy_loc(output, 0, 0), "internal error: the document has no pages");
        return false;
    }
    for (size_t i = 0; i < pages->n_pages; i++) {
        if (!page_size_valid(&pages->pages[i])) {
            wy_diag_io_error(d, wy_loc(output, 0, 0), "internal error: page %zu has an impossible size", i + 1);
            return false;
        }
    }
    return true;
}
