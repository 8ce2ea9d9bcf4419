/* Page presets a template asks for with <page-master preset="…">. For now
   the GB/T 9704-2012 official-document page (公文): the preset fills in the
   page master's size, margins and page-number footer where the template
   leaves them out, and defines the gb-* styles the template does not
   define itself. Works on the template's XML before it is compiled, so the
   preset is expressed in the template language itself. */
#ifndef WY_PRESET_H
#define WY_PRESET_H
#include <libxml/tree.h>
#include <stdbool.h>

#include "expand/box.h"

/* GB/T 9704: a 156 × 225 mm type area holding 22 lines of 28 characters. */
#define GB9704_TYPE_WIDTH_MM 156.0
#define GB9704_TYPE_HEIGHT_MM 225.0
#define GB9704_LINES 22
#define GB9704_CHARS_PER_LINE 28
#define GB9704_LINE_PITCH_PT (GB9704_TYPE_HEIGHT_MM * WY_PT_PER_MM / GB9704_LINES)
/* 15.79 pt: inside 三号's 15.75–16 pt, and 28 characters fill the measure exactly */
#define GB9704_BODY_SIZE_PT (GB9704_TYPE_WIDTH_MM * WY_PT_PER_MM / GB9704_CHARS_PER_LINE)

/* Applies every preset named under ROOT (a <template>). The schema has
   already checked the preset names, so this cannot fail. */
void wy_preset_apply(xmlNodePtr root);

#endif
