/* <include href="fragments/roster-cards.xml"/>: blocks (and the styles
   they use) kept in a file of their own so several templates share them.
   A fragment is an XML file whose root is <fragment> in the template
   namespace; it is read safely (data/xmlsrc), validated against the same
   schema, and may include others, at most WY_INCLUDE_MAX_DEPTH deep. The
   href is relative to the file that has the <include>, and must stay
   inside the main template's folder. Loading only: compile.c compiles a
   fragment's blocks where its <include> stands. */
#ifndef WY_INCLUDE_H
#define WY_INCLUDE_H
#include <libxml/tree.h>
#include <stdbool.h>

#include "base/buf.h"
#include "base/diag.h"
#include "expand/srcloc.h"
#include "expand/template.h"

#define WY_INCLUDE_MAX_DEPTH 8

struct WyFragment {
    char *path;           /* as messages name it: the including folder joined with href */
    xmlDocPtr doc;
    WyBuf text;           /* the file's bytes, for columns and carets */
    WySource src;
    const xmlNode *include; /* the <include> element that brought it in */
};

/* Loads every fragment T's document includes, directly or through other
   fragments, into T->fragments, after T->doc has been validated against
   SCHEMA_PATH. Returns false with an error at the <include> (no such
   file, a path leaving the folder, nesting too deep, a root that is not
   <fragment>) or in the fragment (not well-formed, not valid). */
bool wy_include_load(WyTemplate *t, const char *schema_path, WyDiag *d);

/* The fragment INCLUDE brought in (borrowed from T), or NULL. */
const struct WyFragment *wy_include_lookup(const WyTemplate *t, const xmlNode *include);

/* Frees T's fragments. */
void wy_include_free(WyTemplate *t);

#endif
