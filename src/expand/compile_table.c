#include "expand/compiler.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

/* Table presets: the Chinese academic three-line table (三线表) and a full grid. */
#define THREE_LINE_THICK_PT 1.5
#define THREE_LINE_THIN_PT 0.75
#define GRID_RULE_PT 0.5
#define CELL_PADDING_V_PT 3.0
#define CELL_PADDING_H_PT 5.0
#define DEFAULT_CONTINUED "（续）"

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
    if (wy_tc_attr(n, name))
        return wy_tc_style(C, n, name, NULL, out);
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
    return wy_tc_attr_error(C, n, name, "%s: \"%s\" is not a column width; write auto, a share such as 2* or *, "
                                  "a length such as 30mm or a percentage such as 20%%", name, word);
}

/* columns="auto 2* 30mm": one width per column, separated by spaces. */
static bool get_columns(Compiler *C, const xmlNode *n, WyTplNode *tn)
{
    const char *v = wy_tc_attr(n, "columns");
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
        if (tn->u.table.n_columns == WY_TPL_MAX_COUNT) {
            ok = wy_tc_attr_error(C, n, "columns", "a table has at most %d columns", WY_TPL_MAX_COUNT);
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
    wy_tc_annotate(C, c, TPL_COLUMN);
    if (count == 0)
        tn->u.table.n_columns = 0;
    if (tn->u.table.n_columns >= WY_TPL_MAX_COUNT)
        return wy_tc_node_error(C, c, "a table has at most %d columns", WY_TPL_MAX_COUNT);
    WyTableColumn *grown = WY_ARENA_ARRAY(&C->t->arena, WyTableColumn, (size_t)tn->u.table.n_columns + 1);
    if (tn->u.table.n_columns)
        memcpy(grown, tn->u.table.columns, (size_t)tn->u.table.n_columns * sizeof *grown);
    tn->u.table.columns = grown;
    WyTableColumn *col = &grown[tn->u.table.n_columns++];
    const char *width = wy_tc_attr(c, "width");
    col->kind = WY_COLUMN_AUTO;
    col->align = cell_align_value(wy_tc_attr(c, "align"));
    if (width && !parse_column_width(C, width, col))
        return bad_column_width(C, c, "width", width);
    return true;
}

/* Borders of the preset, then the table's own attributes over them. */
static bool table_borders(Compiler *C, const xmlNode *n, WyTplNode *tn)
{
    WyColor color;
    if (!wy_tc_color(C, n, "color", false, WY_COLOR_BLACK, &color))
        return false;
    const char *preset = wy_tc_attr(n, "preset");
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
    if (!wy_tc_border(C, n, "border", color, &outer))
        return false;
    for (int i = 0; i < 4 && outer.width_pt >= 0; i++)
        b[i] = outer;
    static const char *const sides[4] = {"border-top", "border-right", "border-bottom", "border-left"};
    for (int i = 0; i < 4; i++)
        if (!wy_tc_border(C, n, sides[i], color, &b[i]))
            return false;
    return wy_tc_border(C, n, "row-rule", color, &tn->u.table.row_rule) &&
           wy_tc_border(C, n, "column-rule", color, &tn->u.table.column_rule) &&
           wy_tc_border(C, n, "header-rule", color, &tn->u.table.header_rule) &&
           wy_tc_border(C, n, "footer-rule", color, &tn->u.table.footer_rule);
}

static bool compile_rows(Compiler *C, xmlNodePtr part, WyTplKind kind, int style)
{
    wy_tc_annotate(C, part, kind);
    int saved = C->cell_style;
    C->cell_style = style;
    bool ok = wy_tc_children(C, part, CTX_ROWS);
    C->cell_style = saved;
    return ok;
}

bool wy_tc_table(Compiler *C, xmlNodePtr n, WyTplNode *tn)
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
    if (!table_borders(C, n, tn) || !get_columns(C, n, tn) || !wy_tc_spacing(C, n, &tn->u.table.sp) ||
        !wy_tc_len(C, n, "width", WY_LEN_ALLOW_PERCENT, &tn->u.table.width) ||
        !wy_tc_color(C, n, "zebra", true, WY_COLOR_NONE, &tn->u.table.zebra))
        return false;
    double *pad = tn->u.table.cell_padding_pt;
    pad[0] = pad[2] = CELL_PADDING_V_PT;
    pad[1] = pad[3] = CELL_PADDING_H_PT;
    const char *padding = wy_tc_attr(n, "cell-padding");
    if (padding && !wy_lengths4_parse(padding, t->body_em_pt, pad))
        return wy_tc_attr_error(C, n, "cell-padding",
                          "cell-padding=\"%s\" must be one to four lengths, e.g. \"3pt\" or \"2pt 5pt\"", padding);
    const char *align = wy_tc_attr(n, "align");
    tn->u.table.align = !align || strcmp(align, "center") == 0 ? WY_ALIGN_CENTER
                      : strcmp(align, "end") == 0               ? WY_ALIGN_END : WY_ALIGN_START;
    tn->u.table.valign = wy_tc_attr(n, "valign") ? valign_value(wy_tc_attr(n, "valign")) : WY_VALIGN_MIDDLE;
    const char *continued = wy_tc_attr(n, "continued");
    tn->u.table.continued = wy_arena_strdup(&t->arena, continued ? continued : DEFAULT_CONTINUED);
    tn->u.table.split_rows = wy_tc_bool(n, "split-rows", true);
    tn->u.table.repeat_header = true;
    bool ok = true;
    int n_column_elements = 0;
    for (xmlNodePtr c = n->children; c && ok; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)c->name;
        if (strcmp(name, "caption") == 0 || strcmp(name, "continued-caption") == 0) {
            bool first = strcmp(name, "caption") == 0;
            wy_tc_annotate(C, c, first ? TPL_CAPTION : TPL_CONTINUED_CAPTION);
            *(first ? &tn->u.table.caption : &tn->u.table.continued_caption) = c;
            ok = wy_tc_children(C, c, CTX_INLINE);
        } else if (strcmp(name, "column") == 0) {
            if (n_column_elements == 0 && tn->u.table.n_columns > 0)
                ok = wy_tc_node_error(C, c, "the table gives its columns both in columns=\"…\" and in <column> "
                                      "elements; keep one of them");
            else
                ok = compile_column(C, c, tn, n_column_elements++);
        } else if (strcmp(name, "header") == 0) {
            tn->u.table.header = c;
            tn->u.table.repeat_header = wy_tc_bool(c, "repeat", true);
            ok = compile_rows(C, c, TPL_TABLE_HEADER, header_style);
        } else if (strcmp(name, "body") == 0) {
            tn->u.table.body = c;
            ok = compile_rows(C, c, TPL_TABLE_BODY, cell_style);
        } else if (strcmp(name, "footer") == 0) {
            tn->u.table.footer = c;
            tn->u.table.repeat_footer = wy_tc_bool(c, "repeat", false);
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
        switch (wy_tc_kind(c)) {
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
        WyTplKind kind = wy_tc_kind(c);
        if (kind == TPL_FOR_EACH || kind == TPL_IF || kind == TPL_CHOOSE || kind == TPL_WHEN ||
            kind == TPL_OTHERWISE || kind == TPL_WITH) {
            const xmlNode *found = stray_text(c);
            if (found)
                return found;
        }
    }
    return NULL;
}

bool wy_tc_table_cell(Compiler *C, xmlNodePtr n, WyTplNode *tn)
{
    if (!wy_tc_count(C, n, "colspan", 1, &tn->u.cell.colspan) || !wy_tc_count(C, n, "rowspan", 1, &tn->u.cell.rowspan))
        return false;
    tn->u.cell.align = cell_align_value(wy_tc_attr(n, "align"));
    tn->u.cell.valign_set = wy_tc_attr(n, "valign") != NULL;
    tn->u.cell.valign = valign_value(wy_tc_attr(n, "valign"));
    WyColor color;
    if (!wy_tc_color(C, n, "color", false, WY_COLOR_BLACK, &color) ||
        !wy_tc_color(C, n, "background", true, WY_COLOR_NONE, &tn->u.cell.background))
        return false;
    WyBorder all = {0, color};
    if (!wy_tc_border(C, n, "border", color, &all))
        return false;
    static const char *const sides[4] = {"border-top", "border-right", "border-bottom", "border-left"};
    for (int i = 0; i < 4; i++) {
        tn->u.cell.border[i] = all;
        if (!wy_tc_border(C, n, sides[i], color, &tn->u.cell.border[i]))
            return false;
    }
    for (int i = 0; i < 4; i++)
        tn->u.cell.padding_pt[i] = -1;
    const char *padding = wy_tc_attr(n, "padding");
    if (padding && !wy_lengths4_parse(padding, C->t->body_em_pt, tn->u.cell.padding_pt))
        return wy_tc_attr_error(C, n, "padding", "padding=\"%s\" must be one to four lengths, e.g. \"3pt\" or \"2pt 5pt\"",
                          padding);
    if (!table_style(C, n, "style", C->cell_style, NULL, &tn->u.cell.style))
        return false;
    tn->u.cell.inline_content = !holds_blocks(n);
    const xmlNode *text = tn->u.cell.inline_content ? NULL : stray_text(n);
    if (text)
        return wy_tc_node_error(C, n, "this cell holds both text and blocks; put the text in a <p> as well");
    C->in_table_cell++;
    bool ok = wy_tc_children(C, n, tn->u.cell.inline_content ? CTX_INLINE : CTX_BLOCK);
    C->in_table_cell--;
    return ok;
}

