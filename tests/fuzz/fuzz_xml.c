/* libFuzzer target: safe XML parsing (DOCTYPE/entity refusal, encodings). */
#include "fuzz_common.h"

#include "base/diag.h"
#include "data/xmlsrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    xmlDocPtr doc = wy_xml_parse_memory("t.xml", (const char *)data, size, &d);
    if (doc)
        xmlFreeDoc(doc);
    wy_diag_release(&d);
    return 0;
}
