/* Templates: XML in the namespace urn:wenyin:template, validated against
   templates/wenyin.rng (RELAX NG, libxml2) before anything is typeset, then
   expanded against the data tree with XPath 1.0 into a box tree. A mistake
   in the template is reported with the template's line. */
#ifndef WY_TEMPLATE_H
#define WY_TEMPLATE_H
#include <libxml/tree.h>
#include <stdbool.h>

#include "base/diag.h"
#include "expand/box.h"

#define WY_XPATH_OP_LIMIT 10000000 /* a runaway expression fails fast */
#define WY_EXPAND_MAX_DEPTH 200

typedef struct WyTemplate WyTemplate;

/* Parses PATH safely (data/xmlsrc) and validates it against the RELAX NG
   schema at SCHEMA_PATH, then checks what the schema cannot (known style
   names and font roles, lengths, colours, XPath syntax). Returns NULL with
   errors at the template's lines. */
WyTemplate *wy_template_load(const char *path, const char *schema_path, WyDiag *d);
void wy_template_free(WyTemplate *t);

/* Expands T against DATA (a wy_data_new tree). Images are resolved
   relative to the template (template images) or the data file (article
   figures). Returns a document the caller frees with wy_document_free, or
   NULL with an error naming the template line (and the data line when the
   data is at fault, e.g. a column the template uses is missing). */
WyDocument *wy_template_expand(WyTemplate *t, xmlDocPtr data, WyDiag *d);

/* Sizes: "16pt", "5.5mm", "2em" (relative to EM_PT), "三号"/"小四" (CJK.md §7).
   Returns false when TEXT is not a length. */
bool wy_length_parse(const char *text, double em_pt, double *out_pt);
/* Colours: "#RRGGBB", "#RGB", or a name (red = the masthead red #E60012, black, gray …). */
bool wy_color_parse(const char *text, WyColor *out);

#endif
