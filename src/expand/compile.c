#include "expand/compile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "expand/include.h"
#include "expand/preset.h"

/* GB/T 9704-2012: A4, top 37 mm, left (binding) 28 mm, type area 156 × 225 mm,
   page number 7 mm below the type area. */
#define GB9704_MARGIN_TOP_MM 37.0
#define GB9704_MARGIN_RIGHT_MM 26.0
#define GB9704_MARGIN_BOTTOM_MM 35.0
#define GB9704_MARGIN_LEFT_MM 28.0
#define GB9704_FOOTER_GAP_MM 7.0
#define DEFAULT_HEADER_GAP_MM 5.0
#define MIN_TYPE_AREA_PT 72.0
#define MAX_COUNT WY_TPL_MAX_COUNT

/* Table presets: the Chinese academic three-line table (三线表) and a full grid. */
#define THREE_LINE_THICK_PT 1.5
#define THREE_LINE_THIN_PT 0.75
#define GRID_RULE_PT 0.5
#define CELL_PADDING_V_PT 3.0
#define CELL_PADDING_H_PT 5.0
#define DEFAULT_CONTINUED "（续）"

/* What the elements being compiled stand among: blocks, grid cells,
   inlines, table rows, or the cells of a table row. */
typedef enum Ctx { CTX_BLOCK, CTX_CELL, CTX_INLINE, CTX_ROWS, CTX_TABLE_CELLS } Ctx;

typedef struct Compiler {
    WyTemplate *t;
    const WySource *src; /* the file being compiled: the template or an included fragment */
    WyDiag *d;
    int depth;
    bool in_header;   /* inside a page master's header or footer */
    int cell_style;   /* style of the text of the table cells being compiled */
    int in_table_cell; /* table cells open around the element */
} Compiler;

typedef struct KindName {
    const char *name;
    WyTplKind kind;
} KindName;

static const KindName kind_names[] = {
    {"template", TPL_TEMPLATE}, {"meta", TPL_META},         {"param", TPL_PARAM},
    {"style", TPL_STYLE},       {"page-master", TPL_PAGE_MASTER}, {"header", TPL_HEADER},
    {"footer", TPL_FOOTER},     {"sequence", TPL_SEQUENCE}, {"p", TPL_P},
    {"h", TPL_H},               {"image", TPL_IMAGE},       {"rule", TPL_RULE},
    {"space", TPL_SPACE},       {"page-break", TPL_PAGE_BREAK}, {"box", TPL_BOX},
    {"columns", TPL_COLUMNS},   {"grid", TPL_GRID},         {"cell", TPL_CELL},
    {"content", TPL_CONTENT},   {"parallel", TPL_PARALLEL}, {"for-each", TPL_FOR_EACH}, {"if", TPL_IF},
    {"choose", TPL_CHOOSE},     {"when", TPL_WHEN},         {"otherwise", TPL_OTHERWISE},
    {"with", TPL_WITH},         {"variable", TPL_VARIABLE}, {"value-of", TPL_VALUE_OF},
    {"span", TPL_SPAN},         {"br", TPL_BR},             {"page-number", TPL_PAGE_NUMBER},
    {"page-count", TPL_PAGE_COUNT}, {"text", TPL_TEXT},       {"require", TPL_REQUIRE},
    {"include", TPL_INCLUDE},   {"fragment", TPL_FRAGMENT}, {"table", TPL_TABLE},
    {"caption", TPL_CAPTION},   {"continued-caption", TPL_CONTINUED_CAPTION}, {"column", TPL_COLUMN},
    {"body", TPL_TABLE_BODY},   {"row", TPL_ROW},
};

static WyTplKind kind_of(const xmlNode *n)
{
    if (n->type != XML_ELEMENT_NODE || !n->ns || strcmp((const char *)n->ns->href, WY_TEMPLATE_NS) != 0)
        return TPL_UNKNOWN;
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (strcmp(kind_names[i].name, (const char *)n->name) == 0)
            return kind_names[i].kind;
    return TPL_UNKNOWN;
}

/* ------------------------------------------------------------ errors */

__attribute__((format(printf, 3, 0))) static void verror_at(Compiler *C, WyLoc loc, const char *fmt, va_list ap)
{
    wy_diag_verror_src(C->d, loc, C->src->text, C->src->len, fmt, ap);
}

__attribute__((format(printf, 3, 4))) static bool node_error(Compiler *C, const xmlNode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror_at(C, wy_source_node_loc(C->src, n), fmt, ap);
    va_end(ap);
    return false;
}

__attribute__((format(printf, 4, 5))) static bool attr_error(Compiler *C, const xmlNode *n, const char *attr,
                                                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror_at(C, wy_source_attr_loc(C->src, n, attr), fmt, ap);
    va_end(ap);
    return false;
}

/* ------------------------------------------------------------ attributes */

/* The value of attribute NAME (borrowed from the template document), or
   NULL when absent. */
static const char *attr(const xmlNode *n, const char *name)
{
    xmlAttrPtr a = xmlHasProp(n, BAD_CAST name);
    if (!a || a->ns)
        return NULL;
    return a->children && a->children->content ? (const char *)a->children->content : "";
}

static WyLoc attr_loc(Compiler *C, const xmlNode *n, const char *name)
{
    WyLoc loc = wy_source_attr_loc(C->src, n, name);
    loc.file = C->src->path;
    return loc;
}

static bool get_bool(const xmlNode *n, const char *name, bool fallback)
{
    const char *v = attr(n, name);
    return v ? strcmp(v, "true") == 0 : fallback; /* the schema allows only true and false */
}

static bool get_count(Compiler *C, const xmlNode *n, const char *name, int fallback, int *out)
{
    const char *v = attr(n, name);
    if (!v) {
        *out = fallback;
        return true;
    }
    char *end;
    errno = 0;
    long c = strtol(v, &end, 10);
    if (errno || end == v || *end || c < 1 || c > MAX_COUNT)
        return attr_error(C, n, name, "%s=\"%s\" must be a whole number from 1 to %d", name, v, MAX_COUNT);
    *out = (int)c;
    return true;
}

static bool get_len(Compiler *C, const xmlNode *n, const char *name, unsigned allow, WyTplWidth *out)
{
    const char *v = attr(n, name);
    out->set = false;
    if (!v)
        return true;
    if (!wy_len_parse(v, allow, &out->len)) {
        WyBuf why;
        wy_buf_init(&why);
        wy_buf_printf(&why, "%s: ", name);
        wy_len_explain(v, allow, &why);
        attr_error(C, n, name, "%s", wy_buf_str(&why));
        wy_buf_release(&why);
        return false;
    }
    out->set = true;
    return true;
}

/* A length in points; em is the body size. */
static bool get_pt(Compiler *C, const xmlNode *n, const char *name, double fallback, double *out)
{
    WyTplWidth w;
    if (!get_len(C, n, name, 0, &w))
        return false;
    *out = w.set ? wy_len_resolve(w.len, C->t->body_em_pt, 0) : fallback;
    return true;
}

static bool get_color(Compiler *C, const xmlNode *n, const char *name, bool allow_none, WyColor fallback,
                      WyColor *out)
{
    const char *v = attr(n, name);
    *out = fallback;
    if (!v)
        return true;
    if (allow_none && (strcmp(v, "none") == 0 || strcmp(v, "transparent") == 0)) {
        *out = WY_COLOR_NONE;
        return true;
    }
    if (!wy_color_parse(v, out))
        return attr_error(C, n, name, "%s=\"%s\" is not a colour; write #RRGGBB, #RGB or a name such as red, "
                                      "darkred, black, gray, lightgray%s",
                          name, v, allow_none ? " (or none)" : "");
    return true;
}

/* A border; when its text names no colour, DEFAULT_COLOR applies. */
static bool get_border(Compiler *C, const xmlNode *n, const char *name, WyColor default_color, WyBorder *out)
{
    const char *v = attr(n, name);
    if (!v)
        return true;
    WyBuf why;
    wy_buf_init(&why);
    bool ok = wy_border_parse(v, C->t->body_em_pt, out, &why);
    if (!ok)
        attr_error(C, n, name, "%s: %s", name, wy_buf_str(&why));
    else if (!strpbrk(v, " \t"))
        out->color = default_color;
    wy_buf_release(&why);
    return ok;
}

static bool get_style(Compiler *C, const xmlNode *n, const char *name, const char *fallback, int *out)
{
    const char *v = attr(n, name);
    const char *style = v ? v : fallback;
    *out = wy_stylesheet_lookup(C->t->styles, style);
    if (*out >= 0)
        return true;
    WyBuf names;
    wy_buf_init(&names);
    wy_stylesheet_names(C->t->styles, &names);
    if (v)
        attr_error(C, n, name, "style %s is not defined; the styles are: %s", style, wy_buf_str(&names));
    else
        node_error(C, n, "style %s is not defined; the styles are: %s", style, wy_buf_str(&names));
    wy_buf_release(&names);
    return false;
}

static const WyXPath *get_xpath(Compiler *C, const xmlNode *n, const char *name)
{
    const char *v = attr(n, name);
    if (!v)
        return NULL;
    return wy_xpath_compile(C->t->xpc, v, attr_loc(C, n, name), name, C->d);
}

/* Compiles attribute NAME as a value template into *OUT (NULL when absent). */
static bool get_avt(Compiler *C, const xmlNode *n, const char *name, const WyAvt **out)
{
    const char *v = attr(n, name);
    *out = NULL;
    if (!v)
        return true;
    *out = wy_avt_compile(C->t->xpc, v, attr_loc(C, n, name), name, C->d);
    return *out != NULL;
}

/* Style properties written directly on an element (p, h, style). */
static bool get_style_props(Compiler *C, const xmlNode *n, WyStyleSpec *spec)
{
    memset(spec, 0, sizeof *spec);
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        if (a->ns || !wy_style_prop_known(name))
            continue;
        const char *value = attr(n, name);
        WyBuf why;
        wy_buf_init(&why);
        bool ok = wy_style_spec_set(spec, name, value, &why);
        if (!ok)
            attr_error(C, n, name, "%s", wy_buf_str(&why));
        wy_buf_release(&why);
        if (!ok)
            return false;
    }
    return true;
}

static bool get_spacing(Compiler *C, const xmlNode *n, WyTplSpacing *sp)
{
    sp->keep_with_next = get_bool(n, "keep-with-next", false);
    return get_pt(C, n, "space-before", 0, &sp->before_pt) && get_pt(C, n, "space-after", 0, &sp->after_pt);
}

static WyTplNode *annotate(Compiler *C, xmlNodePtr n, WyTplKind kind)
{
    WyTplNode *tn = WY_ARENA_NEW(&C->t->arena, WyTplNode);
    tn->kind = kind;
    tn->loc = wy_source_node_loc(C->src, n);
    tn->loc.file = C->src->path;
    n->_private = tn;
    return tn;
}

/* ------------------------------------------------------------ elements */

static bool compile_children(Compiler *C, xmlNodePtr parent, Ctx ctx);
static bool compile_element(Compiler *C, xmlNodePtr n, Ctx ctx);

static bool only_child_is_value_of(const xmlNode *p, xmlNodePtr *value_of)
{
    *value_of = NULL;
    for (xmlNodePtr c = p->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            for (const xmlChar *s = c->content; s && *s; s++)
                if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
                    return false;
        } else if (c->type == XML_ELEMENT_NODE) {
            if (*value_of || kind_of(c) != TPL_VALUE_OF)
                return false;
            *value_of = c;
        }
    }
    return *value_of != NULL;
}

static bool compile_para(Compiler *C, xmlNodePtr n, WyTplNode *tn)
{
    bool heading = tn->kind == TPL_H;
    int base;
    if (!get_style(C, n, "style", heading ? "heading" : "body", &base))
        return false;
    WyStyleSpec over;
    if (!get_style_props(C, n, &over))
        return false;
    /* lang="{lang}": an article's own language reaches its title, decided
       per paragraph when the template is expanded */
    const char *lang = attr(n, "lang");
    if (lang && strchr(lang, '{')) {
        over.set &= ~(unsigned)WY_SP_LANG;
        if (!get_avt(C, n, "lang", &tn->u.para.lang))
            return false;
    }
    if (heading && !attr(n, "keep-with-next")) {
        over.keep_with_next = true; /* a heading never ends a page */
        over.set |= WY_SP_KEEP_WITH_NEXT;
    }
    tn->u.para.style = over.set ? wy_stylesheet_derive(C->t->styles, base, &over) : base;
    int level = 1;
    if (heading && !get_count(C, n, "level", 1, &level))
        return false;
    if (!get_count(C, n, "bookmark-level", level, &tn->u.para.bookmark_level))
        return false;
    const char *bookmark = attr(n, "bookmark");
    tn->u.para.bookmark_off = bookmark && bookmark[0] == '\0';
    tn->u.para.bookmark_auto = heading && !bookmark;
    if (bookmark && bookmark[0] && !get_avt(C, n, "bookmark", &tn->u.para.bookmark))
        return false;
    tn->u.para.split_lines = get_bool(n, "split-lines", false);
    if (tn->u.para.split_lines && !only_child_is_value_of(n, &tn->u.para.split_value))
        return attr_error(C, n, "split-lines",
                          "split-lines=\"true\" needs a <%s> whose only content is one <value-of>", (const char *)n->name);
    return compile_children(C, n, CTX_INLINE);
}

static bool compile_span(Compiler *C, xmlNodePtr n, WyTplNode *tn)
{
    tn->u.span.color = WY_COLOR_NONE;
    const char *style_name = attr(n, "style");
    if (style_name) {
        int idx;
        if (!get_style(C, n, "style", NULL, &idx))
            return false;
        const WyStyle *s = wy_stylesheet_get(C->t->styles, idx);
        tn->u.span.role = s->role;
        tn->u.span.size = (WyLen){s->size_pt, WY_LEN_PT};
        tn->u.span.has_size = true;
        tn->u.span.color = s->color;
        if (s->weight >= 600)
            tn->u.span.set_flags |= WY_SPAN_BOLD;
        else
            tn->u.span.clear_flags |= WY_SPAN_BOLD;
        if (s->italic)
            tn->u.span.set_flags |= WY_SPAN_ITALIC;
        else
            tn->u.span.clear_flags |= WY_SPAN_ITALIC;
    }
    const char *weight = attr(n, "weight");
    if (weight) {
        bool bold = strcmp(weight, "bold") == 0;
        tn->u.span.set_flags = bold ? tn->u.span.set_flags | WY_SPAN_BOLD : tn->u.span.set_flags & ~WY_SPAN_BOLD;
        tn->u.span.clear_flags = bold ? tn->u.span.clear_flags & ~WY_SPAN_BOLD : tn->u.span.clear_flags | WY_SPAN_BOLD;
    }
    static const struct {
        const char *attr;
        unsigned flag;
    } toggles[] = {{"italic", WY_SPAN_ITALIC}, {"underline", WY_SPAN_UNDERLINE}};
    for (size_t i = 0; i < 2; i++) {
        if (!attr(n, toggles[i].attr))
            continue;
        bool on = get_bool(n, toggles[i].attr, false);
        tn->u.span.set_flags = on ? tn->u.span.set_flags | toggles[i].flag : tn->u.span.set_flags & ~toggles[i].flag;
        tn->u.span.clear_flags = on ? tn->u.span.clear_flags & ~toggles[i].flag : tn->u.span.clear_flags | toggles[i].flag;
    }
    WyColor inherit = tn->u.span.color;
    if (!get_color(C, n, "color", false, inherit, &tn->u.span.color))
        return false;
    WyTplWidth size;
    if (!get_len(C, n, "size", 0, &size))
        return false;
    if (size.set) {
        if (size.len.value <= 0)
            return attr_error(C, n, "size", "size must be more than 0");
        tn->u.span.size = size.len;
        tn->u.span.has_size = true;
    }
    const char *role = attr(n, "role");
    if (role) {
        if (!wy_font_role_known(role)) {
            WyBuf why;
            wy_buf_init(&why);
            WyStyleSpec dummy;
            memset(&dummy, 0, sizeof dummy);
            wy_style_spec_set(&dummy, "role", role, &why);
            attr_error(C, n, "role", "%s", wy_buf_str(&why));
            wy_buf_release(&why);
            return false;
        }
        tn->u.span.role = wy_arena_strdup(&C->t->arena, role);
    }
    if (!get_avt(C, n, "link", &tn->u.span.link))
        return false;
    return compile_children(C, n, CTX_INLINE);
}

static bool compile_frame(Compiler *C, xmlNodePtr n, WyTplNode *tn)
{
    WyColor border_color;
    if (!get_color(C, n, "color", false, WY_COLOR_BLACK, &border_color))
        return false;
    WyBorder all = {0, border_color};
    if (!get_border(C, n, "border", border_color, &all))
        return false;
    static const char *const sides[4] = {"border-top", "border-right", "border-bottom", "border-left"};
    for (int i = 0; i < 4; i++) {
        tn->u.frame.border[i] = all;
        if (!get_border(C, n, sides[i], border_color, &tn->u.frame.border[i]))
            return false;
    }
    const char *padding = attr(n, "padding");
    if (padding && !wy_lengths4_parse(padding, C->t->body_em_pt, tn->u.frame.padding_pt))
        return attr_error(C, n, "padding", "padding=\"%s\" must be one to four lengths, e.g. \"3mm\" or \"2mm 4mm\"",
                          padding);
    if (!get_color(C, n, "background", true, WY_COLOR_NONE, &tn->u.frame.background))
        return false;
    if (!get_len(C, n, "width", WY_LEN_ALLOW_PERCENT, &tn->u.frame.width))
        return false;
    tn->u.frame.keep_together = get_bool(n, "keep-together", tn->kind == TPL_CELL);
    const char *at = attr(n, "at");
    if (at && strcmp(at, "foot") != 0)
        return attr_error(C, n, "at", "at=\"%s\" is not a place on the page; write at=\"foot\" to set the box at "
                                      "the foot of its page, or leave it out", at);
    tn->u.frame.at_foot = at != NULL;
    const char *valign = attr(n, "valign");
    tn->u.frame.valign = !valign ? WY_VALIGN_TOP
                       : strcmp(valign, "middle") == 0 ? WY_VALIGN_MIDDLE
                       : strcmp(valign, "bottom") == 0 ? WY_VALIGN_BOTTOM : WY_VALIGN_TOP;
    if (!get_spacing(C, n, &tn->u.frame.sp))
        return false;
    return compile_children(C, n, CTX_BLOCK);
}

/* ------------------------------------------------------------ tables */

/* A style derived from BASE by property/value pairs (NULL-terminated). */
static int derive_style(Compiler *C, int base, const char *const *pairs)
{
    WyStyleSpec spec;
    memset(&spec, 0, sizeof spec);
    WyBuf why;
    wy_buf_init(&why);
    for (size_t i = 0; pairs[i]; i += 2)
        wy_style_spec_set(&spec, pairs[i], pairs[i + 1], &why);
    wy_buf_release(&why);
    return wy_stylesheet_derive(C->t->styles, base, &spec);
}

/* The style attribute NAME names, else BASE with PAIRS applied (BASE
   itself when PAIRS is NULL). */
static bool table_style(Compiler *C, const xmlNode *n, const char *name, int base, const char *const *pairs,
                        int *out)
{
    if (attr(n, name))
        return get_style(C, n, name, NULL, out);
    *out = pairs ? derive_style(C, base, pairs) : base;
    return true;
}

/* One column width as `columns` and <column width> write it: auto, a
   share ("2*", "*"), a length or a percentage. */
static bool parse_column_width(Compiler *C, const char *word, WyTableColumn *col)
{
    size_t len = strlen(word);
    WyLen l;
    col->value = 0;
    if (strcmp(word, "auto") == 0) {
        col->kind = WY_COLUMN_AUTO;
        return true;
    }
    if (len > 0 && word[len - 1] == '*') {
        char *weight = wy_xstrndup(word, len - 1);
        bool ok = len == 1 || (wy_len_parse(weight, WY_LEN_ALLOW_FACTOR, &l) && l.unit == WY_LEN_FACTOR && l.value > 0);
        free(weight);
        col->kind = WY_COLUMN_SHARE;
        col->value = len == 1 ? 1 : l.value;
        return ok;
    }
    if (!wy_len_parse(word, WY_LEN_ALLOW_PERCENT, &l) || l.value <= 0)
        return false;
    col->kind = l.unit == WY_LEN_PERCENT ? WY_COLUMN_PERCENT : WY_COLUMN_FIXED;
    col->value = l.unit == WY_LEN_PERCENT ? l.value : wy_len_resolve(l, C->t->body_em_pt, 0);
    return true;
}

static bool bad_column_width(Compiler *C, const xmlNode *n, const char *name, const char *word)
{
    return attr_error(C, n, name, "%s: \"%s\" is not a column width; write auto, a share such as 2* or *, "
                                  "a length such as 30mm or a percentage such as 20%%", name, word);
}

/* columns="auto 2* 30mm": one width per column, separated by spaces. */
static bool get_columns(Compiler *C, const xmlNode *n, WyTplNode *tn)
{
    const char *v = attr(n, "columns");
    if (!v)
        return true;
    char *copy = wy_xstrdup(v);
    size_t cap = 0;
    bool ok = true;
    for (char *p = copy; *p && ok;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        char *end = p;
        while (*end && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\r')
            end++;
        char saved = *end;
        *end = '\0';
        if (tn->u.table.n_columns == MAX_COUNT) {
            ok = attr_error(C, n, "columns", "a table has at most %d columns", MAX_COUNT);
            break;
        }
        if ((size_t)tn->u.table.n_columns == cap) {
            cap = cap ? cap * 2 : 8;
            WyTableColumn *grown = WY_ARENA_ARRAY(&C->t->arena, WyTableColumn, cap);
            if (tn->u.table.n_columns)
                memcpy(grown, tn->u.table.columns, (size_t)tn->u.table.n_columns * sizeof *grown);
            tn->u.table.columns = grown;
        }
        WyTableColumn *col = &tn->u.table.columns[tn->u.table.n_columns++];
        col->align = WY_CELL_ALIGN_INHERIT;
        if (!parse_column_width(C, p, col))
            ok = bad_column_width(C, n, "columns", p);
        *end = saved;
        p = end;
    }
    free(copy);
    return ok;
}

static WyCellAlign cell_align_value(const char *v)
{
    if (!v)
        return WY_CELL_ALIGN_INHERIT;
    return strcmp(v, "start") == 0    ? WY_CELL_ALIGN_START
           : strcmp(v, "center") == 0 ? WY_CELL_ALIGN_CENTER
           : strcmp(v, "end") == 0    ? WY_CELL_ALIGN_END
                                      : WY_CELL_ALIGN_DECIMAL; /* the schema allows nothing else */
}

static WyVAlign valign_value(const char *v)
{
    return !v ? WY_VALIGN_TOP
           : strcmp(v, "middle") == 0 ? WY_VALIGN_MIDDLE
           : strcmp(v, "bottom") == 0 ? WY_VALIGN_BOTTOM : WY_VALIGN_TOP;
}

/* <column width align/> children, in place of columns="…". */
static bool compile_column(Compiler *C, xmlNodePtr c, WyTplNode *tn, int count)
{
    annotate(C, c, TPL_COLUMN);
    if (count == 0)
        tn->u.table.n_columns = 0;
    if (tn->u.table.n_columns >= MAX_COUNT)
        return node_error(C, c, "a table has at most %d columns", MAX_COUNT);
    WyTableColumn *grown = WY_ARENA_ARRAY(&C->t->arena, WyTableColumn, (size_t)tn->u.table.n_columns + 1);
    if (tn->u.table.n_columns)
        memcpy(grown, tn->u.table.columns, (size_t)tn->u.table.n_columns * sizeof *grown);
    tn->u.table.columns = grown;
    WyTableColumn *col = &grown[tn->u.table.n_columns++];
    const char *width = attr(c, "width");
    col->kind = WY_COLUMN_AUTO;
    col->align = cell_align_value(attr(c, "align"));
    if (width && !parse_column_width(C, width, col))
        return bad_column_width(C, c, "width", width);
    return true;
}

/* Borders of the preset, then the table's own attributes over them. */
static bool table_borders(Compiler *C, const xmlNode *n, WyTplNode *tn)
{
    WyColor color;
    if (!get_color(C, n, "color", false, WY_COLOR_BLACK, &color))
        return false;
    const char *preset = attr(n, "preset");
    WyBorder none = {0, color};
    WyBorder all = none, top = none, bottom = none, header = none, footer = none;
    if (!preset || strcmp(preset, "grid") == 0) {
        all = top = bottom = header = footer = (WyBorder){GRID_RULE_PT, color};
    } else if (strcmp(preset, "three-line") == 0) {
        top = bottom = (WyBorder){THREE_LINE_THICK_PT, color};
        header = footer = (WyBorder){THREE_LINE_THIN_PT, color};
    }
    WyBorder *b = tn->u.table.border;
    b[0] = top;
    b[1] = b[3] = all;
    b[2] = bottom;
    tn->u.table.row_rule = tn->u.table.column_rule = all;
    tn->u.table.header_rule = header;
    tn->u.table.footer_rule = footer;
    WyBorder outer = {-1, color};
    if (!get_border(C, n, "border", color, &outer))
        return false;
    for (int i = 0; i < 4 && outer.width_pt >= 0; i++)
        b[i] = outer;
    static const char *const sides[4] = {"border-top", "border-right", "border-bottom", "border-left"};
    for (int i = 0; i < 4; i++)
        if (!get_border(C, n, sides[i], color, &b[i]))
            return false;
    return get_border(C, n, "row-rule", color, &tn->u.table.row_rule) &&
           get_border(C, n, "column-rule", color, &tn->u.table.column_rule) &&
           get_border(C, n, "header-rule", color, &tn->u.table.header_rule) &&
           get_border(C, n, "footer-rule", color, &tn->u.table.footer_rule);
}

static bool compile_rows(Compiler *C, xmlNodePtr part, WyTplKind kind, int style)
{
    annotate(C, part, kind);
    int saved = C->cell_style;
    C->cell_style = style;
    bool ok = compile_children(C, part, CTX_ROWS);
    C->cell_style = saved;
    return ok;
}

static bool compile_table(Compiler *C, xmlNodePtr n, WyTplNode *tn)
{
    static const char *const cell_props[] = {"indent", "0", "align", "center", "space-before", "0", "space-after", "0",
                                             "line-height", "1.5", "keep-with-next", "false", NULL};
    static const char *const header_props[] = {"weight", "bold", NULL};
    static const char *const caption_props[] = {"indent", "0", "align", "center", "role", "heading",
                                                "line-height", "1.5", "space-before", "0", "space-after", "4pt",
                                                NULL};
    WyTemplate *t = C->t;
    int cell_style, header_style, footer_style;
    if (!table_style(C, n, "cell-style", t->body_style, cell_props, &cell_style) ||
        !table_style(C, n, "header-style", cell_style, header_props, &header_style) ||
        !table_style(C, n, "footer-style", cell_style, NULL, &footer_style) ||
        !table_style(C, n, "caption-style", t->body_style, caption_props, &tn->u.table.caption_style))
        return false;
    if (!table_borders(C, n, tn) || !get_columns(C, n, tn) || !get_spacing(C, n, &tn->u.table.sp) ||
        !get_len(C, n, "width", WY_LEN_ALLOW_PERCENT, &tn->u.table.width) ||
        !get_color(C, n, "zebra", true, WY_COLOR_NONE, &tn->u.table.zebra))
        return false;
    double *pad = tn->u.table.cell_padding_pt;
    pad[0] = pad[2] = CELL_PADDING_V_PT;
    pad[1] = pad[3] = CELL_PADDING_H_PT;
    const char *padding = attr(n, "cell-padding");
    if (padding && !wy_lengths4_parse(padding, t->body_em_pt, pad))
        return attr_error(C, n, "cell-padding",
                          "cell-padding=\"%s\" must be one to four lengths, e.g. \"3pt\" or \"2pt 5pt\"", padding);
    const char *align = attr(n, "align");
    tn->u.table.align = !align || strcmp(align, "center") == 0 ? WY_ALIGN_CENTER
                      : strcmp(align, "end") == 0               ? WY_ALIGN_END : WY_ALIGN_START;
    tn->u.table.valign = attr(n, "valign") ? valign_value(attr(n, "valign")) : WY_VALIGN_MIDDLE;
    const char *continued = attr(n, "continued");
    tn->u.table.continued = wy_arena_strdup(&t->arena, continued ? continued : DEFAULT_CONTINUED);
    tn->u.table.split_rows = get_bool(n, "split-rows", true);
    tn->u.table.repeat_header = true;
    bool ok = true;
    int n_column_elements = 0;
    for (xmlNodePtr c = n->children; c && ok; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)c->name;
        if (strcmp(name, "caption") == 0 || strcmp(name, "continued-caption") == 0) {
            bool first = strcmp(name, "caption") == 0;
            annotate(C, c, first ? TPL_CAPTION : TPL_CONTINUED_CAPTION);
            *(first ? &tn->u.table.caption : &tn->u.table.continued_caption) = c;
            ok = compile_children(C, c, CTX_INLINE);
        } else if (strcmp(name, "column") == 0) {
            if (n_column_elements == 0 && tn->u.table.n_columns > 0)
                ok = node_error(C, c, "the table gives its columns both in columns=\"…\" and in <column> "
                                      "elements; keep one of them");
            else
                ok = compile_column(C, c, tn, n_column_elements++);
        } else if (strcmp(name, "header") == 0) {
            tn->u.table.header = c;
            tn->u.table.repeat_header = get_bool(c, "repeat", true);
            ok = compile_rows(C, c, TPL_TABLE_HEADER, header_style);
        } else if (strcmp(name, "body") == 0) {
            tn->u.table.body = c;
            ok = compile_rows(C, c, TPL_TABLE_BODY, cell_style);
        } else if (strcmp(name, "footer") == 0) {
            tn->u.table.footer = c;
            tn->u.table.repeat_footer = get_bool(c, "repeat", false);
            ok = compile_rows(C, c, TPL_TABLE_FOOTER, footer_style);
        }
    }
    return ok;
}

/* Whether a table cell holds blocks (else inlines): any block element,
   directly or inside control elements. */
static bool holds_blocks(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        switch (kind_of(c)) {
        case TPL_P: case TPL_H: case TPL_IMAGE: case TPL_RULE: case TPL_SPACE: case TPL_PAGE_BREAK:
        case TPL_BOX: case TPL_COLUMNS: case TPL_GRID: case TPL_CONTENT: case TPL_PARALLEL: case TPL_TABLE:
            return true;
        case TPL_FOR_EACH: case TPL_IF: case TPL_CHOOSE: case TPL_WHEN: case TPL_OTHERWISE: case TPL_WITH:
            if (holds_blocks(c))
                return true;
            break;
        default:
            break;
        }
    }
    return false;
}

/* Text (not whitespace) directly in N or in its control elements. */
static const xmlNode *stray_text(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            for (const xmlChar *s = c->content; s && *s; s++)
                if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
                    return c;
        }
        WyTplKind kind = kind_of(c);
        if (kind == TPL_FOR_EACH || kind == TPL_IF || kind == TPL_CHOOSE || kind == TPL_WHEN ||
            kind == TPL_OTHERWISE || kind == TPL_WITH) {
            const xmlNode *found = stray_text(c);
            if (found)
                return found;
        }
    }
    return NULL;
}

static bool compile_table_cell(Compiler *C, xmlNodePtr n, WyTplNode *tn)
{
    if (!get_count(C, n, "colspan", 1, &tn->u.cell.colspan) || !get_count(C, n, "rowspan", 1, &tn->u.cell.rowspan))
        return false;
    tn->u.cell.align = cell_align_value(attr(n, "align"));
    tn->u.cell.valign_set = attr(n, "valign") != NULL;
    tn->u.cell.valign = valign_value(attr(n, "valign"));
    WyColor color;
    if (!get_color(C, n, "color", false, WY_COLOR_BLACK, &color) ||
        !get_color(C, n, "background", true, WY_COLOR_NONE, &tn->u.cell.background))
        return false;
    WyBorder all = {0, color};
    if (!get_border(C, n, "border", color, &all))
        return false;
    static const char *const sides[4] = {"border-top", "border-right", "border-bottom", "border-left"};
    for (int i = 0; i < 4; i++) {
        tn->u.cell.border[i] = all;
        if (!get_border(C, n, sides[i], color, &tn->u.cell.border[i]))
            return false;
    }
    for (int i = 0; i < 4; i++)
        tn->u.cell.padding_pt[i] = -1;
    const char *padding = attr(n, "padding");
    if (padding && !wy_lengths4_parse(padding, C->t->body_em_pt, tn->u.cell.padding_pt))
        return attr_error(C, n, "padding", "padding=\"%s\" must be one to four lengths, e.g. \"3pt\" or \"2pt 5pt\"",
                          padding);
    if (!table_style(C, n, "style", C->cell_style, NULL, &tn->u.cell.style))
        return false;
    tn->u.cell.inline_content = !holds_blocks(n);
    const xmlNode *text = tn->u.cell.inline_content ? NULL : stray_text(n);
    if (text)
        return node_error(C, n, "this cell holds both text and blocks; put the text in a <p> as well");
    C->in_table_cell++;
    bool ok = compile_children(C, n, tn->u.cell.inline_content ? CTX_INLINE : CTX_BLOCK);
    C->in_table_cell--;
    return ok;
}

/* Style attribute NAME, or FALLBACK (a sheet index) when absent. */
static bool get_style_or(Compiler *C, const xmlNode *n, const char *name, int fallback, int *out)
{
    if (!attr(n, name)) {
        *out = fallback;
        return true;
    }
    return get_style(C, n, name, NULL, out);
}

/* The quote style <content> uses when none is named: P in kai, 2 em in. */
static int default_quote_style(Compiler *C, int p)
{
    WyStyleSpec quote;
    memset(&quote, 0, sizeof quote);
    WyBuf why;
    wy_buf_init(&why);
    wy_style_spec_set(&quote, "role", "kai", &why);
    wy_style_spec_set(&quote, "left-indent", "2em", &why);
    wy_buf_release(&why);
    return wy_stylesheet_derive(C->t->styles, p, &quote);
}

/* The style mapping of <content>, read from attributes p, h1…h6, li, quote,
   caption, image-width and bookmarks. */
static bool compile_content_map(Compiler *C, xmlNodePtr n, WyTplContent *m)
{
    if (!get_style(C, n, "p", "body", &m->p))
        return false;
    for (int level = 0; level < WY_CONTENT_HEADING_LEVELS; level++) {
        char name[4] = {'h', (char)('1' + level), '\0', '\0'};
        if (!get_style(C, n, name, "heading", &m->h[level]))
            return false;
    }
    m->li = -1; /* derived from p by the expander, per list depth */
    if (attr(n, "li") && !get_style(C, n, "li", NULL, &m->li))
        return false;
    if (attr(n, "quote")) {
        if (!get_style(C, n, "quote", NULL, &m->quote))
            return false;
    } else {
        m->quote = default_quote_style(C, m->p);
    }
    if (!get_style(C, n, "caption", "caption", &m->caption))
        return false;
    m->bookmarks = get_bool(n, "bookmarks", false);
    return get_len(C, n, "image-width", WY_LEN_ALLOW_PERCENT, &m->image_width);
}

static bool compile_content(Compiler *C, xmlNodePtr n, WyTplNode *tn)
{
    if (attr(n, "select")) {
        tn->u.content.select = get_xpath(C, n, "select");
        if (!tn->u.content.select)
            return false;
    } else {
        tn->u.content.select = wy_xpath_compile(C->t->xpc, "body", tn->loc, "select", C->d);
    }
    return compile_content_map(C, n, &tn->u.content);
}

/* <parallel>: the left side maps like <content>; the right side's with-p,
   with-h1…with-h6 and with-caption default to the left's styles. The
   right side's lists and quotes derive from with-p; no bookmarks there. */
static bool compile_parallel(Compiler *C, xmlNodePtr n, WyTplNode *tn)
{
    WyTplContent *left = &tn->u.parallel.left, *right = &tn->u.parallel.right;
    left->select = attr(n, "select") ? get_xpath(C, n, "select")
                                     : wy_xpath_compile(C->t->xpc, "body", tn->loc, "select", C->d);
    right->select = attr(n, "with") ? get_xpath(C, n, "with")
                                    : wy_xpath_compile(C->t->xpc, "translation/body", tn->loc, "with", C->d);
    if (!left->select || !right->select || !compile_content_map(C, n, left))
        return false;
    *right = (WyTplContent){.select = right->select, .li = -1, .image_width = left->image_width};
    if (!get_style_or(C, n, "with-p", left->p, &right->p))
        return false;
    for (int level = 0; level < WY_CONTENT_HEADING_LEVELS; level++) {
        char name[9] = {'w', 'i', 't', 'h', '-', 'h', (char)('1' + level), '\0', '\0'};
        if (!get_style_or(C, n, name, left->h[level], &right->h[level]))
            return false;
    }
    right->quote = default_quote_style(C, right->p);
    return get_style_or(C, n, "with-caption", left->caption, &right->caption) &&
           get_pt(C, n, "gap", 2 * C->t->body_em_pt, &tn->u.parallel.gap_pt) && get_spacing(C, n, &tn->u.parallel.sp);
}

/* order="stroke|pinyin|text|number|document", or a value template read
   when the for-each runs; sort-type="text|number" is the older spelling.
   With an order but no sort-by, the nodes sort by their own text. */
static bool compile_sort_order(Compiler *C, xmlNodePtr n, WyTplNode *tn)
{
    const char *order = attr(n, "order");
    const char *type = attr(n, "sort-type");
    tn->u.for_each.order = tn->u.for_each.sort_by ? WY_SORT_TEXT : WY_SORT_DOCUMENT;
    if (order && type)
        return attr_error(C, n, "sort-type", "sort-type is the older spelling of order; write only order=\"%s\"", order);
    if (type && tn->u.for_each.sort_by)
        tn->u.for_each.order = strcmp(type, "number") == 0 ? WY_SORT_NUMBER : WY_SORT_TEXT;
    if (!order)
        return true; /* sort-type alone, without sort-by, has nothing to sort by */
    if (!tn->u.for_each.sort_by) {
        tn->u.for_each.sort_by = wy_xpath_compile(C->t->xpc, ".", attr_loc(C, n, "order"), "sort-by", C->d);
        if (!tn->u.for_each.sort_by)
            return false;
    }
    if (strchr(order, '{'))
        return get_avt(C, n, "order", &tn->u.for_each.order_avt);
    if (!wy_sort_order_parse(order, &tn->u.for_each.order))
        return attr_error(C, n, "order", "order=\"%s\" is not an order; write %s", order, WY_SORT_ORDER_WORDS);
    return true;
}

static bool compile_for_each(Compiler *C, xmlNodePtr n, WyTplNode *tn, Ctx ctx)
{
    tn->u.for_each.select = get_xpath(C, n, "select");
    if (!tn->u.for_each.select)
        return false;
    if (attr(n, "sort-by")) {
        tn->u.for_each.sort_by = get_xpath(C, n, "sort-by");
        if (!tn->u.for_each.sort_by)
            return false;
    }
    const char *direction = attr(n, "sort-order");
    tn->u.for_each.descending = direction && strcmp(direction, "descending") == 0;
    return compile_sort_order(C, n, tn) && compile_children(C, n, ctx);
}

/* The included fragment's blocks, compiled here in the including file's
   scope (its variables are visible), with messages at the fragment's
   lines. Its styles were compiled with the template's. */
static bool compile_include(Compiler *C, xmlNodePtr n, WyTplNode *tn, Ctx ctx)
{
    const WyFragment *f = wy_include_lookup(C->t, n);
    if (!f)
        return node_error(C, n, "this <include> was not loaded");
    xmlNodePtr root = xmlDocGetRootElement(f->doc);
    tn->u.include.fragment = root;
    const WySource *saved = C->src;
    C->src = &f->src;
    annotate(C, root, TPL_FRAGMENT);
    size_t mark = wy_xpath_scope_mark(C->t->xpc);
    bool ok = true;
    for (xmlNodePtr c = root->children; c && ok; c = c->next)
        if (c->type == XML_ELEMENT_NODE && kind_of(c) != TPL_STYLE)
            ok = compile_element(C, c, ctx);
    wy_xpath_scope_release(C->t->xpc, mark);
    C->src = saved;
    return ok;
}

static bool compile_element(Compiler *C, xmlNodePtr n, Ctx ctx)
{
    WyTplKind kind = kind_of(n);
    if (kind == TPL_UNKNOWN)
        return node_error(C, n, "<%s> is not an element of the template language", (const char *)n->name);
    if (kind == TPL_CELL && ctx == CTX_TABLE_CELLS)
        kind = TPL_TABLE_CELL;
    if (C->depth >= WY_EXPAND_MAX_DEPTH)
        return node_error(C, n, "the template nests elements more than %d deep here", WY_EXPAND_MAX_DEPTH);
    WyTplNode *tn = annotate(C, n, kind);
    C->depth++;
    bool ok = true;
    switch (kind) {
    case TPL_P:
    case TPL_H:
        ok = compile_para(C, n, tn);
        break;
    case TPL_SPAN:
        ok = compile_span(C, n, tn);
        break;
    case TPL_IMAGE:
        tn->u.image.align = WY_ALIGN_CENTER;
        if (attr(n, "align"))
            tn->u.image.align = strcmp(attr(n, "align"), "start") == 0 ? WY_ALIGN_START
                              : strcmp(attr(n, "align"), "end") == 0 ? WY_ALIGN_END : WY_ALIGN_CENTER;
        ok = get_avt(C, n, "src", &tn->u.image.src) && get_avt(C, n, "caption", &tn->u.image.caption) &&
             get_style(C, n, "caption-style", "caption", &tn->u.image.caption_style) &&
             get_len(C, n, "width", WY_LEN_ALLOW_PERCENT, &tn->u.image.width) && get_spacing(C, n, &tn->u.image.sp);
        break;
    case TPL_RULE:
        ok = get_pt(C, n, "thickness", 0.5, &tn->u.rule.thickness_pt) &&
             get_color(C, n, "color", false, WY_COLOR_BLACK, &tn->u.rule.color) &&
             get_len(C, n, "width", WY_LEN_ALLOW_PERCENT, &tn->u.rule.width) && get_spacing(C, n, &tn->u.rule.sp);
        tn->u.rule.double_line = get_bool(n, "double", false);
        if (ok && tn->u.rule.thickness_pt <= 0)
            ok = attr_error(C, n, "thickness", "thickness must be more than 0");
        break;
    case TPL_SPACE:
        ok = get_pt(C, n, "height", 0, &tn->u.space.height_pt);
        break;
    case TPL_PAGE_BREAK:
        if (C->in_table_cell)
            ok = node_error(C, n, "a table cell cannot start a new page; move the <page-break/> out of the table");
        break;
    case TPL_BR:
    case TPL_TEXT:
        break;
    case TPL_TABLE:
        ok = compile_table(C, n, tn);
        break;
    case TPL_ROW:
        tn->u.row.keep_together = get_bool(n, "keep-together", false);
        ok = get_color(C, n, "background", true, WY_COLOR_NONE, &tn->u.row.background) &&
             compile_children(C, n, CTX_TABLE_CELLS);
        break;
    case TPL_TABLE_CELL:
        ok = compile_table_cell(C, n, tn);
        break;
    case TPL_PAGE_NUMBER:
    case TPL_PAGE_COUNT:
        if (!C->in_header)
            ok = node_error(C, n, "<%s/> only works in a page master's <header> or <footer>", (const char *)n->name);
        break;
    case TPL_BOX:
    case TPL_CELL:
        ok = compile_frame(C, n, tn);
        break;
    case TPL_COLUMNS:
        tn->u.columns.balance = get_bool(n, "balance", true);
        ok = get_count(C, n, "count", 2, &tn->u.columns.count) &&
             get_pt(C, n, "gap", 2 * C->t->body_em_pt, &tn->u.columns.gap_pt) &&
             get_border(C, n, "separator", WY_COLOR_BLACK, &tn->u.columns.separator) &&
             get_spacing(C, n, &tn->u.columns.sp) && compile_children(C, n, CTX_BLOCK);
        break;
    case TPL_GRID:
        tn->u.grid.equal_rows = get_bool(n, "equal-rows", false);
        ok = (strchr(attr(n, "columns"), '{') ? get_avt(C, n, "columns", &tn->u.grid.columns_avt)
                                              : get_count(C, n, "columns", 1, &tn->u.grid.columns)) &&
             get_pt(C, n, "gap", 0, &tn->u.grid.gap_pt) &&
             get_pt(C, n, "row-gap", 0, &tn->u.grid.row_gap_pt) && get_spacing(C, n, &tn->u.grid.sp) &&
             compile_children(C, n, CTX_CELL);
        break;
    case TPL_CONTENT:
        ok = compile_content(C, n, tn);
        break;
    case TPL_PARALLEL:
        ok = compile_parallel(C, n, tn);
        break;
    case TPL_FOR_EACH:
        ok = compile_for_each(C, n, tn, ctx);
        break;
    case TPL_IF:
    case TPL_WHEN:
        tn->u.expr.xpath = get_xpath(C, n, "test");
        ok = tn->u.expr.xpath && compile_children(C, n, ctx);
        break;
    case TPL_WITH:
        tn->u.expr.xpath = get_xpath(C, n, "select");
        ok = tn->u.expr.xpath && compile_children(C, n, ctx);
        break;
    case TPL_CHOOSE:
    case TPL_OTHERWISE:
        ok = compile_children(C, n, ctx);
        break;
    case TPL_VALUE_OF:
        tn->u.expr.xpath = get_xpath(C, n, "select");
        ok = tn->u.expr.xpath != NULL;
        break;
    case TPL_REQUIRE:
        tn->u.require.test = get_xpath(C, n, "test");
        ok = tn->u.require.test && get_avt(C, n, "message", &tn->u.require.message);
        break;
    case TPL_INCLUDE:
        ok = compile_include(C, n, tn, ctx);
        break;
    case TPL_VARIABLE:
        tn->u.variable.name = wy_arena_strdup(&C->t->arena, attr(n, "name"));
        tn->u.variable.select = get_xpath(C, n, "select");
        ok = tn->u.variable.select != NULL;
        /* visible to what follows, not to its own select */
        if (ok)
            wy_xpath_declare(C->t->xpc, tn->u.variable.name);
        break;
    default:
        ok = node_error(C, n, "<%s> is not allowed here", (const char *)n->name);
        break;
    }
    C->depth--;
    return ok;
}

static bool compile_children(Compiler *C, xmlNodePtr parent, Ctx ctx)
{
    size_t mark = wy_xpath_scope_mark(C->t->xpc);
    bool ok = true;
    for (xmlNodePtr c = parent->children; c && ok; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            ok = compile_element(C, c, ctx);
    wy_xpath_scope_release(C->t->xpc, mark);
    return ok;
}

/* ------------------------------------------------------------ top level */

static bool compile_style(Compiler *C, xmlNodePtr n)
{
    annotate(C, n, TPL_STYLE);
    WyStyleSpec spec;
    if (!get_style_props(C, n, &spec))
        return false;
    const char *name = attr(n, "name");
    if (!wy_stylesheet_define(C->t->styles, name, attr(n, "base"), &spec, attr_loc(C, n, "name")))
        return attr_error(C, n, "name", "style %s is defined twice", name);
    return true;
}

static bool compile_param(Compiler *C, xmlNodePtr n)
{
    WyTplNode *tn = annotate(C, n, TPL_PARAM);
    WyTemplate *t = C->t;
    const char *name = attr(n, "name");
    for (size_t i = 0; i < t->n_params; i++)
        if (strcmp(t->params[i].name, name) == 0)
            return attr_error(C, n, "name", "parameter %s is declared twice", name);
    t->params = wy_xrealloc(t->params, wy_mul_size(t->n_params + 1, sizeof *t->params));
    WyTplParam *p = &t->params[t->n_params++];
    p->name = wy_arena_strdup(&t->arena, name);
    p->default_value = wy_arena_strdup(&t->arena, attr(n, "default"));
    p->loc = tn->loc;
    wy_xpath_declare(t->xpc, p->name);
    return true;
}

static bool compile_meta(Compiler *C, xmlNodePtr n)
{
    annotate(C, n, TPL_META);
    WyTemplate *t = C->t;
    return get_avt(C, n, "title", &t->meta_title) && get_avt(C, n, "author", &t->meta_author) &&
           get_avt(C, n, "subject", &t->meta_subject) && get_avt(C, n, "keywords", &t->meta_keywords) &&
           get_avt(C, n, "lang", &t->meta_lang);
}

static int master_index(const WyTemplate *t, const char *name)
{
    for (size_t i = 0; i < t->n_masters; i++)
        if (strcmp(t->masters[i].name, name) == 0)
            return (int)i;
    return -1;
}

static WyTplMaster *add_master(WyTemplate *t, const char *name)
{
    t->masters = wy_xrealloc(t->masters, wy_mul_size(t->n_masters + 1, sizeof *t->masters));
    WyTplMaster *m = &t->masters[t->n_masters++];
    memset(m, 0, sizeof *m);
    m->name = wy_arena_strdup(&t->arena, name);
    m->width_pt = A4_WIDTH_PT;
    m->height_pt = A4_HEIGHT_PT;
    m->margin_pt[0] = GB9704_MARGIN_TOP_MM * WY_PT_PER_MM;
    m->margin_pt[1] = GB9704_MARGIN_RIGHT_MM * WY_PT_PER_MM;
    m->margin_pt[2] = GB9704_MARGIN_BOTTOM_MM * WY_PT_PER_MM;
    m->margin_pt[3] = GB9704_MARGIN_LEFT_MM * WY_PT_PER_MM;
    m->header_gap_pt = DEFAULT_HEADER_GAP_MM * WY_PT_PER_MM;
    m->footer_gap_pt = GB9704_FOOTER_GAP_MM * WY_PT_PER_MM;
    m->header_rule.color = WY_COLOR_BLACK;
    return m;
}

/* The baseline pitch of style INDEX (a resolved style always has one). */
static double style_pitch(const WyTemplate *t, int index)
{
    return wy_stylesheet_get(t->styles, index)->line_height_pt;
}

/* line-grid: "none", a style's name (its line height) or a length; by
   default the body style's line height, so body text keeps one grid down
   the page whatever stands between its paragraphs (CJK.md §5). */
static bool get_line_grid(Compiler *C, xmlNodePtr n, WyTplMaster *m)
{
    const WyTemplate *t = C->t;
    const char *v = attr(n, "line-grid");
    if (!v) {
        m->line_grid_pt = t->body_style >= 0 ? style_pitch(t, t->body_style) : 0;
        return true;
    }
    if (strcmp(v, "none") == 0) {
        m->line_grid_pt = 0;
        return true;
    }
    int style = wy_stylesheet_lookup(t->styles, v);
    if (style >= 0) {
        m->line_grid_pt = style_pitch(t, style);
        return true;
    }
    WyLen len;
    if (!wy_len_parse(v, WY_LEN_ALLOW_FACTOR, &len) || len.value <= 0)
        return attr_error(C, n, "line-grid", "line-grid=\"%s\" is neither a style nor a length; write the body "
                                             "style's name, a pitch such as 28.9pt, or none", v);
    m->line_grid_pt = wy_len_resolve(len, t->body_em_pt, 0);
    return true;
}

static bool compile_master(Compiler *C, xmlNodePtr n)
{
    annotate(C, n, TPL_PAGE_MASTER);
    WyTemplate *t = C->t;
    const char *name = attr(n, "name");
    if (master_index(t, name) >= 0)
        return attr_error(C, n, "name", "page master %s is defined twice", name);
    WyTplMaster *m = add_master(t, name);
    m->loc = wy_source_node_loc(C->src, n);
    const char *size = attr(n, "size");
    if (size && !wy_page_size_parse(size, &m->width_pt, &m->height_pt))
        return attr_error(C, n, "size", "size=\"%s\" is not a page size; write A4, A5, B5, A3 or WIDTH x HEIGHT "
                                        "such as 185mm x 260mm", size);
    const char *orientation = attr(n, "orientation");
    if (orientation && strcmp(orientation, "landscape") == 0 && m->width_pt < m->height_pt) {
        double w = m->width_pt;
        m->width_pt = m->height_pt;
        m->height_pt = w;
    }
    const char *margin = attr(n, "margin");
    if (margin && !wy_lengths4_parse(margin, t->body_em_pt, m->margin_pt))
        return attr_error(C, n, "margin", "margin=\"%s\" must be one to four lengths (top right bottom left), "
                                          "e.g. \"37mm 26mm 35mm 28mm\"", margin);
    static const char *const sides[4] = {"margin-top", "margin-right", "margin-bottom", "margin-left"};
    for (int i = 0; i < 4; i++)
        if (!get_pt(C, n, sides[i], m->margin_pt[i], &m->margin_pt[i]))
            return false;
    if (!get_pt(C, n, "header-gap", m->header_gap_pt, &m->header_gap_pt) ||
        !get_pt(C, n, "footer-gap", m->footer_gap_pt, &m->footer_gap_pt))
        return false;
    WyBorder rule = {0, WY_COLOR_BLACK};
    if (!get_border(C, n, "header-rule", WY_COLOR_BLACK, &rule))
        return false;
    m->header_rule = rule;
    if (!get_line_grid(C, n, m))
        return false;
    for (int i = 0; i < 4; i++)
        if (m->margin_pt[i] < 0)
            return node_error(C, n, "page master %s has a negative margin", name);
    if (m->width_pt - m->margin_pt[1] - m->margin_pt[3] < MIN_TYPE_AREA_PT ||
        m->height_pt - m->margin_pt[0] - m->margin_pt[2] < MIN_TYPE_AREA_PT)
        return node_error(C, n, "the margins of page master %s leave less than 1 inch for the text", name);
    C->in_header = true;
    C->depth = 3; /* template, page-master, header or footer */
    bool ok = true;
    for (xmlNodePtr c = n->children; c && ok; c = c->next) {
        WyTplKind kind = kind_of(c);
        if (kind != TPL_HEADER && kind != TPL_FOOTER)
            continue;
        annotate(C, c, kind);
        if (kind == TPL_HEADER)
            t->masters[t->n_masters - 1].header = c;
        else
            t->masters[t->n_masters - 1].footer = c;
        ok = compile_children(C, c, CTX_BLOCK);
    }
    C->in_header = false;
    return ok;
}

static bool compile_sequence(Compiler *C, xmlNodePtr n)
{
    WyTplNode *tn = annotate(C, n, TPL_SEQUENCE);
    WyTemplate *t = C->t;
    static const char *const attrs[2] = {"master", "first-master"};
    int *slots[2] = {&tn->u.sequence.master, &tn->u.sequence.first_master};
    *slots[0] = 0;
    const WyAvt **avts[2] = {&tn->u.sequence.master_avt, &tn->u.sequence.first_master_avt};
    for (int i = 0; i < 2; i++) {
        const char *name = attr(n, attrs[i]);
        if (!name) {
            if (i == 1) {
                *slots[1] = *slots[0];
                *avts[1] = *avts[0];
            }
            continue;
        }
        if (strchr(name, '{')) { /* master="{$master}": chosen when expanded */
            if (!get_avt(C, n, attrs[i], avts[i]))
                return false;
            *slots[i] = 0;
            continue;
        }
        *avts[i] = NULL;
        *slots[i] = master_index(t, name);
        if (*slots[i] < 0) {
            WyBuf names;
            wy_buf_init(&names);
            for (size_t m = 0; m < t->n_masters; m++)
                wy_buf_printf(&names, "%s%s", m ? ", " : "", t->masters[m].name);
            attr_error(C, n, attrs[i], "page master %s is not defined; the page masters are: %s", name,
                       wy_buf_str(&names));
            wy_buf_release(&names);
            return false;
        }
    }
    C->depth = 2; /* template, sequence */
    return compile_children(C, n, CTX_BLOCK);
}

/* The styles of included fragments: each is defined unless the template
   (or a fragment met earlier) defines one of that name, so a template
   restyles a shared component by defining its styles itself. */
static bool compile_fragment_styles(Compiler *C)
{
    for (size_t i = 0; i < C->t->n_fragments; i++) {
        const WyFragment *f = C->t->fragments[i];
        C->src = &f->src;
        size_t before = wy_stylesheet_count(C->t->styles);
        for (xmlNodePtr c = xmlDocGetRootElement(f->doc)->children; c; c = c->next) {
            if (kind_of(c) != TPL_STYLE)
                continue;
            int existing = wy_stylesheet_lookup(C->t->styles, attr(c, "name"));
            if (existing >= 0 && (size_t)existing < before)
                continue;
            if (!compile_style(C, c))
                return false;
        }
    }
    C->src = &C->t->src;
    return true;
}

bool wy_template_compile(WyTemplate *t, WyDiag *d)
{
    Compiler C = {t, &t->src, d, 1, false, 0, 0};
    xmlNodePtr root = xmlDocGetRootElement(t->doc);
    wy_preset_apply(root);
    annotate(&C, root, TPL_TEMPLATE);
    int n_meta = 0, n_sequences = 0;
    /* styles first: everything else names them */
    for (xmlNodePtr c = root->children; c; c = c->next) {
        WyTplKind kind = kind_of(c);
        if (kind == TPL_STYLE && !compile_style(&C, c))
            return false;
        if (kind == TPL_META && ++n_meta > 1)
            return node_error(&C, c, "a template has one <meta>; merge this one into the first");
        n_sequences += kind == TPL_SEQUENCE;
    }
    if (n_sequences == 0)
        return node_error(&C, root, "the template has no <sequence>, so it would print nothing");
    if (!compile_fragment_styles(&C) || !wy_stylesheet_resolve(t->styles, d))
        return false;
    t->body_style = wy_stylesheet_lookup(t->styles, "body");
    t->body_em_pt = wy_stylesheet_get(t->styles, t->body_style)->size_pt;
    /* parameters, then global variables in order: visible everywhere after */
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (kind_of(c) == TPL_PARAM && !compile_param(&C, c))
            return false;
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (kind_of(c) == TPL_VARIABLE && !compile_element(&C, c, CTX_BLOCK))
            return false;
    for (xmlNodePtr c = root->children; c; c = c->next) {
        WyTplKind kind = kind_of(c);
        if ((kind == TPL_META && !compile_meta(&C, c)) || (kind == TPL_PAGE_MASTER && !compile_master(&C, c)))
            return false;
    }
    if (t->n_masters == 0)
        add_master(t, "default");
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (kind_of(c) == TPL_SEQUENCE && !compile_sequence(&C, c))
            return false;
    return true;
}
