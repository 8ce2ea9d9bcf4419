/* `wenyin check FILE...`: validates templates and data files without
   rendering. Templates are recognised by their namespace; everything else
   is loaded as data the way `render -d` would load it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "cli/cli.h"
#include "cli/resources.h"
#include "data/datatree.h"
#include "data/xmlsrc.h"
#include "expand/template.h"

#define TEMPLATE_NS "urn:wenyin:template"

static bool is_xml_file(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".xml") == 0;
}

/* True when PATH parses and its root element is in the template namespace;
   parse errors are left for the real load to report. */
static bool looks_like_template(const char *path)
{
    WyDiag quiet;
    wy_diag_init(&quiet, NULL);
    xmlDocPtr doc = wy_xml_parse_file(path, &quiet);
    bool is_template = false;
    if (doc) {
        xmlNodePtr root = xmlDocGetRootElement(doc);
        is_template = root && root->ns && xmlStrEqual(root->ns->href, BAD_CAST TEMPLATE_NS);
        xmlFreeDoc(doc);
    }
    wy_diag_release(&quiet);
    return is_template;
}

static bool check_template(const char *path, WyDiag *d)
{
    char *schema = wy_resource_path("templates/wenyin.rng");
    if (!schema) {
        wy_diag_io_error(d, wy_loc(NULL, 0, 0), "cannot find wenyin's templates/wenyin.rng; set WENYIN_DATADIR");
        return false;
    }
    WyTemplate *t = wy_template_load(path, schema, d);
    free(schema);
    wy_template_free(t);
    return t != NULL;
}

static bool check_data(const char *path, WyDiag *d)
{
    xmlDocPtr data = wy_data_new();
    bool ok = wy_data_add(data, "source", path, d);
    xmlFreeDoc(data);
    return ok;
}

int wy_cli_check(int argc, char **argv)
{
    if (argc == 0) {
        fputs("Usage: wenyin check FILE...\n", stderr);
        return 2;
    }
    if (argc == 1 && strcmp(argv[0], "--help") == 0) {
        fputs("Usage: wenyin check FILE...\n"
              "Validates templates (against templates/wenyin.rng) and data files\n"
              "(CSV, XML, Markdown articles or folders of them) without rendering.\n",
              stdout);
        return 0;
    }
    WyDiag diag;
    wy_diag_init(&diag, stderr);
    wy_xml_init();
    for (int i = 0; i < argc; i++) {
        const char *path = argv[i];
        int errors_before = diag.errors;
        bool ok = is_xml_file(path) && looks_like_template(path) ? check_template(path, &diag)
                                                                  : check_data(path, &diag);
        if (ok && diag.errors == errors_before)
            printf("%s: ok\n", path);
    }
    int code = wy_diag_exit_code(&diag);
    wy_diag_release(&diag);
    return code;
}
