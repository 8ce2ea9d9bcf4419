#include "expand/emit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "data/datatree.h"

void wy_box_list_init(WyBoxList *l)
{
    l->head = NULL;
    l->tail = &l->head;
}

void wy_box_list_append(WyBoxList *l, WyBox *b)
{
    *l->tail = b;
    l->tail = &b->next;
}

bool wy_expand_take_slot(WyExpander *E, WyLoc loc)
{
    if (++E->n_boxes > WY_EXPAND_MAX_BOXES) {
        if (E->n_boxes == WY_EXPAND_MAX_BOXES + 1) /* say it once */
            wy_diag_error(E->d, loc, "the document would have more than %d blocks; is a for-each selecting far "
                                     "more than it should?", WY_EXPAND_MAX_BOXES);
        return false;
    }
    return true;
}

WyLoc wy_expand_template_loc(WyExpander *E, WyLoc loc)
{
    if (loc.file == E->t->path)
        loc.file = E->template_file; /* the document outlives the template */
    else if (loc.file)
        loc.file = wy_expand_intern(E, loc.file); /* an included fragment's path */
    return loc;
}

WyBox *wy_expand_new_box(WyExpander *E, WyBoxKind kind, WyLoc loc)
{
    if (!wy_expand_take_slot(E, loc))
        return NULL;
    WyBox *b = WY_ARENA_NEW(&E->doc->arena, WyBox);
    b->kind = kind;
    b->loc = wy_expand_template_loc(E, loc);
    return b;
}

const WyStyle *wy_expand_style(WyExpander *E, int index)
{
    if (!E->styles[index])
        E->styles[index] = wy_style_copy(&E->doc->arena, wy_stylesheet_get(E->t->styles, index));
    return E->styles[index];
}

const WyStyle *wy_expand_style_variant(WyExpander *E, const WyStyle *base, const char *lang, int list_level,
                                       double hang_em)
{
    if ((!lang || strcmp(lang, base->lang) == 0) && list_level == 0)
        return base;
    for (size_t i = 0; i < E->n_variants; i++) {
        const WyStyleVariant *v = &E->variants[i];
        if (v->base == base && v->list_level == list_level && v->hang_em == hang_em &&
            ((!v->lang && !lang) || (v->lang && lang && strcmp(v->lang, lang) == 0)))
            return v->style;
    }
    WyStyle *s = wy_style_copy(&E->doc->arena, base);
    if (lang)
        s->lang = wy_arena_strdup(&E->doc->arena, lang);
    if (list_level > 0) {
        s->left_indent_pt += 2.0 * s->size_pt * list_level;
        s->first_indent_pt = -hang_em * s->size_pt;
    }
    if (E->n_variants == E->alloc_variants) {
        E->alloc_variants = E->alloc_variants ? E->alloc_variants * 2 : 8;
        E->variants = wy_xrealloc(E->variants, wy_mul_size(E->alloc_variants, sizeof *E->variants));
    }
    E->variants[E->n_variants++] = (WyStyleVariant){base, s->lang == base->lang ? NULL : s->lang, list_level,
                                                    hang_em, s};
    return s;
}

const char *wy_expand_intern(WyExpander *E, const char *text)
{
    for (size_t i = 0; i < E->n_interned; i++)
        if (E->interned[i].key == text)
            return E->interned[i].copy;
    if (E->n_interned == E->alloc_interned) {
        E->alloc_interned = E->alloc_interned ? E->alloc_interned * 2 : 8;
        E->interned = wy_xrealloc(E->interned, wy_mul_size(E->alloc_interned, sizeof *E->interned));
    }
    const char *copy = wy_arena_strdup(&E->doc->arena, text);
    E->interned[E->n_interned++] = (WyInterned){text, copy};
    return copy;
}

const xmlChar *wy_expand_attr(const xmlNode *n, const char *name)
{
    xmlAttrPtr a = xmlHasProp(n, BAD_CAST name);
    return a && a->children ? a->children->content : NULL;
}

WyLoc wy_expand_data_loc(WyExpander *E, const xmlNode *node)
{
    WyLoc loc = {NULL, 0, 0};
    for (const xmlNode *n = node; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
        const xmlChar *line = wy_expand_attr(n, "line");
        if (line && loc.line == 0) {
            char *end;
            errno = 0;
            long v = strtol((const char *)line, &end, 10);
            if (!errno && end != (const char *)line && *end == '\0' && v > 0 && v < (1L << 30))
                loc.line = (int)v;
        }
        const xmlChar *file = wy_expand_attr(n, "file");
        if (file) {
            loc.file = wy_expand_intern(E, (const char *)file);
            break;
        }
    }
    return loc;
}

WyLoc wy_expand_node_origin(WyExpander *E, const xmlNode *node)
{
    WyLoc at = wy_expand_data_loc(E, node); /* a spreadsheet row's line attribute */
    if (at.line <= 0) {
        at = wy_data_loc(node); /* an XML data file's own line */
        if (at.file)
            at.file = wy_expand_intern(E, at.file);
    }
    return at;
}

const WyImage *wy_expand_image(WyExpander *E, const char *path, WyLoc loc)
{
    WyDocument *doc = E->doc;
    for (size_t i = 0; i < doc->n_images; i++)
        if (strcmp(doc->images[i]->path, path) == 0)
            return doc->images[i];
    WyImage *img = wy_image_load(path, loc, E->d);
    if (!img)
        return NULL;
    doc->images = wy_xrealloc(doc->images, wy_mul_size(doc->n_images + 1, sizeof *doc->images));
    doc->images[doc->n_images++] = img;
    return img;
}

bool wy_expand_para_box(WyExpander *E, WyParaBuilder *pb, const WyStyle *style, WyLoc loc, WyBox **out)
{
    *out = NULL;
    if (wy_para_is_empty(pb)) {
        WyPara scratch;
        wy_para_finish(pb, &E->doc->arena, &scratch); /* resets the builder */
        return true;
    }
    WyBox *b = wy_expand_new_box(E, WY_BOX_PARA, loc);
    if (!b)
        return false;
    wy_para_finish(pb, &E->doc->arena, &b->u.para);
    b->u.para.style = style;
    b->keep_with_next = style->keep_with_next;
    b->keep_together = style->keep_together;
    *out = b;
    return true;
}
