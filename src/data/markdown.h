/* Articles: CommonMark files with a front matter block, parsed with cmark.
   A folder gives <NAME file="DIR"><article>…</article>…</NAME> in file-name
   order (byte order of the UTF-8 names, so 01-… 02-… sort as typed).
   Each article:
     <article file="PATH" line="1">
       <title>…</title> <subtitle/> <source/> <author/> <date/> <lang>zh-Hans</lang>
       <section/>? <OTHER-KEY/>*
       <body>
         <p line="N">text <em>…</em> <strong>…</strong> <code>…</code>
                     <a href="…" title="…"?>…</a> <br/></p>
         <h level="2" line="N">…</h>
         <ul|ol line="N" start="N"?><li line="N"><p>…</p></li></ul|ol>
         <blockquote line="N">…</blockquote>
         <figure line="N" src="RESOLVED PATH" alt="…"><caption>…</caption></figure>
         <pre line="N" lang="…"?>fenced code</pre>
         <hr line="N"/>
       </body>
       <translation lang="en" file="PATH" line="1">? the same children, read
         from the translation's file as an article (lang defaults to en)
       </translation>
     </article>
   Translation: the file front matter names with `translation: FILE.md`
   (relative to the article's folder; missing is an error at that line),
   else NAME.en.md next to NAME.md when it exists. A folder never loads
   NAME.en.md as an article of its own.
   Front matter: the file's first line is ---, then `key: value` lines
   (value optionally in "…" or '…'; blank lines and # comments allowed)
   up to the next ---. title, subtitle, source, author, date and lang are
   always present (empty when not given; lang defaults to zh-Hans, and
   zh-CN becomes zh-Hans, zh-TW and zh-HK zh-Hant); section, translation
   and any other key that is an XML name appear when given. Known keys
   match in any case. Without a title in the front matter the first
   level-1 heading is the title and leaves the body; an article with no
   title at all is an error.
   Text: a soft line break disappears between two CJK characters or next
   to full-width punctuation (a line-wrapped Chinese paragraph) and is one
   space otherwise; a hard break is <br/>. Spaces and U+3000 typed at the
   start of a paragraph are dropped (the template indents), and a line
   starting with U+3000 begins a new paragraph (one paragraph per line, as
   pasted from Word). Pictures: a paragraph holding only a picture becomes
   a <figure>; pictures inside text become figures right after their
   block. src is resolved against the .md file's folder (%XX escapes
   decoded); caption is the picture's title, else its alt text (possibly
   empty). Raw HTML is dropped with a warning (<br> becomes <br/>, comments
   vanish silently); text indented four spaces (CommonMark's code) is kept
   as paragraphs with a warning. Each block's `line` attribute, and every
   created element's line field, is its line in the file. */
#ifndef WY_MARKDOWN_H
#define WY_MARKDOWN_H
#include <libxml/tree.h>
#include <stdbool.h>

#include "base/diag.h"

#define WY_MARKDOWN_MAX_DEPTH 100 /* nested lists, quotes and emphasis */
#define WY_MARKDOWN_TRANSLATION_SUFFIX ".en.md"

/* Loads every *.md file of folder DIR (hidden files ignored) under PARENT
   as element NAME. An empty folder is an error. Every article is checked,
   so one run reports all their mistakes; on any failure nothing is added. */
bool wy_markdown_load_dir(xmlNodePtr parent, const char *name, const char *dir, WyDiag *d);
/* Loads one Markdown file PATH (UTF-8, GB18030 or with a BOM, see
   data/encoding) as an <article> appended to PARENT. Fails with
   FILE:LINE:COL on bad bytes, a control or bidi character, a malformed or
   unclosed front matter, a bad lang, a missing title, nesting deeper than
   WY_MARKDOWN_MAX_DEPTH, or a picture with no file name or a URL for one; on failure nothing is added. */
bool wy_markdown_load_file(xmlNodePtr parent, const char *path, WyDiag *d);
/* NAME.en.md for a PATH NAME.md (malloc'd; whether it exists is not
   checked); NULL when PATH is not a .md file or is itself a .en.md. */
char *wy_markdown_translation_path(const char *path);

#endif
