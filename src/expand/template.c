#include "expand/template.h"

#include <stdlib.h>
#include <string.h>

#include "base/fsx.h"
#include "base/mem.h"
#include "data/xmlsrc.h"
#include "expand/compile.h"
#include "expand/include.h"
#include "expand/schema.h"

void wy_template_free(WyTemplate *t)
{
    if (!t)
        return;
    wy_xpath_compiler_free(t->xpc);
    wy_include_free(t);
    wy_stylesheet_free(t->styles);
    if (t->doc)
        xmlFreeDoc(t->doc);
    wy_source_release(&t->src);
    wy_buf_release(&t->text);
    wy_arena_release(&t->arena);
    free(t->masters);
    free(t->params);
    free(t->path);
    free(t);
}

WyTemplate *wy_template_load(const char *path, const char *schema_path, WyDiag *d)
{
    WyTemplate *t = wy_xcalloc(1, sizeof *t);
    t->path = wy_xstrdup(path);
    wy_buf_init(&t->text);
    wy_arena_init(&t->arena);
    t->doc = wy_xml_parse_file(path, d);
    if (!t->doc)
        goto fail;
    /* the text again, for columns and carets in messages (libxml2 keeps lines only) */
    WyDiag quiet;
    wy_diag_init(&quiet, NULL);
    if (!wy_fsx_read(path, WY_INPUT_MAX_BYTES, &t->text, &quiet))
        wy_buf_clear(&t->text);
    wy_diag_release(&quiet);
    wy_source_init(&t->src, t->path, t->text.len ? t->text.data : NULL, t->text.len);
    if (!wy_schema_validate(t->doc, schema_path, &t->src, d))
        goto fail;
    xmlNodePtr root = xmlDocGetRootElement(t->doc);
    if (strcmp((const char *)root->name, "template") != 0) { /* the schema also admits <fragment> */
        WyLoc loc = wy_source_node_loc(&t->src, root);
        loc.file = t->path;
        wy_diag_error_src(d, loc, t->src.text, t->src.len,
                          "this is a <fragment>, which templates bring in with <include href>; "
                          "give the template that includes it");
        goto fail;
    }
    if (!wy_include_load(t, schema_path, d))
        goto fail;
    t->styles = wy_stylesheet_new();
    t->xpc = wy_xpath_compiler_new(&t->arena);
    if (!wy_template_compile(t, d))
        goto fail;
    return t;
fail:
    wy_template_free(t);
    return NULL;
}
