/* Font files stay in memory once read: FreeType maps them, and pages of
   a mapping that have been read count in the process's memory until it
   ends. cairo's PDF font subsetter reads the whole CFF table of every face
   it embeds (20–27 MB for each Noto CJK collection) while the document is
   being finished, so a bulletin with four CJK faces would hold them all at
   once. Releasing the pages between faces keeps one at a time. */
#ifndef WY_FONTPAGES_H
#define WY_FONTPAGES_H

/* Gives back to the system the pages of every read-only mapping of a font
   file (.ttf .otf .ttc .otc) in this process; they are read again from the
   file if touched later. Does nothing where /proc/self/maps is missing. */
void wy_font_pages_release(void);

#endif
