/* Spreadsheet data: CSV (or tab-separated, as Excel's "Unicode text")
   through libcsv in strict mode, in any encoding wy_encoding_detect knows.
   The header row names the fields; each record becomes
     <NAME file="PATH"><row line="N"><姓名>…</姓名>…</row>…</NAME>
   so templates select with XPath (row[职务='站长']/姓名). */
#ifndef WY_CSV_H
#define WY_CSV_H
#include <libxml/tree.h>
#include <stdbool.h>

#include "base/diag.h"

#define WY_CSV_MAX_FIELD_BYTES (1u << 20)
#define WY_CSV_MAX_ROWS 1000000

/* Loads PATH under PARENT as element NAME. Fails with FILE:LINE:COL on an
   unterminated quote (at the record's start), a stray quote, bad bytes,
   a duplicate or empty header, a control or bidi character in a field,
   a NUL byte, too many rows or a too-long field. Blank lines are skipped;
   fields keep their spaces except that a header's are trimmed. */
bool wy_csv_load(xmlNodePtr parent, const char *name, const char *path, WyDiag *d);

/* Turns a header into an XML element name: kept as is when it is a valid
   name (Chinese is), otherwise invalid characters become '_' and a
   leading digit gets a '_' prefix. Returns a malloc'd string. */
char *wy_csv_field_name(const char *header);

#endif
