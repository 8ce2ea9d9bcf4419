#include "expand/bind.h"

#include <libxml/xpathInternals.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "expand/functions.h"
#include "expand/template.h"

/* ------------------------------------------------------------ messages */

/* libxml2's XPath error codes in an editor's words. */
static const char *xpath_problem(int code)
{
    switch (code) {
    case XPATH_NUMBER_ERROR: return "a number is written wrongly";
    case XPATH_UNFINISHED_LITERAL_ERROR: return "a quoted text is not closed (a ' or \" is missing)";
    case XPATH_START_LITERAL_ERROR: return "a quote is missing";
    case XPATH_VARIABLE_REF_ERROR: return "a $ must be followed by a variable name";
    case XPATH_UNDEF_VARIABLE_ERROR: return "it uses a variable that is not defined";
    case XPATH_INVALID_PREDICATE_ERROR: return "a [condition] is not written correctly";
    case XPATH_EXPR_ERROR: return "this is not a valid XPath expression";
    case XPATH_UNCLOSED_ERROR: return "a bracket is not closed";
    case XPATH_UNKNOWN_FUNC_ERROR: return "it calls a function that does not exist";
    case XPATH_INVALID_OPERAND: return "an operator is used with a value it cannot take";
    case XPATH_INVALID_TYPE: return "a function or operator got a value of the wrong kind (e.g. a number where nodes are needed)";
    case XPATH_INVALID_ARITY: return "a function is called with the wrong number of arguments";
    case XPATH_INVALID_CTXT_SIZE:
    case XPATH_INVALID_CTXT_POSITION: return "position() or last() is used where there is no list";
    case XPATH_MEMORY_ERROR: return "there is not enough memory";
    case XPATH_UNDEF_PREFIX_ERROR: return "it uses a prefix before ':' that is not declared (only wy: is)";
    case XPATH_ENCODING_ERROR:
    case XPATH_INVALID_CHAR_ERROR: return "it contains a character XPath does not allow";
    case XPATH_OP_LIMIT_EXCEEDED: return "it takes too many steps (more than 10 million); make it simpler";
    case XPATH_RECURSION_LIMIT_EXCEEDED: return "it is nested too deeply";
    default: return "it cannot be evaluated";
    }
}

/* ------------------------------------------------------------ names */

static bool name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool name_char(unsigned char c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* Length of the NCName at S (0 when none). */
static size_t ncname_len(const char *s)
{
    if (!name_start((unsigned char)s[0]))
        return 0;
    size_t n = 1;
    while (name_char((unsigned char)s[n]))
        n++;
    return n;
}

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return s;
}

/* ------------------------------------------------------------ compiler */

struct WyXPathCompiler {
    WyArena *arena;
    xmlXPathContextPtr ctx;   /* namespaces for compiling, error capture */
    xmlXPathCompExprPtr *comps;
    size_t n_comps, alloc_comps;
    const char **scope;       /* declared variable names, innermost last */
    size_t n_scope, alloc_scope;
    xmlError last_error;
    bool has_error;
};

static void capture_compile_error(void *data, xmlErrorPtr err)
{
    WyXPathCompiler *c = data;
    if (c->has_error)
        return;
    c->has_error = true;
    c->last_error.code = err->code;
    c->last_error.int1 = err->int1;
}

WyXPathCompiler *wy_xpath_compiler_new(WyArena *arena)
{
    WyXPathCompiler *c = wy_xcalloc(1, sizeof *c);
    c->arena = arena;
    c->ctx = xmlXPathNewContext(NULL);
    if (!c->ctx) {
        fputs("wenyin: out of memory\n", stderr);
        abort();
    }
    xmlXPathRegisterNs(c->ctx, BAD_CAST "wy", BAD_CAST WY_FUNCTIONS_NS);
    c->ctx->error = capture_compile_error;
    c->ctx->userData = c;
    return c;
}

void wy_xpath_compiler_free(WyXPathCompiler *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_comps; i++)
        xmlXPathFreeCompExpr(c->comps[i]);
    free(c->comps);
    free(c->scope);
    xmlXPathFreeContext(c->ctx);
    free(c);
}

void wy_xpath_declare(WyXPathCompiler *c, const char *name)
{
    if (c->n_scope == c->alloc_scope) {
        c->alloc_scope = c->alloc_scope ? c->alloc_scope * 2 : 16;
        c->scope = wy_xrealloc(c->scope, wy_mul_size(c->alloc_scope, sizeof *c->scope));
    }
    c->scope[c->n_scope++] = name;
}

size_t wy_xpath_scope_mark(const WyXPathCompiler *c)
{
    return c->n_scope;
}

void wy_xpath_scope_release(WyXPathCompiler *c, size_t mark)
{
    if (mark < c->n_scope)
        c->n_scope = mark;
}

bool wy_xpath_declared(const WyXPathCompiler *c, const char *name)
{
    for (size_t i = c->n_scope; i-- > 0;)
        if (strcmp(c->scope[i], name) == 0)
            return true;
    return false;
}

/* XPath 1.0's core library; libxml2 has no others registered by default
   that templates should rely on. */
static const char *const core_functions[] = {
    "last", "position", "count", "id", "local-name", "namespace-uri", "name",
    "string", "concat", "starts-with", "contains", "substring-before",
    "substring-after", "substring", "string-length", "normalize-space",
    "translate", "boolean", "not", "true", "false", "lang", "number", "sum",
    "floor", "ceiling", "round", NULL,
};
static const char *const node_types[] = {"comment", "text", "processing-instruction", "node", NULL};

static bool in_list(const char *const *list, const char *s, size_t len)
{
    for (; *list; list++)
        if (strlen(*list) == len && memcmp(*list, s, len) == 0)
            return true;
    return false;
}

/* Checks what libxml2 leaves to run time: every function exists and every
   $variable is declared. Tokenizes by XPath 1.0 §3.7: a name right after an
   operand is an operator name (and, or, div, mod), not a step. */
static bool static_check(WyXPathCompiler *c, const char *text, WyLoc loc, const char *attr, WyDiag *d)
{
    const char *s = text;
    bool operand_expected = true;
    while (*s) {
        unsigned char ch = (unsigned char)*s;
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            s++;
        } else if (ch == '\'' || ch == '"') {
            const char *end = strchr(s + 1, ch);
            s = end ? end + 1 : s + strlen(s);
            operand_expected = false;
        } else if ((ch >= '0' && ch <= '9') || (ch == '.' && s[1] >= '0' && s[1] <= '9')) {
            while ((*s >= '0' && *s <= '9') || *s == '.')
                s++;
            operand_expected = false;
        } else if (ch == '$') {
            s++;
            size_t n = ncname_len(s);
            if (n && s[n] == ':' && ncname_len(s + n + 1))
                n += 1 + ncname_len(s + n + 1);
            char *name = wy_xstrndup(s, n);
            bool ok = n == 0 || wy_xpath_declared(c, name);
            if (!ok)
                wy_diag_error(d, loc,
                              "%s=\"%s\" uses the variable $%s, which is not defined here; define it with "
                              "<variable name=\"%s\" select=\"…\"/> or <param name=\"%s\"/> before this line",
                              attr, text, name, name, name);
            free(name);
            if (!ok)
                return false;
            s += n;
            operand_expected = false;
        } else if (ch == ':' && s[1] == ':') {
            s += 2;
            operand_expected = true;
        } else if (ch == '(' || ch == '[' || ch == ',' || ch == '@' || ch == '|' || ch == '+' ||
                   ch == '-' || ch == '=' || ch == '<' || ch == '>' || ch == '!' || ch == '/') {
            s++;
            operand_expected = true;
        } else if (ch == ')' || ch == ']' || ch == '.') {
            s++;
            operand_expected = false;
        } else if (ch == '*') {
            s++;
            operand_expected = !operand_expected; /* name test, or multiply */
        } else if (name_start(ch)) {
            size_t n = ncname_len(s);
            const char *local = s;
            size_t local_len = n;
            bool prefixed = false;
            if (s[n] == ':' && s[n + 1] != ':' && (ncname_len(s + n + 1) || s[n + 1] == '*')) {
                prefixed = true;
                local = s + n + 1;
                local_len = s[n + 1] == '*' ? 1 : ncname_len(s + n + 1);
            }
            const char *after = local + local_len;
            if (!operand_expected) { /* and, or, div, mod */
                s = after;
                operand_expected = true;
                continue;
            }
            const char *next = skip_ws(after);
            if (*next == '(' && !(!prefixed && in_list(node_types, s, n))) {
                bool known = prefixed ? (n == 2 && memcmp(s, "wy", 2) == 0 && wy_functions_known(local, local_len))
                                      : in_list(core_functions, s, n);
                if (!known) {
                    wy_diag_error(d, loc,
                                  "%s=\"%s\" calls %.*s(), which is not a function; XPath 1.0 has "
                                  "concat(), contains(), substring(), count(), position(), … and wenyin adds %s",
                                  attr, text, (int)(after - s), s, wy_functions_names());
                    return false;
                }
            }
            s = after;
            operand_expected = false; /* a following ( or :: says otherwise */
        } else {
            s++;
        }
    }
    return true;
}

/* "职务" or "a/b": relative child steps only, no predicates, axes or
   functions. Returns the first step (arena copy) or NULL. */
static const char *plain_child_path(WyArena *a, const char *text)
{
    const char *s = skip_ws(text);
    const char *first = s;
    size_t first_len = 0;
    bool first_step = true;
    for (;;) {
        size_t n = ncname_len(s);
        if (n == 0)
            return NULL;
        if (first_step)
            first_len = n;
        first_step = false;
        s += n;
        if (*s == '/') {
            s++;
            continue;
        }
        if (*skip_ws(s) != '\0')
            return NULL;
        break;
    }
    return wy_arena_strndup(a, first, first_len);
}

/* The column an expression reads: a plain child path, or one given as a
   function's only argument (normalize-space(姓名), string-length(姓名)). */
static const char *column_of(WyArena *a, const char *text)
{
    const char *column = plain_child_path(a, text);
    if (column)
        return column;
    const char *s = skip_ws(text);
    size_t n = ncname_len(s);
    if (n == 0)
        return NULL;
    s = skip_ws(s + n);
    if (*s != '(')
        return NULL;
    const char *close = strchr(s, ')');
    if (!close || *skip_ws(close + 1) != '\0')
        return NULL;
    char *inner = wy_xstrndup(s + 1, (size_t)(close - s - 1));
    column = plain_child_path(a, inner);
    free(inner);
    return column;
}

/* Characters (not bytes) in the first BYTES bytes of UTF-8 TEXT. */
static int char_count(const char *text, size_t bytes)
{
    int n = 0;
    for (size_t i = 0; i < bytes && text[i]; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}

WyXPath *wy_xpath_compile(WyXPathCompiler *c, const char *text, WyLoc loc, const char *attr, WyDiag *d)
{
    if (*skip_ws(text) == '\0') {
        wy_diag_error(d, loc, "%s is empty; it needs an XPath expression such as issue/name", attr);
        return NULL;
    }
    c->has_error = false;
    xmlXPathCompExprPtr comp = xmlXPathCtxtCompile(c->ctx, BAD_CAST text);
    if (!comp) {
        int code = c->has_error ? c->last_error.code - XML_XPATH_EXPRESSION_OK : XPATH_EXPR_ERROR;
        if (c->has_error && c->last_error.int1 > 0)
            wy_diag_error(d, loc, "%s=\"%s\" is not a valid XPath expression: %s (at character %d)", attr, text,
                          xpath_problem(code), char_count(text, (size_t)c->last_error.int1) + 1);
        else
            wy_diag_error(d, loc, "%s=\"%s\" is not a valid XPath expression: %s", attr, text, xpath_problem(code));
        return NULL;
    }
    if (c->n_comps == c->alloc_comps) {
        c->alloc_comps = c->alloc_comps ? c->alloc_comps * 2 : 64;
        c->comps = wy_xrealloc(c->comps, wy_mul_size(c->alloc_comps, sizeof *c->comps));
    }
    c->comps[c->n_comps++] = comp;
    if (!static_check(c, text, loc, attr, d))
        return NULL;
    WyXPath *x = WY_ARENA_NEW(c->arena, WyXPath);
    x->comp = comp;
    x->text = wy_arena_strdup(c->arena, text);
    x->column = column_of(c->arena, text);
    x->loc = loc;
    return x;
}

/* End of the expression that starts at S (just after '{'): the matching
   '}' outside quotes, or NULL. */
static const char *avt_expr_end(const char *s)
{
    char quote = 0;
    for (; *s; s++) {
        if (quote) {
            if (*s == quote)
                quote = 0;
        } else if (*s == '\'' || *s == '"') {
            quote = *s;
        } else if (*s == '}') {
            return s;
        }
    }
    return NULL;
}

WyAvt *wy_avt_compile(WyXPathCompiler *c, const char *text, WyLoc loc, const char *attr, WyDiag *d)
{
    size_t alloc = 4, n = 0;
    WyAvtPart *parts = wy_xmalloc(alloc * sizeof *parts);
    WyBuf lit;
    wy_buf_init(&lit);
    const char *s = text;
    WyAvt *avt = NULL;
    for (;;) {
        bool at_end = *s == '\0';
        bool at_expr = *s == '{' && s[1] != '{';
        if ((at_end || at_expr) && lit.len) {
            if (n + 2 > alloc) {
                alloc *= 2;
                parts = wy_xrealloc(parts, wy_mul_size(alloc, sizeof *parts));
            }
            parts[n].literal = wy_arena_strndup(c->arena, lit.data, lit.len);
            parts[n++].xpath = NULL;
            wy_buf_clear(&lit);
        }
        if (at_end)
            break;
        if (at_expr) {
            const char *end = avt_expr_end(s + 1);
            if (!end) {
                wy_diag_error(d, loc, "%s=\"%s\" has a { without its }; write {{ for a brace itself", attr, text);
                goto out;
            }
            char *expr = wy_xstrndup(s + 1, (size_t)(end - s - 1));
            WyXPath *x = wy_xpath_compile(c, expr, loc, attr, d);
            free(expr);
            if (!x)
                goto out;
            if (n + 2 > alloc) {
                alloc *= 2;
                parts = wy_xrealloc(parts, wy_mul_size(alloc, sizeof *parts));
            }
            parts[n].literal = NULL;
            parts[n++].xpath = x;
            s = end + 1;
        } else if ((*s == '{' && s[1] == '{') || (*s == '}' && s[1] == '}')) {
            wy_buf_putc(&lit, *s);
            s += 2;
        } else if (*s == '}') {
            wy_diag_error(d, loc, "%s=\"%s\" has a } without its {; write }} for a brace itself", attr, text);
            goto out;
        } else {
            wy_buf_putc(&lit, *s++);
        }
    }
    avt = WY_ARENA_NEW(c->arena, WyAvt);
    avt->parts = WY_ARENA_ARRAY(c->arena, WyAvtPart, n ? n : 1);
    memcpy(avt->parts, parts, n * sizeof *parts);
    avt->n_parts = n;
    avt->text = wy_arena_strdup(c->arena, text);
    avt->attr = wy_arena_strdup(c->arena, attr);
    avt->loc = loc;
out:
    free(parts);
    wy_buf_release(&lit);
    return avt;
}

bool wy_avt_is_literal(const WyAvt *avt)
{
    for (size_t i = 0; i < avt->n_parts; i++)
        if (avt->parts[i].xpath)
            return false;
    return true;
}

/* ------------------------------------------------------------ wy:date-cn */

static bool read_int(const char **p, int max_digits, int *out)
{
    const char *s = *p;
    int v = 0, n = 0;
    while (*s >= '0' && *s <= '9' && n < max_digits) {
        v = v * 10 + (*s - '0');
        s++;
        n++;
    }
    if (n == 0 || (*s >= '0' && *s <= '9'))
        return false;
    *p = s;
    *out = v;
    return true;
}

/* A separator between year, month and day: - / . or 年/月. */
static bool read_sep(const char **p)
{
    const char *s = *p;
    if (*s == '-' || *s == '/' || *s == '.') {
        *p = s + 1;
        return true;
    }
    static const char *const words[] = {"年", "月"};
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(words[i]);
        if (strncmp(s, words[i], n) == 0) {
            *p = s + n;
            return true;
        }
    }
    return false;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

bool wy_date_cn(const char *text, WyBuf *out)
{
    const char *s = skip_ws(text);
    if (*s == '\0')
        return true; /* no date: nothing to print */
    int year, month, day = 0;
    if (!read_int(&s, 4, &year) || year < 1000 || !read_sep(&s) || !read_int(&s, 2, &month) ||
        month < 1 || month > 12)
        return false;
    bool has_day = false;
    if (read_sep(&s)) {
        if (*s != '\0' && !(*s == ' ' || *s == '\t')) {
            if (!read_int(&s, 2, &day) || day < 1 || day > days_in_month(year, month))
                return false;
            has_day = true;
            if (strncmp(s, "日", strlen("日")) == 0)
                s += strlen("日");
        }
    }
    if (*skip_ws(s) != '\0')
        return false;
    if (has_day)
        wy_buf_printf(out, "%d年%d月%d日", year, month, day);
    else
        wy_buf_printf(out, "%d年%d月", year, month);
    return true;
}

/* ------------------------------------------------------------ binder */

typedef struct BoundVar {
    const char *name;
    xmlXPathObjectPtr value;
} BoundVar;

struct WyBind {
    xmlXPathContextPtr ctx;
    WyDiag *d;
    WyBindContext cur;
    BoundVar *vars;
    size_t n_vars, alloc_vars;
    bool has_error;
    int error_code;
    WyBuf function_error; /* a wy: function's own explanation */
};

static void capture_eval_error(void *data, xmlErrorPtr err)
{
    WyBind *b = data;
    if (b->has_error)
        return;
    b->has_error = true;
    b->error_code = err->code - XML_XPATH_EXPRESSION_OK;
}

static xmlXPathObjectPtr lookup_variable(void *data, const xmlChar *name, const xmlChar *ns_uri)
{
    WyBind *b = data;
    if (ns_uri)
        return NULL;
    for (size_t i = b->n_vars; i-- > 0;)
        if (strcmp(b->vars[i].name, (const char *)name) == 0)
            return xmlXPathObjectCopy(b->vars[i].value);
    return NULL;
}

WyBind *wy_bind_new(xmlDocPtr data, WyDiag *d)
{
    WyBind *b = wy_xcalloc(1, sizeof *b);
    b->d = d;
    b->ctx = xmlXPathNewContext(data);
    if (!b->ctx) {
        fputs("wenyin: out of memory\n", stderr);
        abort();
    }
    wy_buf_init(&b->function_error);
    xmlXPathRegisterNs(b->ctx, BAD_CAST "wy", BAD_CAST WY_FUNCTIONS_NS);
    wy_functions_register(b->ctx);
    xmlXPathRegisterVariableLookup(b->ctx, lookup_variable, b);
    b->ctx->error = capture_eval_error;
    b->ctx->userData = b;
    b->ctx->opLimit = WY_XPATH_OP_LIMIT;
    b->cur.node = xmlDocGetRootElement(data);
    b->cur.position = 1;
    b->cur.size = 1;
    return b;
}

void wy_bind_function_error(WyBind *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wy_buf_clear(&b->function_error);
    wy_buf_vprintf(&b->function_error, fmt, ap);
    va_end(ap);
}

void wy_bind_free(WyBind *b)
{
    if (!b)
        return;
    wy_bind_var_pop(b, 0);
    free(b->vars);
    xmlXPathFreeContext(b->ctx);
    wy_buf_release(&b->function_error);
    free(b);
}

WyBindContext wy_bind_context(const WyBind *b)
{
    return b->cur;
}

void wy_bind_set_context(WyBind *b, WyBindContext ctx)
{
    b->cur = ctx;
}

size_t wy_bind_var_mark(const WyBind *b)
{
    return b->n_vars;
}

void wy_bind_var_push(WyBind *b, const char *name, xmlXPathObjectPtr value)
{
    if (b->n_vars == b->alloc_vars) {
        b->alloc_vars = b->alloc_vars ? b->alloc_vars * 2 : 16;
        b->vars = wy_xrealloc(b->vars, wy_mul_size(b->alloc_vars, sizeof *b->vars));
    }
    b->vars[b->n_vars].name = name;
    b->vars[b->n_vars].value = value;
    b->n_vars++;
}

void wy_bind_var_pop(WyBind *b, size_t mark)
{
    while (b->n_vars > mark) {
        b->n_vars--;
        xmlXPathFreeObject(b->vars[b->n_vars].value);
    }
}

xmlXPathObjectPtr wy_bind_eval(WyBind *b, const WyXPath *x)
{
    b->ctx->node = b->cur.node;
    b->ctx->contextSize = b->cur.size;
    b->ctx->proximityPosition = b->cur.position;
    /* libxml2 never resets the count: the limit is per expression here */
    b->ctx->opCount = 0;
    b->has_error = false;
    wy_buf_clear(&b->function_error);
    xmlXPathObjectPtr r = xmlXPathCompiledEval(x->comp, b->ctx);
    if (r && !b->has_error)
        return r;
    xmlXPathFreeObject(r);
    if (b->function_error.len)
        wy_diag_error(b->d, x->loc, "\"%s\" cannot be evaluated: %s", x->text, wy_buf_str(&b->function_error));
    else
        wy_diag_error(b->d, x->loc, "\"%s\" cannot be evaluated: %s", x->text,
                      xpath_problem(b->has_error ? b->error_code : -1));
    return NULL;
}

static const char *type_name(xmlXPathObjectType t)
{
    switch (t) {
    case XPATH_BOOLEAN: return "true or false";
    case XPATH_NUMBER: return "a number";
    case XPATH_STRING: return "a text";
    default: return "something else";
    }
}

xmlXPathObjectPtr wy_bind_nodes(WyBind *b, const WyXPath *x, const char *purpose)
{
    xmlXPathObjectPtr r = wy_bind_eval(b, x);
    if (!r)
        return NULL;
    if (r->type != XPATH_NODESET) {
        wy_diag_error(b->d, x->loc, "%s=\"%s\" gives %s, but it must select nodes (a path such as row or articles/article)",
                      purpose, x->text, type_name(r->type));
        xmlXPathFreeObject(r);
        return NULL;
    }
    return r;
}

/* The file a CSV row came from, when NODE is one: <row> under an element
   whose file attribute names a spreadsheet. Borrowed from the data tree. */
static const char *csv_file_of_row(xmlNodePtr node)
{
    if (!node || node->type != XML_ELEMENT_NODE || strcmp((const char *)node->name, "row") != 0 ||
        !node->parent || node->parent->type != XML_ELEMENT_NODE)
        return NULL;
    xmlAttrPtr file = xmlHasProp(node->parent, BAD_CAST "file");
    if (!file || !file->children || !file->children->content)
        return NULL;
    const char *path = (const char *)file->children->content;
    const char *dot = strrchr(path, '.');
    if (!dot || (strcasecmp(dot, ".csv") != 0 && strcasecmp(dot, ".tsv") != 0 && strcasecmp(dot, ".txt") != 0))
        return NULL;
    return path;
}

static bool has_child_named(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return true;
    return false;
}

/* The editor fixes a missing column in the spreadsheet, so the error
   points at its header line and names the template line that uses it. */
static void report_missing_column(WyBind *b, const WyXPath *x, const char *csv)
{
    WyBuf header;
    wy_buf_init(&header);
    for (xmlNodePtr c = b->cur.node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            wy_buf_printf(&header, "%s%s", header.len ? ", " : "", (const char *)c->name);
    wy_diag_error(b->d, wy_loc(csv, 1, 1), "column %s is missing (its header row has: %s); the template %s:%d uses it",
                  x->column, wy_buf_str(&header), x->loc.file, x->loc.line);
    wy_buf_release(&header);
}

bool wy_bind_column_present(WyBind *b, const WyXPath *x)
{
    if (!x->column)
        return true;
    const char *csv = csv_file_of_row(b->cur.node);
    if (!csv || has_child_named(b->cur.node, x->column))
        return true;
    report_missing_column(b, x, csv);
    return false;
}

static bool check_column(WyBind *b, const WyXPath *x, const xmlXPathObject *r)
{
    if (!x->column || r->type != XPATH_NODESET || (r->nodesetval && r->nodesetval->nodeNr > 0))
        return true;
    return wy_bind_column_present(b, x);
}

bool wy_bind_string(WyBind *b, const WyXPath *x, WyBuf *out)
{
    return wy_bind_string_from(b, x, out, NULL);
}

bool wy_bind_string_from(WyBind *b, const WyXPath *x, WyBuf *out, const xmlNode **from)
{
    if (from)
        *from = NULL;
    xmlXPathObjectPtr r = wy_bind_eval(b, x);
    if (!r)
        return false;
    bool ok = check_column(b, x, r);
    if (ok && from && r->type == XPATH_NODESET && r->nodesetval && r->nodesetval->nodeNr > 0) {
        /* a node-set's string is its first node's in document order */
        xmlXPathNodeSetSort(r->nodesetval);
        *from = r->nodesetval->nodeTab[0];
    }
    if (ok) {
        xmlChar *s = xmlXPathCastToString(r);
        if (s) {
            wy_buf_puts(out, (const char *)s);
            xmlFree(s);
        }
    }
    xmlXPathFreeObject(r);
    return ok;
}

bool wy_bind_bool(WyBind *b, const WyXPath *x, bool *out)
{
    xmlXPathObjectPtr r = wy_bind_eval(b, x);
    if (!r)
        return false;
    *out = xmlXPathCastToBoolean(r) != 0;
    xmlXPathFreeObject(r);
    return true;
}

bool wy_bind_avt(WyBind *b, const WyAvt *avt, WyBuf *out)
{
    for (size_t i = 0; i < avt->n_parts; i++) {
        if (avt->parts[i].literal)
            wy_buf_puts(out, avt->parts[i].literal);
        else if (!wy_bind_string(b, avt->parts[i].xpath, out))
            return false;
    }
    return true;
}
