/* The laid-out document: pages of positioned items (text lines, rules,
   rectangles, images) and the PDF outline. Produced by wy_layout_document,
   drawn by render. Coordinates are points from the page's top-left corner,
   y growing downwards. Layout never writes files or reads the environment. */
#ifndef WY_PAGES_H
#define WY_PAGES_H
#include <pango/pango.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "expand/box.h"

typedef enum WyItemKind {
    WY_ITEM_TEXT,   /* one PangoLayoutLine, x = line start, y = baseline */
    WY_ITEM_RECT,   /* rectangle x,y,w,h: filled with `fill` and/or stroked with `stroke` */
    WY_ITEM_LINE,   /* segment (x,y) → (x+w, y+h), `stroke_width` wide in `stroke` */
    WY_ITEM_IMAGE,  /* picture scaled into x,y,w,h */
} WyItemKind;

typedef struct WyItem {
    WyItemKind kind;
    double x, y, w, h;
    WyColor fill, stroke;      /* WY_COLOR_NONE = none */
    double stroke_width;
    PangoLayout *layout;       /* TEXT: a reference held by the item */
    int line_index;            /* TEXT: which line of `layout` */
    int rotation;              /* TEXT: 0, or 90 = turned clockwise about (x, y) (vertical text) */
    const WyImage *image;      /* IMAGE: borrowed from the WyDocument */
    WyLoc loc;                 /* where the content came from, for diagnostics */
} WyItem;

typedef struct WyPage {
    double width_pt, height_pt;
    int number;                /* 1-based page number as printed */
    WyItem *items;
    size_t n_items, cap_items;
} WyPage;

typedef struct WyOutlineEntry {
    const char *title;         /* owned by the WyPages arena */
    int level;                 /* 1 = top */
    int page_index;            /* 0-based */
    double y_pt;               /* top of the target on that page */
} WyOutlineEntry;

typedef struct WyPages {
    WyArena arena;
    WyPage *pages;
    size_t n_pages;
    size_t n_streamed;         /* pages handed to a WyPageSink instead (layout.h); 0 when kept here */
    WyOutlineEntry *outline;
    size_t n_outline;
    WyDocMeta meta;            /* copied from the document (strings in arena) */
} WyPages;

/* Returns an empty document (no pages), freed with wy_pages_free. */
WyPages *wy_pages_new(void);
/* Frees the pages, dropping the layout references their items hold. */
void wy_pages_free(WyPages *pages);
/* Appends a blank page of the given size; the pointer is valid until the
   next page is added. */
WyPage *wy_pages_add_page(WyPages *pages, double width_pt, double height_pt);
/* Appends an outline entry; TITLE is copied into the pages' arena. */
void wy_pages_add_outline(WyPages *pages, const char *title, int level, int page_index, double y_pt);

/* Appends a copy of ITEM to PAGE; a TEXT item's layout gains a reference.
   Returns the stored item, valid until the next append. */
WyItem *wy_page_add_item(WyPage *page, const WyItem *item);
/* Drops PAGE's items and their layout references (the page struct itself
   is the caller's). */
void wy_page_release(WyPage *page);

#endif
