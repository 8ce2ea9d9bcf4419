#include "expand/content.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define BULLET "\xE2\x80\xA2 " /* "• " */
#define BULLET_HANG_EM 1.0
#define NUMBER_HANG_EM 1.5

typedef struct Content {
    WyExpander *E;
    const WyTplContent *map;
    const char *lang;    /* the article's language when it says one */
    WyBoxList *out;
    int depth;           /* nesting of lists, quotes and inline elements */
} Content;

/* Attribute NAME of N as a whole number in [LO, HI], else FALLBACK. */
static long attr_long(const xmlNode *n, const char *name, long fallback, long lo, long hi)
{
    const xmlChar *text = wy_expand_attr(n, name);
    if (!text)
        return fallback;
    char *end;
    errno = 0;
    long v = strtol((const char *)text, &end, 10);
    if (errno || end == (const char *)text || *end)
        return fallback;
    return v < lo ? lo : v > hi ? hi : v;
}

static bool is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static bool too_deep(Content *c, const xmlNode *n)
{
    if (c->depth < WY_EXPAND_MAX_DEPTH)
        return false;
    wy_diag_error(c->E->d, wy_expand_data_loc(c->E, n), "the article nests lists, quotes or emphasis more than %d deep",
                  WY_EXPAND_MAX_DEPTH);
    return true;
}

/* Inline Markdown: text, strong, em, code, a, br; anything else by its text. */
static bool add_inlines(Content *c, const xmlNode *parent, WyParaBuilder *pb)
{
    if (too_deep(c, parent))
        return false;
    c->depth++;
    bool ok = true;
    for (const xmlNode *n = parent->children; n && ok; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            wy_para_literal(pb, n->content ? (const char *)n->content : "", true);
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is(n, "br")) {
            wy_para_break(pb);
            continue;
        }
        WySpanAttrs a = {0, 0, WY_COLOR_NONE, 0, NULL, NULL};
        if (is(n, "strong") || is(n, "b"))
            a.set_flags = WY_SPAN_BOLD;
        else if (is(n, "em") || is(n, "i"))
            a.set_flags = WY_SPAN_ITALIC;
        else if (is(n, "code"))
            a.set_flags = WY_SPAN_MONO;
        else if (is(n, "a")) {
            xmlChar *href = xmlGetProp(n, BAD_CAST "href");
            if (href && href[0])
                a.link = wy_arena_strdup(&c->E->doc->arena, (const char *)href);
            xmlFree(href);
        }
        if (!wy_para_span_open(pb, &a)) {
            wy_diag_error(c->E->d, wy_expand_data_loc(c->E, n), "emphasis nests more than %d deep",
                          WY_PARA_MAX_SPAN_DEPTH);
            ok = false;
            break;
        }
        ok = add_inlines(c, n, pb);
        wy_para_span_close(pb);
    }
    c->depth--;
    return ok;
}

/* One paragraph from the inline content of N, PREFIX first ("• ", "1. "). */
static bool add_para(Content *c, const xmlNode *n, const WyStyle *style, const char *prefix, bool keep_with_next,
                     WyBox **made)
{
    WyParaBuilder pb;
    wy_para_init(&pb);
    if (prefix)
        wy_para_literal(&pb, prefix, true);
    bool ok = add_inlines(c, n, &pb);
    WyBox *b = NULL;
    bool only_prefix = prefix && strlen(wy_para_text(&pb)) == strlen(prefix);
    if (ok && !only_prefix) /* an empty list item is dropped */
        ok = wy_expand_para_box(c->E, &pb, style, wy_expand_data_loc(c->E, n), &b);
    if (b) {
        b->keep_with_next |= keep_with_next;
        wy_box_list_append(c->out, b);
    }
    if (made)
        *made = b;
    wy_para_release(&pb);
    return ok;
}

static const WyStyle *styled(Content *c, int sheet_index)
{
    return wy_expand_style_variant(c->E, wy_expand_style(c->E, sheet_index), c->lang, 0, 0);
}

static bool add_block(Content *c, const xmlNode *n, const WyStyle *p_style, int list_level);
static bool add_blocks(Content *c, const xmlNode *parent, const WyStyle *p_style, int list_level);

static bool add_heading(Content *c, const xmlNode *n)
{
    long level = attr_long(n, "level", 2, 1, WY_CONTENT_HEADING_LEVELS);
    WyBox *b = NULL;
    if (!add_para(c, n, styled(c, c->map->h[level - 1]), NULL, true, &b))
        return false;
    if (b && c->map->bookmarks) {
        b->bookmark = b->u.para.text;
        b->bookmark_level = (int)level;
    }
    return true;
}

static bool add_list(Content *c, const xmlNode *list, const WyStyle *p_style, int list_level)
{
    bool ordered = is(list, "ol");
    long number = attr_long(list, "start", 1, 0, 999999999);
    const WyStyle *base = c->map->li >= 0 ? styled(c, c->map->li) : p_style;
    const WyStyle *item_style =
        wy_expand_style_variant(c->E, base, NULL, list_level + 1, ordered ? NUMBER_HANG_EM : BULLET_HANG_EM);
    for (const xmlNode *li = list->children; li; li = li->next) {
        if (!is(li, "li"))
            continue;
        char prefix[32];
        if (ordered)
            snprintf(prefix, sizeof prefix, "%ld. ", number++);
        else
            snprintf(prefix, sizeof prefix, "%s", BULLET);
        bool first = true;
        bool has_blocks = false;
        for (const xmlNode *k = li->children; k; k = k->next)
            has_blocks |= k->type == XML_ELEMENT_NODE && (is(k, "p") || is(k, "ul") || is(k, "ol"));
        if (!has_blocks) { /* a tight item: its inline content directly */
            if (!add_para(c, li, item_style, prefix, false, NULL))
                return false;
            continue;
        }
        for (const xmlNode *k = li->children; k; k = k->next) {
            if (k->type != XML_ELEMENT_NODE)
                continue;
            bool ok;
            if (is(k, "p")) {
                const WyStyle *style = first ? item_style : wy_expand_style_variant(c->E, base, NULL, list_level + 1, 0);
                ok = add_para(c, k, style, first ? prefix : NULL, false, NULL);
                first = false;
            } else {
                ok = add_block(c, k, p_style, list_level + 1);
            }
            if (!ok)
                return false;
        }
    }
    return true;
}

static const xmlNode *caption_of(const xmlNode *figure)
{
    for (const xmlNode *k = figure ? figure->children : NULL; k; k = k->next)
        if (is(k, "caption"))
            return k;
    return NULL;
}

/* Figure N's caption into PB, then the caption of SECOND (the same picture
   in a translation) on a line of its own in SECOND_STYLE's face, size and
   slant. */
static bool add_captions(Content *c, const xmlNode *n, const xmlNode *second, const WyStyle *second_style,
                         WyParaBuilder *pb)
{
    const xmlNode *caption = caption_of(n);
    if (caption && !add_inlines(c, caption, pb))
        return false;
    const xmlNode *other = caption_of(second);
    if (!other || !second_style)
        return true;
    if (!wy_para_is_empty(pb))
        wy_para_break(pb);
    WySpanAttrs a = {second_style->italic ? WY_SPAN_ITALIC : 0, 0, second_style->color, second_style->size_pt,
                     second_style->role, NULL};
    if (!wy_para_span_open(pb, &a))
        return false;
    bool ok = add_inlines(c, other, pb);
    wy_para_span_close(pb);
    return ok;
}

static bool add_figure(Content *c, const xmlNode *n, const xmlNode *second, const WyStyle *second_style)
{
    WyLoc loc = wy_expand_data_loc(c->E, n);
    xmlChar *src = xmlGetProp(n, BAD_CAST "src");
    if (!src || !src[0]) {
        xmlFree(src);
        return true;
    }
    const WyImage *img = wy_expand_image(c->E, (const char *)src, loc);
    xmlFree(src);
    WyBox *b = img ? wy_expand_new_box(c->E, WY_BOX_IMAGE, loc) : NULL;
    if (!b)
        return false;
    b->u.image.image = img;
    const WyTplWidth *w = &c->map->image_width;
    b->u.image.width_pt = w->set ? wy_len_resolve(w->len, c->E->t->body_em_pt, c->E->measure_pt) : 0;
    b->u.image.align = WY_ALIGN_CENTER;
    b->keep_together = true;
    WyParaBuilder pb;
    wy_para_init(&pb);
    bool ok = add_captions(c, n, second, second_style, &pb);
    if (ok && !wy_para_is_empty(&pb)) {
        WyPara *para = WY_ARENA_NEW(&c->E->doc->arena, WyPara);
        wy_para_finish(&pb, &c->E->doc->arena, para);
        para->style = styled(c, c->map->caption);
        b->u.image.caption = para;
    }
    wy_para_release(&pb);
    if (!ok)
        return false;
    wy_box_list_append(c->out, b);
    return true;
}

static bool add_rule(Content *c, const xmlNode *n)
{
    WyBox *b = wy_expand_new_box(c->E, WY_BOX_RULE, wy_expand_data_loc(c->E, n));
    if (!b)
        return false;
    b->u.rule.thickness_pt = 0.5;
    b->u.rule.color = WY_COLOR_BLACK;
    b->space_before_pt = b->space_after_pt = c->E->t->body_em_pt / 2;
    wy_box_list_append(c->out, b);
    return true;
}

/* One block N of a body, paragraphs in P_STYLE, LIST_LEVEL lists deep. */
static bool add_block(Content *c, const xmlNode *n, const WyStyle *p_style, int list_level)
{
    bool ok;
    if (is(n, "p")) {
        const WyStyle *style = list_level ? wy_expand_style_variant(c->E, p_style, NULL, list_level, 0) : p_style;
        return add_para(c, n, style, NULL, false, NULL);
    }
    if (is(n, "h"))
        return add_heading(c, n);
    if (is(n, "figure"))
        return add_figure(c, n, NULL, NULL);
    if (is(n, "hr"))
        return add_rule(c, n);
    if (is(n, "ul") || is(n, "ol") || is(n, "blockquote")) {
        c->depth++;
        if (too_deep(c, n))
            ok = false;
        else if (is(n, "blockquote"))
            ok = add_blocks(c, n, styled(c, c->map->quote), list_level);
        else
            ok = add_list(c, n, p_style, list_level);
        c->depth--;
        return ok;
    }
    /* something newer than this mapping: keep its words */
    return add_para(c, n, p_style, NULL, false, NULL);
}

static bool add_blocks(Content *c, const xmlNode *parent, const WyStyle *p_style, int list_level)
{
    for (const xmlNode *n = parent->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && !add_block(c, n, p_style, list_level))
            return false;
    return true;
}

/* The article's <lang> when the body's parent says one. */
static const char *article_lang(const xmlNode *body, xmlChar **owned)
{
    *owned = NULL;
    const xmlNode *article = body->parent;
    for (const xmlNode *k = article ? article->children : NULL; k; k = k->next) {
        if (is(k, "lang")) {
            *owned = xmlNodeGetContent(k);
            return *owned && (*owned)[0] ? (const char *)*owned : NULL;
        }
    }
    return NULL;
}

const char *wy_content_body_lang(WyExpander *E, const xmlNode *body)
{
    xmlChar *owned;
    const char *lang = article_lang(body, &owned);
    /* the document copy outlives the data tree */
    const char *copy = lang ? wy_arena_strdup(&E->doc->arena, lang) : NULL;
    xmlFree(owned);
    return copy;
}

bool wy_content_expand_block(WyExpander *E, const WyTplContent *map, const char *lang, const xmlNode *block,
                             WyBoxList *out)
{
    Content c = {E, map, lang, out, 0};
    return add_block(&c, block, styled(&c, map->p), 0);
}

bool wy_content_expand_figure_pair(WyExpander *E, const WyTplContent *map, const char *lang, const xmlNode *figure,
                                   const WyTplContent *second_map, const char *second_lang,
                                   const xmlNode *second_figure, WyBoxList *out)
{
    Content c = {E, map, lang, out, 0};
    const WyStyle *second_style =
        wy_expand_style_variant(E, wy_expand_style(E, second_map->caption), second_lang, 0, 0);
    return add_figure(&c, figure, second_figure, second_style);
}

bool wy_content_expand(WyExpander *E, const WyTplNode *tn, WyBoxList *out)
{
    xmlXPathObjectPtr set = wy_bind_nodes(E->bind, tn->u.content.select, "content select");
    if (!set)
        return false;
    bool ok = true;
    int count = set->nodesetval ? set->nodesetval->nodeNr : 0;
    for (int i = 0; i < count && ok; i++) {
        const xmlNode *body = set->nodesetval->nodeTab[i];
        if (body->type != XML_ELEMENT_NODE)
            continue;
        Content c = {E, &tn->u.content, wy_content_body_lang(E, body), out, 0};
        ok = add_blocks(&c, body, styled(&c, tn->u.content.p), 0);
    }
    xmlXPathFreeObject(set);
    return ok;
}
