#include "layout/coverage.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangofc-font.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "expand/box.h"

/* The faces one role allows for one language. */
typedef struct RoleFaces {
    char *primary;  /* the face the role resolves to, named in messages */
    char **allowed; /* wy_fonts_allowed_faces */
} RoleFaces;

/* What a run's font means for a role and language; decided once. The key
   holds a reference on the font, so its address is never reused while
   cached. */
typedef struct Verdict {
    PangoFont *font;
    const char *role; /* static: an entry of wy_font_roles */
    PangoLanguage *language;
    bool allowed;
    char *face;       /* the font's family, for messages */
    const RoleFaces *faces;
} Verdict;

struct WyCoverage {
    WyFonts *fonts;
    WyDiag *diag;
    GHashTable *roles;    /* "role\x1flang" → RoleFaces * */
    GHashTable *verdicts; /* Verdict * (its first three fields are the key) */
    GHashTable *reported; /* "role\x1ffile\x1fcode point", owned keys */
    size_t n_reported;
    size_t held_back;
};

/* A family attribute over bytes [start, end) of a layout's text. */
typedef struct FamilySpan {
    int start, end;
    const char *family;
} FamilySpan;

/* ---- caches ------------------------------------------------------------- */

static void role_faces_free(gpointer p)
{
    RoleFaces *rf = p;
    g_free(rf->primary);
    g_strfreev(rf->allowed);
    free(rf);
}

static guint verdict_hash(gconstpointer p)
{
    const Verdict *v = p;
    return g_direct_hash(v->font) ^ g_str_hash(v->role) ^ g_direct_hash(v->language);
}

static gboolean verdict_equal(gconstpointer a, gconstpointer b)
{
    const Verdict *x = a, *y = b;
    return x->font == y->font && x->role == y->role && x->language == y->language;
}

static void verdict_free(gpointer p)
{
    Verdict *v = p;
    g_object_unref(v->font);
    g_free(v->face);
    free(v);
}

WyCoverage *wy_coverage_new(WyFonts *fonts, WyDiag *d)
{
    WyCoverage *c = wy_xcalloc(1, sizeof *c);
    c->fonts = fonts;
    c->diag = d;
    c->roles = g_hash_table_new_full(g_str_hash, g_str_equal, free, role_faces_free);
    c->verdicts = g_hash_table_new_full(verdict_hash, verdict_equal, verdict_free, NULL);
    c->reported = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
    return c;
}

void wy_coverage_free(WyCoverage *c)
{
    if (!c)
        return;
    if (c->held_back > 0)
        wy_diag_warning(c->diag, wy_loc(NULL, 0, 0),
                        "%zu more characters are not in their role's face or have no glyph; only the first %d "
                        "are listed",
                        c->held_back, WY_COVERAGE_MAX_REPORTS);
    g_hash_table_destroy(c->roles);
    g_hash_table_destroy(c->verdicts);
    g_hash_table_destroy(c->reported);
    free(c);
}

size_t wy_coverage_reported(const WyCoverage *c)
{
    return c->n_reported;
}

static const char *language_tag(PangoLanguage *language)
{
    return language ? pango_language_to_string(language) : "zh-cn";
}

static const RoleFaces *role_faces(WyCoverage *c, const char *role, PangoLanguage *language)
{
    WyBuf key;
    wy_buf_init(&key);
    wy_buf_printf(&key, "%s\x1f%s", role, language_tag(language));
    RoleFaces *rf = g_hash_table_lookup(c->roles, wy_buf_str(&key));
    if (rf) {
        wy_buf_release(&key);
        return rf;
    }
    rf = wy_xcalloc(1, sizeof *rf);
    rf->primary = wy_fonts_resolve(c->fonts, role, language_tag(language), false);
    rf->allowed = wy_fonts_allowed_faces(c->fonts, role, language_tag(language));
    g_hash_table_insert(c->roles, wy_buf_steal(&key), rf);
    return rf;
}

static bool in_list(char *const *list, const char *name)
{
    for (; list && *list; list++)
        if (g_ascii_strcasecmp(*list, name) == 0)
            return true;
    return false;
}

/* Fills V->allowed and V->face from the font's fontconfig pattern: every
   family name it answers to counts, and the English one is named. */
static void judge(Verdict *v)
{
    if (!PANGO_IS_FC_FONT(v->font)) {
        PangoFontDescription *desc = pango_font_describe(v->font);
        const char *family = pango_font_description_get_family(desc);
        v->face = g_strdup(family ? family : "an unnamed font");
        v->allowed = in_list(v->faces->allowed, v->face);
        pango_font_description_free(desc);
        return;
    }
    FcPattern *pattern = pango_fc_font_get_pattern(PANGO_FC_FONT(v->font));
    FcChar8 *name, *lang;
    for (int i = 0; FcPatternGetString(pattern, FC_FAMILY, i, &name) == FcResultMatch; i++) {
        if (in_list(v->faces->allowed, (const char *)name))
            v->allowed = true;
        bool english = FcPatternGetString(pattern, FC_FAMILYLANG, i, &lang) == FcResultMatch &&
                       strcmp((const char *)lang, "en") == 0;
        if (!v->face || english) {
            g_free(v->face);
            v->face = g_strdup((const char *)name);
        }
        if (english && v->allowed)
            break;
    }
    if (!v->face)
        v->face = g_strdup("an unnamed font");
}

static const Verdict *verdict(WyCoverage *c, PangoFont *font, const char *role, PangoLanguage *language)
{
    Verdict probe = {.font = font, .role = role, .language = language};
    Verdict *v = g_hash_table_lookup(c->verdicts, &probe);
    if (v)
        return v;
    v = wy_xcalloc(1, sizeof *v);
    *v = probe;
    g_object_ref(font);
    v->faces = role_faces(c, role, language);
    judge(v);
    g_hash_table_add(c->verdicts, v);
    return v;
}

/* ---- runs --------------------------------------------------------------- */

/* The role whose fontconfig family is FAMILY (wenyin-ROLE), or NULL. */
static const char *role_of(const char *family)
{
    if (!family)
        return NULL;
    for (const char *const *role = wy_font_roles; *role; role++) {
        const char *f = wy_fonts_family(*role);
        if (f && strcmp(f, family) == 0)
            return *role;
    }
    return NULL;
}

static FamilySpan *family_spans(PangoLayout *layout, size_t *n)
{
    *n = 0;
    PangoAttrList *attrs = pango_layout_get_attributes(layout);
    if (!attrs)
        return NULL;
    FamilySpan *spans = NULL;
    size_t cap = 0;
    PangoAttrIterator *it = pango_attr_list_get_iterator(attrs);
    do {
        PangoAttrString *attr = (PangoAttrString *)pango_attr_iterator_get(it, PANGO_ATTR_FAMILY);
        if (!attr)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            spans = wy_xrealloc(spans, wy_mul_size(cap, sizeof *spans));
        }
        pango_attr_iterator_range(it, &spans[*n].start, &spans[*n].end);
        spans[*n].family = attr->value;
        (*n)++;
    } while (pango_attr_iterator_next(it));
    pango_attr_iterator_destroy(it);
    return spans;
}

static const char *family_at(const FamilySpan *spans, size_t n, int offset, const char *base)
{
    for (size_t i = 0; i < n; i++)
        if (offset >= spans[i].start && offset < spans[i].end)
            return spans[i].family;
    return base;
}

/* Spaces, controls, joiners and marks never need a face of their own. */
static bool needs_glyph(gunichar ch)
{
    GUnicodeType type = g_unichar_type(ch);
    return !g_unichar_isspace(ch) && type != G_UNICODE_CONTROL && type != G_UNICODE_FORMAT &&
           type != G_UNICODE_SPACE_SEPARATOR && type != G_UNICODE_LINE_SEPARATOR &&
           type != G_UNICODE_PARAGRAPH_SEPARATOR && !g_unichar_iszerowidth(ch);
}

/* True the first time CH is seen for ROLE in LOC's file and it is still
   within the cap; past the cap it is only counted. */
static bool first_report(WyCoverage *c, const char *role, WyLoc loc, gunichar ch)
{
    WyBuf key;
    wy_buf_init(&key);
    wy_buf_printf(&key, "%s\x1f%s\x1f%X", role, loc.file ? loc.file : "", (unsigned)ch);
    if (g_hash_table_contains(c->reported, wy_buf_str(&key))) {
        wy_buf_release(&key);
        return false;
    }
    g_hash_table_add(c->reported, wy_buf_steal(&key));
    if (c->n_reported >= WY_COVERAGE_MAX_REPORTS) {
        c->held_back++;
        return false;
    }
    c->n_reported++;
    return true;
}

static void report_missing(WyCoverage *c, const char *role, WyLoc loc, gunichar ch)
{
    if (first_report(c, role, loc, ch))
        wy_diag_warning(c->diag, loc, "U+%04X has no glyph in any installed font; it prints as a box", (unsigned)ch);
}

static void report_fallback(WyCoverage *c, const Verdict *v, WyLoc loc, gunichar ch)
{
    if (!first_report(c, v->role, loc, ch))
        return;
    char utf8[8] = {0};
    g_unichar_to_utf8(ch, utf8);
    const char *primary = v->faces->primary ? v->faces->primary : "any face";
    wy_diag_warning(c->diag, loc, "%s (U+%04X) is not in %s (role %s); it was set in %s", utf8, (unsigned)ch, primary,
                    v->role, v->face);
}

/* Where the characters of one laid-out paragraph came from. */
typedef struct Where {
    const WyParaLayout *pl;
    const WyPara *para;
    WyLoc fallback;
} Where;

/* The place of the character at byte AT of the layout's text. */
static WyLoc where_at(const Where *w, size_t at)
{
    int shift = w->pl->source_shift;
    if (w->pl->fields_spliced || (int)at < shift)
        return w->fallback; /* the text is not the source's, byte for byte */
    return wy_para_origin_at(w->para, at - (size_t)shift, w->fallback);
}

static void check_run(WyCoverage *c, const PangoGlyphItem *run, const char *text, const char *family, const Where *w)
{
    const PangoItem *item = run->item;
    const char *role = role_of(family);
    const char *label = role ? role : (family ? family : "body");
    /* pango marks a character no installed face has with its code point
       and this flag (it draws the hex box). Reported first, so the same
       character in this run is not also called a fallback. */
    for (int i = 0; i < run->glyphs->num_glyphs; i++) {
        PangoGlyph glyph = run->glyphs->glyphs[i].glyph;
        size_t at = (size_t)(item->offset + run->glyphs->log_clusters[i]);
        if ((glyph & PANGO_GLYPH_UNKNOWN_FLAG) && needs_glyph(glyph & ~PANGO_GLYPH_UNKNOWN_FLAG))
            report_missing(c, label, where_at(w, at), glyph & ~PANGO_GLYPH_UNKNOWN_FLAG);
    }
    if (!role || !item->analysis.font)
        return;
    const Verdict *v = verdict(c, item->analysis.font, role, item->analysis.language);
    if (v->allowed)
        return;
    const char *end = text + item->offset + item->length;
    for (const char *p = text + item->offset; p < end; p = g_utf8_next_char(p)) {
        gunichar ch = g_utf8_get_char(p);
        if (needs_glyph(ch))
            report_fallback(c, v, where_at(w, (size_t)(p - text)), ch);
    }
}

void wy_coverage_check(WyCoverage *c, const WyParaLayout *pl, const WyPara *para, WyLoc loc)
{
    PangoLayout *layout = pl->layout;
    const Where where = {pl, para, loc};
    const char *text = pango_layout_get_text(layout);
    const PangoFontDescription *desc = pango_layout_get_font_description(layout);
    if (!desc)
        desc = pango_context_get_font_description(pango_layout_get_context(layout));
    const char *base = desc ? pango_font_description_get_family(desc) : NULL;
    size_t n_spans;
    FamilySpan *spans = family_spans(layout, &n_spans);
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    do {
        const PangoGlyphItem *run = pango_layout_iter_get_run_readonly(it);
        if (run)
            check_run(c, run, text, family_at(spans, n_spans, run->item->offset, base), &where);
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
    free(spans);
}
