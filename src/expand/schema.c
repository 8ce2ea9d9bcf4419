#include "expand/schema.h"

#include <libxml/relaxng.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fsx.h"
#include "base/mem.h"
#include "data/xmlsrc.h"

#define MAX_SCHEMA_BYTES ((size_t)1 << 20)
#define MAX_KEPT_ERRORS 32

/* One schema per process, shared by every template load; validation
   contexts are per call, and the lock keeps concurrent loads apart. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static char *cached_path;
static xmlRelaxNGPtr cached_schema;

void wy_schema_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    if (cached_schema)
        xmlRelaxNGFree(cached_schema);
    cached_schema = NULL;
    free(cached_path);
    cached_path = NULL;
    pthread_mutex_unlock(&cache_lock);
}

typedef struct SchemaParseErrors {
    WyBuf first; /* libxml2's first message about the schema itself */
    int line;
} SchemaParseErrors;

static void note_schema_error(void *data, xmlErrorPtr err)
{
    SchemaParseErrors *e = data;
    if (e->first.len || !err->message)
        return;
    wy_buf_puts(&e->first, err->message);
    while (e->first.len && e->first.data[e->first.len - 1] == '\n')
        e->first.data[--e->first.len] = '\0';
    e->line = err->line;
}

/* Caller holds cache_lock. */
static xmlRelaxNGPtr load_schema(const char *path, WyDiag *d)
{
    if (cached_schema && strcmp(cached_path, path) == 0)
        return cached_schema;
    wy_xml_init();
    WyBuf bytes;
    wy_buf_init(&bytes);
    xmlRelaxNGPtr schema = NULL;
    SchemaParseErrors errors = {0};
    wy_buf_init(&errors.first);
    if (!wy_fsx_read(path, MAX_SCHEMA_BYTES, &bytes, d))
        goto out;
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewMemParserCtxt(bytes.data ? bytes.data : "", (int)bytes.len);
    if (!pctxt) {
        wy_diag_io_error(d, wy_loc(path, 0, 0), "out of memory while reading the template schema");
        goto out;
    }
    xmlRelaxNGSetParserStructuredErrors(pctxt, note_schema_error, &errors);
    schema = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (!schema) {
        /* the schema ships with wenyin: a broken one is a broken installation */
        wy_diag_io_error(d, wy_loc(path, errors.line, 0), "the template schema is broken: %s",
                         errors.first.len ? wy_buf_str(&errors.first) : "it is not RELAX NG");
        goto out;
    }
    if (cached_schema)
        xmlRelaxNGFree(cached_schema);
    free(cached_path);
    cached_schema = schema;
    cached_path = wy_xstrdup(path);
out:
    wy_buf_release(&bytes);
    wy_buf_release(&errors.first);
    return schema;
}

/* ------------------------------------------------------------ errors */

typedef struct KeptError {
    int code;
    xmlNodePtr node;
    char *arg1, *arg2;
} KeptError;

typedef struct Collected {
    KeptError errors[MAX_KEPT_ERRORS];
    int n;
} Collected;

static void keep_error(void *data, xmlErrorPtr err)
{
    Collected *c = data;
    if (c->n == MAX_KEPT_ERRORS)
        return;
    KeptError *k = &c->errors[c->n++];
    k->code = err->code;
    k->node = err->node;
    k->arg1 = wy_xstrdup(err->str1);
    k->arg2 = wy_xstrdup(err->str2);
}

static const char *node_name(const xmlNode *n)
{
    return n && n->name ? (const char *)n->name : "?";
}

/* Elements that take no content at all. */
static const char *const empty_elements[] = {
    "meta", "param", "style", "variable", "value-of", "br", "page-number", "page-count",
    "image", "rule", "space", "page-break", "content", "parallel", "require", "include", "column", NULL,
};
/* Elements whose content is text and inline elements. */
static const char *const inline_parents[] = {"p", "h", "span", "caption", "continued-caption", NULL};
static const char *const all_elements[] = {
    "template", "meta", "param", "style", "page-master", "header", "footer", "sequence",
    "p", "h", "image", "rule", "space", "page-break", "box", "columns", "grid", "cell",
    "content", "parallel", "value-of", "span", "br", "page-number", "page-count", "text", "for-each",
    "if", "choose", "when", "otherwise", "with", "variable", "require", "include", "fragment",
    "table", "caption", "continued-caption", "column", "body", "row", NULL,
};

static bool listed(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (strcmp(*list, name) == 0)
            return true;
    return false;
}

/* The nearest ancestor that is not a control instruction: what the
   content of NODE is really part of. */
static const xmlNode *content_owner(const xmlNode *node)
{
    static const char *const control[] = {"for-each", "if", "choose", "when", "otherwise", "with", NULL};
    const xmlNode *p = node->parent;
    while (p && p->type == XML_ELEMENT_NODE && listed(control, node_name(p)))
        p = p->parent;
    return p && p->type == XML_ELEMENT_NODE ? p : NULL;
}

static void explain_misplaced(WyBuf *m, const xmlNode *node)
{
    const char *name = node_name(node);
    const xmlNode *parent = node->parent && node->parent->type == XML_ELEMENT_NODE ? node->parent : NULL;
    if (!parent) { /* the root, against the choice of template or fragment */
        bool in_ns = node->ns && node->ns->href && strcmp((const char *)node->ns->href, "urn:wenyin:template") == 0;
        if (!in_ns && (strcmp(name, "template") == 0 || strcmp(name, "fragment") == 0))
            wy_buf_printf(m, "<%s> must be in the template namespace: write <%s xmlns=\"urn:wenyin:template\">", name,
                          name);
        else
            wy_buf_printf(m, "the root element must be <template xmlns=\"urn:wenyin:template\">, not <%s> (a file "
                             "brought in with <include> has <fragment>)", name);
        return;
    }
    if (!listed(all_elements, name)) {
        wy_buf_printf(m, "<%s> is not an element of the template language (templates/README.md lists them)", name);
        return;
    }
    wy_buf_printf(m, "element <%s> is not allowed inside <%s>", name, node_name(parent));
    const xmlNode *owner = content_owner(node);
    const char *owner_name = node_name(owner);
    if (parent && listed(empty_elements, node_name(parent)))
        wy_buf_printf(m, "; <%s> takes no content", node_name(parent));
    else if (owner && strcmp(owner_name, "grid") == 0)
        wy_buf_puts(m, "; a <grid> holds <cell> elements (directly or from <for-each>, <if>, <choose>)");
    else if (owner && listed(inline_parents, owner_name))
        wy_buf_printf(m, "; inside <%s> only text, <value-of>, <span>, <br>, <text>, <page-number>, <page-count> "
                         "and <for-each>, <if>, <choose>, <with>, <variable>, <require> are allowed", owner_name);
    else if (owner && strcmp(owner_name, "template") == 0)
        wy_buf_puts(m, "; blocks go inside a <sequence>");
    else if (owner && strcmp(owner_name, "table") == 0)
        wy_buf_puts(m, "; a <table> holds, in this order, <caption>, <continued-caption>, <column> elements, "
                       "<header>, <body> (required) and <footer>");
    else if (owner && strcmp(owner_name, "row") == 0)
        wy_buf_puts(m, "; a table <row> holds <cell> elements (directly or from <for-each>, <if>, <choose>)");
    else if (owner && owner->parent && strcmp(node_name(owner->parent), "table") == 0)
        wy_buf_printf(m, "; a table's <%s> holds <row> elements (directly or from <for-each>, <if>, <choose>)",
                      owner_name);
    else if (owner && strcmp(owner_name, "cell") == 0 && strcmp(node_name(content_owner(owner)), "row") == 0)
        wy_buf_puts(m, "; a table cell holds text and inline elements, or blocks, but not both at once");
    else if (strcmp(name, "cell") == 0)
        wy_buf_puts(m, "; cells go inside a <grid> or a table <row>");
    else if (strcmp(name, "row") == 0)
        wy_buf_puts(m, "; rows go inside a table's <header>, <body> or <footer>");
    else if (strcmp(name, "include") == 0)
        wy_buf_puts(m, "; <include> stands among blocks (in a <sequence>, <box>, <columns>, <cell> …)");
    else if (strcmp(name, "when") == 0 || strcmp(name, "otherwise") == 0)
        wy_buf_printf(m, "; <%s> goes inside <choose>, after the <when> elements for <otherwise>", name);
}

typedef struct Enumeration {
    const char *attr;
    const char *element; /* NULL = any */
    const char *values;  /* comma-separated */
} Enumeration;

static const Enumeration enumerations[] = {
    {"align", "image", "start, center, end"},
    {"align", "table", "start, center, end"},
    {"align", "cell", "start, center, end, decimal"},
    {"align", "column", "start, center, end, decimal"},
    {"preset", NULL, "three-line, grid, none"},
    {"repeat", NULL, "true, false"},
    {"split-rows", NULL, "true, false"},
    {"align", NULL, "start, center, end, justify, outside, inside"},
    {"weight", NULL, "normal, bold"},
    {"valign", NULL, "top, middle, bottom"},
    {"orientation", NULL, "portrait, landscape"},
    {"sort-order", NULL, "ascending, descending"},
    {"sort-type", NULL, "text, number"},
    {"version", NULL, "1"},
    {"italic", NULL, "true, false"},
    {"keep-with-next", NULL, "true, false"},
    {"keep-together", NULL, "true, false"},
    {"split-lines", NULL, "true, false"},
    {"double", NULL, "true, false"},
    {"balance", NULL, "true, false"},
    {"equal-rows", NULL, "true, false"},
    {"bookmarks", NULL, "true, false"},
    {"underline", NULL, "true, false"},
};

static bool value_in(const char *values, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = values; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, v, n) == 0)
            return true;
        if (!end)
            break;
        p = end + 2;
    }
    return false;
}

static void explain_attribute(WyBuf *m, const xmlNode *node, const char *attr)
{
    xmlChar *value = xmlGetProp(node, BAD_CAST attr);
    for (size_t i = 0; value && i < sizeof enumerations / sizeof enumerations[0]; i++) {
        const Enumeration *e = &enumerations[i];
        if (strcmp(e->attr, attr) != 0 || (e->element && strcmp(e->element, node_name(node)) != 0))
            continue;
        if (!value_in(e->values, (const char *)value)) {
            wy_buf_printf(m, "%s=\"%s\" is not one of: %s", attr, (const char *)value, e->values);
            xmlFree(value);
            return;
        }
        break;
    }
    xmlFree(value);
    wy_buf_printf(m, "attribute %s is not allowed on <%s>", attr, node_name(node));
}

typedef struct Required {
    const char *element;
    const char *attrs; /* comma-separated */
} Required;

static const Required required_attributes[] = {
    {"space", "height"},    {"value-of", "select"}, {"for-each", "select"}, {"if", "test"},
    {"when", "test"},       {"with", "select"},     {"variable", "name, select"},
    {"param", "name"},      {"style", "name"},      {"page-master", "name"},
    {"columns", "count"},   {"grid", "columns"},    {"image", "src"},
    {"require", "test, message"}, {"include", "href"},
};

static void explain_attributes_invalid(WyBuf *m, const xmlNode *node)
{
    const char *name = node_name(node);
    for (size_t i = 0; i < sizeof required_attributes / sizeof required_attributes[0]; i++) {
        if (strcmp(required_attributes[i].element, name) != 0)
            continue;
        for (const char *p = required_attributes[i].attrs; *p;) {
            const char *end = strchr(p, ',');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            char attr[32];
            snprintf(attr, sizeof attr, "%.*s", (int)len, p);
            if (!xmlHasProp(node, BAD_CAST attr)) {
                wy_buf_printf(m, "<%s> needs a %s attribute", name, attr);
                return;
            }
            if (!end)
                break;
            p = end + 2;
        }
    }
    wy_buf_printf(m, "<%s> has an attribute value that is not allowed", name);
}

/* The attribute of NODE whose value is VALUE (for datatype errors, which
   name only the value). */
static const char *attribute_with_value(const xmlNode *node, const char *value)
{
    for (xmlAttrPtr a = node->properties; a; a = a->next)
        if (a->children && a->children->content && value && strcmp((const char *)a->children->content, value) == 0)
            return (const char *)a->name;
    return NULL;
}

static void explain_type(WyBuf *m, const xmlNode *node, const char *type, const char *value, const char **attr_out)
{
    const char *attr = attribute_with_value(node, value);
    *attr_out = attr;
    const char *wanted = type && strcmp(type, "positiveInteger") == 0 ? "a whole number from 1 up"
                       : type && strcmp(type, "NCName") == 0 ? "a name (letters, digits, - and _, no spaces or colons)"
                       : "something else";
    if (attr)
        wy_buf_printf(m, "%s=\"%s\" on <%s> must be %s", attr, value, node_name(node), wanted);
    else
        wy_buf_printf(m, "\"%s\" on <%s> must be %s", value ? value : "", node_name(node), wanted);
}

static bool report(const KeptError *e, const WySource *src, WyDiag *d)
{
    WyBuf m;
    wy_buf_init(&m);
    const xmlNode *node = e->node;
    const char *attr = NULL;
    switch (e->code) {
    case XML_RELAXNG_ERR_ELEMWRONG:
    case XML_RELAXNG_ERR_EXTRACONTENT:
        if (e->code == XML_RELAXNG_ERR_EXTRACONTENT && node) {
            /* the node is the parent; find the child named in arg2 */
            for (const xmlNode *c = node->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && e->arg2 && strcmp(node_name(c), e->arg2) == 0) {
                    node = c;
                    break;
                }
        }
        explain_misplaced(&m, node);
        break;
    case XML_RELAXNG_ERR_TEXTWRONG:
    case XML_RELAXNG_ERR_NOTELEM:
        wy_buf_printf(&m, "text is not allowed directly inside <%s>; put it in a <p>",
                      node && node->type != XML_ELEMENT_NODE ? node_name(node->parent) : node_name(node));
        break;
    case XML_RELAXNG_ERR_NOELEM:
        wy_buf_printf(&m, "<%s> needs a <%s> element", node_name(node), e->arg1 ? e->arg1 : "?");
        break;
    case XML_RELAXNG_ERR_ELEMNAME:
        wy_buf_printf(&m, "the root element must be <template xmlns=\"urn:wenyin:template\">, not <%s>",
                      e->arg2 ? e->arg2 : node_name(node));
        break;
    case XML_RELAXNG_ERR_ELEMNONS:
    case XML_RELAXNG_ERR_ELEMWRONGNS:
        if (node && node->parent && node->parent->type == XML_ELEMENT_NODE)
            wy_buf_printf(&m, "<%s> is not in the template namespace urn:wenyin:template", node_name(node));
        else
            wy_buf_printf(&m, "<%s> must be in the template namespace: write <%s xmlns=\"urn:wenyin:template\">",
                          node_name(node), node_name(node));
        break;
    case XML_RELAXNG_ERR_INVALIDATTR:
        attr = e->arg1;
        explain_attribute(&m, node, e->arg1 ? e->arg1 : "?");
        break;
    case XML_RELAXNG_ERR_TYPEVAL:
        explain_type(&m, node, e->arg1, e->arg2, &attr);
        break;
    case XML_RELAXNG_ERR_ATTRVALID:
        explain_attributes_invalid(&m, node);
        break;
    case XML_RELAXNG_ERR_ELEMNOTEMPTY:
        wy_buf_printf(&m, "<%s> must be empty", node_name(node));
        break;
    default:
        wy_buf_printf(&m, "<%s> does not fit the template language here (see templates/README.md)", node_name(node));
        break;
    }
    WyLoc loc = !node ? wy_loc(src->path, 0, 0)
              : attr ? wy_source_attr_loc(src, node, attr)
                     : wy_source_node_loc(src, node);
    wy_diag_error_src(d, loc, src->text, src->len, "%s", wy_buf_str(&m));
    wy_buf_release(&m);
    return false;
}

/* Errors that only repeat an earlier one one level up. */
static bool is_echo(int code)
{
    return code == XML_RELAXNG_ERR_CONTENTVALID;
}

bool wy_schema_validate(xmlDocPtr doc, const char *schema_path, const WySource *src, WyDiag *d)
{
    pthread_mutex_lock(&cache_lock);
    bool ok = false;
    Collected collected;
    collected.n = 0;
    xmlRelaxNGValidCtxtPtr vctxt = NULL;
    xmlRelaxNGPtr schema = load_schema(schema_path, d);
    if (!schema)
        goto out;
    vctxt = xmlRelaxNGNewValidCtxt(schema);
    if (!vctxt) {
        wy_diag_io_error(d, wy_loc(src->path, 0, 0), "out of memory while checking the template");
        goto out;
    }
    xmlRelaxNGSetValidStructuredErrors(vctxt, keep_error, &collected);
    int rc = xmlRelaxNGValidateDoc(vctxt, doc);
    if (rc == 0) {
        ok = true;
    } else if (collected.n == 0) {
        wy_diag_error(d, wy_loc(src->path, 1, 1), "the template does not fit the template language (templates/wenyin.rng)");
    } else {
        int pick = 0;
        while (pick < collected.n && is_echo(collected.errors[pick].code))
            pick++;
        report(&collected.errors[pick < collected.n ? pick : 0], src, d);
    }
out:
    if (vctxt)
        xmlRelaxNGFreeValidCtxt(vctxt);
    for (int i = 0; i < collected.n; i++) {
        free(collected.errors[i].arg1);
        free(collected.errors[i].arg2);
    }
    pthread_mutex_unlock(&cache_lock);
    return ok;
}
