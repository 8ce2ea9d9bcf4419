#include "data/csv.h"

#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/fsx.h"
#include "base/mem.h"
#include "data/encoding.h"

#define IDEOGRAPHIC_SPACE "\xE3\x80\x80" /* U+3000, the full-width space */
#define IDEOGRAPHIC_SPACE_LEN 3

typedef struct Field {
    char *value;   /* malloc'd, trimmed when it was not quoted */
    size_t len;
    size_t offset; /* where the field starts in the text: its quote when quoted */
} Field;

/* One load: the text (UTF-8, line ends normalised to '\n', ending in '\n'),
   libcsv's callbacks' state, and a scanner that follows libcsv field by
   field through the same text. libcsv tells neither where a field began
   nor whether it was quoted; the scanner does, which gives every message
   its line and column and lets U+3000 be trimmed from unquoted fields
   only. It only ever walks text libcsv has already accepted in strict
   mode, so it needs no error handling of its own. */
typedef struct CsvLoad {
    const char *path;
    const char *text;
    size_t len;
    WyDiag *d;
    unsigned char delim;
    xmlNodePtr holder;

    size_t scan;       /* where the scanner looks for the next field */
    bool at_row_start; /* the next field begins a record (blank lines may come first) */

    Field *fields; /* the record being read */
    size_t n_fields, fields_alloc;
    size_t record_offset;

    char **columns;       /* element names, from the header */
    char **column_titles; /* the header as typed, for messages */
    bool *column_warned;  /* one warning per column is enough */
    size_t n_columns;
    size_t rows;

    size_t line_cursor_offset; /* line_of() counts forward from here */
    int line_cursor_line;
    bool failed;
} CsvLoad;

static int line_of(CsvLoad *c, size_t offset)
{
    if (offset < c->line_cursor_offset) {
        c->line_cursor_offset = 0;
        c->line_cursor_line = 1;
    }
    const char *p = c->text + c->line_cursor_offset, *end = c->text + offset;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        c->line_cursor_line++;
        p++;
    }
    c->line_cursor_offset = offset;
    return c->line_cursor_line;
}

static WyLoc loc_at(CsvLoad *c, size_t offset)
{
    int line = line_of(c, offset);
    size_t line_start = offset;
    while (line_start > 0 && c->text[line_start - 1] != '\n')
        line_start--;
    int ignored, col;
    wy_text_position(c->text + line_start, offset - line_start, &ignored, &col);
    return wy_loc(c->path, line, col);
}

static void error_at(CsvLoad *c, size_t offset, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void error_at(CsvLoad *c, size_t offset, const char *fmt, ...)
{
    if (c->failed)
        return;
    c->failed = true;
    va_list ap;
    va_start(ap, fmt);
    wy_diag_verror_src(c->d, loc_at(c, offset), c->text, c->len, fmt, ap);
    va_end(ap);
}

/* libcsv's own notion of a space: it skips these before a field and trims
   them after an unquoted one, unless the character is the delimiter. */
static bool is_blank(const CsvLoad *c, char ch)
{
    return (ch == ' ' || ch == '\t') && (unsigned char)ch != c->delim;
}

/* Where the next field starts (its quote when quoted), skipping what
   libcsv skips: blank lines before a record, blanks before a field. */
static size_t peek_field_start(const CsvLoad *c)
{
    size_t p = c->scan;
    while (p < c->len && (is_blank(c, c->text[p]) || (c->at_row_start && c->text[p] == '\n')))
        p++;
    return p;
}

/* Moves the scanner past the field libcsv has just delivered. Returns its
   start; sets *QUOTED. */
static size_t scan_field(CsvLoad *c, bool *quoted)
{
    size_t start = peek_field_start(c);
    size_t p = start;
    *quoted = p < c->len && c->text[p] == '"';
    if (*quoted) {
        for (p++; p < c->len; p++) {
            if (c->text[p] == '"') {
                if (p + 1 < c->len && c->text[p + 1] == '"') {
                    p++;
                    continue;
                }
                p++;
                break;
            }
        }
        while (p < c->len && is_blank(c, c->text[p]))
            p++;
    } else {
        while (p < c->len && (unsigned char)c->text[p] != c->delim && c->text[p] != '\n')
            p++;
    }
    c->at_row_start = p >= c->len || c->text[p] == '\n';
    c->scan = p < c->len ? p + 1 : p;
    return start;
}

static bool starts_with_ideographic_space(const char *s, size_t len)
{
    return len >= IDEOGRAPHIC_SPACE_LEN && memcmp(s, IDEOGRAPHIC_SPACE, IDEOGRAPHIC_SPACE_LEN) == 0;
}

static bool ends_with_ideographic_space(const char *s, size_t len)
{
    return len >= IDEOGRAPHIC_SPACE_LEN &&
           memcmp(s + len - IDEOGRAPHIC_SPACE_LEN, IDEOGRAPHIC_SPACE, IDEOGRAPHIC_SPACE_LEN) == 0;
}

/* Trims ASCII spaces, tabs and U+3000 (what office staff type to "align"
   a cell) at both ends; returns the new start and sets *LEN. */
static const char *trim(const char *s, size_t *len)
{
    size_t n = *len;
    for (;;) {
        if (n && (*s == ' ' || *s == '\t')) {
            s++;
            n--;
        } else if (starts_with_ideographic_space(s, n)) {
            s += IDEOGRAPHIC_SPACE_LEN;
            n -= IDEOGRAPHIC_SPACE_LEN;
        } else {
            break;
        }
    }
    for (;;) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        else if (ends_with_ideographic_space(s, n))
            n -= IDEOGRAPHIC_SPACE_LEN;
        else
            break;
    }
    *len = n;
    return s;
}

static void clear_record(CsvLoad *c)
{
    for (size_t i = 0; i < c->n_fields; i++)
        free(c->fields[i].value);
    c->n_fields = 0;
}

static size_t max_fields(const CsvLoad *c)
{
    return c->columns ? c->n_columns : WY_CSV_MAX_COLUMNS;
}

static void on_field(void *data, size_t len, void *ctx)
{
    CsvLoad *c = ctx;
    bool quoted;
    size_t start = scan_field(c, &quoted);
    if (c->failed)
        return;
    if (c->n_fields == 0)
        c->record_offset = start;
    if (c->n_fields >= max_fields(c)) {
        if (c->columns)
            error_at(c, start,
                     "this row has more fields than the header has columns (%zu); remove the extra "
                     "separator or give the column a name in the first row",
                     c->n_columns);
        else
            error_at(c, start, "the header row has more than %d columns", WY_CSV_MAX_COLUMNS);
        return;
    }
    const char *value = data ? data : "";
    if (!quoted)
        value = trim(value, &len);
    if (c->n_fields == c->fields_alloc) {
        c->fields_alloc = c->fields_alloc ? wy_mul_size(c->fields_alloc, 2) : 16;
        c->fields = wy_xrealloc(c->fields, wy_mul_size(c->fields_alloc, sizeof *c->fields));
    }
    Field *f = &c->fields[c->n_fields++];
    f->value = wy_xstrndup(value, len);
    f->len = len;
    f->offset = start;
}

static bool record_is_blank(const CsvLoad *c)
{
    for (size_t i = 0; i < c->n_fields; i++)
        if (c->fields[i].len)
            return false;
    return true;
}

static void read_header(CsvLoad *c)
{
    c->n_columns = c->n_fields;
    c->columns = wy_xcalloc(c->n_fields, sizeof *c->columns);
    c->column_titles = wy_xcalloc(c->n_fields, sizeof *c->column_titles);
    c->column_warned = wy_xcalloc(c->n_fields, sizeof *c->column_warned);
    for (size_t i = 0; i < c->n_fields; i++) {
        size_t len = c->fields[i].len;
        const char *title = trim(c->fields[i].value, &len);
        c->column_titles[i] = wy_xstrndup(title, len);
        c->columns[i] = wy_csv_field_name(c->column_titles[i]);
        if (len == 0) {
            error_at(c, c->fields[i].offset,
                     "column %zu has no name in the header row; the first row must name every column", i + 1);
            return;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(c->columns[j], c->columns[i]) != 0)
                continue;
            if (strcmp(c->column_titles[j], c->column_titles[i]) == 0)
                error_at(c, c->fields[i].offset, "column %s appears twice in the header (columns %zu and %zu)",
                         c->column_titles[i], j + 1, i + 1);
            else
                error_at(c, c->fields[i].offset,
                         "columns %zu (%s) and %zu (%s) both become the name %s; rename one of them", j + 1,
                         c->column_titles[j], i + 1, c->column_titles[i], c->columns[i]);
            return;
        }
    }
}

/* Excel shows numbers of 12 or more digits as 1.10105E+17 and, when the
   sheet is saved as CSV, writes that text: the digits of an ID number are
   gone. Kept as typed, but the editor is told. */
static bool looks_like_shortened_number(const char *s)
{
    if (!(s[0] >= '0' && s[0] <= '9'))
        return false;
    const char *p = s + 1;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if ((*p != 'E' && *p != 'e') || p[1] != '+')
        return false;
    p += 2;
    char *end;
    long exponent = strtol(p, &end, 10);
    return end != p && *end == '\0' && exponent >= 11;
}

static void add_row(CsvLoad *c)
{
    if (c->rows >= WY_CSV_MAX_ROWS) {
        error_at(c, c->record_offset, "the file has more than %d rows; split it into smaller files",
                 WY_CSV_MAX_ROWS);
        return;
    }
    c->rows++;
    int line = line_of(c, c->record_offset);
    xmlNodePtr row = xmlNewChild(c->holder, NULL, BAD_CAST "row", NULL);
    char line_text[16];
    snprintf(line_text, sizeof line_text, "%d", line);
    xmlSetProp(row, BAD_CAST "line", BAD_CAST line_text);
    row->line = (unsigned short)(line < 65535 ? line : 65535);
    for (size_t i = 0; i < c->n_columns; i++) {
        xmlNodePtr cell = xmlNewDocNode(c->holder->doc, NULL, BAD_CAST c->columns[i], NULL);
        int cell_line = line;
        if (i < c->n_fields) {
            const Field *f = &c->fields[i];
            cell_line = line_of(c, f->offset);
            if (f->len)
                xmlAddChild(cell, xmlNewDocTextLen(c->holder->doc, BAD_CAST f->value, (int)f->len));
            if (!c->column_warned[i] && looks_like_shortened_number(f->value)) {
                c->column_warned[i] = true;
                wy_diag_warning(c->d, loc_at(c, f->offset),
                                "%s %s looks like a long number Excel shortened (its digits are lost); "
                                "format the column %s as Text in Excel and save the file again",
                                c->column_titles[i], f->value, c->column_titles[i]);
            }
        }
        cell->line = (unsigned short)(cell_line < 65535 ? cell_line : 65535);
        xmlAddChild(row, cell);
    }
}

static void on_record(int terminator, void *ctx)
{
    (void)terminator;
    CsvLoad *c = ctx;
    if (!c->failed && !record_is_blank(c)) {
        if (!c->columns)
            read_header(c);
        else
            add_row(c);
    }
    clear_record(c);
}

/* The libcsv buffer holds one field; refusing to grow it past the cap
   makes csv_parse stop with CSV_ENOMEM at that field (libcsv 3.0.3 halves
   its request until it fits, so a field of exactly the cap still loads). */
static void *capped_realloc(void *ptr, size_t size)
{
    if (size > (size_t)WY_CSV_MAX_FIELD_BYTES + 1)
        return NULL;
    return wy_xrealloc(ptr, size);
}

/* Copies TEXT with CRLF and lone CR turned into LF (Excel writes CRLF; old
   Mac exports CR), ending in LF, so lines, libcsv and the scanner agree. */
static char *normalise_line_ends(const char *text, size_t len, size_t *out_len)
{
    char *out = wy_xmalloc(wy_add_size(len, 2));
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\r') {
            out[n++] = '\n';
            if (i + 1 < len && text[i + 1] == '\n')
                i++;
        } else {
            out[n++] = text[i];
        }
    }
    if (n == 0 || out[n - 1] != '\n')
        out[n++] = '\n';
    out[n] = '\0';
    *out_len = n;
    return out;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Tab for .tsv files and Excel's "Unicode text" (UTF-16, tab-separated),
   or when the first non-blank line has tabs and no commas. */
static unsigned char choose_delimiter(const char *path, WyEncoding enc, const char *text, size_t len)
{
    if (has_suffix(path, ".tsv") || enc == WY_ENC_UTF16LE || enc == WY_ENC_UTF16BE)
        return CSV_TAB;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        bool blank = true, tab = false, comma = false;
        for (const char *q = p; q < eol; q++) {
            if (*q != ' ' && *q != '\t')
                blank = false;
            tab |= *q == '\t';
            comma |= *q == ',';
        }
        if (!blank)
            return tab && !comma ? CSV_TAB : CSV_COMMA;
        p = eol + 1;
    }
    return CSV_COMMA;
}

static bool reject_hidden_characters(CsvLoad *c)
{
    unsigned cp;
    size_t at = wy_text_hidden_at(c->text, c->len, true, &cp);
    if (at == c->len)
        return true;
    error_at(c, at, "an invisible character (%s, U+%04X) is here; delete it (retype the text around it if need be)",
             wy_hidden_char_name(cp), cp);
    return false;
}

static void report_parse_stop(CsvLoad *c, struct csv_parser *parser, size_t offset)
{
    if (csv_error(parser) == CSV_EPARSE)
        error_at(c, offset,
                 "stray quote mark: a field that contains \" must be wrapped in quotes, with each \" inside "
                 "written twice (\"\")");
    else
        error_at(c, peek_field_start(c), "this field is longer than %u bytes; shorten it",
                 (unsigned)WY_CSV_MAX_FIELD_BYTES);
}

static void report_unclosed_quote(CsvLoad *c)
{
    size_t quote = peek_field_start(c);
    size_t record = c->n_fields ? c->record_offset : quote;
    int quote_line, quote_col;
    wy_text_position(c->text, quote, &quote_line, &quote_col);
    if (line_of(c, record) == quote_line)
        error_at(c, quote, "the row starting here has a quote (\") that is never closed; add the closing quote");
    else
        error_at(c, record,
                 "the row starting here has a quote (\") at line %d, column %d that is never closed; add the "
                 "closing quote",
                 quote_line, quote_col);
}

static void parse(CsvLoad *c)
{
    struct csv_parser parser;
    csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_delim(&parser, c->delim);
    csv_set_realloc_func(&parser, capped_realloc);
    csv_set_free_func(&parser, free);
    /* One physical line at a time: when libcsv stops, the offset it
       returns is the byte it refused. */
    size_t line_start = 0;
    while (line_start < c->len && !c->failed) {
        const char *eol = memchr(c->text + line_start, '\n', c->len - line_start);
        size_t line_len = (size_t)(eol - (c->text + line_start)) + 1;
        size_t used = csv_parse(&parser, c->text + line_start, line_len, on_field, on_record, c);
        if (used != line_len)
            report_parse_stop(c, &parser, line_start + used);
        line_start += line_len;
    }
    if (!c->failed && csv_fini(&parser, on_field, on_record, c) != 0)
        report_unclosed_quote(c);
    csv_free(&parser);
}

static void release(CsvLoad *c)
{
    clear_record(c);
    free(c->fields);
    for (size_t i = 0; i < c->n_columns; i++) {
        free(c->columns[i]);
        free(c->column_titles[i]);
    }
    free(c->columns);
    free(c->column_titles);
    free(c->column_warned);
}

bool wy_csv_load(xmlNodePtr parent, const char *name, const char *path, WyDiag *d)
{
    WyBuf bytes, utf8;
    wy_buf_init(&bytes);
    wy_buf_init(&utf8);
    CsvLoad c;
    memset(&c, 0, sizeof c);
    c.path = path;
    c.d = d;
    c.at_row_start = true;
    c.line_cursor_line = 1;
    char *text = NULL;
    bool ok = false;
    if (!wy_fsx_read(path, WY_INPUT_MAX_BYTES, &bytes, d))
        goto out;
    if (!wy_encoding_to_utf8(path, bytes.data, bytes.len, &utf8, d))
        goto out;
    text = normalise_line_ends(utf8.data, utf8.len, &c.len);
    c.text = text;
    c.delim = choose_delimiter(path, wy_encoding_detect(bytes.data, bytes.len), c.text, c.len);
    if (!reject_hidden_characters(&c))
        goto out;
    c.holder = xmlNewChild(parent, NULL, BAD_CAST name, NULL);
    xmlSetProp(c.holder, BAD_CAST "file", BAD_CAST path);
    c.holder->line = 1;
    parse(&c);
    if (!c.failed && !c.columns) {
        wy_diag_error(d, wy_loc(path, 1, 1), "the file is empty; its first row must name the columns");
        c.failed = true;
    }
    ok = !c.failed;
out:
    if (!ok && c.holder) {
        xmlUnlinkNode(c.holder);
        xmlFreeNode(c.holder);
    }
    release(&c);
    free(text);
    wy_buf_release(&bytes);
    wy_buf_release(&utf8);
    return ok;
}

/* One character of a header, judged by libxml2 itself so that every name
   we make is one its XPath parser accepts. */
static bool valid_name(const char *prefix, const char *ch, size_t n)
{
    char candidate[8];
    size_t p = strlen(prefix);
    memcpy(candidate, prefix, p);
    memcpy(candidate + p, ch, n);
    candidate[p + n] = '\0';
    return xmlValidateNCName(BAD_CAST candidate, 0) == 0;
}

char *wy_csv_field_name(const char *header)
{
    size_t len = strlen(header);
    if (len && xmlValidateNCName(BAD_CAST header, 0) == 0)
        return wy_xstrdup(header);
    WyBuf name;
    wy_buf_init(&name);
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = wy_utf8_decode(header + i, len - i, &cp);
        bool first = name.len == 0;
        if (first && valid_name("", header + i, n)) {
            wy_buf_append(&name, header + i, n);
        } else if (valid_name("a", header + i, n)) {
            if (first)
                wy_buf_putc(&name, '_'); /* a digit, '-' or '.' cannot start a name */
            wy_buf_append(&name, header + i, n);
        } else {
            wy_buf_putc(&name, '_');
        }
        i += n;
    }
    if (name.len == 0)
        wy_buf_putc(&name, '_');
    return wy_buf_steal(&name);
}
