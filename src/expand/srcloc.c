#include "expand/srcloc.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define MAX_TAG_LINES 200 /* how far back a start tag may begin */

static int node_line(const xmlNode *node)
{
    long line = xmlGetLineNo(node);
    return line > 0 && line < (1L << 30) ? (int)line : 0;
}

void wy_source_init(WySource *src, const char *path, const char *text, size_t len)
{
    src->path = path;
    src->text = text;
    src->len = text ? len : 0;
    src->n_lines = 0;
    src->line_starts = NULL;
    if (!text)
        return;
    size_t alloc = 64;
    src->line_starts = wy_xmalloc(alloc * sizeof *src->line_starts);
    src->line_starts[src->n_lines++] = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '\n')
            continue;
        if (src->n_lines == alloc) {
            alloc *= 2;
            src->line_starts = wy_xrealloc(src->line_starts, wy_mul_size(alloc, sizeof *src->line_starts));
        }
        src->line_starts[src->n_lines++] = i + 1;
    }
}

void wy_source_release(WySource *src)
{
    free(src->line_starts);
    src->line_starts = NULL;
    src->n_lines = 0;
}

/* Byte offset of the start of LINE (1-based), or -1. */
static long line_start(const WySource *src, int line)
{
    if (line < 1 || (size_t)line > src->n_lines)
        return -1;
    return (long)src->line_starts[line - 1];
}

static size_t line_end(const WySource *src, size_t off)
{
    const char *nl = memchr(src->text + off, '\n', src->len - off);
    return nl ? (size_t)(nl - src->text) : src->len;
}

static WyLoc loc_at(const WySource *src, size_t offset)
{
    size_t lo = 0, hi = src->n_lines; /* last line starting at or before OFFSET */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    int col = 1;
    for (size_t i = src->line_starts[lo]; i < offset && i < src->len; i++)
        if (((unsigned char)src->text[i] & 0xC0) != 0x80)
            col++;
    return wy_loc(src->path, (int)lo + 1, col);
}

/* True when "<NAME" starts at P and is followed by a delimiter. */
static bool tag_at(const char *p, const char *end, const char *name, size_t name_len)
{
    if (end - p < (long)name_len + 2 || p[0] != '<' || memcmp(p + 1, name, name_len) != 0)
        return false;
    char after = p + 1 + name_len < end ? p[1 + name_len] : '>';
    return after == ' ' || after == '\t' || after == '\n' || after == '\r' || after == '>' || after == '/';
}

/* The previous node in document order, for counting start tags that share
   a line. */
static const xmlNode *previous_in_order(const xmlNode *n)
{
    if (n->prev) {
        n = n->prev;
        while (n->last && n->type == XML_ELEMENT_NODE)
            n = n->last;
        return n;
    }
    return n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : NULL;
}

/* Offset of NODE's '<' in the text, or -1. */
static long element_offset(const WySource *src, const xmlNode *node)
{
    int line = node_line(node);
    if (!src->text || line == 0)
        return -1;
    char qname[256];
    int qlen = node->ns && node->ns->prefix
                   ? snprintf(qname, sizeof qname, "%s:%s", (const char *)node->ns->prefix, (const char *)node->name)
                   : snprintf(qname, sizeof qname, "%s", (const char *)node->name);
    if (qlen <= 0 || (size_t)qlen >= sizeof qname)
        return -1;
    /* which of the same-named tags ending on this line it is */
    int nth = 0;
    for (const xmlNode *p = previous_in_order(node); p && node_line(p) == line; p = previous_in_order(p))
        if (p->type == XML_ELEMENT_NODE && strcmp((const char *)p->name, (const char *)node->name) == 0)
            nth++;
    long start = line_start(src, line);
    if (start < 0)
        return -1;
    size_t end = line_end(src, (size_t)start);
    const char *text_end = src->text + src->len;
    int seen = 0;
    for (size_t i = (size_t)start; i < end; i++)
        if (tag_at(src->text + i, text_end, qname, (size_t)qlen) && seen++ == nth)
            return (long)i;
    /* a start tag spread over several lines: its '<' is on an earlier one */
    size_t stop = (size_t)start;
    for (int back = 0; back < MAX_TAG_LINES && stop > 0; back++) {
        long prev = line_start(src, line - back - 1);
        if (prev < 0)
            break;
        for (size_t i = stop; i-- > (size_t)prev;)
            if (tag_at(src->text + i, text_end, qname, (size_t)qlen))
                return (long)i;
        stop = (size_t)prev;
    }
    return -1;
}

WyLoc wy_source_node_loc(const WySource *src, const xmlNode *node)
{
    long off = node->type == XML_ELEMENT_NODE ? element_offset(src, node) : -1;
    if (off < 0)
        return wy_loc(src->path, node_line(node), 0);
    return loc_at(src, (size_t)off);
}

WyLoc wy_source_attr_loc(const WySource *src, const xmlNode *node, const char *attr)
{
    long off = node->type == XML_ELEMENT_NODE ? element_offset(src, node) : -1;
    if (off < 0)
        return wy_loc(src->path, node_line(node), 0);
    size_t alen = strlen(attr);
    char quote = 0;
    for (size_t i = (size_t)off + 1; i < src->len; i++) {
        char c = src->text[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            break;
        } else if ((c == ' ' || c == '\t' || c == '\n' || c == '\r') && i + 1 + alen < src->len &&
                   memcmp(src->text + i + 1, attr, alen) == 0) {
            size_t j = i + 1 + alen;
            while (j < src->len && (src->text[j] == ' ' || src->text[j] == '\t' || src->text[j] == '\n'))
                j++;
            if (j < src->len && src->text[j] == '=')
                return loc_at(src, i + 1);
        }
    }
    return loc_at(src, (size_t)off);
}
