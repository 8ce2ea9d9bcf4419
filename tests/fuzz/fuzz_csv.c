/* libFuzzer target: CSV loader (encodings, libcsv strict mode, field checks). */
#include "fuzz_common.h"

#include "base/diag.h"
#include "data/csv.h"
#include "data/datatree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("t.csv", data, size);
    WyDiag d;
    wy_diag_init(&d, NULL);
    xmlDocPtr doc = wy_data_new();
    wy_csv_load(xmlDocGetRootElement(doc), "t", path, &d);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
    return 0;
}
