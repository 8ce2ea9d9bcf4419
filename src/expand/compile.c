#include "expand/compiler.h"

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

/* ------------------------------------------------------------ elements */

static bool only_child_is_value_of(const xmlNode *p, xmlNodePtr *value_of)
{
    *value_of = NULL;
    for (xmlNodePtr c = p->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            for (const xmlChar *s = c->content; s && *s; s++)
                if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
                    return false;
        } else if (c->type == XML_ELEMENT_NODE) {
            if (*value_of || wy_tc_kind(c) != TPL_VALUE_OF)
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
    if (!wy_tc_style(C, n, "style", heading ? "heading" : "body", &base))
        return false;
    WyStyleSpec over;
    if (!wy_tc_style_props(C, n, &over))
        return false;
    /* lang="{lang}": an article's own language reaches its title, decided
       per paragraph when the template is expanded */
    const char *lang = wy_tc_attr(n, "lang");
    if (lang && strchr(lang, '{')) {
        over.set &= ~(unsigned)WY_SP_LANG;
        if (!wy_tc_avt(C, n, "lang", &tn->u.para.lang))
            return false;
    }
    if (heading && !wy_tc_attr(n, "keep-with-next")) {
        over.keep_with_next = true; /* a heading never ends a page */
        over.set |= WY_SP_KEEP_WITH_NEXT;
    }
    tn->u.para.style = over.set ? wy_stylesheet_derive(C->t->styles, base, &over) : base;
    int level = 1;
    if (heading && !wy_tc_count(C, n, "level", 1, &level))
        return false;
    if (!wy_tc_count(C, n, "bookmark-level", level, &tn->u.para.bookmark_level))
        return false;
    const char *bookmark = wy_tc_attr(n, "bookmark");
    tn->u.para.bookmark_off = bookmark && bookmark[0] == '\0';
    tn->u.para.bookmark_auto = heading && !bookmark;
    if (bookmark && bookmark[0] && !wy_tc_avt(C, n, "bookmark", &tn->u.para.bookmark))
        return false;
    tn->u.para.split_lines = wy_tc_bool(n, "split-lines", false);
    if (tn->u.para.split_lines && !only_child_is_value_of(n, &tn->u.para.split_value))
        return wy_tc_attr_error(C, n, "split-lines",
                          "split-lines=\"true\" needs a <%s> whose only content is one <value-of>", (const char *)n->name);
    return wy_tc_children(C, n, CTX_INLINE);
}

static bool compile_span(Compiler *C, xmlNodePtr n, WyTplNode *tn)
{
    tn->u.span.color = WY_COLOR_NONE;
    const char *style_name = wy_tc_attr(n, "style");
    if (style_name) {
        int idx;
        if (!wy_tc_style(C, n, "style", NULL, &idx))
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
    const char *weight = wy_tc_attr(n, "weight");
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
        if (!wy_tc_attr(n, toggles[i].attr))
            continue;
        bool on = wy_tc_bool(n, toggles[i].attr, false);
        tn->u.span.set_flags = on ? tn->u.span.set_flags | toggles[i].flag : tn->u.span.set_flags & ~toggles[i].flag;
        tn->u.span.clear_flags = on ? tn->u.span.clear_flags & ~toggles[i].flag : tn->u.span.clear_flags | toggles[i].flag;
    }
    WyColor inherit = tn->u.span.color;
    if (!wy_tc_color(C, n, "color", false, inherit, &tn->u.span.color))
        return false;
    WyTplWidth size;
    if (!wy_tc_len(C, n, "size", 0, &size))
        return false;
    if (size.set) {
        if (size.len.value <= 0)
            return wy_tc_attr_error(C, n, "size", "size must be more than 0");
        tn->u.span.size = size.len;
        tn->u.span.has_size = true;
    }
    const char *role = wy_tc_attr(n, "role");
    if (role) {
        if (!wy_font_role_known(role)) {
            WyBuf why;
            wy_buf_init(&why);
            WyStyleSpec dummy;
            memset(&dummy, 0, sizeof dummy);
            wy_style_spec_set(&dummy, "role", role, &why);
            wy_tc_attr_error(C, n, "role", "%s", wy_buf_str(&why));
            wy_buf_release(&why);
            return false;
        }
        tn->u.span.role = wy_arena_strdup(&C->t->arena, role);
    }
    if (!wy_tc_avt(C, n, "link", &tn->u.span.link))
        return false;
    return wy_tc_children(C, n, CTX_INLINE);
}

static bool compile_frame(Compiler *C, xmlNodePtr n, WyTplNode *tn)
{
    WyColor border_color;
    if (!wy_tc_color(C, n, "color", false, WY_COLOR_BLACK, &border_color))
        return false;
    WyBorder all = {0, border_color};
    if (!wy_tc_border(C, n, "border", border_color, &all))
        return false;
    static const char *const sides[4] = {"border-top", "border-right", "border-bottom", "border-left"};
    for (int i = 0; i < 4; i++) {
        tn->u.frame.border[i] = all;
        if (!wy_tc_border(C, n, sides[i], border_color, &tn->u.frame.border[i]))
            return false;
    }
    const char *padding = wy_tc_attr(n, "padding");
    if (padding && !wy_lengths4_parse(padding, C->t->body_em_pt, tn->u.frame.padding_pt))
        return wy_tc_attr_error(C, n, "padding", "padding=\"%s\" must be one to four lengths, e.g. \"3mm\" or \"2mm 4mm\"",
                          padding);
    if (!wy_tc_color(C, n, "background", true, WY_COLOR_NONE, &tn->u.frame.background))
        return false;
    if (!wy_tc_len(C, n, "width", WY_LEN_ALLOW_PERCENT, &tn->u.frame.width))
        return false;
    tn->u.frame.keep_together = wy_tc_bool(n, "keep-together", tn->kind == TPL_CELL);
    const char *at = wy_tc_attr(n, "at");
    if (at && strcmp(at, "foot") != 0)
        return wy_tc_attr_error(C, n, "at", "at=\"%s\" is not a place on the page; write at=\"foot\" to set the box at "
                                      "the foot of its page, or leave it out", at);
    tn->u.frame.at_foot = at != NULL;
    const char *valign = wy_tc_attr(n, "valign");
    tn->u.frame.valign = !valign ? WY_VALIGN_TOP
                       : strcmp(valign, "middle") == 0 ? WY_VALIGN_MIDDLE
                       : strcmp(valign, "bottom") == 0 ? WY_VALIGN_BOTTOM : WY_VALIGN_TOP;
    if (!wy_tc_spacing(C, n, &tn->u.frame.sp))
        return false;
    return wy_tc_children(C, n, CTX_BLOCK);
}

/* Style attribute NAME, or FALLBACK (a sheet index) when absent. */
static bool wy_tc_style_or(Compiler *C, const xmlNode *n, const char *name, int fallback, int *out)
{
    if (!wy_tc_attr(n, name)) {
        *out = fallback;
        return true;
    }
    return wy_tc_style(C, n, name, NULL, out);
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
    if (!wy_tc_style(C, n, "p", "body", &m->p))
        return false;
    for (int level = 0; level < WY_CONTENT_HEADING_LEVELS; level++) {
        char name[4] = {'h', (char)('1' + level), '\0', '\0'};
        if (!wy_tc_style(C, n, name, "heading", &m->h[level]))
            return false;
    }
    m->li = -1; /* derived from p by the expander, per list depth */
    if (wy_tc_attr(n, "li") && !wy_tc_style(C, n, "li", NULL, &m->li))
        return false;
    if (wy_tc_attr(n, "quote")) {
        if (!wy_tc_style(C, n, "quote", NULL, &m->quote))
            return false;
    } else {
        m->quote = default_quote_style(C, m->p);
    }
    if (!wy_tc_style(C, n, "caption", "caption", &m->caption))
        return false;
    m->bookmarks = wy_tc_bool(n, "bookmarks", false);
    return wy_tc_len(C, n, "image-width", WY_LEN_ALLOW_PERCENT, &m->image_width);
}

static bool compile_content(Compiler *C, xmlNodePtr n, WyTplNode *tn)
{
    if (wy_tc_attr(n, "select")) {
        tn->u.content.select = wy_tc_xpath(C, n, "select");
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
    left->select = wy_tc_attr(n, "select") ? wy_tc_xpath(C, n, "select")
                                     : wy_xpath_compile(C->t->xpc, "body", tn->loc, "select", C->d);
    right->select = wy_tc_attr(n, "with") ? wy_tc_xpath(C, n, "with")
                                    : wy_xpath_compile(C->t->xpc, "translation/body", tn->loc, "with", C->d);
    if (!left->select || !right->select || !compile_content_map(C, n, left))
        return false;
    *right = (WyTplContent){.select = right->select, .li = -1, .image_width = left->image_width};
    if (!wy_tc_style_or(C, n, "with-p", left->p, &right->p))
        return false;
    for (int level = 0; level < WY_CONTENT_HEADING_LEVELS; level++) {
        char name[9] = {'w', 'i', 't', 'h', '-', 'h', (char)('1' + level), '\0', '\0'};
        if (!wy_tc_style_or(C, n, name, left->h[level], &right->h[level]))
            return false;
    }
    right->quote = default_quote_style(C, right->p);
    return wy_tc_style_or(C, n, "with-caption", left->caption, &right->caption) &&
           wy_tc_pt(C, n, "gap", 2 * C->t->body_em_pt, &tn->u.parallel.gap_pt) && wy_tc_spacing(C, n, &tn->u.parallel.sp);
}

/* order="stroke|pinyin|text|number|document", or a value template read
   when the for-each runs; sort-type="text|number" is the older spelling.
   With an order but no sort-by, the nodes sort by their own text. */
static bool compile_sort_order(Compiler *C, xmlNodePtr n, WyTplNode *tn)
{
    const char *order = wy_tc_attr(n, "order");
    const char *type = wy_tc_attr(n, "sort-type");
    tn->u.for_each.order = tn->u.for_each.sort_by ? WY_SORT_TEXT : WY_SORT_DOCUMENT;
    if (order && type)
        return wy_tc_attr_error(C, n, "sort-type", "sort-type is the older spelling of order; write only order=\"%s\"", order);
    if (type && tn->u.for_each.sort_by)
        tn->u.for_each.order = strcmp(type, "number") == 0 ? WY_SORT_NUMBER : WY_SORT_TEXT;
    if (!order)
        return true; /* sort-type alone, without sort-by, has nothing to sort by */
    if (!tn->u.for_each.sort_by) {
        tn->u.for_each.sort_by = wy_xpath_compile(C->t->xpc, ".", wy_tc_attr_loc(C, n, "order"), "sort-by", C->d);
        if (!tn->u.for_each.sort_by)
            return false;
    }
    if (strchr(order, '{'))
        return wy_tc_avt(C, n, "order", &tn->u.for_each.order_avt);
    if (!wy_sort_order_parse(order, &tn->u.for_each.order))
        return wy_tc_attr_error(C, n, "order", "order=\"%s\" is not an order; write %s", order, WY_SORT_ORDER_WORDS);
    return true;
}

static bool compile_for_each(Compiler *C, xmlNodePtr n, WyTplNode *tn, Ctx ctx)
{
    tn->u.for_each.select = wy_tc_xpath(C, n, "select");
    if (!tn->u.for_each.select)
        return false;
    if (wy_tc_attr(n, "sort-by")) {
        tn->u.for_each.sort_by = wy_tc_xpath(C, n, "sort-by");
        if (!tn->u.for_each.sort_by)
            return false;
    }
    const char *direction = wy_tc_attr(n, "sort-order");
    tn->u.for_each.descending = direction && strcmp(direction, "descending") == 0;
    return compile_sort_order(C, n, tn) && wy_tc_children(C, n, ctx);
}

/* The included fragment's blocks, compiled here in the including file's
   scope (its variables are visible), with messages at the fragment's
   lines. Its styles were compiled with the template's. */
static bool compile_include(Compiler *C, xmlNodePtr n, WyTplNode *tn, Ctx ctx)
{
    const WyFragment *f = wy_include_lookup(C->t, n);
    if (!f)
        return wy_tc_node_error(C, n, "this <include> was not loaded");
    xmlNodePtr root = xmlDocGetRootElement(f->doc);
    tn->u.include.fragment = root;
    const WySource *saved = C->src;
    C->src = &f->src;
    wy_tc_annotate(C, root, TPL_FRAGMENT);
    size_t mark = wy_xpath_scope_mark(C->t->xpc);
    bool ok = true;
    for (xmlNodePtr c = root->children; c && ok; c = c->next)
        if (c->type == XML_ELEMENT_NODE && wy_tc_kind(c) != TPL_STYLE)
            ok = wy_tc_element(C, c, ctx);
    wy_xpath_scope_release(C->t->xpc, mark);
    C->src = saved;
    return ok;
}

bool wy_tc_element(Compiler *C, xmlNodePtr n, Ctx ctx)
{
    WyTplKind kind = wy_tc_kind(n);
    if (kind == TPL_UNKNOWN)
        return wy_tc_node_error(C, n, "<%s> is not an element of the template language", (const char *)n->name);
    if (kind == TPL_CELL && ctx == CTX_TABLE_CELLS)
        kind = TPL_TABLE_CELL;
    if (C->depth >= WY_EXPAND_MAX_DEPTH)
        return wy_tc_node_error(C, n, "the template nests elements more than %d deep here", WY_EXPAND_MAX_DEPTH);
    WyTplNode *tn = wy_tc_annotate(C, n, kind);
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
        if (wy_tc_attr(n, "align"))
            tn->u.image.align = strcmp(wy_tc_attr(n, "align"), "start") == 0 ? WY_ALIGN_START
                              : strcmp(wy_tc_attr(n, "align"), "end") == 0 ? WY_ALIGN_END : WY_ALIGN_CENTER;
        ok = wy_tc_avt(C, n, "src", &tn->u.image.src) && wy_tc_avt(C, n, "caption", &tn->u.image.caption) &&
             wy_tc_style(C, n, "caption-style", "caption", &tn->u.image.caption_style) &&
             wy_tc_len(C, n, "width", WY_LEN_ALLOW_PERCENT, &tn->u.image.width) && wy_tc_spacing(C, n, &tn->u.image.sp);
        break;
    case TPL_RULE:
        ok = wy_tc_pt(C, n, "thickness", 0.5, &tn->u.rule.thickness_pt) &&
             wy_tc_color(C, n, "color", false, WY_COLOR_BLACK, &tn->u.rule.color) &&
             wy_tc_len(C, n, "width", WY_LEN_ALLOW_PERCENT, &tn->u.rule.width) && wy_tc_spacing(C, n, &tn->u.rule.sp);
        tn->u.rule.double_line = wy_tc_bool(n, "double", false);
        if (ok && tn->u.rule.thickness_pt <= 0)
            ok = wy_tc_attr_error(C, n, "thickness", "thickness must be more than 0");
        break;
    case TPL_SPACE:
        ok = wy_tc_pt(C, n, "height", 0, &tn->u.space.height_pt);
        break;
    case TPL_PAGE_BREAK:
        if (C->in_table_cell)
            ok = wy_tc_node_error(C, n, "a table cell cannot start a new page; move the <page-break/> out of the table");
        break;
    case TPL_BR:
    case TPL_TEXT:
        break;
    case TPL_TABLE:
        ok = wy_tc_table(C, n, tn);
        break;
    case TPL_ROW:
        tn->u.row.keep_together = wy_tc_bool(n, "keep-together", false);
        ok = wy_tc_color(C, n, "background", true, WY_COLOR_NONE, &tn->u.row.background) &&
             wy_tc_children(C, n, CTX_TABLE_CELLS);
        break;
    case TPL_TABLE_CELL:
        ok = wy_tc_table_cell(C, n, tn);
        break;
    case TPL_PAGE_NUMBER:
    case TPL_PAGE_COUNT:
        if (!C->in_header)
            ok = wy_tc_node_error(C, n, "<%s/> only works in a page master's <header> or <footer>", (const char *)n->name);
        break;
    case TPL_BOX:
    case TPL_CELL:
        ok = compile_frame(C, n, tn);
        break;
    case TPL_COLUMNS:
        tn->u.columns.balance = wy_tc_bool(n, "balance", true);
        ok = wy_tc_count(C, n, "count", 2, &tn->u.columns.count) &&
             wy_tc_pt(C, n, "gap", 2 * C->t->body_em_pt, &tn->u.columns.gap_pt) &&
             wy_tc_border(C, n, "separator", WY_COLOR_BLACK, &tn->u.columns.separator) &&
             wy_tc_spacing(C, n, &tn->u.columns.sp) && wy_tc_children(C, n, CTX_BLOCK);
        break;
    case TPL_GRID:
        tn->u.grid.equal_rows = wy_tc_bool(n, "equal-rows", false);
        ok = (strchr(wy_tc_attr(n, "columns"), '{') ? wy_tc_avt(C, n, "columns", &tn->u.grid.columns_avt)
                                              : wy_tc_count(C, n, "columns", 1, &tn->u.grid.columns)) &&
             wy_tc_pt(C, n, "gap", 0, &tn->u.grid.gap_pt) &&
             wy_tc_pt(C, n, "row-gap", 0, &tn->u.grid.row_gap_pt) && wy_tc_spacing(C, n, &tn->u.grid.sp) &&
             wy_tc_children(C, n, CTX_CELL);
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
        tn->u.expr.xpath = wy_tc_xpath(C, n, "test");
        ok = tn->u.expr.xpath && wy_tc_children(C, n, ctx);
        break;
    case TPL_WITH:
        tn->u.expr.xpath = wy_tc_xpath(C, n, "select");
        ok = tn->u.expr.xpath && wy_tc_children(C, n, ctx);
        break;
    case TPL_CHOOSE:
    case TPL_OTHERWISE:
        ok = wy_tc_children(C, n, ctx);
        break;
    case TPL_VALUE_OF:
        tn->u.expr.xpath = wy_tc_xpath(C, n, "select");
        ok = tn->u.expr.xpath != NULL;
        break;
    case TPL_REQUIRE:
        tn->u.require.test = wy_tc_xpath(C, n, "test");
        ok = tn->u.require.test && wy_tc_avt(C, n, "message", &tn->u.require.message);
        break;
    case TPL_INCLUDE:
        ok = compile_include(C, n, tn, ctx);
        break;
    case TPL_VARIABLE:
        tn->u.variable.name = wy_arena_strdup(&C->t->arena, wy_tc_attr(n, "name"));
        tn->u.variable.select = wy_tc_xpath(C, n, "select");
        ok = tn->u.variable.select != NULL;
        /* visible to what follows, not to its own select */
        if (ok)
            wy_xpath_declare(C->t->xpc, tn->u.variable.name);
        break;
    default:
        ok = wy_tc_node_error(C, n, "<%s> is not allowed here", (const char *)n->name);
        break;
    }
    C->depth--;
    return ok;
}

bool wy_tc_children(Compiler *C, xmlNodePtr parent, Ctx ctx)
{
    size_t mark = wy_xpath_scope_mark(C->t->xpc);
    bool ok = true;
    for (xmlNodePtr c = parent->children; c && ok; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            ok = wy_tc_element(C, c, ctx);
    wy_xpath_scope_release(C->t->xpc, mark);
    return ok;
}

/* ------------------------------------------------------------ top level */

static bool compile_style(Compiler *C, xmlNodePtr n)
{
    wy_tc_annotate(C, n, TPL_STYLE);
    WyStyleSpec spec;
    if (!wy_tc_style_props(C, n, &spec))
        return false;
    const char *name = wy_tc_attr(n, "name");
    if (!wy_stylesheet_define(C->t->styles, name, wy_tc_attr(n, "base"), &spec, wy_tc_attr_loc(C, n, "name")))
        return wy_tc_attr_error(C, n, "name", "style %s is defined twice", name);
    return true;
}

static bool compile_param(Compiler *C, xmlNodePtr n)
{
    WyTplNode *tn = wy_tc_annotate(C, n, TPL_PARAM);
    WyTemplate *t = C->t;
    const char *name = wy_tc_attr(n, "name");
    for (size_t i = 0; i < t->n_params; i++)
        if (strcmp(t->params[i].name, name) == 0)
            return wy_tc_attr_error(C, n, "name", "parameter %s is declared twice", name);
    t->params = wy_xrealloc(t->params, wy_mul_size(t->n_params + 1, sizeof *t->params));
    WyTplParam *p = &t->params[t->n_params++];
    p->name = wy_arena_strdup(&t->arena, name);
    p->default_value = wy_arena_strdup(&t->arena, wy_tc_attr(n, "default"));
    p->loc = tn->loc;
    wy_xpath_declare(t->xpc, p->name);
    return true;
}

static bool compile_meta(Compiler *C, xmlNodePtr n)
{
    wy_tc_annotate(C, n, TPL_META);
    WyTemplate *t = C->t;
    return wy_tc_avt(C, n, "title", &t->meta_title) && wy_tc_avt(C, n, "author", &t->meta_author) &&
           wy_tc_avt(C, n, "subject", &t->meta_subject) && wy_tc_avt(C, n, "keywords", &t->meta_keywords) &&
           wy_tc_avt(C, n, "lang", &t->meta_lang);
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
    const char *v = wy_tc_attr(n, "line-grid");
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
        return wy_tc_attr_error(C, n, "line-grid", "line-grid=\"%s\" is neither a style nor a length; write the body "
                                             "style's name, a pitch such as 28.9pt, or none", v);
    m->line_grid_pt = wy_len_resolve(len, t->body_em_pt, 0);
    return true;
}

static bool compile_master(Compiler *C, xmlNodePtr n)
{
    wy_tc_annotate(C, n, TPL_PAGE_MASTER);
    WyTemplate *t = C->t;
    const char *name = wy_tc_attr(n, "name");
    if (master_index(t, name) >= 0)
        return wy_tc_attr_error(C, n, "name", "page master %s is defined twice", name);
    WyTplMaster *m = add_master(t, name);
    m->loc = wy_source_node_loc(C->src, n);
    const char *size = wy_tc_attr(n, "size");
    if (size && !wy_page_size_parse(size, &m->width_pt, &m->height_pt))
        return wy_tc_attr_error(C, n, "size", "size=\"%s\" is not a page size; write A4, A5, B5, A3 or WIDTH x HEIGHT "
                                        "such as 185mm x 260mm", size);
    const char *orientation = wy_tc_attr(n, "orientation");
    if (orientation && strcmp(orientation, "landscape") == 0 && m->width_pt < m->height_pt) {
        double w = m->width_pt;
        m->width_pt = m->height_pt;
        m->height_pt = w;
    }
    const char *margin = wy_tc_attr(n, "margin");
    if (margin && !wy_lengths4_parse(margin, t->body_em_pt, m->margin_pt))
        return wy_tc_attr_error(C, n, "margin", "margin=\"%s\" must be one to four lengths (top right bottom left), "
                                          "e.g. \"37mm 26mm 35mm 28mm\"", margin);
    static const char *const sides[4] = {"margin-top", "margin-right", "margin-bottom", "margin-left"};
    for (int i = 0; i < 4; i++)
        if (!wy_tc_pt(C, n, sides[i], m->margin_pt[i], &m->margin_pt[i]))
            return false;
    if (!wy_tc_pt(C, n, "header-gap", m->header_gap_pt, &m->header_gap_pt) ||
        !wy_tc_pt(C, n, "footer-gap", m->footer_gap_pt, &m->footer_gap_pt))
        return false;
    WyBorder rule = {0, WY_COLOR_BLACK};
    if (!wy_tc_border(C, n, "header-rule", WY_COLOR_BLACK, &rule))
        return false;
    m->header_rule = rule;
    if (!get_line_grid(C, n, m))
        return false;
    for (int i = 0; i < 4; i++)
        if (m->margin_pt[i] < 0)
            return wy_tc_node_error(C, n, "page master %s has a negative margin", name);
    if (m->width_pt - m->margin_pt[1] - m->margin_pt[3] < MIN_TYPE_AREA_PT ||
        m->height_pt - m->margin_pt[0] - m->margin_pt[2] < MIN_TYPE_AREA_PT)
        return wy_tc_node_error(C, n, "the margins of page master %s leave less than 1 inch for the text", name);
    C->in_header = true;
    C->depth = 3; /* template, page-master, header or footer */
    bool ok = true;
    for (xmlNodePtr c = n->children; c && ok; c = c->next) {
        WyTplKind kind = wy_tc_kind(c);
        if (kind != TPL_HEADER && kind != TPL_FOOTER)
            continue;
        wy_tc_annotate(C, c, kind);
        if (kind == TPL_HEADER)
            t->masters[t->n_masters - 1].header = c;
        else
            t->masters[t->n_masters - 1].footer = c;
        ok = wy_tc_children(C, c, CTX_BLOCK);
    }
    C->in_header = false;
    return ok;
}

static bool compile_sequence(Compiler *C, xmlNodePtr n)
{
    WyTplNode *tn = wy_tc_annotate(C, n, TPL_SEQUENCE);
    WyTemplate *t = C->t;
    static const char *const attrs[2] = {"master", "first-master"};
    int *slots[2] = {&tn->u.sequence.master, &tn->u.sequence.first_master};
    *slots[0] = 0;
    const WyAvt **avts[2] = {&tn->u.sequence.master_avt, &tn->u.sequence.first_master_avt};
    for (int i = 0; i < 2; i++) {
        const char *name = wy_tc_attr(n, attrs[i]);
        if (!name) {
            if (i == 1) {
                *slots[1] = *slots[0];
                *avts[1] = *avts[0];
            }
            continue;
        }
        if (strchr(name, '{')) { /* master="{$master}": chosen when expanded */
            if (!wy_tc_avt(C, n, attrs[i], avts[i]))
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
            wy_tc_attr_error(C, n, attrs[i], "page master %s is not defined; the page masters are: %s", name,
                       wy_buf_str(&names));
            wy_buf_release(&names);
            return false;
        }
    }
    C->depth = 2; /* template, sequence */
    return wy_tc_children(C, n, CTX_BLOCK);
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
            if (wy_tc_kind(c) != TPL_STYLE)
                continue;
            int existing = wy_stylesheet_lookup(C->t->styles, wy_tc_attr(c, "name"));
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
    wy_tc_annotate(&C, root, TPL_TEMPLATE);
    int n_meta = 0, n_sequences = 0;
    /* styles first: everything else names them */
    for (xmlNodePtr c = root->children; c; c = c->next) {
        WyTplKind kind = wy_tc_kind(c);
        if (kind == TPL_STYLE && !compile_style(&C, c))
            return false;
        if (kind == TPL_META && ++n_meta > 1)
            return wy_tc_node_error(&C, c, "a template has one <meta>; merge this one into the first");
        n_sequences += kind == TPL_SEQUENCE;
    }
    if (n_sequences == 0)
        return wy_tc_node_error(&C, root, "the template has no <sequence>, so it would print nothing");
    if (!compile_fragment_styles(&C) || !wy_stylesheet_resolve(t->styles, d))
        return false;
    t->body_style = wy_stylesheet_lookup(t->styles, "body");
    t->body_em_pt = wy_stylesheet_get(t->styles, t->body_style)->size_pt;
    /* parameters, then global variables in order: visible everywhere after */
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (wy_tc_kind(c) == TPL_PARAM && !compile_param(&C, c))
            return false;
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (wy_tc_kind(c) == TPL_VARIABLE && !wy_tc_element(&C, c, CTX_BLOCK))
            return false;
    for (xmlNodePtr c = root->children; c; c = c->next) {
        WyTplKind kind = wy_tc_kind(c);
        if ((kind == TPL_META && !compile_meta(&C, c)) || (kind == TPL_PAGE_MASTER && !compile_master(&C, c)))
            return false;
    }
    if (t->n_masters == 0)
        add_master(t, "default");
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (wy_tc_kind(c) == TPL_SEQUENCE && !compile_sequence(&C, c))
            return false;
    return true;
}
