/* l10n: language-dependent wording rules (see l10n.h). */
#include "build_config.h"
#include "core/l10n.h"
#include "core/hours.h"
#include "core/text.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <string.h>

static bool data_wording;

void l10n_data_wording(bool on)
{
	data_wording = on;
	/* a domain without a catalogue: gettext returns the sources' own text */
	textdomain(on ? GETTEXT_PACKAGE "-data" : GETTEXT_PACKAGE);
}

bool l10n_french(void)
{
	static int french = -1;
	if (data_wording)
		return true;
	if (french < 0) {
		/* gettext("") is the header of the catalogue in use, "" when none:
		 * then the sources' wording is shown, whose desk phrases are French */
		const char *h = gettext("");
		const char *l = h ? strstr(h, "Language: ") : NULL;
		french = !h || !*h || (l && !strncmp(l + 10, "fr", 2));
	}
	return french;
}

void l10n_add_number(struct strbuf *sb, double v, int prec)
{
	size_t at = sb->len;
	char *dot;
	strbuf_addf(sb, "%.*f", prec, v);
	if (l10n_french() && (dot = strchr(sb->buf + at, '.')))
		*dot = ',';
}

void l10n_add_km(struct strbuf *sb, double km)
{
	l10n_add_number(sb, km, 1);
	strbuf_addstr(sb, " km");
}

void l10n_add_de(struct strbuf *sb, const char *name)
{
	struct strbuf first = STRBUF_INIT;
	bool vowel;

	if (!name)
		name = "";
	if (!l10n_french()) {
		strbuf_addstr(sb, name);
		return;
	}
	/* "Le Cheylard" -> "du Cheylard", "Les Vans" -> "des Vans" */
	if (!strncmp(name, "Le ", 3)) {
		strbuf_addf(sb, "du %s", name + 3);
		return;
	}
	if (!strncmp(name, "Les ", 4)) {
		strbuf_addf(sb, "des %s", name + 4);
		return;
	}
	/* fold the first character (É -> e) and look at it */
	text_fold(&first, name, strnlen(name, 4));
	vowel = first.len && strchr("aeiouy", first.buf[0]) != NULL;
	strbuf_release(&first);
	strbuf_addstr(sb, vowel ? "d'" : "de ");
	strbuf_addstr(sb, name);
}

static const char *const day_en[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};

static const char *const month_en[12] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December",
};

const char *l10n_day(int tm_wday)
{
	if (tm_wday < 0 || tm_wday > 6)
		return "";
	return l10n_french() ? hours_day_fr(tm_wday) : day_en[tm_wday];
}

const char *l10n_month(int tm_mon)
{
	if (tm_mon < 0 || tm_mon > 11)
		return "";
	return l10n_french() ? hours_month_fr(tm_mon) : month_en[tm_mon];
}

void l10n_add_day_date(struct strbuf *sb, const struct tm *t)
{
	strbuf_addf(sb, "%s %d%s %s", l10n_day(t->tm_wday), t->tm_mday,
		    t->tm_mday == 1 && l10n_french() ? "er" : "", l10n_month(t->tm_mon));
}
