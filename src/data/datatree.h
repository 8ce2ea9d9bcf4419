/* The one data tree: every `-d NAME=FILE` source becomes element <NAME>
   under the root <data>, so templates select everything with XPath from
   one document. Decides the loader by what FILE is: a folder of Markdown
   articles, *.md, *.csv, *.tsv, *.txt or *.xml. Also maps a data node back to
   the file and line it came from, for diagnostics. */
#ifndef WY_DATATREE_H
#define WY_DATATREE_H
#include <libxml/tree.h>
#include <stdbool.h>

#include "base/diag.h"

/* Returns a new document with an empty <data> root (caller xmlFreeDoc's it). */
xmlDocPtr wy_data_new(void);
/* Loads PATH as source NAME: a folder → data/markdown's folder loader;
   *.md → <NAME file="PATH"><article>…</article></NAME>; *.csv, *.tsv,
   *.txt → data/csv; *.xml → data/xmlsrc (extensions in any case). NAME
   must be an XML name (libxml2's NCName, as XPath reads it), not used
   before and not `params`; that, and a kind of file not listed, is a
   usage error (exit 2). A loader's failure is reported by the loader;
   on any failure nothing is added and NAME stays free. */
bool wy_data_add(xmlDocPtr data, const char *name, const char *path, WyDiag *d);
/* Adds template parameter NAME=VALUE as <param name="NAME">VALUE</param>
   under /data/params (templates read them as $NAME too); a second NAME
   replaces the first. VALUE must be valid UTF-8 (the caller checks
   command-line text). Never fails. */
void wy_data_add_param(xmlDocPtr data, const char *name, const char *value);
/* The file and line NODE (element, text or attribute) came from: the
   nearest `file` attribute on it or above, and the nearest line on it or
   above: the parser's or loader's line, or past 65535 (where libxml2's
   16-bit line saturates) the `line` attribute the loaders write. `file` is
   borrowed from the tree; NULL and 0 when unknown. */
WyLoc wy_data_loc(const xmlNode *node);

#endif
