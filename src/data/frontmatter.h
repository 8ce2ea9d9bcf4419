/* Front matter: the block of `key: value` lines between two --- lines at
   the top of an article, read into checked entries. Knows nothing of
   Markdown or of the tree; data/markdown places the entries. */
#ifndef WY_FRONTMATTER_H
#define WY_FRONTMATTER_H
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

typedef struct WyMetaEntry {
    char *key;   /* an XML name; the known keys in lower case */
    char *value; /* unquoted; lang normalised (zh-CN → zh-Hans …) */
    int line;
} WyMetaEntry;

typedef struct WyFrontMatter {
    WyMetaEntry *entries; /* in file order */
    size_t count, alloc;
    int end_line; /* the closing --- line; 0 when the text has no front matter */
} WyFrontMatter;

/* The keys front matter knows, matched in any case (Title: works). The
   first WY_FRONT_MATTER_STANDARD_KEYS are the ones every article has. */
#define WY_FRONT_MATTER_KNOWN_KEYS 8
#define WY_FRONT_MATTER_STANDARD_KEYS 6
extern const char *const wy_front_matter_keys[WY_FRONT_MATTER_KNOWN_KEYS];

/* Reads the front matter of TEXT (UTF-8, LEN bytes, the whole file PATH)
   into FM, which the caller releases. Only a first line of --- starts one;
   blank lines and lines starting with # are skipped; a value may be
   wrapped in "…" or '…' (no escapes, no trailing comments). Reports every
   mistake at its line and returns false if there was any: a line without
   a colon, a key that is not an XML name or is `body`, a key given twice,
   an unbalanced quote, an empty title, a lang other than zh-Hans, zh-Hant,
   zh-CN, zh-TW, zh-HK or en, a block never closed. */
bool wy_front_matter_read(WyFrontMatter *fm, const char *path, const char *text, size_t len, WyDiag *d);
/* Returns KEY's entry (borrowed from FM) or NULL. */
const WyMetaEntry *wy_front_matter_get(const WyFrontMatter *fm, const char *key);
void wy_front_matter_release(WyFrontMatter *fm);

#endif
