#include "expand/style.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "expand/template.h"

#define DEFAULT_SIZE_PT 16.0 /* 三号, the GB/T 9704 body size */

/* ------------------------------------------------------------ specs */

typedef struct PropName {
    const char *name;
    unsigned bit;
} PropName;

static const PropName prop_names[] = {
    {"role", WY_SP_ROLE},
    {"lang", WY_SP_LANG},
    {"size", WY_SP_SIZE},
    {"line-height", WY_SP_LINE_HEIGHT},
    {"indent", WY_SP_INDENT},
    {"left-indent", WY_SP_LEFT_INDENT},
    {"right-indent", WY_SP_RIGHT_INDENT},
    {"space-before", WY_SP_SPACE_BEFORE},
    {"space-after", WY_SP_SPACE_AFTER},
    {"letter-spacing", WY_SP_LETTER_SPACING},
    {"align", WY_SP_ALIGN},
    {"color", WY_SP_COLOR},
    {"weight", WY_SP_WEIGHT},
    {"italic", WY_SP_ITALIC},
    {"keep-with-next", WY_SP_KEEP_WITH_NEXT},
    {"keep-together", WY_SP_KEEP_TOGETHER},
    {"orphans", WY_SP_ORPHANS},
    {"widows", WY_SP_WIDOWS},
    {"punctuation", WY_SP_PUNCTUATION},
    {"writing-mode", WY_SP_WRITING_MODE},
};

static unsigned prop_bit(const char *name)
{
    for (size_t i = 0; i < sizeof prop_names / sizeof prop_names[0]; i++)
        if (strcmp(prop_names[i].name, name) == 0)
            return prop_names[i].bit;
    return 0;
}

bool wy_style_prop_known(const char *name)
{
    return prop_bit(name) != 0;
}

static bool parse_bool(const char *value, bool *out)
{
    if (strcmp(value, "true") == 0)
        *out = true;
    else if (strcmp(value, "false") == 0)
        *out = false;
    else
        return false;
    return true;
}

static bool parse_align(const char *value, WyAlign *out)
{
    static const char *const names[] = {"start", "center", "end", "justify", "outside", "inside"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i], value) == 0) {
            *out = (WyAlign)i;
            return true;
        }
    }
    return false;
}

static bool parse_punctuation(const char *value, WyPunctuation *out)
{
    static const char *const names[] = {"compressed", "full-width", "half-width"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i], value) == 0) {
            *out = (WyPunctuation)i;
            return true;
        }
    }
    return false;
}

static bool parse_writing_mode(const char *value, bool *vertical)
{
    if (strcmp(value, "horizontal-tb") == 0)
        *vertical = false;
    else if (strcmp(value, "vertical-rl") == 0)
        *vertical = true;
    else
        return false;
    return true;
}

static bool parse_count(const char *value, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < 1 || v > 100)
        return false;
    *out = (int)v;
    return true;
}

static bool set_length(WyLen *dst, const char *value, unsigned allow, WyBuf *why)
{
    if (!wy_len_parse(value, allow, dst)) {
        wy_len_explain(value, allow, why);
        return false;
    }
    return true;
}

static void explain_roles(const char *value, WyBuf *why)
{
    wy_buf_printf(why, "font role \"%s\" is unknown; the roles are ", value);
    for (const char *const *r = wy_font_roles; *r; r++)
        wy_buf_printf(why, "%s%s", r == wy_font_roles ? "" : ", ", *r);
}

bool wy_style_spec_set(WyStyleSpec *spec, const char *name, const char *value, WyBuf *why)
{
    unsigned bit = prop_bit(name);
    bool ok = true;
    switch (bit) {
    case WY_SP_ROLE:
        ok = wy_font_role_known(value);
        if (!ok)
            explain_roles(value, why);
        spec->role = value;
        break;
    case WY_SP_LANG:
        ok = value[0] != '\0';
        if (!ok)
            wy_buf_puts(why, "lang is empty; write a language tag such as zh-Hans, zh-Hant or en");
        spec->lang = value;
        break;
    case WY_SP_SIZE:
        ok = set_length(&spec->size, value, 0, why);
        if (ok && spec->size.value <= 0) {
            wy_buf_printf(why, "size \"%s\" must be more than 0", value);
            ok = false;
        }
        break;
    case WY_SP_LINE_HEIGHT:
        ok = set_length(&spec->line_height, value, WY_LEN_ALLOW_FACTOR, why);
        if (ok && spec->line_height.value <= 0) {
            wy_buf_printf(why, "line-height \"%s\" must be more than 0", value);
            ok = false;
        }
        break;
    case WY_SP_INDENT:
        ok = set_length(&spec->indent, value, WY_LEN_ALLOW_NEGATIVE, why);
        break;
    case WY_SP_LEFT_INDENT:
        ok = set_length(&spec->left_indent, value, 0, why);
        break;
    case WY_SP_RIGHT_INDENT:
        ok = set_length(&spec->right_indent, value, 0, why);
        break;
    case WY_SP_SPACE_BEFORE:
        ok = set_length(&spec->space_before, value, 0, why);
        break;
    case WY_SP_SPACE_AFTER:
        ok = set_length(&spec->space_after, value, 0, why);
        break;
    case WY_SP_LETTER_SPACING:
        ok = set_length(&spec->letter_spacing, value, WY_LEN_ALLOW_NEGATIVE, why);
        break;
    case WY_SP_ALIGN:
        ok = parse_align(value, &spec->align);
        if (!ok)
            wy_buf_printf(why, "align \"%s\" is not one of start, center, end, justify, outside, inside", value);
        break;
    case WY_SP_COLOR:
        ok = wy_color_parse(value, &spec->color);
        if (!ok)
            wy_buf_printf(why, "\"%s\" is not a colour; write #RRGGBB or a name such as red, black, gray", value);
        break;
    case WY_SP_WEIGHT:
        if (strcmp(value, "bold") == 0)
            spec->weight = 700;
        else if (strcmp(value, "normal") == 0)
            spec->weight = 400;
        else {
            wy_buf_printf(why, "weight \"%s\" is not normal or bold", value);
            ok = false;
        }
        break;
    case WY_SP_ITALIC:
    case WY_SP_KEEP_WITH_NEXT:
    case WY_SP_KEEP_TOGETHER: {
        bool *dst = bit == WY_SP_ITALIC ? &spec->italic
                  : bit == WY_SP_KEEP_WITH_NEXT ? &spec->keep_with_next : &spec->keep_together;
        ok = parse_bool(value, dst);
        if (!ok)
            wy_buf_printf(why, "%s \"%s\" is not true or false", name, value);
        break;
    }
    case WY_SP_ORPHANS:
    case WY_SP_WIDOWS:
        ok = parse_count(value, bit == WY_SP_ORPHANS ? &spec->orphans : &spec->widows);
        if (!ok)
            wy_buf_printf(why, "%s \"%s\" is not a number of lines from 1 to 100", name, value);
        break;
    case WY_SP_PUNCTUATION:
        ok = parse_punctuation(value, &spec->punctuation);
        if (!ok)
            wy_buf_printf(why, "punctuation \"%s\" is not one of compressed, full-width, half-width", value);
        break;
    case WY_SP_WRITING_MODE:
        ok = parse_writing_mode(value, &spec->vertical);
        if (!ok)
            wy_buf_printf(why, "writing-mode \"%s\" is not horizontal-tb or vertical-rl", value);
        break;
    default:
        wy_buf_printf(why, "%s is not a style property", name);
        return false;
    }
    if (ok)
        spec->set |= bit;
    return ok;
}

/* Properties of OVER replace those of BASE. */
static WyStyleSpec spec_merge(const WyStyleSpec *base, const WyStyleSpec *over)
{
    WyStyleSpec r = *base;
    unsigned s = over->set;
    if (s & WY_SP_ROLE) r.role = over->role;
    if (s & WY_SP_LANG) r.lang = over->lang;
    if (s & WY_SP_SIZE) r.size = over->size;
    if (s & WY_SP_LINE_HEIGHT) r.line_height = over->line_height;
    if (s & WY_SP_INDENT) r.indent = over->indent;
    if (s & WY_SP_LEFT_INDENT) r.left_indent = over->left_indent;
    if (s & WY_SP_RIGHT_INDENT) r.right_indent = over->right_indent;
    if (s & WY_SP_SPACE_BEFORE) r.space_before = over->space_before;
    if (s & WY_SP_SPACE_AFTER) r.space_after = over->space_after;
    if (s & WY_SP_LETTER_SPACING) r.letter_spacing = over->letter_spacing;
    if (s & WY_SP_ALIGN) r.align = over->align;
    if (s & WY_SP_COLOR) r.color = over->color;
    if (s & WY_SP_WEIGHT) r.weight = over->weight;
    if (s & WY_SP_ITALIC) r.italic = over->italic;
    if (s & WY_SP_KEEP_WITH_NEXT) r.keep_with_next = over->keep_with_next;
    if (s & WY_SP_KEEP_TOGETHER) r.keep_together = over->keep_together;
    if (s & WY_SP_ORPHANS) r.orphans = over->orphans;
    if (s & WY_SP_WIDOWS) r.widows = over->widows;
    if (s & WY_SP_PUNCTUATION) r.punctuation = over->punctuation;
    if (s & WY_SP_WRITING_MODE) r.vertical = over->vertical;
    r.set |= s;
    return r;
}

/* What a style is when nothing sets a property. */
static WyStyleSpec root_spec(void)
{
    WyStyleSpec r;
    memset(&r, 0, sizeof r);
    r.role = "body";
    r.lang = "zh-Hans";
    r.size = (WyLen){DEFAULT_SIZE_PT, WY_LEN_PT};
    r.line_height = (WyLen){1.5, WY_LEN_FACTOR};
    r.align = WY_ALIGN_START;
    r.color = WY_COLOR_BLACK;
    r.weight = 400;
    r.orphans = 2;
    r.widows = 2;
    return r;
}

/* Turns a merged spec into points; SIZE_PT is already resolved. */
static void spec_resolve(const WyStyleSpec *f, double size_pt, WyStyle *out)
{
    out->role = f->role;
    out->lang = f->lang;
    out->size_pt = size_pt;
    out->line_height_pt = wy_len_resolve(f->line_height, size_pt, 0);
    out->first_indent_pt = wy_len_resolve(f->indent, size_pt, 0);
    out->left_indent_pt = wy_len_resolve(f->left_indent, size_pt, 0);
    out->right_indent_pt = wy_len_resolve(f->right_indent, size_pt, 0);
    out->space_before_pt = wy_len_resolve(f->space_before, size_pt, 0);
    out->space_after_pt = wy_len_resolve(f->space_after, size_pt, 0);
    out->letter_spacing_pt = wy_len_resolve(f->letter_spacing, size_pt, 0);
    out->align = f->align;
    out->color = f->color;
    out->weight = f->weight;
    out->italic = f->italic;
    out->keep_with_next = f->keep_with_next;
    out->keep_together = f->keep_together;
    out->orphans = f->orphans;
    out->widows = f->widows;
    out->punctuation = f->punctuation;
    out->vertical = f->vertical;
}

/* ------------------------------------------------------------ sheet */

typedef enum { UNRESOLVED, RESOLVING, RESOLVED } ResolveState;

typedef struct StyleDef {
    char *name;
    char *base;          /* NULL = the root defaults */
    WyStyleSpec own;     /* as written */
    WyStyleSpec flat;    /* merged with every base */
    WyStyle style;       /* resolved */
    WyLoc loc;
    ResolveState state;
    bool builtin;
} StyleDef;

struct WyStyleSheet {
    StyleDef *defs;
    size_t n, alloc;
    WyArena strings;     /* copies of role and lang values */
};

WyStyleSheet *wy_stylesheet_new(void)
{
    WyStyleSheet *s = wy_xcalloc(1, sizeof *s);
    wy_arena_init(&s->strings);
    return s;
}

void wy_stylesheet_free(WyStyleSheet *sheet)
{
    if (!sheet)
        return;
    for (size_t i = 0; i < sheet->n; i++) {
        free(sheet->defs[i].name);
        free(sheet->defs[i].base);
    }
    free(sheet->defs);
    wy_arena_release(&sheet->strings);
    free(sheet);
}

int wy_stylesheet_lookup(const WyStyleSheet *sheet, const char *name)
{
    for (size_t i = 0; i < sheet->n; i++)
        if (sheet->defs[i].name && strcmp(sheet->defs[i].name, name) == 0)
            return (int)i;
    return -1;
}

static StyleDef *append_def(WyStyleSheet *sheet)
{
    if (sheet->n == sheet->alloc) {
        sheet->alloc = sheet->alloc ? sheet->alloc * 2 : 16;
        sheet->defs = wy_xrealloc(sheet->defs, wy_mul_size(sheet->alloc, sizeof *sheet->defs));
    }
    StyleDef *def = &sheet->defs[sheet->n++];
    memset(def, 0, sizeof *def);
    return def;
}

/* Strings in a spec are borrowed from the template; the sheet keeps its own. */
static void own_strings(WyStyleSheet *sheet, WyStyleSpec *spec)
{
    if (spec->set & WY_SP_ROLE)
        spec->role = wy_arena_strdup(&sheet->strings, spec->role);
    if (spec->set & WY_SP_LANG)
        spec->lang = wy_arena_strdup(&sheet->strings, spec->lang);
}

bool wy_stylesheet_define(WyStyleSheet *sheet, const char *name, const char *base,
                          const WyStyleSpec *spec, WyLoc loc)
{
    if (wy_stylesheet_lookup(sheet, name) >= 0)
        return false;
    StyleDef *def = append_def(sheet);
    def->name = wy_xstrdup(name);
    def->base = wy_xstrdup(base);
    def->own = *spec;
    own_strings(sheet, &def->own);
    def->loc = loc;
    return true;
}

static void define_builtin(WyStyleSheet *sheet, const char *name, const char *base, const WyStyleSpec *spec)
{
    if (wy_stylesheet_lookup(sheet, name) >= 0)
        return; /* the template's own wins */
    wy_stylesheet_define(sheet, name, base, spec, wy_loc(NULL, 0, 0));
    sheet->defs[sheet->n - 1].builtin = true;
}

/* GB/T 9704: body 三号, 28.9 pt pitch (22 lines on 225 mm), 2 em first-line
   indent, justified; headings in the heading face, kept with what follows. */
static void define_builtins(WyStyleSheet *sheet)
{
    WyStyleSpec body = {0};
    body.set = WY_SP_SIZE | WY_SP_LINE_HEIGHT | WY_SP_INDENT | WY_SP_ALIGN;
    body.size = (WyLen){16, WY_LEN_PT};
    body.line_height = (WyLen){28.9, WY_LEN_PT};
    body.indent = (WyLen){2, WY_LEN_EM};
    body.align = WY_ALIGN_JUSTIFY;
    define_builtin(sheet, "body", NULL, &body);

    WyStyleSpec heading = {0};
    heading.set = WY_SP_ROLE | WY_SP_INDENT | WY_SP_ALIGN | WY_SP_KEEP_WITH_NEXT | WY_SP_LINE_HEIGHT;
    heading.role = "heading";
    heading.indent = (WyLen){0, WY_LEN_PT};
    heading.align = WY_ALIGN_START;
    heading.keep_with_next = true;
    heading.line_height = (WyLen){1.6, WY_LEN_FACTOR};
    define_builtin(sheet, "heading", "body", &heading);

    WyStyleSpec caption = {0};
    caption.set = WY_SP_ROLE | WY_SP_SIZE | WY_SP_INDENT | WY_SP_ALIGN | WY_SP_LINE_HEIGHT | WY_SP_SPACE_AFTER;
    caption.role = "kai";
    caption.size = (WyLen){12, WY_LEN_PT};
    caption.indent = (WyLen){0, WY_LEN_PT};
    caption.align = WY_ALIGN_CENTER;
    caption.line_height = (WyLen){1.5, WY_LEN_FACTOR};
    caption.space_after = (WyLen){0.5, WY_LEN_EM};
    define_builtin(sheet, "caption", "body", &caption);
}

static bool resolve_def(WyStyleSheet *sheet, size_t index, WyDiag *d)
{
    StyleDef *def = &sheet->defs[index];
    if (def->state == RESOLVED)
        return true;
    if (def->state == RESOLVING) {
        wy_diag_error(d, def->loc, "style %s is based on itself (through base=\"%s\")", def->name, def->base);
        return false;
    }
    def->state = RESOLVING;
    WyStyleSpec base_flat = root_spec();
    double base_size = DEFAULT_SIZE_PT;
    if (def->base) {
        int b = wy_stylesheet_lookup(sheet, def->base);
        if (b < 0) {
            WyBuf names;
            wy_buf_init(&names);
            wy_stylesheet_names(sheet, &names);
            wy_diag_error(d, def->loc, "style %s is based on style %s, which is not defined (the styles are: %s)",
                          def->name, def->base, wy_buf_str(&names));
            wy_buf_release(&names);
            return false;
        }
        if (!resolve_def(sheet, (size_t)b, d))
            return false;
        def = &sheet->defs[index];
        base_flat = sheet->defs[b].flat;
        base_size = sheet->defs[b].style.size_pt;
    }
    def->flat = spec_merge(&base_flat, &def->own);
    double size = base_size;
    if (def->own.set & WY_SP_SIZE)
        size = wy_len_resolve(def->own.size, base_size, 0);
    def->style.name = def->name;
    spec_resolve(&def->flat, size, &def->style);
    def->state = RESOLVED;
    return true;
}

bool wy_stylesheet_resolve(WyStyleSheet *sheet, WyDiag *d)
{
    define_builtins(sheet);
    for (size_t i = 0; i < sheet->n; i++)
        if (!resolve_def(sheet, i, d))
            return false;
    return true;
}

int wy_stylesheet_derive(WyStyleSheet *sheet, int base, const WyStyleSpec *over)
{
    StyleDef *def = append_def(sheet);
    const StyleDef *b = &sheet->defs[base];
    def->own = *over;
    own_strings(sheet, &def->own);
    def->flat = spec_merge(&b->flat, &def->own);
    double size = b->style.size_pt;
    if (over->set & WY_SP_SIZE)
        size = wy_len_resolve(over->size, b->style.size_pt, 0);
    spec_resolve(&def->flat, size, &def->style);
    def->style.name = b->style.name;
    def->loc = b->loc;
    def->state = RESOLVED;
    return (int)(sheet->n - 1);
}

const WyStyle *wy_stylesheet_get(const WyStyleSheet *sheet, int index)
{
    if (index < 0 || (size_t)index >= sheet->n)
        return NULL;
    return &sheet->defs[index].style;
}

size_t wy_stylesheet_count(const WyStyleSheet *sheet)
{
    return sheet->n;
}

void wy_stylesheet_names(const WyStyleSheet *sheet, WyBuf *out)
{
    bool first = true;
    for (size_t i = 0; i < sheet->n; i++) {
        if (!sheet->defs[i].name)
            continue; /* derived styles have no name of their own */
        wy_buf_printf(out, "%s%s", first ? "" : ", ", sheet->defs[i].name);
        first = false;
    }
}

WyStyle *wy_style_copy(WyArena *a, const WyStyle *s)
{
    WyStyle *c = WY_ARENA_NEW(a, WyStyle);
    *c = *s;
    c->name = wy_arena_strdup(a, s->name);
    c->role = wy_arena_strdup(a, s->role);
    c->lang = wy_arena_strdup(a, s->lang);
    return c;
}
