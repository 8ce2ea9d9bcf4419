/* The order of a <for-each>'s nodes: by text (code point), by number, by
   surname strokes (姓氏笔画) or by pinyin (expand/names), ascending or
   descending; items that compare equal always keep document order.
   Knows nothing of XPath: the keys are computed by the caller. */
#ifndef WY_SORT_H
#define WY_SORT_H
#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum WySortOrder {
    WY_SORT_DOCUMENT, /* as selected: no sorting */
    WY_SORT_TEXT,     /* code point order */
    WY_SORT_NUMBER,   /* numeric; values that are not numbers go last */
    WY_SORT_STROKE,   /* 姓氏笔画, wy_names_compare_stroke */
    WY_SORT_PINYIN,   /* 拼音, wy_names_compare_pinyin */
} WySortOrder;

/* The words order= takes, for messages. */
#define WY_SORT_ORDER_WORDS "stroke, pinyin, text, number or document"

/* Reads "stroke", "pinyin", "text", "number" or "document" (exactly).
   Returns false for anything else. */
bool wy_sort_order_parse(const char *text, WySortOrder *out);

typedef struct WySortItem {
    xmlNodePtr node;
    const char *key; /* TEXT, STROKE, PINYIN: borrowed, never NULL */
    double number;   /* NUMBER: NaN when not a number */
    size_t index;    /* document position */
} WySortItem;

/* Sorts the N ITEMS in ORDER (nothing happens for WY_SORT_DOCUMENT);
   DESCENDING reverses the order but not that of equal items, and
   non-numbers stay last. Allocates a scratch array (aborts on
   out-of-memory); never fails. */
void wy_sort_items(WySortItem *items, size_t n, WySortOrder order, bool descending);

#endif
