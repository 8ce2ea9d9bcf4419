/* Bindings: the XPath 1.0 expressions and attribute value templates
   ("第{issue/number}期") of a template. They are compiled when the template
   loads, so a syntax error, an unknown function or an undefined variable is
   reported at its template line before anything is typeset; they are
   evaluated against the data tree during expansion, where an error is
   reported at the same template line (libxml2's XPath errors carry none).
   Knows nothing of boxes. */
#ifndef WY_BIND_H
#define WY_BIND_H
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <stdbool.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"

/* Template functions live in this namespace, bound to the prefix wy in
   every template: wy:date-cn('2023-03-21') = 2023年3月21日. */
#define WY_FUNCTIONS_NS "urn:wenyin:functions"

/* One compiled expression, owned by its WyXPathCompiler. */
typedef struct WyXPath {
    xmlXPathCompExprPtr comp;
    const char *text;   /* as written */
    const char *column; /* first step of a plain child path ("职务" in 职务 or
                           职务/名称), alone or as a function's only argument
                           (normalize-space(姓名)), for the missing-column
                           rule; else NULL */
    WyLoc loc;          /* the attribute that holds it */
} WyXPath;

/* An attribute value template: literal text and {expressions}. */
typedef struct WyAvtPart {
    const char *literal; /* NULL for an expression */
    WyXPath *xpath;
} WyAvtPart;

typedef struct WyAvt {
    WyAvtPart *parts;
    size_t n_parts;
    const char *text;
    const char *attr;   /* the attribute that holds it, for messages */
    WyLoc loc;          /* where that attribute is */
} WyAvt;

/* ------------------------------------------------------------ compiling */

typedef struct WyXPathCompiler WyXPathCompiler;

/* Strings and records go into ARENA (which must outlive the compiler's
   expressions); the compiled expressions are freed with the compiler. */
WyXPathCompiler *wy_xpath_compiler_new(WyArena *arena);
void wy_xpath_compiler_free(WyXPathCompiler *c);

/* Variables visible to the expressions compiled next (static check of
   $name). Declarations pile up; release drops those after MARK. */
void wy_xpath_declare(WyXPathCompiler *c, const char *name);
size_t wy_xpath_scope_mark(const WyXPathCompiler *c);
void wy_xpath_scope_release(WyXPathCompiler *c, size_t mark);
bool wy_xpath_declared(const WyXPathCompiler *c, const char *name);

/* Compiles TEXT written at LOC (ATTR names the attribute, for messages).
   Returns NULL with an error at LOC on a syntax error, an unknown function
   or an undefined variable. */
WyXPath *wy_xpath_compile(WyXPathCompiler *c, const char *text, WyLoc loc, const char *attr, WyDiag *d);
/* Compiles an attribute value template; NULL with an error as above or
   for an unbalanced brace ({{ and }} are literal braces). */
WyAvt *wy_avt_compile(WyXPathCompiler *c, const char *text, WyLoc loc, const char *attr, WyDiag *d);
/* True when AVT has no expression (its text is its value). */
bool wy_avt_is_literal(const WyAvt *avt);

/* ------------------------------------------------------------ evaluating */

typedef struct WyBind WyBind;

/* The context an expression is evaluated in: the node, position() and
   last(). */
typedef struct WyBindContext {
    xmlNodePtr node;
    int position, size;
} WyBindContext;

/* A binder over DATA whose context is DATA's root element (<data>),
   position 1 of 1. Errors go to D. Caller frees with wy_bind_free. */
WyBind *wy_bind_new(xmlDocPtr data, WyDiag *d);
void wy_bind_free(WyBind *b);

WyBindContext wy_bind_context(const WyBind *b);
void wy_bind_set_context(WyBind *b, WyBindContext ctx);

/* Variables, innermost last: push takes ownership of VALUE; NAME is
   borrowed and must outlive the push. pop drops every variable after MARK. */
size_t wy_bind_var_mark(const WyBind *b);
void wy_bind_var_push(WyBind *b, const char *name, xmlXPathObjectPtr value);
void wy_bind_var_pop(WyBind *b, size_t mark);

/* Evaluates X in the current context. Returns the result (caller frees
   with xmlXPathFreeObject), or NULL with an error at X's location. */
xmlXPathObjectPtr wy_bind_eval(WyBind *b, const WyXPath *x);
/* Like wy_bind_eval but the result must be nodes; PURPOSE says what for
   ("for-each select") in the message when it is not. */
xmlXPathObjectPtr wy_bind_nodes(WyBind *b, const WyXPath *x, const char *purpose);
/* The string value of X appended to OUT. An empty result of a plain child
   path on a CSV row that has no such column is an error naming the CSV
   file's header line and the template line. */
bool wy_bind_string(WyBind *b, const WyXPath *x, WyBuf *out);
/* As wy_bind_string; *FROM is the node the string was read from when X
   gives nodes (the first in document order), else NULL. */
bool wy_bind_string_from(WyBind *b, const WyXPath *x, WyBuf *out, const xmlNode **from);
bool wy_bind_bool(WyBind *b, const WyXPath *x, bool *out);
/* False, with the missing-column error wy_bind_string gives, when X reads
   a column (WyXPath.column) that the current CSV row does not have. True
   otherwise, without evaluating X. */
bool wy_bind_column_present(WyBind *b, const WyXPath *x);
/* The value of AVT appended to OUT. */
bool wy_bind_avt(WyBind *b, const WyAvt *avt, WyBuf *out);

/* For the wy: functions (expand/functions): records why the function
   being evaluated refuses its argument; the evaluation then fails with
   this text at the expression's template line. */
void wy_bind_function_error(WyBind *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The plain words for wy:date-cn: "2023-03-21" → "2023年3月21日",
   "2023-03" → "2023年3月". Returns false when TEXT is not such a date. */
bool wy_date_cn(const char *text, WyBuf *out);

#endif
