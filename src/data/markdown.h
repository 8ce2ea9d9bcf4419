/* Articles: CommonMark files with a front matter block, parsed with cmark.
   A folder gives <NAME file="DIR"><article>…</article>…</NAME> in file-name
   order (byte order of the UTF-8 names, so 01-… 02-… sort as typed).
   Each article:
     <article file="PATH" line="1">
       <title>…</title> <subtitle/> <source/> <author/> <date/> <lang>zh-Hans</lang>
       <body>
         <p line="N">text <em>…</em> <strong>…</strong> <code>…</code>
                     <a href="…">…</a> <br/></p>
         <h level="2" line="N">…</h>
         <ul|ol line="N"><li><p>…</p></li></ul|ol>
         <blockquote line="N">…</blockquote>
         <figure line="N" src="RESOLVED PATH" alt="…"><caption>…</caption></figure>
         <hr line="N"/>
       </body>
     </article>
   Soft line breaks join without a space between two CJK characters (a
   line-wrapped Chinese paragraph), with one space otherwise. */
#ifndef WY_MARKDOWN_H
#define WY_MARKDOWN_H
#include <libxml/tree.h>
#include <stdbool.h>

#include "base/diag.h"

/* Loads every *.md file of folder DIR under PARENT as element NAME. */
bool wy_markdown_load_dir(xmlNodePtr parent, const char *name, const char *dir, WyDiag *d);
/* Loads one Markdown file PATH as an <article> appended to PARENT. */
bool wy_markdown_load_file(xmlNodePtr parent, const char *path, WyDiag *d);

#endif
