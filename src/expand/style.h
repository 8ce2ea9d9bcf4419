/* Paragraph styles as templates write them: named sets of properties
   with inheritance through `base`, resolved into WyStyle records (em
   lengths against each style's own size). Knows nothing of XML or XPath. */
#ifndef WY_STYLE_H
#define WY_STYLE_H
#include <stdbool.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "expand/box.h"
#include "expand/units.h"

/* ------------------------------------------------------------- styles */

/* Which properties a WyStyleSpec sets. */
enum WyStyleProp {
    WY_SP_ROLE = 1u << 0,
    WY_SP_LANG = 1u << 1,
    WY_SP_SIZE = 1u << 2,
    WY_SP_LINE_HEIGHT = 1u << 3,
    WY_SP_INDENT = 1u << 4,
    WY_SP_LEFT_INDENT = 1u << 5,
    WY_SP_RIGHT_INDENT = 1u << 6,
    WY_SP_SPACE_BEFORE = 1u << 7,
    WY_SP_SPACE_AFTER = 1u << 8,
    WY_SP_LETTER_SPACING = 1u << 9,
    WY_SP_ALIGN = 1u << 10,
    WY_SP_COLOR = 1u << 11,
    WY_SP_WEIGHT = 1u << 12,
    WY_SP_ITALIC = 1u << 13,
    WY_SP_KEEP_WITH_NEXT = 1u << 14,
    WY_SP_KEEP_TOGETHER = 1u << 15,
    WY_SP_ORPHANS = 1u << 16,
    WY_SP_WIDOWS = 1u << 17,
    WY_SP_PUNCTUATION = 1u << 18,
    WY_SP_WRITING_MODE = 1u << 19,
};

/* Style properties as written: any subset may be set. Strings are
   borrowed (from the template document or an arena). */
typedef struct WyStyleSpec {
    unsigned set; /* WyStyleProp bits */
    const char *role, *lang;
    WyLen size, line_height, indent, left_indent, right_indent;
    WyLen space_before, space_after, letter_spacing;
    WyAlign align;
    WyColor color;
    int weight;
    bool italic, keep_with_next, keep_together;
    int orphans, widows;
    WyPunctuation punctuation;
    bool vertical; /* writing-mode="vertical-rl" */
} WyStyleSpec;

/* True when NAME is a style property attribute (size, line-height, …). */
bool wy_style_prop_known(const char *name);
/* Sets property NAME from the template text VALUE. Returns false with the
   reason in WHY ("三hao is not a size …", "font role song is unknown …"). */
bool wy_style_spec_set(WyStyleSpec *spec, const char *name, const char *value, WyBuf *why);

/* Named styles of one template, resolved once at load. */
typedef struct WyStyleSheet WyStyleSheet;

WyStyleSheet *wy_stylesheet_new(void);
void wy_stylesheet_free(WyStyleSheet *sheet);
/* Records style NAME (copied) based on BASE (NULL = the built-in
   defaults) with SPEC. Returns false when NAME is already defined. */
bool wy_stylesheet_define(WyStyleSheet *sheet, const char *name, const char *base,
                          const WyStyleSpec *spec, WyLoc loc);
/* Adds the built-in styles the template did not define (body, heading,
   caption), follows every `base`, and resolves all lengths. Reports an
   unknown base or a cycle at the style's location. */
bool wy_stylesheet_resolve(WyStyleSheet *sheet, WyDiag *d);
/* Index of style NAME, or -1. */
int wy_stylesheet_lookup(const WyStyleSheet *sheet, const char *name);
/* A new anonymous style: style BASE with OVER applied (em lengths against
   the new size). Returns its index. Only after wy_stylesheet_resolve. */
int wy_stylesheet_derive(WyStyleSheet *sheet, int base, const WyStyleSpec *over);
/* The resolved style at INDEX (borrowed; valid until the next define or
   derive, which may move the table). */
const WyStyle *wy_stylesheet_get(const WyStyleSheet *sheet, int index);
size_t wy_stylesheet_count(const WyStyleSheet *sheet);
/* The names of the defined styles, comma-separated, for messages. */
void wy_stylesheet_names(const WyStyleSheet *sheet, WyBuf *out);

/* A copy of S with its strings, owned by A. */
WyStyle *wy_style_copy(WyArena *a, const WyStyle *s);

#endif
