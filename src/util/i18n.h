/*
 * i18n: gettext macros. Every user-facing string goes through _() (or N_()
 * where it must be a constant and is translated when used).
 */
#ifndef QFQ_UTIL_I18N_H
#define QFQ_UTIL_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#endif
