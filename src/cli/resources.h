/* Finds wenyin's shipped files (templates/wenyin.rng, fonts/fonts.conf):
   $WENYIN_DATADIR first, then the source tree around the executable
   (build/wenyin → ./), then the install prefix (PREFIX/share/wenyin). */
#ifndef WY_RESOURCES_H
#define WY_RESOURCES_H

/* Returns the path of shipped file RELATIVE (e.g. "fonts/fonts.conf") as a
   malloc'd string, or NULL when no candidate folder has it. */
char *wy_resource_path(const char *relative);

#endif
