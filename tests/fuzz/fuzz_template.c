/* libFuzzer target: template loading, validation and expansion against a
   small fixed data tree (no layout: that is pango's and ours, fuzzed
   through the end-to-end cases). */
#include "fuzz_common.h"

#include "base/diag.h"
#include "cli/resources.h"
#include "data/xmlsrc.h"
#include "expand/template.h"

static const char data_xml[] =
    "<data><issue><name>德清社工</name><number>3</number><date>2023-03-21</date></issue>"
    "<talents file='t.csv'><row line='2'><姓名>丁敬学</姓名><单位>新丰社区</单位></row>"
    "<row line='3'><姓名>费潇敏</姓名><单位>东开社区</单位></row></talents>"
    "<articles><article file='a.md'><title>标题</title><body><p line='3'>正文<strong>粗</strong></p>"
    "<h level='2' line='5'>小标题</h></body></article></articles></data>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *schema;
    if (!schema) {
        schema = wy_resource_path("templates/wenyin.rng");
        if (!schema)
            abort();
    }
    const char *path = fuzz_write("t.xml", data, size);
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyTemplate *t = wy_template_load(path, schema, &d);
    if (t) {
        xmlDocPtr tree = wy_xml_parse_memory("data.xml", data_xml, sizeof data_xml - 1, &d);
        if (tree) {
            WyDocument *doc = wy_template_expand(t, tree, &d);
            wy_document_free(doc);
            xmlFreeDoc(tree);
        }
        wy_template_free(t);
    }
    wy_diag_release(&d);
    return 0;
}
