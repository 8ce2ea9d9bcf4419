#include "layout/hyphen.h"

#include <hyphen.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define MAX_WORD 64 /* longer runs of letters are not words worth breaking */

struct WyHyphenator {
    HyphenDict *dict;
};

WyHyphenator *wy_hyphen_open(const char *path)
{
    HyphenDict *dict = hnj_hyphen_load(path);
    if (!dict)
        return NULL;
    WyHyphenator *h = wy_xmalloc(sizeof *h);
    h->dict = dict;
    return h;
}

void wy_hyphen_close(WyHyphenator *h)
{
    if (!h)
        return;
    hnj_hyphen_free(h->dict);
    free(h);
}

static bool is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

size_t wy_hyphen_points(WyHyphenator *h, const char *word, size_t len, size_t *after, size_t max)
{
    if (!h || len < WY_HYPHEN_MIN_WORD || len > MAX_WORD)
        return 0;
    char lower[MAX_WORD + 1];
    size_t capitals = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_ascii_letter(word[i]))
            return 0;
        capitals += is_upper(word[i]);
        lower[i] = is_upper(word[i]) ? (char)(word[i] - 'A' + 'a') : word[i]; /* the patterns are lower case */
    }
    lower[len] = '\0';
    if (capitals == len)
        return 0;
    char hyphens[MAX_WORD + 5];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    size_t n = 0;
    if (hnj_hyphen_hyphenate2(h->dict, lower, (int)len, hyphens, NULL, &rep, &pos, &cut) == 0) {
        /* hyphens[i] odd: a break after letter i; replacement rules
           (non-standard hyphenation) are not used for English */
        for (size_t i = WY_HYPHEN_LEFT_MIN - 1; i + WY_HYPHEN_RIGHT_MIN < len && n < max; i++)
            if ((hyphens[i] & 1) && !(rep && rep[i]))
                after[n++] = i + 1;
    }
    if (rep) {
        for (size_t i = 0; i < len; i++)
            free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
    return n;
}

void wy_hyphen_insert(WyHyphenator *h, const char *text, size_t len, WyBuf *out, size_t **at, size_t *n_at)
{
    *at = NULL;
    *n_at = 0;
    size_t alloc = 0;
    size_t done = 0; /* TEXT copied to OUT up to here */
    for (size_t i = 0; i < len;) {
        if (!is_ascii_letter(text[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && is_ascii_letter(text[i]))
            i++;
        /* a run of letters glued to other letters (é, digits) is not an English word */
        bool glued = (start > 0 && (unsigned char)text[start - 1] >= 0x80) || (i < len && (unsigned char)text[i] >= 0x80);
        size_t points[MAX_WORD];
        size_t n = glued ? 0 : wy_hyphen_points(h, text + start, i - start, points, MAX_WORD);
        for (size_t k = 0; k < n; k++) {
            size_t where = start + points[k];
            if (out) {
                wy_buf_append(out, text + done, where - done);
                wy_buf_append(out, WY_SOFT_HYPHEN, WY_SOFT_HYPHEN_LEN);
            }
            done = where;
            if (*n_at == alloc) {
                alloc = alloc ? wy_mul_size(alloc, 2) : 16;
                *at = wy_xrealloc(*at, wy_mul_size(alloc, sizeof **at));
            }
            (*at)[(*n_at)++] = where;
        }
    }
    if (out)
        wy_buf_append(out, text + done, len - done);
}
