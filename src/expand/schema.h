/* RELAX NG validation of a template against templates/wenyin.rng with
   libxml2. The schema is parsed once per process and kept; libxml2's
   messages ("Did not expect element p there") are turned into an
   editor's words at FILE:LINE:COL ("element <p> is not allowed inside
   <rule>"). Checks structure only: lengths, colours and XPath are the
   template loader's. */
#ifndef WY_SCHEMA_H
#define WY_SCHEMA_H
#include <libxml/tree.h>
#include <stdbool.h>

#include "base/diag.h"
#include "expand/srcloc.h"

/* Validates DOC (parsed from SRC) against the schema at SCHEMA_PATH.
   Returns false with one error for the first problem found; an unreadable
   or broken schema is an I/O error (a broken installation). */
bool wy_schema_validate(xmlDocPtr doc, const char *schema_path, const WySource *src, WyDiag *d);

/* Drops the cached schema (for tests and leak checkers). */
void wy_schema_cache_clear(void);

#endif
