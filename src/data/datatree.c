#include "data/datatree.h"

#include <errno.h>
#include <libxml/dict.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/fsx.h"
#include "data/csv.h"
#include "data/markdown.h"
#include "data/xmlsrc.h"

#define PARAMS_NAME "params"

xmlDocPtr wy_data_new(void)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    /* element names (姓名, row, p …) repeat per row and paragraph: a
       dictionary stores each once, as the parser's own documents do */
    doc->dict = xmlDictCreate();
    xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "data", NULL);
    xmlDocSetRootElement(doc, root);
    return doc;
}

static xmlNodePtr find_child(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

/* The extension of PATH's last component, without the dot ("" when none). */
static const char *extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot + 1 : "";
}

static bool load_single_article(xmlNodePtr root, const char *name, const char *path, WyDiag *d)
{
    xmlNodePtr holder = xmlNewChild(root, NULL, BAD_CAST name, NULL);
    xmlSetProp(holder, BAD_CAST "file", BAD_CAST path);
    holder->line = 1;
    if (wy_markdown_load_file(holder, path, d))
        return true;
    xmlUnlinkNode(holder);
    xmlFreeNode(holder);
    return false;
}

bool wy_data_add(xmlDocPtr data, const char *name, const char *path, WyDiag *d)
{
    xmlNodePtr root = xmlDocGetRootElement(data);
    if (xmlValidateNCName(BAD_CAST name, 0) != 0) {
        wy_diag_usage(d,
                      "-d %s=%s: '%s' cannot be a data name; use letters (Chinese is fine), digits, '_' or '-', "
                      "not starting with a digit (for example -d stations=stations.csv)",
                      name, path, name);
        return false;
    }
    if (strcmp(name, PARAMS_NAME) == 0) {
        wy_diag_usage(d, "-d %s=%s: the name '%s' is reserved for template parameters; choose another", name, path,
                      name);
        return false;
    }
    if (find_child(root, name)) {
        wy_diag_usage(d, "-d %s=%s: the name '%s' is already used by another -d; give each source its own name",
                      name, path, name);
        return false;
    }
    if (wy_fsx_is_dir(path))
        return wy_markdown_load_dir(root, name, path, d);
    const char *ext = extension(path);
    if (strcasecmp(ext, "md") == 0)
        return load_single_article(root, name, path, d);
    if (strcasecmp(ext, "csv") == 0 || strcasecmp(ext, "tsv") == 0 || strcasecmp(ext, "txt") == 0)
        return wy_csv_load(root, name, path, d);
    if (strcasecmp(ext, "xml") == 0)
        return wy_xmlsrc_load(root, name, path, d);
    wy_diag_usage(d,
                  "-d %s=%s: wenyin cannot read this kind of file; give a folder of Markdown articles, "
                  "or a .md, .csv, .tsv, .txt or .xml file",
                  name, path);
    return false;
}

void wy_data_add_param(xmlDocPtr data, const char *name, const char *value)
{
    xmlNodePtr root = xmlDocGetRootElement(data);
    xmlNodePtr params = find_child(root, PARAMS_NAME);
    if (!params)
        params = xmlNewChild(root, NULL, BAD_CAST PARAMS_NAME, NULL);
    for (xmlNodePtr p = params->children; p; p = p->next) {
        xmlChar *existing = xmlGetProp(p, BAD_CAST "name");
        bool same = existing && strcmp((const char *)existing, name) == 0;
        xmlFree(existing);
        if (same) {
            /* the last -p NAME=… wins, as with repeated shell variables */
            xmlNodeSetContent(p, NULL);
            xmlNodeAddContent(p, BAD_CAST value);
            return;
        }
    }
    xmlNodePtr p = xmlNewTextChild(params, NULL, BAD_CAST "param", BAD_CAST value);
    xmlSetProp(p, BAD_CAST "name", BAD_CAST name);
}

/* The text of attribute NAME of EL, borrowed from the tree. */
static const char *attribute_text(const xmlNode *el, const char *name)
{
    xmlAttrPtr attr = xmlHasProp(el, BAD_CAST name);
    if (!attr || !attr->children || attr->children->type != XML_TEXT_NODE || attr->children->next)
        return NULL;
    return (const char *)attr->children->content;
}

/* The line EL came from: its parser or loader line, unless that saturated
   at 65535 (libxml2 stores lines in 16 bits), when the `line` attribute
   our loaders write is exact. 0 when unknown. */
static long element_line(const xmlNode *el)
{
    long parsed = xmlGetLineNo(el);
    if (parsed > 0 && parsed < 65535)
        return parsed;
    const char *attr = attribute_text(el, "line");
    if (attr) {
        char *end;
        errno = 0;
        long line = strtol(attr, &end, 10);
        if (errno == 0 && end != attr && *end == '\0' && line > 0 && line <= INT32_MAX)
            return line;
    }
    return parsed > 0 ? parsed : 0;
}

WyLoc wy_data_loc(const xmlNode *node)
{
    WyLoc loc = {NULL, 0, 0};
    if (node && node->type == XML_TEXT_NODE) {
        long line = xmlGetLineNo(node);
        if (line > 0 && line <= INT32_MAX)
            loc.line = (int)line;
    }
    for (const xmlNode *n = node; n && n->type != XML_DOCUMENT_NODE; n = n->parent) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!loc.line) {
            long line = element_line(n);
            if (line > 0 && line <= INT32_MAX)
                loc.line = (int)line;
        }
        if (!loc.file)
            loc.file = attribute_text(n, "file");
        if (loc.file && loc.line)
            break;
    }
    return loc;
}
