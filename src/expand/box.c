#include "expand/box.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

const char *const wy_font_roles[] = {"title", "body", "heading", "kai", "fangsong", "latin", "mono", NULL};

bool wy_font_role_known(const char *role)
{
    for (const char *const *r = wy_font_roles; *r; r++)
        if (strcmp(*r, role) == 0)
            return true;
    return false;
}

WyDocument *wy_document_new(void)
{
    WyDocument *doc = wy_xcalloc(1, sizeof *doc);
    wy_arena_init(&doc->arena);
    return doc;
}

void wy_document_free(WyDocument *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n_images; i++)
        wy_image_free(doc->images[i]);
    free(doc->images);
    wy_arena_release(&doc->arena);
    free(doc);
}
