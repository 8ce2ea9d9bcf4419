#include "data/xmlsrc.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fsx.h"
#include "base/mem.h"
#include "data/encoding.h"

/* Every external entity, DTD or XInclude libxml2 tries to load is refused;
   the flag makes the refusal fail the parse even where libxml2 would only
   warn. */
static _Thread_local bool external_load_denied;

static xmlParserInputPtr deny_external_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    external_load_denied = true;
    return NULL;
}

static void silent_generic_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

void wy_xml_init(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    xmlInitParser();
    xmlSetExternalEntityLoader(deny_external_entity);
    xmlSetGenericErrorFunc(NULL, silent_generic_error);
}

/* Turns libxml2's message ("Opening and ending tag mismatch: p line 3 and
   q") into one line without its trailing newline. */
static void report_parse_error(WyDiag *d, const char *path, const char *bytes, size_t len, const xmlError *err)
{
    WyBuf msg;
    wy_buf_init(&msg);
    const char *m = err && err->message ? err->message : "not well-formed XML";
    wy_buf_puts(&msg, m);
    while (msg.len && (msg.data[msg.len - 1] == '\n' || msg.data[msg.len - 1] == ' '))
        msg.data[--msg.len] = '\0';
    int line = err ? err->line : 0;
    int col = err ? err->int2 : 0;
    wy_diag_error_src(d, wy_loc(path, line, col), bytes, len, "not well-formed XML: %s", wy_buf_str(&msg));
    wy_buf_release(&msg);
}

/* Finds "<!DOCTYPE" or "<!ENTITY" outside comments; returns its offset or -1.
   Checked before parsing so a hostile internal subset never expands. */
static long find_doctype(const char *s, size_t len)
{
    size_t i = 0;
    while (i + 1 < len) {
        if (s[i] == '<' && s[i + 1] == '!') {
            if (i + 4 <= len && memcmp(s + i, "<!--", 4) == 0) {
                const char *end = memmem(s + i + 4, len - i - 4, "-->", 3);
                if (!end)
                    return -1;
                i = (size_t)(end - s) + 3;
                continue;
            }
            if (i + 9 <= len && (memcmp(s + i, "<!DOCTYPE", 9) == 0 || memcmp(s + i, "<!ENTITY", 8) == 0))
                return (long)i;
            if (i + 9 <= len && memcmp(s + i, "<![CDATA[", 9) == 0) {
                const char *end = memmem(s + i + 9, len - i - 9, "]]>", 3);
                if (!end)
                    return -1;
                i = (size_t)(end - s) + 3;
                continue;
            }
        }
        i++;
    }
    return -1;
}

xmlDocPtr wy_xml_parse_memory(const char *path, const char *bytes, size_t len, WyDiag *d)
{
    wy_xml_init();
    if (len > (size_t)INT32_MAX) {
        wy_diag_error(d, wy_loc(path, 0, 0), "file is too large");
        return NULL;
    }
    long doctype = find_doctype(bytes, len);
    if (doctype >= 0) {
        int line, col;
        wy_text_position(bytes, (size_t)doctype, &line, &col);
        wy_diag_error_src(d, wy_loc(path, line, col), bytes, len,
                          "a DOCTYPE or entity declaration is not allowed; remove it "
                          "(wenyin reads plain XML only)");
        return NULL;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        wy_diag_io_error(d, wy_loc(path, 0, 0), "out of memory while parsing");
        return NULL;
    }
    external_load_denied = false;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, bytes, (int)len, path, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    if (!doc || !ctxt->wellFormed) {
        report_parse_error(d, path, bytes, len, xmlCtxtGetLastError(ctxt));
        if (doc)
            xmlFreeDoc(doc);
        doc = NULL;
    } else if (external_load_denied) {
        wy_diag_error(d, wy_loc(path, 1, 1), "refers to an external file or entity, which is not allowed");
        xmlFreeDoc(doc);
        doc = NULL;
    } else if (doc->intSubset || doc->extSubset) {
        wy_diag_error(d, wy_loc(path, 1, 1), "a DOCTYPE is not allowed");
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

xmlDocPtr wy_xml_parse_file(const char *path, WyDiag *d)
{
    WyBuf bytes;
    wy_buf_init(&bytes);
    xmlDocPtr doc = NULL;
    if (wy_fsx_read(path, WY_INPUT_MAX_BYTES, &bytes, d))
        doc = wy_xml_parse_memory(path, bytes.data, bytes.len, d);
    wy_buf_release(&bytes);
    return doc;
}

bool wy_xmlsrc_load(xmlNodePtr parent, const char *name, const char *path, WyDiag *d)
{
    xmlDocPtr src = wy_xml_parse_file(path, d);
    if (!src)
        return false;
    xmlNodePtr root = xmlDocGetRootElement(src);
    if (!root) {
        wy_diag_error(d, wy_loc(path, 1, 1), "the file has no root element");
        xmlFreeDoc(src);
        return false;
    }
    xmlNodePtr holder = xmlNewChild(parent, NULL, BAD_CAST name, NULL);
    for (xmlAttrPtr a = root->properties; a; a = a->next) {
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        xmlSetProp(holder, a->name, v);
        xmlFree(v);
    }
    xmlSetProp(holder, BAD_CAST "file", BAD_CAST path);
    holder->line = root->line;
    /* deep copies keep each node's line, so wy_data_loc still finds it */
    for (xmlNodePtr c = root->children; c; c = c->next) {
        xmlNodePtr copy = xmlDocCopyNode(c, parent->doc, 1);
        if (copy)
            xmlAddChild(holder, copy);
    }
    xmlFreeDoc(src);
    return true;
}
