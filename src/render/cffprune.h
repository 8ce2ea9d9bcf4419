/* Subroutines of an embedded CFF font that no glyph calls, emptied.

   cairo 1.16 subsets a CFF font by walking each glyph's charstring to see
   which subroutines it calls. For a CID-keyed font its walk skips a
   subroutine an earlier glyph has already called, so a glyph whose first
   moveto lies in such a subroutine looks like an unsupported `seac`; cairo
   then keeps every subroutine. Noto Serif CJK's 26,000 local subroutines
   (425 KB) went whole into every PDF that used its Regular face.

   This module walks every glyph of a CFF font (as cairo writes it: the
   glyphs are the subset) with the Type 2 charstring rules, marks the
   subroutines actually called, and overwrites each other one with a
   `return` followed by zeros. Offsets stay the same, so nothing else in
   the font moves, and the zeros compress to almost nothing. A font it
   does not fully understand is left untouched. */
#ifndef WY_RENDER_CFFPRUNE_H
#define WY_RENDER_CFFPRUNE_H
#include <stddef.h>
#include <stdint.h>

/* Empties, in place, the subroutines of the bare CFF font CFF (LEN bytes)
   that none of its glyphs calls. Returns how many were emptied, or -1
   when the font was left as it was: not a CFF font, damaged, or using
   charstring operators this walk does not follow (arithmetic, storage). */
long wy_cff_prune_subrs(uint8_t *cff, size_t len);

#endif
