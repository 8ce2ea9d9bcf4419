#include "layout/pages.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

WyPages *wy_pages_new(void)
{
    WyPages *pages = wy_xcalloc(1, sizeof *pages);
    wy_arena_init(&pages->arena);
    return pages;
}

void wy_page_release(WyPage *page)
{
    for (size_t i = 0; i < page->n_items; i++)
        if (page->items[i].layout)
            g_object_unref(page->items[i].layout);
    free(page->items);
    page->items = NULL;
    page->n_items = page->cap_items = 0;
}

void wy_pages_free(WyPages *pages)
{
    if (!pages)
        return;
    for (size_t i = 0; i < pages->n_pages; i++)
        wy_page_release(&pages->pages[i]);
    free(pages->pages);
    free(pages->outline);
    wy_arena_release(&pages->arena);
    free(pages);
}

WyPage *wy_pages_add_page(WyPages *pages, double width_pt, double height_pt)
{
    /* grow one page at a time amortised: pages move, items do not */
    if ((pages->n_pages & (pages->n_pages - 1)) == 0) {
        size_t cap = pages->n_pages ? pages->n_pages * 2 : 1;
        pages->pages = wy_xrealloc(pages->pages, wy_mul_size(cap, sizeof *pages->pages));
    }
    WyPage *page = &pages->pages[pages->n_pages];
    memset(page, 0, sizeof *page);
    page->width_pt = width_pt;
    page->height_pt = height_pt;
    page->number = (int)pages->n_pages + 1;
    pages->n_pages++;
    return page;
}

void wy_pages_add_outline(WyPages *pages, const char *title, int level, int page_index, double y_pt)
{
    if ((pages->n_outline & (pages->n_outline - 1)) == 0) {
        size_t cap = pages->n_outline ? pages->n_outline * 2 : 1;
        pages->outline = wy_xrealloc(pages->outline, wy_mul_size(cap, sizeof *pages->outline));
    }
    WyOutlineEntry *e = &pages->outline[pages->n_outline++];
    e->title = wy_arena_strdup(&pages->arena, title ? title : "");
    e->level = level > 0 ? level : 1;
    e->page_index = page_index;
    e->y_pt = y_pt;
}

WyItem *wy_page_add_item(WyPage *page, const WyItem *item)
{
    if (page->n_items == page->cap_items) {
        page->cap_items = page->cap_items ? page->cap_items * 2 : 16;
        page->items = wy_xrealloc(page->items, wy_mul_size(page->cap_items, sizeof *page->items));
    }
    WyItem *stored = &page->items[page->n_items++];
    *stored = *item;
    if (stored->layout)
        g_object_ref(stored->layout);
    return stored;
}
