#include "expand/preset.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A style of the preset: name, then attribute/value pairs, NULL-ended. */
typedef struct PresetStyle {
    const char *name;
    const char *attrs[24];
} PresetStyle;

static bool is_element(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static bool has_style(xmlNodePtr root, const char *name)
{
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (!is_element(c, "style"))
            continue;
        xmlChar *v = xmlGetNoNsProp(c, BAD_CAST "name");
        bool same = v && strcmp((const char *)v, name) == 0;
        xmlFree(v);
        if (same)
            return true;
    }
    return false;
}

static bool has_child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is_element(c, name))
            return true;
    return false;
}

static void set_default(xmlNodePtr n, const char *name, const char *value)
{
    if (!xmlHasProp(n, BAD_CAST name))
        xmlNewProp(n, BAD_CAST name, BAD_CAST value);
}

/* Styles go first in the template: everything after may name them. */
static void add_style(xmlNodePtr root, const PresetStyle *s)
{
    if (has_style(root, s->name))
        return; /* the template restyles it */
    xmlNodePtr style = xmlNewDocNode(root->doc, root->ns, BAD_CAST "style", NULL);
    xmlNewProp(style, BAD_CAST "name", BAD_CAST s->name);
    for (int i = 0; s->attrs[i]; i += 2)
        xmlNewProp(style, BAD_CAST s->attrs[i], BAD_CAST s->attrs[i + 1]);
    if (root->children)
        xmlAddPrevSibling(root->children, style);
    else
        xmlAddChild(root, style);
}

/* GB/T 9704-2012 §7: title 二号 小标宋, body 三号 仿宋 22 × 28, level-1
   headings 黑体, level-2 楷体, levels 3–4 仿宋; page numbers 四号 宋体
   "— 1 —", 7 mm below the type area, one character in from the outside. */
static void apply_gb9704(xmlNodePtr root, xmlNodePtr master)
{
    char pitch[32], size[32];
    /* rounded down, so 22 lines and 28 characters never overflow by a hair */
    snprintf(pitch, sizeof pitch, "%.6fpt", floor(GB9704_LINE_PITCH_PT * 1e6) / 1e6);
    snprintf(size, sizeof size, "%.6fpt", floor(GB9704_BODY_SIZE_PT * 1e6) / 1e6);
    const PresetStyle styles[] = {
        {"gb-body", {"role", "fangsong", "size", size, "line-height", pitch, "indent", "2em", "align", "justify",
                     NULL}},
        {"gb-title", {"role", "title", "size", "二号", "weight", "bold", "line-height", pitch, "indent", "0",
                      "align", "center", "space-after", pitch, "keep-with-next", "true", NULL}},
        {"gb-h1", {"base", "gb-body", "role", "heading", "keep-with-next", "true", NULL}},
        {"gb-h2", {"base", "gb-body", "role", "kai", "keep-with-next", "true", NULL}},
        {"gb-h3", {"base", "gb-body", "keep-with-next", "true", NULL}},
        {"gb-folio", {"role", "body", "size", "四号", "line-height", "1.2", "indent", "0", "left-indent", "1em",
                      "right-indent", "1em", "align", "outside", NULL}},
    };
    for (size_t i = sizeof styles / sizeof styles[0]; i-- > 0;)
        add_style(root, &styles[i]); /* prepended, so add in reverse to keep this order */
    set_default(master, "size", "A4");
    if (!xmlHasProp(master, BAD_CAST "margin")) {
        set_default(master, "margin-top", "37mm");
        set_default(master, "margin-right", "26mm");
        set_default(master, "margin-bottom", "35mm");
        set_default(master, "margin-left", "28mm");
    }
    set_default(master, "footer-gap", "7mm");
    set_default(master, "line-grid", "gb-body");
    if (!has_child(master, "footer")) {
        xmlNodePtr footer = xmlNewChild(master, root->ns, BAD_CAST "footer", NULL);
        xmlNodePtr p = xmlNewChild(footer, root->ns, BAD_CAST "p", BAD_CAST "— ");
        xmlNewProp(p, BAD_CAST "style", BAD_CAST "gb-folio");
        xmlNewChild(p, root->ns, BAD_CAST "page-number", NULL);
        xmlAddChild(p, xmlNewDocText(root->doc, BAD_CAST " —"));
    }
}

void wy_preset_apply(xmlNodePtr root)
{
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (!is_element(c, "page-master"))
            continue;
        xmlChar *preset = xmlGetNoNsProp(c, BAD_CAST "preset");
        if (preset && strcmp((const char *)preset, "gb9704") == 0)
            apply_gb9704(root, c);
        xmlFree(preset);
    }
}
