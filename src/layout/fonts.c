#include "layout/fonts.h"

#include <cairo-ft.h>
#include <dlfcn.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/fsx.h"
#include "base/mem.h"

#define FONTS_CONF_MAX_BYTES ((size_t)1 << 20)
/* Layout works in points: at 72 dpi a pango device unit is one point. */
#define LAYOUT_DPI 72.0

struct WyFonts {
    FcConfig *config;
    PangoFontMap *map;
    PangoContext *context;
};

/* The roles of wy_font_roles (expand/box.h) and their fontconfig families;
   a unit test keeps the two lists in step. */
static const struct {
    const char *role, *family;
} ROLE_FAMILIES[] = {
    {"title", "wenyin-title"},     {"body", "wenyin-body"},   {"heading", "wenyin-heading"},
    {"kai", "wenyin-kai"},         {"fangsong", "wenyin-fangsong"},
    {"latin", "wenyin-latin"},     {"mono", "wenyin-mono"},
};

const char *wy_fonts_family(const char *role)
{
    if (!role)
        return NULL;
    for (size_t i = 0; i < sizeof ROLE_FAMILIES / sizeof ROLE_FAMILIES[0]; i++)
        if (strcmp(ROLE_FAMILIES[i].role, role) == 0)
            return ROLE_FAMILIES[i].family;
    return NULL;
}

/* True if the subtag [s, s+len) equals WORD, ignoring case. */
static bool subtag_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

const char *wy_fonts_lang_tag(const char *lang)
{
    if (!lang || !*lang)
        return "zh-cn";
    size_t primary = strcspn(lang, "-_");
    if (subtag_is(lang, primary, "en"))
        return "en";
    if (!subtag_is(lang, primary, "zh"))
        return pango_language_to_string(pango_language_from_string(lang));
    /* zh: an explicit script subtag decides; otherwise TW, HK and MO are
       Traditional. Every Traditional run is tagged zh-tw, the one tag
       fonts.conf maps to the TC faces. */
    bool traditional = false, script_given = false;
    for (const char *p = lang + primary; *p;) {
        p++;
        size_t len = strcspn(p, "-_");
        if (subtag_is(p, len, "hant"))
            traditional = true, script_given = true;
        else if (subtag_is(p, len, "hans"))
            traditional = false, script_given = true;
        else if (!script_given && (subtag_is(p, len, "tw") || subtag_is(p, len, "hk") || subtag_is(p, len, "mo")))
            traditional = true;
        p += len;
    }
    return traditional ? "zh-tw" : "zh-cn";
}

PangoLanguage *wy_fonts_language(const char *lang)
{
    return pango_language_from_string(wy_fonts_lang_tag(lang));
}

/* The system configuration (FONTCONFIG_FILE or /etc/fonts/fonts.conf) gives
   the font folders and the distribution's rules; without it only the
   project file applies and the coverage check below explains what is
   missing. */
static void load_system_config(FcConfig *config)
{
    FcChar8 *system = FcConfigGetFilename(config, NULL);
    if (system) {
        FcConfigParseAndLoad(config, system, FcFalse);
        FcStrFree(system);
    }
}

/* Matches ROLE for LANG with the same substitutions pango applies. Returns a
   pattern the caller destroys, or NULL. */
static FcPattern *match_role(FcConfig *config, const char *family, const char *lang, bool bold)
{
    FcPattern *pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddString(pattern, FC_LANG, (const FcChar8 *)wy_fonts_lang_tag(lang));
    FcPatternAddInteger(pattern, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    /* Report the English family name ("AR PL UKai CN", not 文鼎PL中楷)
       whatever the user's locale. */
    FcPatternAddString(pattern, FC_FAMILYLANG, (const FcChar8 *)"en");
    FcConfigSubstitute(config, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result;
    FcPattern *match = FcFontMatch(config, pattern, &result);
    FcPatternDestroy(pattern);
    return match;
}

/* Han characters every Chinese role must cover: a face without them means
   no CJK font is installed, and pango would silently draw boxes. */
static bool covers_han(const FcPattern *match)
{
    static const FcChar32 HAN[] = {0x4E2D /* 中 */, 0x6587 /* 文 */, 0x793E /* 社 */, 0x3002 /* 。 */};
    FcCharSet *charset = NULL;
    if (FcPatternGetCharSet(match, FC_CHARSET, 0, &charset) != FcResultMatch)
        return false;
    for (size_t i = 0; i < sizeof HAN / sizeof HAN[0]; i++)
        if (!FcCharSetHasChar(charset, HAN[i]))
            return false;
    return true;
}

static bool check_cjk_roles(FcConfig *config, const char *conf_path, WyDiag *d)
{
    for (size_t i = 0; i < sizeof ROLE_FAMILIES / sizeof ROLE_FAMILIES[0]; i++) {
        if (strcmp(ROLE_FAMILIES[i].role, "latin") == 0)
            continue; /* Latin text only; Han falls back to the Song face */
        FcPattern *match = match_role(config, ROLE_FAMILIES[i].family, "zh-Hans", false);
        bool ok = match && covers_han(match);
        FcChar8 *face = NULL;
        if (!ok) {
            if (match)
                FcPatternGetString(match, FC_FAMILY, 0, &face);
            wy_diag_error(d, wy_loc(conf_path, 0, 0),
                          "the font role %s has no Chinese face: it resolves to \"%s\", which has no "
                          "Chinese characters; install the Noto CJK fonts (Debian: fonts-noto-cjk) or map "
                          "%s to an installed Chinese font in this file",
                          ROLE_FAMILIES[i].role, face ? (const char *)face : "no font at all",
                          ROLE_FAMILIES[i].family);
        }
        if (match)
            FcPatternDestroy(match);
        if (!ok)
            return false;
    }
    return true;
}

static PangoContext *new_layout_context(PangoFontMap *map)
{
    PangoContext *context = pango_font_map_create_context(map);
    pango_cairo_context_set_resolution(context, LAYOUT_DPI);
    /* Hinting and rounded positions would snap advances to whole device
       units and make justified spacing uneven (16/17 pt). */
    pango_context_set_round_glyph_positions(context, FALSE);
    cairo_font_options_t *options = cairo_font_options_create();
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(context, options);
    cairo_font_options_destroy(options);
    /* Untagged Han text would otherwise take the locale's (often Japanese)
       glyph forms. */
    pango_context_set_language(context, wy_fonts_language("zh-Hans"));
    pango_context_set_base_dir(context, PANGO_DIRECTION_LTR);
    return context;
}

/* Gives F a pango font map on F's configuration and the layout context on
   it; false when pango cannot make a fontconfig map. */
static bool add_map(WyFonts *f)
{
    PangoFontMap *map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (!map || !PANGO_IS_FC_FONT_MAP(map)) {
        if (map)
            g_object_unref(map);
        return false;
    }
    f->map = map;
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), f->config);
    f->context = new_layout_context(map);
    return true;
}

WyFonts *wy_fonts_new(const char *conf_path, WyDiag *d)
{
    WyBuf text;
    wy_buf_init(&text);
    FcConfig *config = NULL;
    char *absolute = NULL;
    WyFonts *fonts = NULL;

    if (!wy_fsx_read(conf_path, FONTS_CONF_MAX_BYTES, &text, d))
        goto out;
    config = FcConfigCreate();
    if (!config) {
        wy_diag_io_error(d, wy_loc(conf_path, 0, 0), "cannot set up the font configuration (out of memory)");
        goto out;
    }
    load_system_config(config);
    /* fontconfig resolves a relative name against its own folder, not ours.
       complain=FcTrue: with FcFalse it reports success whatever happened;
       its own message names the file and line. */
    absolute = realpath(conf_path, NULL);
    if (!absolute || !FcConfigParseAndLoad(config, (const FcChar8 *)absolute, FcTrue)) {
        wy_diag_error(d, wy_loc(conf_path, 0, 0),
                      "this font configuration cannot be read; check that it is well-formed fontconfig XML");
        goto out;
    }
    if (!FcConfigBuildFonts(config)) {
        wy_diag_io_error(d, wy_loc(conf_path, 0, 0), "cannot list the installed fonts");
        goto out;
    }
    if (!check_cjk_roles(config, conf_path, d))
        goto out;

    fonts = wy_xcalloc(1, sizeof *fonts);
    fonts->config = config;
    config = NULL;
    if (!add_map(fonts)) {
        wy_diag_io_error(d, wy_loc(conf_path, 0, 0), "cannot create a FreeType font map");
        wy_fonts_free(fonts);
        fonts = NULL;
    }
out:
    if (config)
        FcConfigDestroy(config);
    free(absolute);
    wy_buf_release(&text);
    return fonts;
}

/* How long wy_fonts_free waits for pango's background font sorting to let
   go of the map. */
#define MAP_RELEASE_WAIT_US (2 * G_USEC_PER_SEC)

typedef struct MapRelease {
    GMutex lock;
    GCond cond;
    bool gone;
} MapRelease;

static void map_gone(gpointer data, GObject *where)
{
    (void)where;
    MapRelease *r = data;
    g_mutex_lock(&r->lock);
    r->gone = true;
    g_cond_signal(&r->cond);
    g_mutex_unlock(&r->lock);
}

/* Drops the font map. pango 1.50 sorts fonts in background threads that
   hold the map for a moment, so this waits (briefly) until it is gone.
   pango before 1.54 never releases the FcConfig reference
   pango_fc_font_map_set_config takes (fixed upstream in "Fix leak of
   fontconfig configuration"); once the map is gone that reference is
   released here. A map that outlives the wait (a layout still held) keeps
   the configuration: leaked, never freed under it. */
static void release_map(WyFonts *f)
{
    if (!f->map)
        return;
    bool pango_ref = f->config && pango_version() < PANGO_VERSION_ENCODE(1, 54, 0) &&
                     pango_fc_font_map_get_config(PANGO_FC_FONT_MAP(f->map)) == f->config;
    /* on the heap: a map that outlives the wait still notifies it later */
    MapRelease *r = wy_xcalloc(1, sizeof *r);
    g_mutex_init(&r->lock);
    g_cond_init(&r->cond);
    g_object_weak_ref(G_OBJECT(f->map), map_gone, r);
    g_object_unref(f->map);
    f->map = NULL;
    gint64 deadline = g_get_monotonic_time() + MAP_RELEASE_WAIT_US;
    g_mutex_lock(&r->lock);
    while (!r->gone && g_cond_wait_until(&r->cond, &r->lock, deadline))
        ;
    bool gone = r->gone;
    g_mutex_unlock(&r->lock);
    if (!gone)
        return;
    g_mutex_clear(&r->lock);
    g_cond_clear(&r->cond);
    free(r);
    if (pango_ref)
        FcConfigDestroy(f->config);
}

struct WyFontsLoad {
    char *conf_path;
    GThread *thread;  /* NULL: not started */
    WyDiag diag;      /* kept for the caller */
    WyFonts *fonts;
};

static gpointer load_run(gpointer data)
{
    WyFontsLoad *load = data;
    load->fonts = wy_fonts_new(load->conf_path, &load->diag);
    return NULL;
}

WyFontsLoad *wy_fonts_load_start(const char *conf_path)
{
    WyFontsLoad *load = wy_xcalloc(1, sizeof *load);
    load->conf_path = wy_xstrdup(conf_path);
    wy_diag_init(&load->diag, NULL);
    load->thread = g_thread_try_new("wenyin-fonts", load_run, load, NULL);
    return load;
}

static void load_free(WyFontsLoad *load)
{
    wy_diag_release(&load->diag);
    free(load->conf_path);
    free(load);
}

WyFonts *wy_fonts_load_finish(WyFontsLoad *load, WyDiag *d)
{
    WyFonts *fonts;
    if (load->thread) {
        g_thread_join(load->thread);
        wy_diag_replay(d, &load->diag);
        fonts = load->fonts;
    } else {
        fonts = wy_fonts_new(load->conf_path, d);
    }
    load_free(load);
    return fonts;
}

void wy_fonts_load_cancel(WyFontsLoad *load)
{
    if (!load)
        return;
    if (load->thread)
        g_thread_join(load->thread);
    wy_fonts_free(load->fonts);
    load_free(load);
}

/* cairo 1.16 keeps the faces it made of one font file in a list that
   cairo_ft_font_face_create_for_pattern reads and extends without a lock
   (_cairo_ft_font_face_create). The worker of layout/prelayout makes its
   fonts' faces while the main thread makes its own: two threads making a
   face of the same file at once could corrupt that list, or give the file
   two faces and the PDF two subsets of it. pango calls the function
   through the dynamic linker, which finds this definition first: the
   calls are made one at a time, then passed to cairo's. */
cairo_font_face_t *cairo_ft_font_face_create_for_pattern(FcPattern *pattern)
{
    static GMutex lock;
    static cairo_font_face_t *(*cairo_own)(FcPattern *);
    g_mutex_lock(&lock);
    if (!cairo_own)
        *(void **)&cairo_own = dlsym(RTLD_NEXT, "cairo_ft_font_face_create_for_pattern");
    cairo_font_face_t *face = cairo_own ? cairo_own(pattern) : NULL;
    g_mutex_unlock(&lock);
    return face;
}

WyFonts *wy_fonts_fork(WyFonts *f)
{
    WyFonts *fork = wy_xcalloc(1, sizeof *fork);
    fork->config = FcConfigReference(f->config);
    if (!add_map(fork)) {
        wy_fonts_free(fork);
        return NULL;
    }
    return fork;
}

void wy_fonts_free(WyFonts *f)
{
    if (!f)
        return;
    if (f->context)
        g_object_unref(f->context);
    release_map(f);
    if (f->config)
        FcConfigDestroy(f->config);
    free(f);
}

PangoContext *wy_fonts_context(WyFonts *f)
{
    return f->context;
}

char *wy_fonts_resolve(WyFonts *f, const char *role, const char *lang, bool bold)
{
    const char *family = wy_fonts_family(role);
    if (!family)
        return NULL;
    FcPattern *match = match_role(f->config, family, lang, bold);
    if (!match)
        return NULL;
    FcChar8 *face = NULL;
    char *result = NULL;
    if (FcPatternGetString(match, FC_FAMILY, 0, &face) == FcResultMatch)
        result = g_strdup((const char *)face);
    FcPatternDestroy(match);
    return result;
}

/* True if one of MATCH's family names is FAMILY: the face is installed
   under that name rather than substituted. */
static bool has_family(const FcPattern *match, const char *family)
{
    FcChar8 *name;
    for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &name) == FcResultMatch; i++)
        if (FcStrCmpIgnoreCase(name, (const FcChar8 *)family) == 0)
            return true;
    return false;
}

/* Past this many names the substituted list is fontconfig's own defaults. */
#define MAX_DECLARED_FACES 16

char **wy_fonts_allowed_faces(WyFonts *f, const char *role, const char *lang)
{
    const char *alias = wy_fonts_family(role);
    if (!alias)
        return NULL;
    /* The role's declared faces are the names fontconfig's substitution puts
       before the alias itself (fonts.conf prepends them). */
    FcPattern *pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY, (const FcChar8 *)alias);
    FcPatternAddString(pattern, FC_LANG, (const FcChar8 *)wy_fonts_lang_tag(lang));
    FcConfigSubstitute(f->config, pattern, FcMatchPattern);
    GPtrArray *faces = g_ptr_array_new();
    bool han_face_seen = false;
    FcChar8 *name;
    for (int i = 0; i < MAX_DECLARED_FACES && FcPatternGetString(pattern, FC_FAMILY, i, &name) == FcResultMatch; i++) {
        if (FcStrCmpIgnoreCase(name, (const FcChar8 *)alias) == 0)
            break;
        FcPattern *match = match_role(f->config, (const char *)name, lang, false);
        if (match && has_family(match, (const char *)name)) {
            bool han = covers_han(match);
            if (!han || !han_face_seen)
                g_ptr_array_add(faces, g_strdup((const char *)name));
            han_face_seen |= han;
        }
        if (match)
            FcPatternDestroy(match);
    }
    FcPatternDestroy(pattern);
    g_ptr_array_add(faces, NULL);
    return (char **)g_ptr_array_free(faces, FALSE);
}

size_t wy_fonts_count_covered(WyFonts *f, const char *role, const char *lang, const uint32_t *chars, size_t n)
{
    const char *family = wy_fonts_family(role);
    FcPattern *match = family ? match_role(f->config, family, lang, false) : NULL;
    FcCharSet *charset = NULL;
    size_t covered = 0;
    if (match && FcPatternGetCharSet(match, FC_CHARSET, 0, &charset) == FcResultMatch)
        for (size_t i = 0; i < n; i++)
            covered += FcCharSetHasChar(charset, chars[i]) ? 1 : 0;
    if (match)
        FcPatternDestroy(match);
    return covered;
}
