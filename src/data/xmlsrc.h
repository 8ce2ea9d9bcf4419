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

/* Parses PATH. The bytes are decoded to UTF-8 first (data/encoding): a
   BOM decides (UTF-8, UTF-16, GB18030), else an encoding the XML
   declaration names (UTF-8, GB2312, GBK, GB18030), else strict UTF-8 or
   GB18030. Returns the document (caller frees with xmlFreeDoc), or NULL
   with an error recorded: not found (I/O), bad bytes, another declared
   encoding, not well-formed, has a DOCTYPE or entity. */
xmlDocPtr wy_xml_parse_file(const char *path, WyDiag *d);
/* Same on bytes already in memory; PATH is used in messages. */
xmlDocPtr wy_xml_parse_memory(const char *path, const char *bytes, size_t len, WyDiag *d);

/* Loads data file PATH under PARENT as element NAME: NAME receives the
   file root's attributes and children, plus file="PATH". */
bool wy_xmlsrc_load(xmlNodePtr parent, const char *name, const char *path, WyDiag *d);

#endif
