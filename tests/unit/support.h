/* Helpers the data-stage unit tests share: a private temp folder per test
   binary (cmocka group setup/teardown), fixture bytes written into it,
   and XPath probes of a loaded data tree. Include after cmocka.h. */
#ifndef WY_TEST_SUPPORT_H
#define WY_TEST_SUPPORT_H
#include <ftw.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char tmp_dir[64];

static inline int tmp_remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Group setup: creates /tmp/wenyin-test-XXXXXX. */
static inline int make_tmp_dir(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/wenyin-test-XXXXXX");
    return mkdtemp(tmp_dir) ? 0 : -1;
}

/* Group teardown: removes the folder and all it holds. */
static inline int remove_tmp_dir(void **state)
{
    (void)state;
    return nftw(tmp_dir, tmp_remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* Writes BYTES to NAME (which may name subfolders, created) in the temp
   folder; returns the path in a static buffer. */
static inline const char *tmp_write(const char *name, const void *bytes, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    for (char *slash = strchr(path + strlen(tmp_dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0755);
        *slash = '/';
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    fclose(f);
    return path;
}

/* XPath EXPR evaluated against DOC; the caller frees the result. */
static inline xmlXPathObjectPtr xpath_eval(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr result = xmlXPathEval(BAD_CAST expr, ctx);
    xmlXPathFreeContext(ctx);
    assert_non_null(result);
    return result;
}

/* EXPR's string value; the caller frees it with xmlFree. */
static inline char *xpath_string(xmlDocPtr doc, const char *expr)
{
    xmlXPathObjectPtr r = xpath_eval(doc, expr);
    xmlChar *s = xmlXPathCastToString(r);
    xmlXPathFreeObject(r);
    return (char *)s;
}

static inline double xpath_number(xmlDocPtr doc, const char *expr)
{
    xmlXPathObjectPtr r = xpath_eval(doc, expr);
    double n = xmlXPathCastToNumber(r);
    xmlXPathFreeObject(r);
    return n;
}

#define assert_xpath(doc, expr, expected)                                                                             \
    do {                                                                                                              \
        char *got_ = xpath_string((doc), (expr));                                                                     \
        assert_string_equal(got_, (expected));                                                                        \
        xmlFree(got_);                                                                                                \
    } while (0)

#endif
