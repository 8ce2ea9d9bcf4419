#include "data/xmlsrc.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* libxml2's message ("Opening and ending tag mismatch: p line 3 and q")
   as one line without its trailing newline. */
static char *library_message(const xmlError *err)
{
    WyBuf msg;
    wy_buf_init(&msg);
    wy_buf_puts(&msg, err && err->message ? err->message : "not well-formed XML");
    for (char *nl; (nl = strchr(msg.data, '\n')) != NULL && nl[1];)
        *nl = ' '; /* "…indicate encoding !\nBytes: 0xD5…" */
    while (msg.len && (msg.data[msg.len - 1] == '\n' || msg.data[msg.len - 1] == ' '))
        msg.data[--msg.len] = '\0';
    return wy_buf_steal(&msg);
}

static const char *or_unknown(const char *s)
{
    return s ? s : "?";
}

/* The mistakes people make typing XML by hand, in their words; anything
   else keeps libxml2's description. */
static void report_parse_error(WyDiag *d, const char *path, const char *text, size_t len, const xmlError *err)
{
    WyLoc loc = wy_loc(path, err ? err->line : 0, err ? err->int2 : 0);
    switch (err ? err->code : XML_ERR_OK) {
    case XML_ERR_DOCUMENT_EMPTY:
        wy_diag_error(d, wy_loc(path, 1, 1), "the file is empty; an XML file needs one outermost element");
        return;
    case XML_ERR_TAG_NAME_MISMATCH:
        wy_diag_error_src(d, loc, text, len, "the end tag </%s> does not match the start tag <%s> on line %d",
                          or_unknown(err->str2), or_unknown(err->str1), err->int1);
        return;
    case XML_ERR_TAG_NOT_FINISHED:
        wy_diag_error_src(d, loc, text, len, "the element <%s> opened on line %d is never closed",
                          or_unknown(err->str1), err->int1);
        return;
    case XML_ERR_DOCUMENT_END:
        wy_diag_error_src(d, loc, text, len,
                          "there is more after the end of the outermost element; an XML file has exactly one");
        return;
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
        wy_diag_error_src(d, loc, text, len,
                          "&%s; is not an XML entity; type the character itself (write & as &amp;)",
                          or_unknown(err->str1));
        return;
    case XML_ERR_NAME_REQUIRED:
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
        wy_diag_error_src(d, loc, text, len, "a & on its own must be written &amp;");
        return;
    case XML_ERR_LT_IN_ATTRIBUTE:
        wy_diag_error_src(d, loc, text, len, "a < inside an attribute value must be written &lt;");
        return;
    case XML_ERR_ATTRIBUTE_NOT_STARTED:
    case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
        wy_diag_error_src(d, loc, text, len, "an attribute value must be in quotes, as in name=\"value\"");
        return;
    default: {
        char *msg = library_message(err);
        wy_diag_error_src(d, loc, text, len, "not well-formed XML: %s", msg);
        free(msg);
        return;
    }
    }
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
            if ((i + 9 <= len && memcmp(s + i, "<!DOCTYPE", 9) == 0) ||
                (i + 8 <= len && memcmp(s + i, "<!ENTITY", 8) == 0))
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

/* Copies the encoding an XML declaration at the start of BYTES names
   (encoding="GBK") into NAME; false when there is none. Only ASCII-
   compatible bytes can carry one we read: a UTF-16 file has a BOM. */
static bool declared_encoding(const char *bytes, size_t len, char *name, size_t name_size)
{
    if (len < 6 || memcmp(bytes, "<?xml", 5) != 0 || !strchr(" \t\r\n", bytes[5]))
        return false;
    size_t limit = len < 512 ? len : 512;
    const char *end = memmem(bytes, limit, "?>", 2);
    if (!end)
        return false;
    const char *p = memmem(bytes, (size_t)(end - bytes), "encoding", 8);
    if (!p)
        return false;
    p += 8;
    while (p < end && strchr(" \t\r\n", *p))
        p++;
    if (p >= end || *p++ != '=')
        return false;
    while (p < end && strchr(" \t\r\n", *p))
        p++;
    if (p >= end || (*p != '"' && *p != '\''))
        return false;
    char quote = *p++;
    const char *close = memchr(p, quote, (size_t)(end - p));
    if (!close || (size_t)(close - p) >= name_size)
        return false;
    memcpy(name, p, (size_t)(close - p));
    name[close - p] = '\0';
    return true;
}

/* Decodes BYTES to UTF-8 in TEXT: a BOM decides, then an encoding the
   declaration names (UTF-8, or GB2312/GBK/GB18030, all read as their
   superset GB18030), else UTF-8 or GB18030 as for every other input.
   Decoding ourselves means the DOCTYPE check sees every file as UTF-8
   (a UTF-16 "<!DOCTYPE" is not those bytes) and a bad byte is reported
   in plain words. */
static bool decode(const char *path, const char *bytes, size_t len, WyBuf *text, WyDiag *d)
{
    WyEncoding detected = wy_encoding_detect(bytes, len);
    bool has_bom = detected == WY_ENC_UTF8_BOM || detected == WY_ENC_UTF16LE || detected == WY_ENC_UTF16BE ||
                   (len >= 4 && memcmp(bytes, "\x84\x31\x95\x33", 4) == 0);
    char declared[40];
    if (has_bom || !declared_encoding(bytes, len, declared, sizeof declared))
        return wy_encoding_to_utf8(path, bytes, len, text, d);
    if (strcasecmp(declared, "UTF-8") == 0 || strcasecmp(declared, "UTF8") == 0 ||
        strcasecmp(declared, "US-ASCII") == 0 || strcasecmp(declared, "ASCII") == 0)
        return wy_encoding_convert(path, bytes, len, WY_ENC_UTF8, text, d);
    if (strcasecmp(declared, "GB2312") == 0 || strcasecmp(declared, "GBK") == 0 ||
        strcasecmp(declared, "GB18030") == 0 || strcasecmp(declared, "CP936") == 0)
        return wy_encoding_convert(path, bytes, len, WY_ENC_GB18030, text, d);
    wy_diag_error(d, wy_loc(path, 1, 1),
                  "the file says it is in encoding %s, which wenyin does not read; save it as UTF-8", declared);
    return false;
}

/* libxml2 goes on after the first mistake and xmlCtxtGetLastError gives
   the last, usually a consequence ("extra content" after a bad
   attribute); the parser's structured-error hook keeps the first. */
typedef struct FirstError {
    bool seen;
    xmlError error;
} FirstError;

static void keep_first_error(void *data, xmlErrorPtr error)
{
    xmlParserCtxtPtr ctxt = data;
    FirstError *first = ctxt ? ctxt->_private : NULL;
    if (!first || first->seen || !error || error->level < XML_ERR_ERROR)
        return;
    first->seen = true;
    xmlCopyError(error, &first->error);
}

xmlDocPtr wy_xml_parse_memory(const char *path, const char *bytes, size_t len, WyDiag *d)
{
    wy_xml_init();
    if (len > (size_t)INT32_MAX / 2) {
        wy_diag_error(d, wy_loc(path, 0, 0), "file is too large");
        return NULL;
    }
    WyBuf text;
    wy_buf_init(&text);
    xmlDocPtr doc = NULL;
    if (!decode(path, bytes, len, &text, d))
        goto out;
    long doctype = find_doctype(text.data, text.len);
    if (doctype >= 0) {
        int line, col;
        wy_text_position(text.data, (size_t)doctype, &line, &col);
        wy_diag_error_src(d, wy_loc(path, line, col), text.data, text.len,
                          "a DOCTYPE or entity declaration is not allowed; remove it "
                          "(wenyin reads plain XML only)");
        goto out;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        wy_diag_io_error(d, wy_loc(path, 0, 0), "out of memory while parsing");
        goto out;
    }
    FirstError first;
    memset(&first, 0, sizeof first);
    ctxt->_private = &first;
    ctxt->sax->serror = keep_first_error;
    external_load_denied = false;
    /* The text is UTF-8 now whatever the declaration says; IGNORE_ENC
       stops libxml2 from decoding it a second time. */
    doc = xmlCtxtReadMemory(ctxt, text.data, (int)text.len, path, NULL,
                            XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_IGNORE_ENC);
    if (!doc || !ctxt->wellFormed) {
        report_parse_error(d, path, text.data, text.len, first.seen ? &first.error : xmlCtxtGetLastError(ctxt));
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
    xmlResetError(&first.error);
    xmlFreeParserCtxt(ctxt);
out:
    wy_buf_release(&text);
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

/* xmlDocCopyNode keeps an element's 16-bit line but gives text nodes
   line 0 and drops the line past 65535 that XML_PARSE_BIG_LINES keeps in
   a text node's psvi (libxml2 2.9.14), which is where xmlGetLineNo finds
   it; copied back here from the identical original subtree. */
static void copy_lines(const xmlNode *from, xmlNodePtr to)
{
    for (; from && to && from->type == to->type; from = from->next, to = to->next) {
        to->line = from->line;
        if (from->type == XML_TEXT_NODE && from->psvi)
            to->psvi = from->psvi;
        if (from->type == XML_ELEMENT_NODE)
            copy_lines(from->children, to->children);
    }
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
        if (!copy)
            continue;
        copy_lines(c, copy);
        xmlAddChild(holder, copy);
    }
    xmlFreeDoc(src);
    return true;
}
