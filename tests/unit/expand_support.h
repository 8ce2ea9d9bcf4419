/* Shared by the expand tests: data trees from XML text, templates from
   text written to a scratch folder, and walking the box tree. Images and
   the encoding module are outside these tests: weak stand-ins keep them
   linkable when those modules are absent (a real module's definitions
   take precedence). */
#ifndef WY_TEST_EXPAND_SUPPORT_H
#define WY_TEST_EXPAND_SUPPORT_H
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/mem.h"
#include "data/encoding.h"
#include "data/image.h"
#include "data/xmlsrc.h"
#include "expand/box.h"
#include "expand/template.h"

#define SCHEMA_PATH "templates/wenyin.rng"
#define FIXTURES "tests/unit/fixtures/expand/"

__attribute__((weak)) WyImage *wy_image_load(const char *path, WyLoc loc, WyDiag *d)
{
    wy_diag_error(d, loc, "cannot load image %s in this test", path);
    return NULL;
}

__attribute__((weak)) void wy_image_free(WyImage *img)
{
    free(img);
}

__attribute__((weak)) void wy_text_position(const char *text, size_t offset, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset && text[i]; i++) {
        if (text[i] == '\n') {
            ++*line;
            *col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

/* A data tree from XML text (the root must be <data>); aborts the test
   program on a typo in the test itself. */
static inline xmlDocPtr data_from(const char *xml)
{
    WyDiag d;
    wy_diag_init(&d, stderr);
    xmlDocPtr doc = wy_xml_parse_memory("data.xml", xml, strlen(xml), &d);
    wy_diag_release(&d);
    if (!doc)
        abort();
    return doc;
}

static char scratch_dir[64];

/* Removes the scratch folder (its files are removed as tests go). */
static inline void remove_temp_dir(void)
{
    if (scratch_dir[0])
        rmdir(scratch_dir);
}

/* Writes TEXT to a fresh file named NAME in a scratch folder; returns the
   path (caller frees). */
static inline char *write_temp(const char *name, const char *text)
{
    char *dir = scratch_dir;
    if (!dir[0]) {
        snprintf(scratch_dir, sizeof scratch_dir, "/tmp/wy-expand-test-XXXXXX");
        if (!mkdtemp(dir))
            abort();
    }
    WyBuf path;
    wy_buf_init(&path);
    wy_buf_printf(&path, "%s/%s", dir, name);
    FILE *f = fopen(wy_buf_str(&path), "wb");
    if (!f || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0)
        abort();
    return wy_buf_steal(&path);
}

static inline void remove_temp(char *path)
{
    unlink(path);
    free(path);
}

/* Loads template TEXT (as file NAME) and expands it over DATA_XML.
   Returns the document or NULL; diagnostics land in D. */
static inline WyDocument *expand_text(const char *name, const char *text, const char *data_xml, WyDiag *d)
{
    char *path = write_temp(name, text);
    WyTemplate *t = wy_template_load(path, SCHEMA_PATH, d);
    WyDocument *doc = NULL;
    if (t) {
        xmlDocPtr data = data_from(data_xml);
        doc = wy_template_expand(t, data, d);
        xmlFreeDoc(data);
        wy_template_free(t);
    }
    remove_temp(path);
    return doc;
}

/* The Nth box (0-based) of a sibling list, or NULL. */
static inline const WyBox *nth_box(const WyBox *b, int n)
{
    while (b && n-- > 0)
        b = b->next;
    return b;
}

static inline int count_boxes(const WyBox *b)
{
    int n = 0;
    for (; b; b = b->next)
        n++;
    return n;
}

#define T_HEAD "<template xmlns=\"urn:wenyin:template\">\n"
#define T_TAIL "</template>\n"

#endif
