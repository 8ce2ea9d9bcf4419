#include "expand/compiler.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

WyTplKind wy_tc_kind(const xmlNode *n)
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

__attribute__((format(printf, 3, 4))) bool wy_tc_node_error(Compiler *C, const xmlNode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror_at(C, wy_source_node_loc(C->src, n), fmt, ap);
    va_end(ap);
    return false;
}

__attribute__((format(printf, 4, 5))) bool wy_tc_attr_error(Compiler *C, const xmlNode *n, const char *attr,
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
const char *wy_tc_attr(const xmlNode *n, const char *name)
{
    xmlAttrPtr a = xmlHasProp(n, BAD_CAST name);
    if (!a || a->ns)
        return NULL;
    return a->children && a->children->content ? (const char *)a->children->content : "";
}

WyLoc wy_tc_attr_loc(Compiler *C, const xmlNode *n, const char *name)
{
    WyLoc loc = wy_source_attr_loc(C->src, n, name);
    loc.file = C->src->path;
    return loc;
}

bool wy_tc_bool(const xmlNode *n, const char *name, bool fallback)
{
    const char *v = wy_tc_attr(n, name);
    return v ? strcmp(v, "true") == 0 : fallback; /* the schema allows only true and false */
}

bool wy_tc_count(Compiler *C, const xmlNode *n, const char *name, int fallback, int *out)
{
    const char *v = wy_tc_attr(n, name);
    if (!v) {
        *out = fallback;
        return true;
    }
    char *end;
    errno = 0;
    long c = strtol(v, &end, 10);
    if (errno || end == v || *end || c < 1 || c > WY_TPL_MAX_COUNT)
        return wy_tc_attr_error(C, n, name, "%s=\"%s\" must be a whole number from 1 to %d", name, v, WY_TPL_MAX_COUNT);
    *out = (int)c;
    return true;
}

bool wy_tc_len(Compiler *C, const xmlNode *n, const char *name, unsigned allow, WyTplWidth *out)
{
    const char *v = wy_tc_attr(n, name);
    out->set = false;
    if (!v)
        return true;
    if (!wy_len_parse(v, allow, &out->len)) {
        WyBuf why;
        wy_buf_init(&why);
        wy_buf_printf(&why, "%s: ", name);
        wy_len_explain(v, allow, &why);
        wy_tc_attr_error(C, n, name, "%s", wy_buf_str(&why));
        wy_buf_release(&why);
        return false;
    }
    out->set = true;
    return true;
}

/* A length in points; em is the body size. */
bool wy_tc_pt(Compiler *C, const xmlNode *n, const char *name, double fallback, double *out)
{
    WyTplWidth w;
    if (!wy_tc_len(C, n, name, 0, &w))
        return false;
    *out = w.set ? wy_len_resolve(w.len, C->t->body_em_pt, 0) : fallback;
    return true;
}

bool wy_tc_color(Compiler *C, const xmlNode *n, const char *name, bool allow_none, WyColor fallback,
                      WyColor *out)
{
    const char *v = wy_tc_attr(n, name);
    *out = fallback;
    if (!v)
        return true;
    if (allow_none && (strcmp(v, "none") == 0 || strcmp(v, "transparent") == 0)) {
        *out = WY_COLOR_NONE;
        return true;
    }
    if (!wy_color_parse(v, out))
        return wy_tc_attr_error(C, n, name, "%s=\"%s\" is not a colour; write #RRGGBB, #RGB or a name such as red, "
                                      "darkred, black, gray, lightgray%s",
                          name, v, allow_none ? " (or none)" : "");
    return true;
}

/* A border; when its text names no colour, DEFAULT_COLOR applies. */
bool wy_tc_border(Compiler *C, const xmlNode *n, const char *name, WyColor default_color, WyBorder *out)
{
    const char *v = wy_tc_attr(n, name);
    if (!v)
        return true;
    WyBuf why;
    wy_buf_init(&why);
    bool ok = wy_border_parse(v, C->t->body_em_pt, out, &why);
    if (!ok)
        wy_tc_attr_error(C, n, name, "%s: %s", name, wy_buf_str(&why));
    else if (!strpbrk(v, " \t"))
        out->color = default_color;
    wy_buf_release(&why);
    return ok;
}

bool wy_tc_style(Compiler *C, const xmlNode *n, const char *name, const char *fallback, int *out)
{
    const char *v = wy_tc_attr(n, name);
    const char *style = v ? v : fallback;
    *out = wy_stylesheet_lookup(C->t->styles, style);
    if (*out >= 0)
        return true;
    WyBuf names;
    wy_buf_init(&names);
    wy_stylesheet_names(C->t->styles, &names);
    if (v)
        wy_tc_attr_error(C, n, name, "style %s is not defined; the styles are: %s", style, wy_buf_str(&names));
    else
        wy_tc_node_error(C, n, "style %s is not defined; the styles are: %s", style, wy_buf_str(&names));
    wy_buf_release(&names);
    return false;
}

const WyXPath *wy_tc_xpath(Compiler *C, const xmlNode *n, const char *name)
{
    const char *v = wy_tc_attr(n, name);
    if (!v)
        return NULL;
    return wy_xpath_compile(C->t->xpc, v, wy_tc_attr_loc(C, n, name), name, C->d);
}

/* Compiles attribute NAME as a value template into *OUT (NULL when absent). */
bool wy_tc_avt(Compiler *C, const xmlNode *n, const char *name, const WyAvt **out)
{
    const char *v = wy_tc_attr(n, name);
    *out = NULL;
    if (!v)
        return true;
    *out = wy_avt_compile(C->t->xpc, v, wy_tc_attr_loc(C, n, name), name, C->d);
    return *out != NULL;
}

/* Style properties written directly on an element (p, h, style). */
bool wy_tc_style_props(Compiler *C, const xmlNode *n, WyStyleSpec *spec)
{
    memset(spec, 0, sizeof *spec);
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        if (a->ns || !wy_style_prop_known(name))
            continue;
        const char *value = wy_tc_attr(n, name);
        WyBuf why;
        wy_buf_init(&why);
        bool ok = wy_style_spec_set(spec, name, value, &why);
        if (!ok)
            wy_tc_attr_error(C, n, name, "%s", wy_buf_str(&why));
        wy_buf_release(&why);
        if (!ok)
            return false;
    }
    return true;
}

bool wy_tc_spacing(Compiler *C, const xmlNode *n, WyTplSpacing *sp)
{
    sp->keep_with_next = wy_tc_bool(n, "keep-with-next", false);
    return wy_tc_pt(C, n, "space-before", 0, &sp->before_pt) && wy_tc_pt(C, n, "space-after", 0, &sp->after_pt);
}

WyTplNode *wy_tc_annotate(Compiler *C, xmlNodePtr n, WyTplKind kind)
{
    WyTplNode *tn = WY_ARENA_NEW(&C->t->arena, WyTplNode);
    tn->kind = kind;
    tn->loc = wy_source_node_loc(C->src, n);
    tn->loc.file = C->src->path;
    n->_private = tn;
    return tn;
}

