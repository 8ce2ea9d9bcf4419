/* libFuzzer target: Markdown article loader (front matter, cmark, figures). */
#include "fuzz_common.h"

#include "base/diag.h"
#include "data/datatree.h"
#include "data/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("a.md", data, size);
    WyDiag d;
    wy_diag_init(&d, NULL);
    xmlDocPtr doc = wy_data_new();
    wy_markdown_load_file(xmlDocGetRootElement(doc), path, &d);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
    return 0;
}
