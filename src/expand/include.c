#include "expand/include.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/fsx.h"
#include "base/mem.h"
#include "data/xmlsrc.h"
#include "expand/compile.h"
#include "expand/schema.h"

typedef struct Loader {
    WyTemplate *t;
    const char *schema_path;
    const char *root_dir; /* the main template's folder, as messages name it */
    char *root_real;      /* the same, symlinks resolved */
    WyDiag *d;
} Loader;

static bool is_template_element(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && strcmp((const char *)n->ns->href, WY_TEMPLATE_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

__attribute__((format(printf, 4, 5))) static bool include_error(Loader *L, const WySource *src, const xmlNode *inc,
                                                                const char *fmt, ...)
{
    WyLoc loc = wy_source_attr_loc(src, inc, "href");
    loc.file = src->path;
    va_list ap;
    va_start(ap, fmt);
    wy_diag_verror_src(L->d, loc, src->text, src->len, fmt, ap);
    va_end(ap);
    return false;
}

/* True when REAL (resolved) is inside the folder ROOT (resolved). */
static bool inside(const char *root, const char *real)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return real[0] == '/';
    return strncmp(real, root, n) == 0 && real[n] == '/';
}

static void fragment_free(WyFragment *f)
{
    if (!f)
        return;
    if (f->doc)
        xmlFreeDoc(f->doc);
    wy_source_release(&f->src);
    wy_buf_release(&f->text);
    free(f->path);
    free(f);
}

static bool scan(Loader *L, const xmlNode *parent, const WySource *src, int depth);

/* Reads and validates the file INCLUDE (in SRC) names, then what it includes. */
static bool load_fragment(Loader *L, const xmlNode *inc, const WySource *src, int depth)
{
    xmlChar *href_value = xmlGetProp(inc, BAD_CAST "href");
    const char *href = href_value ? (const char *)href_value : "";
    bool ok = false;
    char *dir = wy_fsx_dirname(src->path);
    char *path = NULL, *real = NULL;
    WyFragment *f = NULL;
    if (depth > WY_INCLUDE_MAX_DEPTH) {
        include_error(L, src, inc, "includes nest more than %d deep here; does a fragment include itself?",
                      WY_INCLUDE_MAX_DEPTH);
        goto out;
    }
    if (href[0] == '\0' || href[0] == '/') {
        include_error(L, src, inc, "href=\"%s\" must be a file path relative to this template's folder, "
                                   "e.g. fragments/roster-cards.xml", href);
        goto out;
    }
    path = wy_fsx_join(dir, href);
    real = realpath(path, NULL);
    if (!real) {
        include_error(L, src, inc, "href=\"%s\": there is no file %s", href, path);
        goto out;
    }
    if (!inside(L->root_real, real)) {
        include_error(L, src, inc, "href=\"%s\" leads out of the templates folder %s; keep fragments inside it",
                      href, L->root_dir);
        goto out;
    }
    f = wy_xcalloc(1, sizeof *f);
    f->path = path;
    path = NULL;
    f->include = inc;
    wy_buf_init(&f->text);
    f->doc = wy_xml_parse_file(f->path, L->d);
    if (!f->doc)
        goto out;
    WyDiag quiet; /* the text again, for columns and carets (libxml2 keeps lines only) */
    wy_diag_init(&quiet, NULL);
    if (!wy_fsx_read(f->path, WY_INPUT_MAX_BYTES, &f->text, &quiet))
        wy_buf_clear(&f->text);
    wy_diag_release(&quiet);
    wy_source_init(&f->src, f->path, f->text.len ? f->text.data : NULL, f->text.len);
    if (!wy_schema_validate(f->doc, L->schema_path, &f->src, L->d))
        goto out;
    xmlNodePtr root = xmlDocGetRootElement(f->doc);
    if (!is_template_element(root, "fragment")) {
        WyLoc loc = wy_source_node_loc(&f->src, root);
        loc.file = f->path;
        wy_diag_error_src(L->d, loc, f->src.text, f->src.len,
                          "this is a whole template; a file brought in with <include> has "
                          "<fragment xmlns=\"urn:wenyin:template\"> as its root");
        goto out;
    }
    WyTemplate *t = L->t;
    t->fragments = wy_xrealloc(t->fragments, wy_mul_size(t->n_fragments + 1, sizeof *t->fragments));
    t->fragments[t->n_fragments++] = f;
    f = NULL;
    ok = scan(L, root, &t->fragments[t->n_fragments - 1]->src, depth);
out:
    fragment_free(f);
    free(real);
    free(path);
    free(dir);
    xmlFree(href_value);
    return ok;
}

/* Every <include> below PARENT, a node of the file SRC describes. */
static bool scan(Loader *L, const xmlNode *parent, const WySource *src, int depth)
{
    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        bool ok = is_template_element(c, "include") ? load_fragment(L, c, src, depth + 1) : scan(L, c, src, depth);
        if (!ok)
            return false;
    }
    return true;
}

bool wy_include_load(WyTemplate *t, const char *schema_path, WyDiag *d)
{
    char *dir = wy_fsx_dirname(t->path);
    Loader L = {t, schema_path, dir, realpath(dir, NULL), d};
    bool ok;
    if (!L.root_real) {
        wy_diag_io_error(d, wy_loc(t->path, 0, 0), "cannot resolve the template's folder %s: %s", dir,
                         strerror(errno));
        ok = false;
    } else {
        ok = scan(&L, xmlDocGetRootElement(t->doc), &t->src, 0);
    }
    free(L.root_real);
    free(dir);
    return ok;
}

const WyFragment *wy_include_lookup(const WyTemplate *t, const xmlNode *include)
{
    for (size_t i = 0; i < t->n_fragments; i++)
        if (t->fragments[i]->include == include)
            return t->fragments[i];
    return NULL;
}

void wy_include_free(WyTemplate *t)
{
    for (size_t i = 0; i < t->n_fragments; i++)
        fragment_free(t->fragments[i]);
    free(t->fragments);
    t->fragments = NULL;
    t->n_fragments = 0;
}
