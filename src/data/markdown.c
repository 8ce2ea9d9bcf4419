#include "data/markdown.h"

#include <cmark.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/fsx.h"
#include "base/mem.h"
#include "base/uchar.h"
#include "data/encoding.h"
#include "data/frontmatter.h"

#define IDEOGRAPHIC_SPACE "\xE3\x80\x80"
#define IDEOGRAPHIC_SPACE_LEN 3

/* One article being converted. */
typedef struct Article {
    const char *path;
    char *dir;          /* the .md file's folder: figures resolve from here */
    const char *text;   /* UTF-8, the whole file: for carets */
    size_t len;
    size_t *line_starts; /* byte offset of each line of TEXT, 1-based index */
    size_t n_lines;
    WyDiag *d;
    xmlDocPtr doc;
    WyFrontMatter meta;
    cmark_node *title_heading; /* the level-1 heading taken as the title */
    bool is_translation; /* an article's translation: English unless it says */
    bool failed;
} Article;

static void article_error(Article *a, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void article_error(Article *a, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wy_diag_verror_src(a->d, wy_loc(a->path, line, col), a->text, a->len, fmt, ap);
    va_end(ap);
    a->failed = true;
}

static void index_lines(Article *a)
{
    size_t count = 1;
    for (size_t i = 0; i < a->len; i++)
        count += a->text[i] == '\n';
    a->line_starts = wy_xmalloc(wy_mul_size(count + 1, sizeof *a->line_starts));
    a->line_starts[0] = 0;
    a->line_starts[1] = 0;
    size_t n = 1;
    for (size_t i = 0; i < a->len; i++)
        if (a->text[i] == '\n')
            a->line_starts[++n] = i + 1;
    a->n_lines = n;
}

/* Line LINE (1-based) without its line end; sets *LEN. */
static const char *line_text(const Article *a, int line, size_t *len)
{
    if (line < 1 || (size_t)line > a->n_lines) {
        *len = 0;
        return "";
    }
    size_t start = a->line_starts[line];
    size_t end = (size_t)line < a->n_lines ? a->line_starts[line + 1] - 1 : a->len;
    while (end > start && (a->text[end - 1] == '\r' || a->text[end - 1] == '\n'))
        end--;
    *len = end - start;
    return a->text + start;
}

static const char *trim_spaces(const char *s, size_t *len)
{
    size_t n = *len;
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *len = n;
    return s;
}

/* ---- characters -------------------------------------------------------- */

/* Whether a soft line break between BEFORE and AFTER disappears (a
   line-wrapped Chinese paragraph) rather than becoming one space. */
static bool soft_break_joins(unsigned before, unsigned after)
{
    return (wy_uchar_is_cjk(before) && wy_uchar_is_cjk(after)) || wy_uchar_is_fullwidth_punct(before) ||
           wy_uchar_is_fullwidth_punct(after);
}

static unsigned first_char(const char *s)
{
    unsigned cp = 0;
    if (*s)
        wy_utf8_decode(s, strlen(s), &cp);
    return cp;
}

static unsigned last_char(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    size_t i = len - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    unsigned cp;
    wy_utf8_decode(s + i, len - i, &cp);
    return cp;
}

/* ---- inline content ---------------------------------------------------- */

/* Marks set on softbreak nodes by decide_soft_breaks. */
static char SOFT_BREAK_SPACE;

/* A soft line break becomes nothing between two CJK characters or next
   to full-width punctuation, and one space otherwise. The characters on either side may sit in different
   inline nodes (text, *emphasis*, `code`), so a first pass over the block
   in document order decides each break and marks it. */
static void decide_soft_breaks(cmark_node *block)
{
    cmark_iter *it = cmark_iter_new(block);
    unsigned prev = 0;
    cmark_node *pending = NULL;
    int image_depth = 0;
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type type = cmark_node_get_type(n);
        if (type == CMARK_NODE_IMAGE) {
            image_depth += ev == CMARK_EVENT_ENTER ? 1 : -1; /* its alt text leaves the paragraph */
            continue;
        }
        if (ev != CMARK_EVENT_ENTER || image_depth)
            continue;
        if (type == CMARK_NODE_SOFTBREAK) {
            cmark_node_set_user_data(n, NULL);
            if (!pending)
                pending = n;
        } else if (type == CMARK_NODE_LINEBREAK) {
            pending = NULL;
            prev = 0;
        } else if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
            const char *lit = cmark_node_get_literal(n);
            if (!lit || !*lit)
                continue;
            if (pending && !soft_break_joins(prev, first_char(lit)))
                cmark_node_set_user_data(pending, &SOFT_BREAK_SPACE);
            pending = NULL;
            prev = last_char(lit, strlen(lit));
        }
    }
    cmark_iter_free(it);
}

/* Appends text to EL, merging with a text node already last. */
static void add_text(xmlNodePtr el, const char *s, size_t len)
{
    if (len == 0)
        return;
    if (el->last && el->last->type == XML_TEXT_NODE)
        xmlNodeAddContentLen(el->last, BAD_CAST s, (int)len);
    else
        xmlAddChild(el, xmlNewDocTextLen(el->doc, BAD_CAST s, (int)len));
}

/* Appends element NAME to PARENT; it starts on its parent's line. */
static xmlNodePtr add_element(xmlNodePtr parent, const char *name)
{
    xmlNodePtr el = xmlNewDocNode(parent->doc, NULL, BAD_CAST name, NULL);
    el->line = parent->line;
    return xmlAddChild(parent, el);
}

static void set_line(xmlNodePtr el, int line)
{
    char text[16];
    snprintf(text, sizeof text, "%d", line);
    xmlSetProp(el, BAD_CAST "line", BAD_CAST text);
    el->line = (unsigned short)(line > 0 && line < 65535 ? line : 65535);
}

static bool starts_with_ideographic_space(const char *s)
{
    return strncmp(s, IDEOGRAPHIC_SPACE, IDEOGRAPHIC_SPACE_LEN) == 0;
}

/* Plain text of an inline subtree (an image's alt text), soft breaks
   joined by the same CJK rule. */
static void flatten_text(cmark_node *parent, WyBuf *out)
{
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE: {
            const char *lit = cmark_node_get_literal(n);
            if (lit)
                wy_buf_puts(out, lit);
            break;
        }
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK: {
            cmark_node *next = cmark_node_next(n);
            const char *lit = next ? cmark_node_get_literal(next) : NULL;
            unsigned after = lit ? first_char(lit) : 0;
            if (!soft_break_joins(last_char(wy_buf_str(out), out->len), after))
                wy_buf_putc(out, ' ');
            break;
        }
        default:
            flatten_text(n, out);
            break;
        }
    }
}

/* Figures met inside a block's inline content, placed after the block. */
typedef struct Figures {
    cmark_node **images;
    size_t count, alloc;
} Figures;

static void figures_push(Figures *f, cmark_node *image)
{
    if (f->count == f->alloc) {
        f->alloc = f->alloc ? wy_mul_size(f->alloc, 2) : 4;
        f->images = wy_xrealloc(f->images, wy_mul_size(f->alloc, sizeof *f->images));
    }
    f->images[f->count++] = image;
}

/* The character column of cmark's byte column BYTE_COL on LINE (1 when unknown). */
static int char_column(const Article *a, int line, int byte_col)
{
    size_t len;
    const char *text = line_text(a, line, &len);
    if (byte_col < 1)
        return 1;
    size_t bytes = (size_t)byte_col - 1 < len ? (size_t)byte_col - 1 : len;
    int col = 1;
    for (size_t i = 0; i < bytes; i++)
        col += ((unsigned char)text[i] & 0xC0) != 0x80;
    return col;
}

/* Where inline node N starts, in characters; the block's line and column 1
   when cmark has no position for it. */
static WyLoc inline_loc(const Article *a, cmark_node *n, int block_line)
{
    int line = cmark_node_get_start_line(n);
    if (line <= 0)
        return wy_loc(a->path, block_line, 1);
    return wy_loc(a->path, line, char_column(a, line, cmark_node_get_start_column(n)));
}

static int node_line(cmark_node *n, int fallback)
{
    int line = cmark_node_get_start_line(n);
    return line > 0 ? line : fallback;
}

static bool is_html_break(const char *html)
{
    return strcasecmp(html, "<br>") == 0 || strcasecmp(html, "<br/>") == 0 || strcasecmp(html, "<br />") == 0;
}

static bool is_html_comment(const char *html)
{
    return strncmp(html, "<!--", 4) == 0;
}

/* One warning per construct: a closing tag was announced by its opening one. */
static void warn_html(Article *a, const char *html, WyLoc loc)
{
    if (strncmp(html, "</", 2) == 0)
        return;
    size_t len = strcspn(html, "\r\n");
    if (len > 60)
        len = 60;
    wy_diag_warning(a->d, loc, "HTML is not supported in articles and was left out: %.*s", (int)len, html);
}

/* State while converting one block's inlines. OUT is where text goes;
   for a paragraph's top level it moves to a new <p> when a line starts
   with U+3000 (a paragraph typed one per line with a full-width indent,
   as pasted from Word, and no blank line between). */
typedef struct Inlines {
    Article *a;
    Figures *figures;
    int block_line;
    bool at_start; /* nothing but spaces emitted into OUT yet */
} Inlines;

static void add_inline_text(Inlines *in, xmlNodePtr out, const char *s)
{
    if (in->at_start) {
        /* the template indents first lines; a typed indent would double it */
        for (;;) {
            if (*s == ' ' || *s == '\t')
                s++;
            else if (starts_with_ideographic_space(s))
                s += IDEOGRAPHIC_SPACE_LEN;
            else
                break;
        }
        if (!*s)
            return;
        in->at_start = false;
    }
    add_text(out, s, strlen(s));
}

static xmlNodePtr convert_inlines(Inlines *in, cmark_node *parent, xmlNodePtr out, bool split_paragraphs)
{
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
            add_inline_text(in, out, cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "");
            break;
        case CMARK_NODE_CODE: {
            in->at_start = false;
            xmlNodePtr code = add_element(out, "code");
            add_text(code, cmark_node_get_literal(n), strlen(cmark_node_get_literal(n)));
            break;
        }
        case CMARK_NODE_SOFTBREAK: {
            cmark_node *next = cmark_node_next(n);
            if (split_paragraphs && next && cmark_node_get_type(next) == CMARK_NODE_TEXT &&
                starts_with_ideographic_space(cmark_node_get_literal(next))) {
                xmlNodePtr p = xmlAddNextSibling(out, xmlNewDocNode(out->doc, NULL, BAD_CAST "p", NULL));
                set_line(p, node_line(next, in->block_line));
                out = p;
                in->at_start = true;
            } else if (cmark_node_get_user_data(n) == &SOFT_BREAK_SPACE && !in->at_start) {
                add_text(out, " ", 1);
            }
            break;
        }
        case CMARK_NODE_LINEBREAK:
            add_element(out, "br");
            break;
        case CMARK_NODE_EMPH:
            in->at_start = false;
            convert_inlines(in, n, add_element(out, "em"), false);
            break;
        case CMARK_NODE_STRONG:
            in->at_start = false;
            convert_inlines(in, n, add_element(out, "strong"), false);
            break;
        case CMARK_NODE_LINK: {
            in->at_start = false;
            xmlNodePtr link = add_element(out, "a");
            const char *url = cmark_node_get_url(n);
            xmlSetProp(link, BAD_CAST "href", BAD_CAST(url ? url : ""));
            const char *title = cmark_node_get_title(n);
            if (title && *title)
                xmlSetProp(link, BAD_CAST "title", BAD_CAST title);
            convert_inlines(in, n, link, false);
            break;
        }
        case CMARK_NODE_IMAGE:
            figures_push(in->figures, n);
            break;
        case CMARK_NODE_HTML_INLINE: {
            const char *html = cmark_node_get_literal(n);
            if (is_html_break(html))
                add_element(out, "br");
            else if (!is_html_comment(html))
                warn_html(in->a, html, inline_loc(in->a, n, in->block_line));
            break;
        }
        default:
            break;
        }
    }
    return out;
}

/* ---- figures ----------------------------------------------------------- */

/* Editors that write Markdown (Typora, VS Code) percent-encode spaces and
   non-ASCII in image paths; the file on disk has the plain name. Returns a
   malloc'd path, URL unchanged when decoding gives no valid UTF-8. */
static char *percent_decode(const char *url)
{
    WyBuf out;
    wy_buf_init(&out);
    for (const char *p = url; *p; p++) {
        int hi, lo;
        if (*p == '%' && (hi = wy_uchar_hex_value(p[1])) >= 0 && (lo = wy_uchar_hex_value(p[2])) >= 0) {
            wy_buf_putc(&out, (char)(hi * 16 + lo));
            p += 2;
        } else {
            wy_buf_putc(&out, *p);
        }
    }
    if (wy_utf8_invalid_at(wy_buf_str(&out), out.len) != out.len) {
        wy_buf_release(&out);
        return wy_xstrdup(url);
    }
    return wy_buf_steal(&out);
}

/* "http:", "data:", "file:" …; a single letter is not taken for a scheme. */
static bool has_url_scheme(const char *url)
{
    const char *p = url;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return false;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '+' ||
           *p == '-' || *p == '.')
        p++;
    return *p == ':' && p - url >= 2;
}

static xmlNodePtr make_figure(Article *a, cmark_node *image, int block_line)
{
    WyLoc loc = inline_loc(a, image, block_line);
    int line = loc.line;
    const char *url = cmark_node_get_url(image);
    if (!url || !*url) {
        article_error(a, line, loc.col, "this picture has no file name; write it as ![caption](file.jpg)");
        return NULL;
    }
    if (has_url_scheme(url)) {
        article_error(a, line, loc.col,
                      "pictures must be files next to the article; save %s into the article's folder and write "
                      "its file name",
                      url);
        return NULL;
    }
    char *decoded = percent_decode(url);
    char *src = wy_fsx_join(a->dir, decoded);
    WyBuf alt;
    wy_buf_init(&alt);
    flatten_text(image, &alt);
    const char *title = cmark_node_get_title(image);
    const char *caption = title && *title ? title : wy_buf_str(&alt);

    xmlNodePtr fig = xmlNewDocNode(a->doc, NULL, BAD_CAST "figure", NULL);
    set_line(fig, line);
    xmlSetProp(fig, BAD_CAST "src", BAD_CAST src);
    xmlSetProp(fig, BAD_CAST "alt", BAD_CAST wy_buf_str(&alt));
    xmlNodePtr cap = xmlNewTextChild(fig, NULL, BAD_CAST "caption", BAD_CAST caption);
    cap->line = fig->line;
    wy_buf_release(&alt);
    free(src);
    free(decoded);
    return fig;
}

/* Appends the figures to CONTAINER, right after the block that held them. */
static void place_figures(Article *a, Figures *figs, int block_line, xmlNodePtr container)
{
    for (size_t i = 0; i < figs->count; i++) {
        xmlNodePtr fig = make_figure(a, figs->images[i], block_line);
        if (fig)
            xmlAddChild(container, fig);
    }
    figs->count = 0;
}

/* Drops spaces left at the end of a paragraph by a picture or HTML taken
   out of it ("列表里 ![图](c.png)"). */
static void trim_trailing_spaces(xmlNodePtr p)
{
    xmlNodePtr last = p->last;
    if (!last || last->type != XML_TEXT_NODE || !last->content)
        return;
    size_t len = strlen((const char *)last->content);
    size_t keep = len;
    while (keep && (last->content[keep - 1] == ' ' || last->content[keep - 1] == '\t'))
        keep--;
    if (keep == len)
        return;
    if (keep == 0) {
        xmlUnlinkNode(last);
        xmlFreeNode(last);
        return;
    }
    xmlChar *kept = xmlStrndup(last->content, (int)keep);
    xmlNodeSetContent(last, NULL);
    xmlNodeAddContent(last, kept);
    xmlFree(kept);
}

/* A paragraph left with nothing but spaces (it held only a picture, or
   only dropped HTML) disappears. */
static bool is_empty_paragraph(xmlNodePtr p)
{
    for (xmlNodePtr c = p->children; c; c = c->next) {
        if (c->type != XML_TEXT_NODE)
            return false;
        for (const xmlChar *s = c->content; s && *s; s++)
            if (*s != ' ' && *s != '\t' && *s != '\n')
                return false;
    }
    return true;
}

/* ---- blocks ------------------------------------------------------------ */

static void convert_blocks(Article *a, cmark_node *parent, xmlNodePtr out);

static void convert_paragraph(Article *a, cmark_node *n, xmlNodePtr out)
{
    int line = node_line(n, 1);
    decide_soft_breaks(n);
    Figures figs = {0};
    Inlines in = {a, &figs, line, true};
    xmlNodePtr first = add_element(out, "p");
    set_line(first, line);
    xmlNodePtr last = convert_inlines(&in, n, first, true);
    for (xmlNodePtr p = first; p;) {
        xmlNodePtr next = p == last ? NULL : p->next;
        trim_trailing_spaces(p);
        if (is_empty_paragraph(p)) {
            xmlUnlinkNode(p);
            xmlFreeNode(p);
        }
        p = next;
    }
    /* the paragraphs were the last children of OUT, so its end is where
       they stood even when all of them went */
    place_figures(a, &figs, line, out);
    free(figs.images);
}

static void convert_heading(Article *a, cmark_node *n, xmlNodePtr out)
{
    int line = node_line(n, 1);
    decide_soft_breaks(n);
    Figures figs = {0};
    Inlines in = {a, &figs, line, true};
    xmlNodePtr h = add_element(out, "h");
    char level[4];
    snprintf(level, sizeof level, "%d", cmark_node_get_heading_level(n));
    xmlSetProp(h, BAD_CAST "level", BAD_CAST level);
    set_line(h, line);
    convert_inlines(&in, n, h, false);
    place_figures(a, &figs, line, out);
    free(figs.images);
}

/* Appends LEN bytes of one line of indented text to P, joined to what is
   there by the soft-break rule. */
static void append_joined_line(xmlNodePtr p, const char *s, size_t len)
{
    for (;;) {
        if (len && (*s == ' ' || *s == '\t')) {
            s++;
            len--;
        } else if (len >= IDEOGRAPHIC_SPACE_LEN && starts_with_ideographic_space(s)) {
            s += IDEOGRAPHIC_SPACE_LEN;
            len -= IDEOGRAPHIC_SPACE_LEN;
        } else {
            break;
        }
    }
    if (len == 0)
        return;
    if (p->last && p->last->type == XML_TEXT_NODE) {
        const char *before = (const char *)p->last->content;
        unsigned after = 0;
        wy_utf8_decode(s, len, &after);
        if (!soft_break_joins(last_char(before, strlen(before)), after))
            add_text(p, " ", 1);
    }
    add_text(p, s, len);
}

/* Four spaces of indent make CommonMark read prose as program code; in a
   bulletin that is always an editor indenting paragraphs by hand, so the
   text is kept as paragraphs and the editor warned. */
static void convert_indented_code(Article *a, cmark_node *n, xmlNodePtr out)
{
    int line = node_line(n, 1);
    wy_diag_warning(a->d, wy_loc(a->path, line, 1),
                    "this text is indented by four spaces, which Markdown reads as program code; it is kept as "
                    "ordinary paragraphs, but remove the indent (the template indents first lines itself)");
    const char *lit = cmark_node_get_literal(n);
    xmlNodePtr p = NULL;
    for (const char *s = lit; s && *s; line++) {
        size_t len = strcspn(s, "\n");
        size_t content_len = len;
        trim_spaces(s, &content_len);
        if (content_len == 0) {
            p = NULL;
        } else {
            if (!p) {
                p = add_element(out, "p");
                set_line(p, line);
            }
            append_joined_line(p, s, len);
        }
        s += len;
        if (*s == '\n')
            s++;
    }
}

/* CommonMark gives no flag for fenced code; a fence is a line that starts
   (at the block's column) with ``` or ~~~. */
static bool is_fenced(const Article *a, cmark_node *n)
{
    size_t len;
    const char *line = line_text(a, cmark_node_get_start_line(n), &len);
    size_t col = (size_t)cmark_node_get_start_column(n);
    if (col < 1 || col - 1 > len)
        return false;
    line += col - 1;
    len -= col - 1;
    return len >= 3 && (memcmp(line, "```", 3) == 0 || memcmp(line, "~~~", 3) == 0);
}

static void convert_code_block(Article *a, cmark_node *n, xmlNodePtr out)
{
    if (!is_fenced(a, n)) {
        convert_indented_code(a, n, out);
        return;
    }
    xmlNodePtr pre = xmlNewTextChild(out, NULL, BAD_CAST "pre", BAD_CAST cmark_node_get_literal(n));
    set_line(pre, node_line(n, 1));
    const char *info = cmark_node_get_fence_info(n);
    if (info && *info) {
        size_t word = strcspn(info, " \t");
        char *lang = wy_xstrndup(info, word);
        xmlSetProp(pre, BAD_CAST "lang", BAD_CAST lang);
        free(lang);
    }
}

static void convert_list(Article *a, cmark_node *n, xmlNodePtr out)
{
    bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
    xmlNodePtr list = add_element(out, ordered ? "ol" : "ul");
    set_line(list, node_line(n, 1));
    if (ordered && cmark_node_get_list_start(n) != 1) {
        char start[16];
        snprintf(start, sizeof start, "%d", cmark_node_get_list_start(n));
        xmlSetProp(list, BAD_CAST "start", BAD_CAST start);
    }
    for (cmark_node *item = cmark_node_first_child(n); item; item = cmark_node_next(item)) {
        xmlNodePtr li = add_element(list, "li");
        set_line(li, node_line(item, 1));
        convert_blocks(a, item, li);
    }
}

static void convert_blocks(Article *a, cmark_node *parent, xmlNodePtr out)
{
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_PARAGRAPH:
            convert_paragraph(a, n, out);
            break;
        case CMARK_NODE_HEADING:
            if (n != a->title_heading)
                convert_heading(a, n, out);
            break;
        case CMARK_NODE_LIST:
            convert_list(a, n, out);
            break;
        case CMARK_NODE_BLOCK_QUOTE: {
            xmlNodePtr quote = add_element(out, "blockquote");
            set_line(quote, node_line(n, 1));
            convert_blocks(a, n, quote);
            break;
        }
        case CMARK_NODE_CODE_BLOCK:
            convert_code_block(a, n, out);
            break;
        case CMARK_NODE_HTML_BLOCK: {
            const char *html = cmark_node_get_literal(n);
            if (html && !is_html_comment(html))
                warn_html(a, html, wy_loc(a->path, node_line(n, 1), 1));
            break;
        }
        case CMARK_NODE_THEMATIC_BREAK:
            set_line(add_element(out, "hr"), node_line(n, 1));
            break;
        default:
            break;
        }
    }
}

/* ---- the article ------------------------------------------------------- */

/* Conversion recurses per level of lists, quotes and emphasis; a hostile
   file of 100 000 '>' would otherwise exhaust the stack. cmark itself
   parses such a file without recursion, so the depth is measured with its
   iterator first. Returns the first node past the limit, or NULL. */
static cmark_node *too_deep(cmark_node *doc)
{
    cmark_node *found = NULL;
    cmark_iter *it = cmark_iter_new(doc);
    int depth = 0;
    cmark_event_type ev;
    while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev == CMARK_EVENT_ENTER) {
            cmark_node *n = cmark_iter_get_node(it);
            if (cmark_node_first_child(n) && ++depth > WY_MARKDOWN_MAX_DEPTH)
                found = n;
        } else if (ev == CMARK_EVENT_EXIT) {
            depth--;
        }
    }
    cmark_iter_free(it);
    return found;
}

static cmark_node *find_title_heading(cmark_node *doc)
{
    cmark_node *found = NULL;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_HEADING ||
            cmark_node_get_heading_level(n) != 1)
            continue;
        WyBuf text;
        wy_buf_init(&text);
        flatten_text(n, &text);
        size_t len = text.len;
        trim_spaces(wy_buf_str(&text), &len);
        if (len)
            found = n;
        wy_buf_release(&text);
    }
    cmark_iter_free(it);
    return found;
}

static void add_meta_element(xmlNodePtr article, const char *key, const WyMetaEntry *e)
{
    xmlNodePtr el = xmlNewTextChild(article, NULL, BAD_CAST key, BAD_CAST(e ? e->value : ""));
    if (e)
        el->line = (unsigned short)(e->line < 65535 ? e->line : 65535);
}

static void add_title(Article *a, xmlNodePtr article)
{
    const WyMetaEntry *title = wy_front_matter_get(&a->meta, "title");
    if (title || !a->title_heading) {
        add_meta_element(article, "title", title);
        return;
    }
    xmlNodePtr el = add_element(article, "title");
    int line = node_line(a->title_heading, 1);
    el->line = (unsigned short)(line < 65535 ? line : 65535);
    decide_soft_breaks(a->title_heading);
    Figures figs = {0};
    Inlines in = {a, &figs, line, true};
    convert_inlines(&in, a->title_heading, el, false);
    free(figs.images);
}

static xmlNodePtr build_article(Article *a, cmark_node *doc)
{
    xmlNodePtr article = xmlNewDocNode(a->doc, NULL, BAD_CAST "article", NULL);
    xmlSetProp(article, BAD_CAST "file", BAD_CAST a->path);
    set_line(article, 1);
    add_title(a, article);
    /* the standard keys always, in a fixed order, so templates can rely on them */
    for (size_t i = 1; i < WY_FRONT_MATTER_STANDARD_KEYS; i++) {
        const char *key = wy_front_matter_keys[i];
        const WyMetaEntry *e = wy_front_matter_get(&a->meta, key);
        if (!e && strcmp(key, "lang") == 0)
            xmlNewTextChild(article, NULL, BAD_CAST "lang", BAD_CAST(a->is_translation ? "en" : "zh-Hans"));
        else
            add_meta_element(article, key, e);
    }
    for (size_t i = 0; i < a->meta.count; i++) {
        const WyMetaEntry *e = &a->meta.entries[i];
        bool standard = false;
        for (size_t k = 0; k < WY_FRONT_MATTER_STANDARD_KEYS; k++)
            standard |= strcmp(e->key, wy_front_matter_keys[k]) == 0;
        if (!standard && strcmp(e->key, "translation") != 0) /* the translation is attached whole */
            add_meta_element(article, e->key, e);
    }
    xmlNodePtr body = add_element(article, "body");
    body->line = (unsigned short)(a->meta.end_line + 1 < 65535 ? a->meta.end_line + 1 : 65535);
    if (a->title_heading) {
        /* pictures in the heading taken as the title open the body */
        Figures figs = {0};
        for (cmark_node *c = cmark_node_first_child(a->title_heading); c; c = cmark_node_next(c))
            if (cmark_node_get_type(c) == CMARK_NODE_IMAGE)
                figures_push(&figs, c);
        place_figures(a, &figs, node_line(a->title_heading, 1), body);
        free(figs.images);
    }
    convert_blocks(a, doc, body);
    return article;
}

static bool reject_hidden_characters(Article *a)
{
    unsigned cp;
    size_t at = wy_text_hidden_at(a->text, a->len, false, &cp);
    if (at == a->len)
        return true;
    int line, col;
    wy_text_position(a->text, at, &line, &col);
    article_error(a, line, col, "an invisible character (%s, U+%04X) is here; delete it", wy_hidden_char_name(cp),
                  cp);
    return false;
}

/* The text cmark parses: the front matter lines blanked, so cmark's line
   numbers are the file's. */
static char *markdown_source(const Article *a, size_t *len)
{
    if (a->meta.end_line == 0) {
        *len = a->len;
        return wy_xstrndup(a->text, a->len);
    }
    size_t body_start = (size_t)a->meta.end_line < a->n_lines ? a->line_starts[a->meta.end_line + 1] : a->len;
    size_t blank_lines = (size_t)a->meta.end_line;
    *len = blank_lines + (a->len - body_start);
    char *src = wy_xmalloc(wy_add_size(*len, 1));
    memset(src, '\n', blank_lines);
    memcpy(src + blank_lines, a->text + body_start, a->len - body_start);
    src[*len] = '\0';
    return src;
}

static bool attach_translation(Article *a, xmlNodePtr article);

/* Reads the article at PATH into a new element of DOC (not yet in the
   tree); NULL after reporting its mistakes. */
static xmlNodePtr read_article(xmlDocPtr doc, const char *path, bool is_translation, WyDiag *d)
{
    WyBuf bytes, utf8;
    wy_buf_init(&bytes);
    wy_buf_init(&utf8);
    Article a;
    memset(&a, 0, sizeof a);
    a.path = path;
    a.d = d;
    a.doc = doc;
    a.is_translation = is_translation;
    cmark_node *tree = NULL;
    char *source = NULL;
    xmlNodePtr article = NULL;
    if (!wy_fsx_read(path, WY_INPUT_MAX_BYTES, &bytes, d))
        goto out;
    if (!wy_encoding_to_utf8(path, bytes.data, bytes.len, &utf8, d))
        goto out;
    a.text = wy_buf_str(&utf8);
    a.len = utf8.len;
    a.dir = wy_fsx_dirname(path);
    index_lines(&a);
    if (!reject_hidden_characters(&a))
        goto out;
    if (!wy_front_matter_read(&a.meta, path, a.text, a.len, d))
        goto out;
    size_t source_len;
    source = markdown_source(&a, &source_len);
    tree = cmark_parse_document(source, source_len, CMARK_OPT_DEFAULT);
    cmark_node *deep = too_deep(tree);
    if (deep) {
        int line = cmark_node_get_start_line(deep);
        for (cmark_node *up = deep; line <= 0 && up; up = cmark_node_parent(up))
            line = cmark_node_get_start_line(up);
        article_error(&a, line > 0 ? line : 1, 1,
                      "lists, quotes or emphasis are nested more than %d levels deep here; simplify the text",
                      WY_MARKDOWN_MAX_DEPTH);
        goto out;
    }
    if (!wy_front_matter_get(&a.meta, "title")) {
        a.title_heading = find_title_heading(tree);
        if (!a.title_heading) {
            article_error(&a, 1, 1,
                          "the article has no title; add a front matter line title: … or start it with a "
                          "heading such as # 标题");
            goto out;
        }
    }
    article = build_article(&a, tree);
    if (!a.failed && !is_translation)
        attach_translation(&a, article);
    if (a.failed) {
        xmlFreeNode(article);
        article = NULL;
    }
out:
    if (tree)
        cmark_node_free(tree);
    free(source);
    wy_front_matter_release(&a.meta);
    free(a.line_starts);
    free(a.dir);
    wy_buf_release(&bytes);
    wy_buf_release(&utf8);
    return article;
}

bool wy_markdown_load_file(xmlNodePtr parent, const char *path, WyDiag *d)
{
    xmlNodePtr article = read_article(parent->doc, path, false, d);
    if (article)
        xmlAddChild(parent, article);
    return article != NULL;
}

static bool has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n > k && strcasecmp(name + n - k, suffix) == 0;
}

char *wy_markdown_translation_path(const char *path)
{
    if (!has_suffix(path, ".md") || has_suffix(path, WY_MARKDOWN_TRANSLATION_SUFFIX))
        return NULL;
    size_t stem = strlen(path) - 3;
    WyBuf b;
    wy_buf_init(&b);
    wy_buf_append(&b, path, stem);
    wy_buf_append(&b, WY_MARKDOWN_TRANSLATION_SUFFIX, strlen(WY_MARKDOWN_TRANSLATION_SUFFIX));
    return wy_buf_steal(&b);
}

static bool is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The translation's file: the one front matter names (relative to the
   article's folder), else NAME.en.md beside the article when it exists;
   NULL when there is none. A named file that is missing is an error. */
static char *translation_file(Article *a)
{
    const WyMetaEntry *named = wy_front_matter_get(&a->meta, "translation");
    if (named) {
        char *path = named->value[0] == '/' ? wy_xstrdup(named->value) : wy_fsx_join(a->dir, named->value);
        if (is_regular_file(path))
            return path;
        article_error(a, named->line, 1, "the translation %s is not there; check the file name next to %s",
                      named->value, a->path);
        free(path);
        return NULL;
    }
    char *beside = wy_markdown_translation_path(a->path);
    if (beside && !is_regular_file(beside)) {
        free(beside);
        beside = NULL;
    }
    return beside;
}

/* Appends <translation lang="…" file="…"> (the translation read as an
   article) to ARTICLE; false, with A failed, when it cannot be read. */
static bool attach_translation(Article *a, xmlNodePtr article)
{
    char *path = translation_file(a);
    if (!path)
        return !a->failed;
    xmlNodePtr t = read_article(a->doc, path, true, a->d);
    if (!t) {
        a->failed = true;
        free(path);
        return false;
    }
    xmlNodeSetName(t, BAD_CAST "translation");
    xmlNodePtr lang = NULL;
    for (xmlNodePtr k = t->children; k && !lang; k = k->next)
        if (k->type == XML_ELEMENT_NODE && xmlStrEqual(k->name, BAD_CAST "lang"))
            lang = k;
    xmlChar *code = lang ? xmlNodeGetContent(lang) : NULL;
    xmlSetProp(t, BAD_CAST "lang", code ? code : BAD_CAST "en");
    xmlFree(code);
    xmlAddChild(article, t);
    free(path);
    return true;
}

static bool is_article_name(const char *name)
{
    size_t n = strlen(name);
    /* NAME.en.md is the translation of NAME.md, not an article of its own */
    return name[0] != '.' && n > 3 && strcasecmp(name + n - 3, ".md") == 0 &&
           !has_suffix(name, WY_MARKDOWN_TRANSLATION_SUFFIX);
}

static int compare_names(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

bool wy_markdown_load_dir(xmlNodePtr parent, const char *name, const char *dir, WyDiag *d)
{
    DIR *folder = opendir(dir);
    if (!folder) {
        wy_diag_io_error(d, wy_loc(dir, 0, 0), "cannot open the folder");
        return false;
    }
    char **names = NULL;
    size_t count = 0, alloc = 0;
    struct dirent *e;
    while ((e = readdir(folder)) != NULL) {
        if (!is_article_name(e->d_name))
            continue;
        char *path = wy_fsx_join(dir, e->d_name);
        struct stat st;
        bool regular = stat(path, &st) == 0 && S_ISREG(st.st_mode);
        free(path);
        if (!regular)
            continue;
        if (count == alloc) {
            alloc = alloc ? wy_mul_size(alloc, 2) : 16;
            names = wy_xrealloc(names, wy_mul_size(alloc, sizeof *names));
        }
        names[count++] = wy_xstrdup(e->d_name);
    }
    closedir(folder);
    bool ok = false;
    if (count == 0) {
        wy_diag_error(d, wy_loc(dir, 0, 0), "the folder has no Markdown articles (*.md files)");
        goto out;
    }
    qsort(names, count, sizeof *names, compare_names);
    xmlNodePtr holder = xmlNewChild(parent, NULL, BAD_CAST name, NULL);
    xmlSetProp(holder, BAD_CAST "file", BAD_CAST dir);
    ok = true;
    for (size_t i = 0; i < count; i++) {
        char *path = wy_fsx_join(dir, names[i]);
        ok &= wy_markdown_load_file(holder, path, d); /* report every article's mistakes in one run */
        free(path);
    }
    if (!ok) {
        xmlUnlinkNode(holder);
        xmlFreeNode(holder);
    }
out:
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return ok;
}
