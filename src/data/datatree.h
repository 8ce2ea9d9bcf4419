/* The one data tree: every `-d NAME=FILE` source becomes element <NAME>
   under the root <data>, so templates select everything with XPath from
   one document. Decides the loader by what FILE is: a folder of Markdown
   articles, .md, .csv, .tsv, .txt or .xml. Also maps a data node back to
   the file and line it came from, for diagnostics. */
#ifndef WY_DATATREE_H
#define WY_DATATREE_H
#include <libxml/tree.h>
#include <stdbool.h>

#include "base/diag.h"

/* Returns a new document with an empty <data> root (caller xmlFreeDoc's it). */
xmlDocPtr wy_data_new(void);
/* Loads FILE as source NAME. NAME must be an XML name not used before. */
bool wy_data_add(xmlDocPtr data, const char *name, const char *path, WyDiag *d);
/* Adds template parameter NAME=VALUE as <param name="NAME">VALUE</param>
   under /data/params (templates read them as $NAME too). */
void wy_data_add_param(xmlDocPtr data, const char *name, const char *value);
/* The file and line NODE came from: the nearest `file` attribute above it
   and the nearest `line` attribute (or the parser's line) on it or above. */
WyLoc wy_data_loc(const xmlNode *node);

#endif
