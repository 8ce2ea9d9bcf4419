/* wenyin's XPath functions, in the namespace urn:wenyin:functions (prefix
   wy: in every template): Chinese dates, numbers and money (expand/cjknum)
   and the stroke count of a surname (expand/names). A value a function
   cannot take stops the evaluation with an error that names the function
   and the value, at the expression's template line (expand/bind). */
#ifndef WY_FUNCTIONS_H
#define WY_FUNCTIONS_H
#include <libxml/xpath.h>
#include <stdbool.h>
#include <stddef.h>

/* True when NAME (LEN bytes, without the wy: prefix) is one of the
   functions; the template loader refuses a call to any other. */
bool wy_functions_known(const char *name, size_t len);

/* The functions as a list for messages: "wy:date-cn(), wy:compact(), …". */
const char *wy_functions_names(void);

/* Registers every function on CTX, whose userData must be the WyBind that
   evaluates with it (bad values are reported through it). */
void wy_functions_register(xmlXPathContextPtr ctx);

#endif
