#include "expand/sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "expand/names.h"

bool wy_sort_order_parse(const char *text, WySortOrder *out)
{
    static const struct {
        const char *word;
        WySortOrder order;
    } words[] = {
        {"document", WY_SORT_DOCUMENT}, {"text", WY_SORT_TEXT},     {"number", WY_SORT_NUMBER},
        {"stroke", WY_SORT_STROKE},     {"pinyin", WY_SORT_PINYIN},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(text, words[i].word) == 0) {
            *out = words[i].order;
            return true;
        }
    return false;
}

typedef struct SortSpec {
    WySortOrder order;
    bool descending;
} SortSpec;

/* <0 when A goes before B, 0 when they tie (document order decides). */
static int compare(const SortSpec *spec, const WySortItem *a, const WySortItem *b)
{
    int c;
    switch (spec->order) {
    case WY_SORT_NUMBER: {
        bool na = isnan(a->number), nb = isnan(b->number);
        if (na || nb)
            return na == nb ? 0 : na ? 1 : -1; /* non-numbers last, either way */
        c = a->number < b->number ? -1 : a->number > b->number;
        break;
    }
    case WY_SORT_STROKE:
        c = wy_names_compare_stroke(a->key, b->key);
        break;
    case WY_SORT_PINYIN:
        c = wy_names_compare_pinyin(a->key, b->key);
        break;
    case WY_SORT_TEXT:
        c = strcmp(a->key, b->key); /* UTF-8 byte order is code point order */
        break;
    case WY_SORT_DOCUMENT:
    default:
        return 0;
    }
    return spec->descending ? -c : c;
}

/* A merge sort: stable, so equal items keep document order without
   comparing indexes, whatever the direction. */
static void merge_sort(const SortSpec *spec, WySortItem *items, WySortItem *scratch, size_t n)
{
    if (n < 2)
        return;
    size_t half = n / 2;
    merge_sort(spec, items, scratch, half);
    merge_sort(spec, items + half, scratch, n - half);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n)
        scratch[k++] = compare(spec, &items[j], &items[i]) < 0 ? items[j++] : items[i++];
    while (i < half)
        scratch[k++] = items[i++];
    while (j < n)
        scratch[k++] = items[j++];
    memcpy(items, scratch, n * sizeof *items);
}

void wy_sort_items(WySortItem *items, size_t n, WySortOrder order, bool descending)
{
    if (order == WY_SORT_DOCUMENT || n < 2)
        return;
    SortSpec spec = {order, descending};
    WySortItem *scratch = wy_xmalloc(wy_mul_size(n, sizeof *scratch));
    merge_sort(&spec, items, scratch, n);
    free(scratch);
}
