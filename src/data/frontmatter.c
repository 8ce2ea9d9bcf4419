#include "data/frontmatter.h"

#include <libxml/tree.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/mem.h"

const char *const wy_front_matter_keys[WY_FRONT_MATTER_KNOWN_KEYS] = {
    "title", "subtitle", "source", "author", "date", "lang", "section", "translation",
};

/* One reading: the text, for carets, and whether anything failed. */
typedef struct Reader {
    WyFrontMatter *fm;
    const char *path;
    const char *text;
    size_t len;
    WyDiag *d;
    bool failed;
} Reader;

static void reader_error(Reader *r, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void reader_error(Reader *r, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wy_diag_verror_src(r->d, wy_loc(r->path, line, col), r->text, r->len, fmt, ap);
    va_end(ap);
    r->failed = true;
}

/* The column, in characters, of P on the line starting at LINE_START. */
static int column_of(const char *line_start, const char *p)
{
    int col = 1;
    for (const char *q = line_start; q < p; q++)
        col += ((unsigned char)*q & 0xC0) != 0x80;
    return col;
}

static const char *trim_spaces(const char *s, size_t *len)
{
    size_t n = *len;
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *len = n;
    return s;
}

static bool is_fence(const char *s, size_t len)
{
    s = trim_spaces(s, &len);
    return len == 3 && memcmp(s, "---", 3) == 0;
}

static void add_entry(WyFrontMatter *fm, const char *key, const char *value, size_t value_len, int line)
{
    if (fm->count == fm->alloc) {
        fm->alloc = fm->alloc ? wy_mul_size(fm->alloc, 2) : 8;
        fm->entries = wy_xrealloc(fm->entries, wy_mul_size(fm->alloc, sizeof *fm->entries));
    }
    WyMetaEntry *e = &fm->entries[fm->count++];
    e->key = wy_xstrdup(key);
    e->value = wy_xstrndup(value, value_len);
    e->line = line;
}

const WyMetaEntry *wy_front_matter_get(const WyFrontMatter *fm, const char *key)
{
    for (size_t i = 0; i < fm->count; i++)
        if (strcmp(fm->entries[i].key, key) == 0)
            return &fm->entries[i];
    return NULL;
}

void wy_front_matter_release(WyFrontMatter *fm)
{
    for (size_t i = 0; i < fm->count; i++) {
        free(fm->entries[i].key);
        free(fm->entries[i].value);
    }
    free(fm->entries);
    memset(fm, 0, sizeof *fm);
}

static const char *known_key(const char *key, size_t len)
{
    for (size_t i = 0; i < WY_FRONT_MATTER_KNOWN_KEYS; i++)
        if (strlen(wy_front_matter_keys[i]) == len && strncasecmp(wy_front_matter_keys[i], key, len) == 0)
            return wy_front_matter_keys[i];
    return NULL;
}

/* zh-CN and zh-TW/zh-HK name regions; the layout needs the script. */
static const char *normalise_lang(const char *value)
{
    static const struct {
        const char *typed, *canonical;
    } langs[] = {{"zh-Hans", "zh-Hans"}, {"zh-Hant", "zh-Hant"}, {"zh-CN", "zh-Hans"},
                 {"zh-TW", "zh-Hant"},   {"zh-HK", "zh-Hant"},   {"en", "en"}};
    for (size_t i = 0; i < sizeof langs / sizeof *langs; i++)
        if (strcasecmp(value, langs[i].typed) == 0)
            return langs[i].canonical;
    return NULL;
}

/* Checks the key of a `key: value` line; returns its stored spelling
   (malloc'd) or NULL after reporting. */
static char *check_key(Reader *r, const char *key, size_t key_len, int line)
{
    const char *known = known_key(key, key_len);
    char *name = known ? wy_xstrdup(known) : wy_xstrndup(key, key_len);
    if (!known && (key_len == 0 || xmlValidateNCName(BAD_CAST name, 0) != 0)) {
        reader_error(r, line, 1, "'%s' cannot be a front matter key; use letters, digits, '_' or '-'", name);
    } else if (strcmp(name, "body") == 0) {
        reader_error(r, line, 1, "'body' cannot be a front matter key; the article's text is its body");
    } else {
        const WyMetaEntry *earlier = wy_front_matter_get(r->fm, name);
        if (!earlier)
            return name;
        reader_error(r, line, 1, "%s is given twice (lines %d and %d); keep one", name, earlier->line, line);
    }
    free(name);
    return NULL;
}

static void read_line(Reader *r, const char *s, size_t len, int line)
{
    const char *colon = memchr(s, ':', len);
    if (!colon) {
        if (memmem(s, len, "\xEF\xBC\x9A", 3)) /* U+FF1A, the full-width colon */
            reader_error(r, line, 1, "write the colon after the key as a half-width ':' (key: value)");
        else
            reader_error(r, line, 1, "a front matter line must read key: value (for example title: 本期要闻)");
        return;
    }
    size_t key_len = (size_t)(colon - s);
    const char *key = trim_spaces(s, &key_len);
    char *name = check_key(r, key, key_len, line);
    if (!name)
        return;
    size_t value_len = len - (size_t)(colon + 1 - s);
    const char *value = trim_spaces(colon + 1, &value_len);
    int value_col = column_of(s, value);
    char *lang_value = NULL;
    if (value_len && (value[0] == '"' || value[0] == '\'')) {
        if (value_len < 2 || value[value_len - 1] != value[0]) {
            reader_error(r, line, value_col, "the value starts with %c but does not end with one", value[0]);
            goto out;
        }
        value++;
        value_len -= 2;
    }
    if (strcmp(name, "lang") == 0) {
        lang_value = wy_xstrndup(value, value_len);
        const char *lang = normalise_lang(lang_value);
        if (!lang) {
            reader_error(r, line, value_col,
                         "lang '%s' is not one wenyin knows; use zh-Hans, zh-Hant, zh-CN, zh-TW, zh-HK or en",
                         lang_value);
            goto out;
        }
        value = lang;
        value_len = strlen(lang);
    }
    if (strcmp(name, "title") == 0 && value_len == 0)
        reader_error(r, line, 1, "title is empty; write the title or remove the line");
    else
        add_entry(r->fm, name, value, value_len, line);
out:
    free(lang_value);
    free(name);
}

bool wy_front_matter_read(WyFrontMatter *fm, const char *path, const char *text, size_t len, WyDiag *d)
{
    memset(fm, 0, sizeof *fm);
    Reader r = {fm, path, text, len, d, false};
    const char *p = text, *end = text + len;
    for (int line = 1; p < end || line == 1; line++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        if (!eol)
            eol = end;
        size_t line_len = (size_t)(eol - p);
        if (line_len && p[line_len - 1] == '\r')
            line_len--;
        if (line == 1) {
            if (!is_fence(p, line_len))
                return true;
        } else if (is_fence(p, line_len)) {
            fm->end_line = line;
            return !r.failed;
        } else {
            size_t content_len = line_len;
            const char *content = trim_spaces(p, &content_len);
            if (content_len && content[0] != '#')
                read_line(&r, p, line_len, line);
        }
        p = next;
        if (p >= end)
            break;
    }
    reader_error(&r, 1, 1, "the front matter that starts here is never closed; end it with a line of ---");
    return false;
}
