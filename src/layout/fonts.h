/* Font roles. Templates name roles (title, body, heading, kai, latin, mono),
   never font files; fonts/fonts.conf maps each role to faces through
   fontconfig aliases `wenyin-ROLE`. This module owns the private fontconfig
   configuration and the pango font map and context built on it; it does not
   lay out text. */
#ifndef WY_FONTS_H
#define WY_FONTS_H
#include <pango/pango.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

typedef struct WyFonts WyFonts;

/* Loads the fontconfig file CONF_PATH (fonts/fonts.conf) on top of the
   system fonts and builds a font map. Fails, with an error, when the file
   is unreadable or when a required role resolves to no CJK face at all. */
WyFonts *wy_fonts_new(const char *conf_path, WyDiag *d);
void wy_fonts_free(WyFonts *f);
/* The same, on a thread of its own while the caller reads the template and
   the data: wy_fonts_load_finish waits for it and reports its errors into
   D as wy_fonts_new would have; wy_fonts_load_cancel waits and drops the
   fonts and the errors. Without threads, finish loads them itself. */
typedef struct WyFontsLoad WyFontsLoad;
WyFontsLoad *wy_fonts_load_start(const char *conf_path);
WyFonts *wy_fonts_load_finish(WyFontsLoad *load, WyDiag *d);
void wy_fonts_load_cancel(WyFontsLoad *load);

/* A second font map and context on F's configuration, for laying out on
   another thread: pango's maps, fonts and contexts must not be used by two
   threads at once. cairo shares the faces underneath, so its layouts draw
   and embed exactly as F's do. NULL when pango cannot make a map. Free it
   with wy_fonts_free after every layout made in it. */
WyFonts *wy_fonts_fork(WyFonts *f);

/* The pango context to lay out with: no hinting, unrounded glyph positions
   (so justified spacing is even), language zh-Hans, and a resolution of
   72 dpi so that one pango unit is 1/PANGO_SCALE point. Layouts made in it
   are drawn as they are (render/draw); calling pango_cairo_update_context
   on it would invalidate every line, and the glyph positions layout/para
   set after breaking. Borrowed. */
PangoContext *wy_fonts_context(WyFonts *f);
/* Returns the fontconfig family name for ROLE ("wenyin-body"), or NULL if
   ROLE is not one of wy_font_roles (expand/box.h). Borrowed, static. */
const char *wy_fonts_family(const char *role);
/* The face ROLE resolves to for LANG (e.g. "Noto Serif CJK SC"), as a
   string the caller frees with g_free; NULL if none. */
char *wy_fonts_resolve(WyFonts *f, const char *role, const char *lang, bool bold);
/* The families ROLE may set text in for LANG, as fontconfig orders the
   role's declared faces: the first installed one that has Chinese
   characters (for the latin role, the Song face its Han text falls back
   to) and every installed one that has none (the role's faces for Latin
   text). Any other face pango picks is a silent substitution. Returns a
   NULL-terminated vector the caller frees with g_strfreev; NULL if ROLE
   is not a role. */
char **wy_fonts_allowed_faces(WyFonts *f, const char *role, const char *lang);
/* How many of the N code points CHARS the face ROLE resolves to for LANG
   has (its fontconfig character set); 0 when ROLE resolves to nothing. */
size_t wy_fonts_count_covered(WyFonts *f, const char *role, const char *lang, const uint32_t *chars, size_t n);

/* The fontconfig language tag for a style's BCP 47 LANG: zh-Hans (and NULL)
   → "zh-cn"; zh-Hant, zh-TW, zh-HK → "zh-tw"; en-GB → "en". Static. */
const char *wy_fonts_lang_tag(const char *lang);
/* The same as a PangoLanguage (owned by pango, never freed). */
PangoLanguage *wy_fonts_language(const char *lang);

#endif
