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
#define WY_CSV_MAX_COLUMNS 1024

/* Loads PATH under PARENT as element NAME. The first non-blank record is
   the header; every row then has one child per header column, in header
   order, empty when the record is short, so a missing column and an empty
   field look alike only by content and never by shape. Each <row> has a
   `line` attribute (the record's first line) and every created element
   its `line` field set. Comma-separated, or tab-separated for *.tsv, for
   UTF-16 files (Excel's "Unicode text") and when the first line has tabs
   but no commas. Line ends may be LF, CRLF or CR; a quoted field keeps its
   line breaks as LF. Unquoted fields and header names are trimmed of
   spaces, tabs and U+3000 at both ends; quoted fields keep theirs.
   Records whose fields are all empty (blank lines, Excel's ",,,") are
   skipped. A field that looks like an ID number Excel shortened
   (1.10105E+17) is kept as typed, with a warning.
   Fails with FILE:LINE:COL on an unterminated quote (at the record's
   start), a stray quote, bad bytes, a duplicate or empty header, a record
   with more fields than the header, a control, bidi or invisible
   character anywhere (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+FEFF
   after the start), a NUL byte, an empty file, too many rows or columns
   or a too-long field. On failure nothing is added under PARENT. */
bool wy_csv_load(xmlNodePtr parent, const char *name, const char *path, WyDiag *d);

/* Turns a header into an XML element name: kept as is when it is a valid
   name by libxml2's rules, which its XPath parser shares (Chinese is),
   otherwise invalid characters become '_' (金额（元） → 金额_元_) and a
   leading digit, '-' or '.' gets a '_' prefix. Returns a malloc'd string. */
char *wy_csv_field_name(const char *header);

#endif
