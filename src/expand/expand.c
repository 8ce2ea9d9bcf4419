#include "expand/content.h"
#include "expand/parallel.h"
#include "expand/emit.h"

#include <errno.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>

#include "base/fsx.h"
#include "base/mem.h"

/* Where the nodes being expanded go: blocks, grid cells, the inline
   content of one paragraph, table rows, or the cells of a table row. */
typedef enum Mode { MODE_BLOCK, MODE_CELL, MODE_INLINE, MODE_ROWS, MODE_TABLE_CELLS } Mode;

typedef struct Sink {
    Mode mode;
    WyBoxList *boxes;     /* MODE_BLOCK, MODE_CELL */
    WyParaBuilder *para;  /* MODE_INLINE */
    const WyStyle *style; /* MODE_INLINE: the paragraph's, for em sizes */
    WyTableRow **row_tail;   /* MODE_ROWS: where the next row goes */
    WyTableCell **cell_tail; /* MODE_TABLE_CELLS: where the next cell goes */
} Sink;

static bool expand_nodes(WyExpander *E, xmlNodePtr first, Sink *sink);

/* ------------------------------------------------------------ helpers */

/* A length written in the template: em of the body size, % of the measure. */
static double width_pt(const WyExpander *E, const WyTplWidth *w)
{
    if (!w->set)
        return 0;
    double v = wy_len_resolve(w->len, E->t->body_em_pt, E->measure_pt);
    return v < 0 ? 0 : v;
}

static void apply_spacing(WyBox *b, const WyTplSpacing *sp)
{
    b->space_before_pt = sp->before_pt;
    b->space_after_pt = sp->after_pt;
    b->keep_with_next = sp->keep_with_next;
}

/* ------------------------------------------------------------ inlines */

static bool expand_span(WyExpander *E, xmlNodePtr n, const WyTplNode *tn, Sink *sink)
{
    WySpanAttrs a = {tn->u.span.set_flags, tn->u.span.clear_flags, tn->u.span.color, 0,
                     tn->u.span.role ? wy_expand_intern(E, tn->u.span.role) : NULL, NULL};
    if (tn->u.span.has_size)
        a.size_pt = wy_len_resolve(tn->u.span.size, sink->style->size_pt, 0);
    if (tn->u.span.link) {
        WyBuf link;
        wy_buf_init(&link);
        bool ok = wy_bind_avt(E->bind, tn->u.span.link, &link);
        if (ok && link.len)
            a.link = wy_arena_strdup(&E->doc->arena, wy_buf_str(&link));
        wy_buf_release(&link);
        if (!ok)
            return false;
    }
    if (!wy_para_span_open(sink->para, &a)) {
        wy_diag_error(E->d, tn->loc, "spans nest more than %d deep here", WY_PARA_MAX_SPAN_DEPTH);
        return false;
    }
    bool ok = expand_nodes(E, n->children, sink);
    wy_para_span_close(sink->para);
    return ok;
}

static bool expand_inline(WyExpander *E, xmlNodePtr n, const WyTplNode *tn, Sink *sink)
{
    switch (tn->kind) {
    case TPL_VALUE_OF: {
        WyBuf value;
        wy_buf_init(&value);
        const xmlNode *from;
        bool ok = wy_bind_string_from(E->bind, tn->u.expr.xpath, &value, &from);
        if (ok) {
            size_t start = sink->para->text.len;
            wy_para_literal(sink->para, wy_buf_str(&value), false);
            /* a computed value (normalize-space(姓名), $name) is most
               likely made from the record being set */
            if (!from)
                from = wy_bind_context(E->bind).node;
            if (from)
                wy_para_origin(sink->para, start, wy_expand_node_origin(E, from));
        }
        wy_buf_release(&value);
        return ok;
    }
    case TPL_SPAN:
        return expand_span(E, n, tn, sink);
    case TPL_BR:
        wy_para_break(sink->para);
        return true;
    case TPL_PAGE_NUMBER:
        wy_para_field(sink->para, WY_FIELD_PAGE_NUMBER);
        return true;
    case TPL_PAGE_COUNT:
        wy_para_field(sink->para, WY_FIELD_PAGE_COUNT);
        return true;
    case TPL_TEXT: {
        xmlChar *text = xmlNodeGetContent(n);
        wy_para_literal(sink->para, text ? (const char *)text : "", false);
        xmlFree(text);
        return true;
    }
    default:
        wy_diag_error(E->d, tn->loc, "<%s> cannot be used inside a paragraph", (const char *)n->name);
        return false;
    }
}

/* ------------------------------------------------------------ blocks */

static void set_bookmark(WyExpander *E, WyBox *b, const char *text, int level)
{
    WyBuf clean;
    wy_buf_init(&clean);
    for (const char *s = text; *s; s++)
        wy_buf_putc(&clean, *s == '\n' ? ' ' : *s);
    if (clean.len) {
        b->bookmark = wy_arena_strdup(&E->doc->arena, wy_buf_str(&clean));
        b->bookmark_level = level;
    }
    wy_buf_release(&clean);
}

static bool add_bookmark(WyExpander *E, WyBox *b, const WyTplNode *tn)
{
    if (tn->u.para.bookmark_off)
        return true;
    if (tn->u.para.bookmark) {
        WyBuf text;
        wy_buf_init(&text);
        bool ok = wy_bind_avt(E->bind, tn->u.para.bookmark, &text);
        if (ok)
            set_bookmark(E, b, wy_buf_str(&text), tn->u.para.bookmark_level);
        wy_buf_release(&text);
        return ok;
    }
    if (tn->u.para.bookmark_auto)
        set_bookmark(E, b, b->u.para.text, tn->u.para.bookmark_level);
    return true;
}

/* <p split-lines="true"><value-of …/></p>: one paragraph per line of the
   value, as a CSV field typed with line breaks becomes paragraphs. */
static bool expand_split_lines(WyExpander *E, const WyTplNode *tn, const WyStyle *style, WyBoxList *out)
{
    const WyTplNode *value_of = wy_tpl_node(tn->u.para.split_value);
    WyBuf value;
    wy_buf_init(&value);
    bool ok = wy_bind_string(E->bind, value_of->u.expr.xpath, &value);
    WyParaBuilder pb;
    wy_para_init(&pb);
    bool first = true;
    for (const char *line = wy_buf_str(&value); ok && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char *piece = wy_xstrndup(line, len);
        wy_para_literal(&pb, piece, true);
        free(piece);
        WyBox *b;
        ok = wy_expand_para_box(E, &pb, style, tn->loc, &b);
        if (ok && b) {
            if (first)
                ok = add_bookmark(E, b, tn);
            first = false;
            wy_box_list_append(out, b);
        }
        line = end ? end + 1 : line + len;
    }
    wy_para_release(&pb);
    wy_buf_release(&value);
    return ok;
}

static bool expand_para(WyExpander *E, xmlNodePtr n, const WyTplNode *tn, WyBoxList *out)
{
    const WyStyle *style = wy_expand_style(E, tn->u.para.style);
    if (tn->u.para.lang) {
        WyBuf lang;
        wy_buf_init(&lang);
        bool ok = wy_bind_avt(E->bind, tn->u.para.lang, &lang);
        if (ok && lang.len)
            style = wy_expand_style_variant(E, style, wy_buf_str(&lang), 0, 0);
        wy_buf_release(&lang);
        if (!ok)
            return false;
    }
    if (tn->u.para.split_lines)
        return expand_split_lines(E, tn, style, out);
    WyParaBuilder pb;
    wy_para_init(&pb);
    Sink sink = {MODE_INLINE, NULL, &pb, style, NULL, NULL};
    bool ok = expand_nodes(E, n->children, &sink);
    WyBox *b = NULL;
    if (ok)
        ok = wy_expand_para_box(E, &pb, style, tn->loc, &b);
    if (ok && b) {
        ok = add_bookmark(E, b, tn);
        wy_box_list_append(out, b);
    }
    wy_para_release(&pb);
    return ok;
}

static bool expand_image(WyExpander *E, const WyTplNode *tn, WyBoxList *out)
{
    WyBuf src;
    wy_buf_init(&src);
    bool ok = wy_bind_avt(E->bind, tn->u.image.src, &src);
    if (!ok || src.len == 0)
        goto out; /* no picture in the data: nothing to place */
    char *path = wy_fsx_join(E->template_dir, wy_buf_str(&src));
    const WyImage *img = wy_expand_image(E, path, tn->loc);
    free(path);
    WyBox *b = img ? wy_expand_new_box(E, WY_BOX_IMAGE, tn->loc) : NULL;
    if (!b) {
        ok = false;
        goto out;
    }
    b->u.image.image = img;
    b->u.image.width_pt = width_pt(E, &tn->u.image.width);
    b->u.image.align = tn->u.image.align;
    b->keep_together = true;
    apply_spacing(b, &tn->u.image.sp);
    if (tn->u.image.caption) {
        WyBuf caption;
        wy_buf_init(&caption);
        ok = wy_bind_avt(E->bind, tn->u.image.caption, &caption);
        if (ok && caption.len) {
            WyParaBuilder pb;
            wy_para_init(&pb);
            wy_para_literal(&pb, wy_buf_str(&caption), false);
            WyPara *para = WY_ARENA_NEW(&E->doc->arena, WyPara);
            wy_para_finish(&pb, &E->doc->arena, para);
            para->style = wy_expand_style(E, tn->u.image.caption_style);
            b->u.image.caption = para;
            wy_para_release(&pb);
        }
        wy_buf_release(&caption);
    }
    wy_box_list_append(out, b);
out:
    wy_buf_release(&src);
    return ok;
}

static bool expand_rule(WyExpander *E, const WyTplNode *tn, WyBoxList *out)
{
    WyBox *b = wy_expand_new_box(E, WY_BOX_RULE, tn->loc);
    if (!b)
        return false;
    b->u.rule.thickness_pt = tn->u.rule.thickness_pt;
    b->u.rule.color = tn->u.rule.color;
    b->u.rule.width_pt = width_pt(E, &tn->u.rule.width);
    b->u.rule.double_line = tn->u.rule.double_line;
    apply_spacing(b, &tn->u.rule.sp);
    wy_box_list_append(out, b);
    return true;
}

/* Children of a container, filled at MEASURE_PT wide. */
static bool expand_children_at(WyExpander *E, xmlNodePtr n, Mode mode, double measure_pt, WyBox *parent)
{
    double saved = E->measure_pt;
    E->measure_pt = measure_pt > 0 ? measure_pt : 0;
    WyBoxList children;
    wy_box_list_init(&children);
    Sink sink = {mode, &children, NULL, NULL, NULL, NULL};
    bool ok = expand_nodes(E, n->children, &sink);
    parent->children = children.head;
    E->measure_pt = saved;
    return ok;
}

static bool expand_frame(WyExpander *E, xmlNodePtr n, const WyTplNode *tn, WyBoxList *out)
{
    WyBox *b = wy_expand_new_box(E, WY_BOX_FRAME, tn->loc);
    if (!b)
        return false;
    b->u.frame.top = tn->u.frame.border[0];
    b->u.frame.right = tn->u.frame.border[1];
    b->u.frame.bottom = tn->u.frame.border[2];
    b->u.frame.left = tn->u.frame.border[3];
    memcpy(b->u.frame.padding_pt, tn->u.frame.padding_pt, sizeof b->u.frame.padding_pt);
    b->u.frame.background = tn->u.frame.background;
    b->u.frame.width_pt = width_pt(E, &tn->u.frame.width);
    b->u.frame.valign = tn->u.frame.valign;
    b->keep_together = tn->u.frame.keep_together || tn->u.frame.at_foot;
    b->at_foot = tn->u.frame.at_foot;
    apply_spacing(b, &tn->u.frame.sp);
    double outer = b->u.frame.width_pt > 0 ? b->u.frame.width_pt : E->measure_pt;
    double inner = outer - b->u.frame.padding_pt[1] - b->u.frame.padding_pt[3] - b->u.frame.left.width_pt -
                   b->u.frame.right.width_pt;
    if (!expand_children_at(E, n, MODE_BLOCK, inner, b))
        return false;
    wy_box_list_append(out, b);
    return true;
}

static bool expand_columns(WyExpander *E, xmlNodePtr n, const WyTplNode *tn, WyBoxList *out)
{
    WyBox *b = wy_expand_new_box(E, WY_BOX_COLUMNS, tn->loc);
    if (!b)
        return false;
    int count = tn->u.columns.count;
    b->u.columns.count = count;
    b->u.columns.gap_pt = tn->u.columns.gap_pt;
    b->u.columns.balance = tn->u.columns.balance;
    b->u.columns.separator = tn->u.columns.separator;
    apply_spacing(b, &tn->u.columns.sp);
    double column = (E->measure_pt - tn->u.columns.gap_pt * (count - 1)) / count;
    if (!expand_children_at(E, n, MODE_BLOCK, column, b))
        return false;
    if (b->children)
        wy_box_list_append(out, b);
    return true;
}

/* The whole number an attribute value template gives, from 1 to MAX. */
static bool avt_count(WyExpander *E, const WyAvt *avt, int max, int *out)
{
    WyBuf text;
    wy_buf_init(&text);
    bool ok = wy_bind_avt(E->bind, avt, &text);
    if (ok) {
        char *end;
        errno = 0;
        long v = strtol(wy_buf_str(&text), &end, 10);
        ok = !errno && end != wy_buf_str(&text) && *end == '\0' && v >= 1 && v <= max;
        if (ok)
            *out = (int)v;
        else
            wy_diag_error(E->d, avt->loc, "%s=\"%s\" gave \"%s\", which is not a whole number from 1 to %d",
                          avt->attr, avt->text, wy_buf_str(&text), max);
    }
    wy_buf_release(&text);
    return ok;
}

static bool expand_grid(WyExpander *E, xmlNodePtr n, const WyTplNode *tn, WyBoxList *out)
{
    int columns = tn->u.grid.columns;
    if (tn->u.grid.columns_avt && !avt_count(E, tn->u.grid.columns_avt, WY_TPL_MAX_COUNT, &columns))
        return false;
    WyBox *b = wy_expand_new_box(E, WY_BOX_GRID, tn->loc);
    if (!b)
        return false;
    b->u.grid.columns = columns;
    b->u.grid.gap_pt = tn->u.grid.gap_pt;
    b->u.grid.row_gap_pt = tn->u.grid.row_gap_pt;
    b->u.grid.equal_rows = tn->u.grid.equal_rows;
    apply_spacing(b, &tn->u.grid.sp);
    double cell = (E->measure_pt - tn->u.grid.gap_pt * (columns - 1)) / columns;
    if (!expand_children_at(E, n, MODE_CELL, cell, b))
        return false;
    if (b->children)
        wy_box_list_append(out, b);
    return true;
}

/* ------------------------------------------------------------ tables */

/* One paragraph from the inline content of N in STYLE; *OUT is NULL when
   it comes out empty. */
static bool expand_inline_para(WyExpander *E, xmlNodePtr n, const WyStyle *style, WyLoc loc, WyBox **out)
{
    WyParaBuilder pb;
    wy_para_init(&pb);
    Sink sink = {MODE_INLINE, NULL, &pb, style, NULL, NULL};
    bool ok = expand_nodes(E, n->children, &sink) && wy_expand_para_box(E, &pb, style, loc, out);
    wy_para_release(&pb);
    return ok;
}

static bool expand_table_cell(WyExpander *E, xmlNodePtr n, const WyTplNode *tn, Sink *sink)
{
    if (tn->kind != TPL_TABLE_CELL) {
        wy_diag_error(E->d, tn->loc, "a table <row> holds only <cell> elements, not <%s>", (const char *)n->name);
        return false;
    }
    if (!wy_expand_take_slot(E, tn->loc))
        return false;
    WyTableCell *cell = WY_ARENA_NEW(&E->doc->arena, WyTableCell);
    cell->loc = wy_expand_template_loc(E, tn->loc);
    cell->colspan = tn->u.cell.colspan;
    cell->rowspan = tn->u.cell.rowspan;
    cell->align = tn->u.cell.align;
    cell->valign = tn->u.cell.valign;
    cell->valign_set = tn->u.cell.valign_set;
    cell->background = tn->u.cell.background;
    memcpy(cell->border, tn->u.cell.border, sizeof cell->border);
    memcpy(cell->padding_pt, tn->u.cell.padding_pt, sizeof cell->padding_pt);
    bool ok;
    if (tn->u.cell.inline_content) {
        ok = expand_inline_para(E, n, wy_expand_style(E, tn->u.cell.style), tn->loc, &cell->blocks);
    } else {
        WyBoxList blocks;
        wy_box_list_init(&blocks);
        Sink inner = {MODE_BLOCK, &blocks, NULL, NULL, NULL, NULL};
        ok = expand_nodes(E, n->children, &inner);
        cell->blocks = blocks.head;
    }
    *sink->cell_tail = cell;
    sink->cell_tail = &cell->next;
    return ok;
}

static bool expand_row(WyExpander *E, xmlNodePtr n, const WyTplNode *tn, Sink *sink)
{
    if (tn->kind != TPL_ROW) {
        wy_diag_error(E->d, tn->loc, "the parts of a <table> hold only <row> elements, not <%s>",
                      (const char *)n->name);
        return false;
    }
    if (!wy_expand_take_slot(E, tn->loc))
        return false;
    WyTableRow *row = WY_ARENA_NEW(&E->doc->arena, WyTableRow);
    row->loc = wy_expand_template_loc(E, tn->loc);
    WyLoc data = wy_expand_data_loc(E, wy_bind_context(E->bind).node);
    if (data.line > 0 && data.file)
        row->data_loc = data;
    row->background = tn->u.row.background;
    row->keep_together = tn->u.row.keep_together;
    Sink cells = {MODE_TABLE_CELLS, NULL, NULL, NULL, NULL, &row->cells};
    bool ok = expand_nodes(E, n->children, &cells);
    *sink->row_tail = row;
    sink->row_tail = &row->next;
    return ok;
}

static bool expand_rows(WyExpander *E, xmlNodePtr part, WyTableRow **out)
{
    *out = NULL;
    if (!part)
        return true;
    Sink sink = {MODE_ROWS, NULL, NULL, NULL, out, NULL};
    return expand_nodes(E, part->children, &sink);
}

/* The caption with the continuation mark after it, for later pages. */
static const WyPara *continued_caption(WyExpander *E, const WyPara *caption, const char *mark)
{
    WyPara *p = WY_ARENA_NEW(&E->doc->arena, WyPara);
    *p = *caption;
    WyBuf text;
    wy_buf_init(&text);
    wy_buf_printf(&text, "%s%s", caption->text, mark);
    p->text = wy_arena_strdup(&E->doc->arena, wy_buf_str(&text));
    wy_buf_release(&text);
    return p;
}

static bool expand_table(WyExpander *E, const WyTplNode *tn, WyBoxList *out)
{
    WyBox *b = wy_expand_new_box(E, WY_BOX_TABLE, tn->loc);
    if (!b)
        return false;
    WyTable *tab = WY_ARENA_NEW(&E->doc->arena, WyTable);
    b->u.table = tab;
    apply_spacing(b, &tn->u.table.sp);
    tab->n_columns = tn->u.table.n_columns;
    if (tab->n_columns) {
        tab->columns = WY_ARENA_ARRAY(&E->doc->arena, WyTableColumn, (size_t)tab->n_columns);
        memcpy(tab->columns, tn->u.table.columns, (size_t)tab->n_columns * sizeof *tab->columns);
    }
    if (tn->u.table.width.set) {
        if (tn->u.table.width.len.unit == WY_LEN_PERCENT)
            tab->width_share = tn->u.table.width.len.value / 100.0;
        else
            tab->width_pt = width_pt(E, &tn->u.table.width);
    }
    tab->align = tn->u.table.align;
    memcpy(tab->border, tn->u.table.border, sizeof tab->border);
    tab->row_rule = tn->u.table.row_rule;
    tab->column_rule = tn->u.table.column_rule;
    tab->header_rule = tn->u.table.header_rule;
    tab->footer_rule = tn->u.table.footer_rule;
    memcpy(tab->cell_padding_pt, tn->u.table.cell_padding_pt, sizeof tab->cell_padding_pt);
    tab->zebra = tn->u.table.zebra;
    tab->valign = tn->u.table.valign;
    tab->repeat_header = tn->u.table.repeat_header;
    tab->repeat_footer = tn->u.table.repeat_footer;

    const WyStyle *caption_style = wy_expand_style(E, tn->u.table.caption_style);
    WyBox *caption = NULL, *continued = NULL;
    if (tn->u.table.caption && !expand_inline_para(E, tn->u.table.caption, caption_style, tn->loc, &caption))
        return false;
    if (tn->u.table.continued_caption &&
        !expand_inline_para(E, tn->u.table.continued_caption, caption_style, tn->loc, &continued))
        return false;
    tab->caption = caption ? &caption->u.para : NULL;
    if (continued)
        tab->continued_caption = &continued->u.para;
    else if (caption && tn->u.table.continued[0])
        tab->continued_caption = continued_caption(E, tab->caption, tn->u.table.continued);

    /* cells' nested blocks resolve percentages against an even share of the line */
    double saved = E->measure_pt;
    if (tab->n_columns > 0)
        E->measure_pt /= tab->n_columns;
    bool ok = expand_rows(E, tn->u.table.header, &tab->header) && expand_rows(E, tn->u.table.body, &tab->body) &&
              expand_rows(E, tn->u.table.footer, &tab->footer);
    E->measure_pt = saved;
    if (!ok)
        return false;
    if (!tn->u.table.split_rows)
        for (WyTableRow *row = tab->body; row; row = row->next)
            row->keep_together = true;
    if (tab->header || tab->body || tab->footer || tab->caption)
        wy_box_list_append(out, b);
    return true;
}

static bool expand_block(WyExpander *E, xmlNodePtr n, const WyTplNode *tn, Sink *sink)
{
    WyBoxList *out = sink->boxes;
    if (sink->mode == MODE_CELL && tn->kind != TPL_CELL) {
        wy_diag_error(E->d, tn->loc, "a <grid> holds only <cell> elements, not <%s>", (const char *)n->name);
        return false;
    }
    switch (tn->kind) {
    case TPL_P:
    case TPL_H:
        return expand_para(E, n, tn, out);
    case TPL_IMAGE:
        return expand_image(E, tn, out);
    case TPL_RULE:
        return expand_rule(E, tn, out);
    case TPL_SPACE:
    case TPL_PAGE_BREAK: {
        WyBox *b = wy_expand_new_box(E, tn->kind == TPL_SPACE ? WY_BOX_SPACE : WY_BOX_PAGE_BREAK, tn->loc);
        if (!b)
            return false;
        if (tn->kind == TPL_SPACE)
            b->u.space.height_pt = tn->u.space.height_pt;
        wy_box_list_append(out, b);
        return true;
    }
    case TPL_BOX:
    case TPL_CELL:
        return expand_frame(E, n, tn, out);
    case TPL_COLUMNS:
        return expand_columns(E, n, tn, out);
    case TPL_GRID:
        return expand_grid(E, n, tn, out);
    case TPL_CONTENT:
        return wy_content_expand(E, tn, out);
    case TPL_PARALLEL:
        return wy_parallel_expand(E, tn, out);
    case TPL_TABLE:
        return expand_table(E, tn, out);
    default:
        wy_diag_error(E->d, tn->loc, "<%s> cannot be used among blocks", (const char *)n->name);
        return false;
    }
}

/* ------------------------------------------------------------ control */

/* The order a for-each sorts in: its own, or what its order="{…}" gives. */
static bool sort_order(WyExpander *E, const WyTplNode *tn, WySortOrder *out)
{
    *out = tn->u.for_each.order;
    const WyAvt *avt = tn->u.for_each.order_avt;
    if (!avt)
        return true;
    WyBuf text;
    wy_buf_init(&text);
    bool ok = wy_bind_avt(E->bind, avt, &text);
    if (ok && !wy_sort_order_parse(wy_buf_str(&text), out)) {
        wy_diag_error(E->d, avt->loc, "%s=\"%s\" gave \"%s\", which is not an order; write %s", avt->attr,
                      avt->text, wy_buf_str(&text), WY_SORT_ORDER_WORDS);
        ok = false;
    }
    wy_buf_release(&text);
    return ok;
}

/* Each item's key is sort-by's string value on it; the same missing-column
   rule as <value-of> applies, so sorting by a column the spreadsheet lacks
   names its header line. */
static bool sort_items(WyExpander *E, const WyTplNode *tn, WySortOrder order, WySortItem *items, char **keys,
                       size_t n)
{
    WyBindContext saved = wy_bind_context(E->bind);
    bool ok = true;
    WyBuf key;
    wy_buf_init(&key);
    for (size_t i = 0; i < n && ok; i++) {
        wy_bind_set_context(E->bind, (WyBindContext){items[i].node, (int)i + 1, (int)n});
        wy_buf_clear(&key);
        ok = wy_bind_string(E->bind, tn->u.for_each.sort_by, &key);
        if (!ok)
            break;
        if (order == WY_SORT_NUMBER)
            items[i].number = xmlXPathCastStringToNumber(BAD_CAST wy_buf_str(&key));
        keys[i] = wy_xstrdup(wy_buf_str(&key));
        items[i].key = keys[i];
    }
    wy_buf_release(&key);
    wy_bind_set_context(E->bind, saved);
    if (ok)
        wy_sort_items(items, n, order, tn->u.for_each.descending);
    return ok;
}

static bool expand_for_each(WyExpander *E, xmlNodePtr n, const WyTplNode *tn, Sink *sink)
{
    xmlXPathObjectPtr set = wy_bind_nodes(E->bind, tn->u.for_each.select, "select");
    if (!set)
        return false;
    size_t count = set->nodesetval ? (size_t)set->nodesetval->nodeNr : 0;
    WySortItem *items = wy_xcalloc(count ? count : 1, sizeof *items);
    char **keys = wy_xcalloc(count ? count : 1, sizeof *keys);
    for (size_t i = 0; i < count; i++) {
        items[i].node = set->nodesetval->nodeTab[i];
        items[i].index = i;
    }
    WySortOrder order;
    bool ok = sort_order(E, tn, &order);
    if (ok && order != WY_SORT_DOCUMENT)
        ok = sort_items(E, tn, order, items, keys, count);
    WyBindContext saved = wy_bind_context(E->bind);
    for (size_t i = 0; i < count && ok; i++) {
        wy_bind_set_context(E->bind, (WyBindContext){items[i].node, (int)i + 1, (int)count});
        ok = expand_nodes(E, n->children, sink);
    }
    wy_bind_set_context(E->bind, saved);
    for (size_t i = 0; i < count; i++)
        free(keys[i]);
    free(keys);
    free(items);
    xmlXPathFreeObject(set);
    return ok;
}

static bool expand_with(WyExpander *E, xmlNodePtr n, const WyTplNode *tn, Sink *sink)
{
    xmlXPathObjectPtr set = wy_bind_nodes(E->bind, tn->u.expr.xpath, "select");
    if (!set)
        return false;
    bool ok = true;
    if (set->nodesetval && set->nodesetval->nodeNr > 0) {
        WyBindContext saved = wy_bind_context(E->bind);
        wy_bind_set_context(E->bind, (WyBindContext){set->nodesetval->nodeTab[0], 1, 1});
        ok = expand_nodes(E, n->children, sink);
        wy_bind_set_context(E->bind, saved);
    }
    xmlXPathFreeObject(set);
    return ok;
}

static bool expand_choose(WyExpander *E, xmlNodePtr n, Sink *sink)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        const WyTplNode *tn = wy_tpl_node(c);
        if (!tn)
            continue;
        if (tn->kind == TPL_OTHERWISE)
            return expand_nodes(E, c->children, sink);
        bool hit;
        if (!wy_bind_bool(E->bind, tn->u.expr.xpath, &hit))
            return false;
        if (hit)
            return expand_nodes(E, c->children, sink);
    }
    return true;
}

/* <require test message>: when TEST is false, the data is at fault, so
   the error names the data line the context node came from (a spreadsheet
   row: "row 14: 姓名 is empty") and the template line that requires it. A
   column the spreadsheet lacks is reported as missing, not as empty. */
static bool expand_require(WyExpander *E, const WyTplNode *tn)
{
    bool holds;
    if (!wy_bind_bool(E->bind, tn->u.require.test, &holds))
        return false;
    if (holds)
        return true;
    if (!wy_bind_column_present(E->bind, tn->u.require.test))
        return false;
    WyBuf message;
    wy_buf_init(&message);
    if (wy_bind_avt(E->bind, tn->u.require.message, &message)) {
        const xmlNode *node = wy_bind_context(E->bind).node;
        WyLoc at = wy_expand_node_origin(E, node);
        bool row = node && node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, "row") == 0;
        if (!at.file || at.line <= 0)
            wy_diag_error(E->d, tn->loc, "%s", wy_buf_str(&message));
        else if (row)
            wy_diag_error(E->d, wy_loc(at.file, at.line, 1), "row %d: %s (required by %s:%d)", at.line,
                          wy_buf_str(&message), tn->loc.file, tn->loc.line);
        else
            wy_diag_error(E->d, wy_loc(at.file, at.line, 1), "%s (required by %s:%d)", wy_buf_str(&message),
                          tn->loc.file, tn->loc.line);
    }
    wy_buf_release(&message);
    return false;
}

static bool expand_node(WyExpander *E, xmlNodePtr n, Sink *sink)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (sink->mode == MODE_INLINE && n->content)
            wy_para_template_text(sink->para, (const char *)n->content);
        return true;
    }
    const WyTplNode *tn = wy_tpl_node(n);
    if (!tn)
        return true; /* comments, processing instructions */
    if (E->depth >= WY_EXPAND_MAX_DEPTH) {
        wy_diag_error(E->d, tn->loc, "the template nests more than %d deep here", WY_EXPAND_MAX_DEPTH);
        return false;
    }
    E->depth++;
    bool ok;
    switch (tn->kind) {
    case TPL_FOR_EACH:
        ok = expand_for_each(E, n, tn, sink);
        break;
    case TPL_IF: {
        bool hit = false;
        ok = wy_bind_bool(E->bind, tn->u.expr.xpath, &hit) && (!hit || expand_nodes(E, n->children, sink));
        break;
    }
    case TPL_CHOOSE:
        ok = expand_choose(E, n, sink);
        break;
    case TPL_WITH:
        ok = expand_with(E, n, tn, sink);
        break;
    case TPL_REQUIRE:
        ok = expand_require(E, tn);
        break;
    case TPL_INCLUDE:
        ok = expand_nodes(E, tn->u.include.fragment->children, sink);
        break;
    case TPL_STYLE:
        ok = true; /* a fragment's style, compiled with the template's */
        break;
    case TPL_VARIABLE: {
        /* scoped by expand_nodes, which pops what its siblings pushed */
        xmlXPathObjectPtr value = wy_bind_eval(E->bind, tn->u.variable.select);
        ok = value != NULL;
        if (ok)
            wy_bind_var_push(E->bind, tn->u.variable.name, value);
        break;
    }
    default:
        if (sink->mode == MODE_INLINE)
            ok = expand_inline(E, n, tn, sink);
        else if (sink->mode == MODE_ROWS)
            ok = expand_row(E, n, tn, sink);
        else if (sink->mode == MODE_TABLE_CELLS)
            ok = expand_table_cell(E, n, tn, sink);
        else
            ok = expand_block(E, n, tn, sink);
        break;
    }
    E->depth--;
    return ok;
}

static bool expand_nodes(WyExpander *E, xmlNodePtr first, Sink *sink)
{
    size_t mark = wy_bind_var_mark(E->bind);
    bool ok = true;
    for (xmlNodePtr n = first; n && ok; n = n->next)
        ok = expand_node(E, n, sink);
    wy_bind_var_pop(E->bind, mark);
    return ok;
}

/* ------------------------------------------------------------ document */

/* The value -p NAME=VALUE gave, from /data/params/param[@name=NAME]. */
static const xmlNode *find_param(xmlNodePtr data_root, const char *name)
{
    for (xmlNodePtr c = data_root ? data_root->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "params") != 0)
            continue;
        for (xmlNodePtr p = c->children; p; p = p->next) {
            const xmlChar *pname = p->type == XML_ELEMENT_NODE ? wy_expand_attr(p, "name") : NULL;
            if (pname && strcmp((const char *)pname, name) == 0)
                return p;
        }
    }
    return NULL;
}

static void bind_params(WyExpander *E, xmlNodePtr data_root)
{
    const WyTemplate *t = E->t;
    for (size_t i = 0; i < t->n_params; i++) {
        const xmlNode *given = find_param(data_root, t->params[i].name);
        xmlChar *value = given ? xmlNodeGetContent(given) : NULL;
        const char *text = value ? (const char *)value : t->params[i].default_value ? t->params[i].default_value : "";
        wy_bind_var_push(E->bind, t->params[i].name, xmlXPathNewString(BAD_CAST text));
        xmlFree(value);
    }
    /* a misspelt -p on the command line would otherwise be silently ignored */
    for (xmlNodePtr c = data_root ? data_root->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "params") != 0)
            continue;
        for (xmlNodePtr p = c->children; p; p = p->next) {
            const xmlChar *pname = p->type == XML_ELEMENT_NODE ? wy_expand_attr(p, "name") : NULL;
            bool declared = false;
            for (size_t i = 0; pname && i < t->n_params; i++)
                declared |= strcmp(t->params[i].name, (const char *)pname) == 0;
            if (pname && !declared)
                wy_diag_warning(E->d, wy_loc(t->path, 1, 1), "parameter %s is given but the template declares no "
                                                            "<param name=\"%s\"/>; it is ignored",
                                (const char *)pname, (const char *)pname);
        }
    }
}

static bool eval_meta(WyExpander *E, const WyAvt *avt, const char **out)
{
    if (!avt)
        return true;
    WyBuf text;
    wy_buf_init(&text);
    bool ok = wy_bind_avt(E->bind, avt, &text);
    if (ok && text.len)
        *out = wy_arena_strdup(&E->doc->arena, wy_buf_str(&text));
    wy_buf_release(&text);
    return ok;
}

static bool expand_meta(WyExpander *E)
{
    const WyTemplate *t = E->t;
    WyDocMeta *m = &E->doc->meta;
    m->creator = "wenyin " WY_VERSION;
    m->lang = "zh-Hans";
    return eval_meta(E, t->meta_title, &m->title) && eval_meta(E, t->meta_author, &m->author) &&
           eval_meta(E, t->meta_subject, &m->subject) && eval_meta(E, t->meta_keywords, &m->keywords) &&
           eval_meta(E, t->meta_lang, &m->lang);
}

static bool expand_master(WyExpander *E, const WyTplMaster *tm, WyPageMaster **out)
{
    WyPageMaster *pm = WY_ARENA_NEW(&E->doc->arena, WyPageMaster);
    pm->name = wy_arena_strdup(&E->doc->arena, tm->name);
    pm->width_pt = tm->width_pt;
    pm->height_pt = tm->height_pt;
    pm->margin_top_pt = tm->margin_pt[0];
    pm->margin_right_pt = tm->margin_pt[1];
    pm->margin_bottom_pt = tm->margin_pt[2];
    pm->margin_left_pt = tm->margin_pt[3];
    pm->header_gap_pt = tm->header_gap_pt;
    pm->footer_gap_pt = tm->footer_gap_pt;
    pm->header_rule = tm->header_rule;
    pm->line_grid_pt = tm->line_grid_pt;
    double saved = E->measure_pt;
    E->measure_pt = tm->width_pt - tm->margin_pt[1] - tm->margin_pt[3];
    bool ok = true;
    xmlNodePtr parts[2] = {tm->header, tm->footer};
    WyBox **slots[2] = {&pm->header, &pm->footer};
    for (int i = 0; i < 2 && ok; i++) {
        if (!parts[i])
            continue;
        WyBoxList list;
        wy_box_list_init(&list);
        Sink sink = {MODE_BLOCK, &list, NULL, NULL, NULL, NULL};
        ok = expand_nodes(E, parts[i]->children, &sink);
        *slots[i] = list.head;
    }
    E->measure_pt = saved;
    *out = pm;
    return ok;
}

/* master="{…}": the page master whose name the value template gives. */
static bool master_chosen(WyExpander *E, const WyAvt *avt, int *index)
{
    if (!avt)
        return true;
    const WyTemplate *t = E->t;
    WyBuf name;
    wy_buf_init(&name);
    bool ok = wy_bind_avt(E->bind, avt, &name);
    *index = -1;
    for (size_t i = 0; ok && i < t->n_masters; i++)
        if (strcmp(t->masters[i].name, wy_buf_str(&name)) == 0)
            *index = (int)i;
    if (ok && *index < 0) {
        WyBuf names;
        wy_buf_init(&names);
        for (size_t i = 0; i < t->n_masters; i++)
            wy_buf_printf(&names, "%s%s", i ? ", " : "", t->masters[i].name);
        wy_diag_error(E->d, avt->loc, "%s=\"%s\" gave \"%s\", which is not a page master; the page masters are: %s",
                      avt->attr, avt->text, wy_buf_str(&name), wy_buf_str(&names));
        wy_buf_release(&names);
        ok = false;
    }
    wy_buf_release(&name);
    return ok;
}

static bool expand_sequences(WyExpander *E, xmlNodePtr root)
{
    const WyTemplate *t = E->t;
    WyPageMaster **masters = wy_xcalloc(t->n_masters, sizeof *masters);
    WySequence **tail = &E->doc->sequences;
    bool ok = true;
    for (xmlNodePtr c = root->children; c && ok; c = c->next) {
        const WyTplNode *tn = wy_tpl_node(c);
        if (!tn || tn->kind != TPL_SEQUENCE)
            continue;
        int used[2] = {tn->u.sequence.first_master, tn->u.sequence.master};
        ok = master_chosen(E, tn->u.sequence.first_master_avt, &used[0]) &&
             master_chosen(E, tn->u.sequence.master_avt, &used[1]);
        for (int i = 0; i < 2 && ok; i++)
            if (!masters[used[i]])
                ok = expand_master(E, &t->masters[used[i]], &masters[used[i]]);
        if (!ok)
            break;
        WySequence *seq = WY_ARENA_NEW(&E->doc->arena, WySequence);
        seq->first = masters[used[0]];
        seq->rest = masters[used[1]];
        const WyTplMaster *rest = &t->masters[used[1]];
        E->measure_pt = rest->width_pt - rest->margin_pt[1] - rest->margin_pt[3];
        WyBoxList blocks;
        wy_box_list_init(&blocks);
        Sink sink = {MODE_BLOCK, &blocks, NULL, NULL, NULL, NULL};
        ok = expand_nodes(E, c->children, &sink);
        seq->blocks = blocks.head;
        *tail = seq;
        tail = &seq->next;
    }
    free(masters);
    return ok;
}

WyDocument *wy_template_expand(WyTemplate *t, xmlDocPtr data, WyDiag *d)
{
    xmlNodePtr data_root = data ? xmlDocGetRootElement(data) : NULL;
    if (!data_root) {
        wy_diag_io_error(d, wy_loc(t->path, 0, 0), "there is no data to expand the template with");
        return NULL;
    }
    int errors_before = d->errors;
    WyExpander E;
    memset(&E, 0, sizeof E);
    E.t = t;
    E.d = d;
    E.doc = wy_document_new();
    E.bind = wy_bind_new(data, d);
    E.styles = wy_xcalloc(wy_stylesheet_count(t->styles), sizeof *E.styles);
    E.template_dir = wy_fsx_dirname(t->path);
    E.template_file = wy_arena_strdup(&E.doc->arena, t->path);
    xmlNodePtr root = xmlDocGetRootElement(t->doc);
    bind_params(&E, data_root);
    bool ok = true;
    /* global variables, in order, visible to everything after */
    for (xmlNodePtr c = root->children; c && ok; c = c->next) {
        const WyTplNode *tn = wy_tpl_node(c);
        if (!tn || tn->kind != TPL_VARIABLE)
            continue;
        xmlXPathObjectPtr value = wy_bind_eval(E.bind, tn->u.variable.select);
        ok = value != NULL;
        if (ok)
            wy_bind_var_push(E.bind, tn->u.variable.name, value);
    }
    ok = ok && expand_meta(&E) && expand_sequences(&E, root);
    wy_bind_free(E.bind);
    free(E.styles);
    free(E.template_dir);
    free(E.interned);
    free(E.variants);
    if (!ok || d->errors > errors_before) {
        wy_document_free(E.doc);
        return NULL;
    }
    return E.doc;
}
