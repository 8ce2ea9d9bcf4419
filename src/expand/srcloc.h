/* Where a template element or attribute sits in the template's text:
   libxml2 keeps only the line on which a start tag ends, so the column
   (and the line of an attribute in a tag spread over several lines) is
   found in the text itself. Reads nothing; the text is given. */
#ifndef WY_SRCLOC_H
#define WY_SRCLOC_H
#include <libxml/tree.h>
#include <stddef.h>

#include "base/diag.h"

typedef struct WySource {
    const char *path;   /* as the user wrote it, for messages; borrowed */
    const char *text;   /* the whole file, or NULL when unknown (line only); borrowed */
    size_t len;
    size_t *line_starts; /* byte offset of each line, owned */
    size_t n_lines;
} WySource;

/* Indexes TEXT (LEN bytes, may be NULL) of file PATH; both borrowed. */
void wy_source_init(WySource *src, const char *path, const char *text, size_t len);
void wy_source_release(WySource *src);

/* The '<' of NODE's start tag (an element), or NODE's line for other nodes. */
WyLoc wy_source_node_loc(const WySource *src, const xmlNode *node);
/* The attribute ATTR in NODE's start tag; NODE's location when absent. */
WyLoc wy_source_attr_loc(const WySource *src, const xmlNode *node, const char *attr);

#endif
