/* Safe XML reading for data files, templates and job files: the file is
   read by us with a size cap (libxml2 never opens it, so no http://,
   no gunzip), parsed from memory with XML_PARSE_NONET|XML_PARSE_BIG_LINES
   only, a deny-all external entity loader, and any DOCTYPE or entity
   rejected. Errors come out as FILE:LINE:COL in plain words. */
#ifndef WY_XMLSRC_H
#define WY_XMLSRC_H
#include <libxml/tree.h>
#include <stdbool.h>

#include "base/diag.h"

/* Installs the deny-all entity loader and silences libxml2's own printing;
   call once at start-up (idempotent). */
void wy_xml_init(void);

/* Parses PATH. Returns the document (caller frees with xmlFreeDoc), or
   NULL with an error recorded: not found (I/O), not well-formed, has a
   DOCTYPE or entity, not UTF-8/declared encoding unsupported. */
xmlDocPtr wy_xml_parse_file(const char *path, WyDiag *d);
/* Same on bytes already in memory; PATH is used in messages. */
xmlDocPtr wy_xml_parse_memory(const char *path, const char *bytes, size_t len, WyDiag *d);

/* Loads data file PATH under PARENT as element NAME: NAME receives the
   file root's attributes and children, plus file="PATH". */
bool wy_xmlsrc_load(xmlNodePtr parent, const char *name, const char *path, WyDiag *d);

#endif
