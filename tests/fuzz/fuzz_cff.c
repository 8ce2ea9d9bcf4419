/* libFuzzer target: emptying a CFF font's unused subroutines (INDEX and
   DICT parsing, FDSelect, the Type 2 charstring walk). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/cffprune.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *cff = malloc(size ? size : 1);
    memcpy(cff, data, size);
    long emptied = wy_cff_prune_subrs(cff, size);
    /* the font is either left as it was, or walked again with nothing left to empty */
    if (emptied < 0 && size && memcmp(cff, data, size) != 0)
        abort();
    if (emptied >= 0 && wy_cff_prune_subrs(cff, size) != 0)
        abort();
    free(cff);
    return 0;
}
