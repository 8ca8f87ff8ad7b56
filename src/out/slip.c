/*
 * slip: building and writing the fiche d'orientation (see slip.h).
 */
#include "out/slip.h"
#include "core/card.h"
#include "core/l10n.h"
#include "core/hours.h"
#include "db/referrals.h"
#include "out/html.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void slip_date_fr(struct strbuf *sb, const struct tm *t)
{
	l10n_add_day_date(sb, t);
}

static void add(struct slip *s, const char *label, const char *value, int day, int today)
{
	struct slip_line *l;
	if (!value || !*value)
		return;
	XGROW(s->v, s->alloc, s->n + 1);
	l = &s->v[s->n++];
	l->label = label ? xstrdup(label) : NULL;
	l->value = xstrdup(value);
	l->day = day;
	l->today = today;
}

/*
 * The open spans of one day, minute by minute through hours_state_at() so
 * that every rule of the engine (public holidays, dated rules) applies:
 * "09:00–12:00, 14:00–17:00", "fermé", or "horaires non précisés".
 */
static void day_hours(const struct hours *h, const struct tm *day, struct strbuf *sb)
{
	struct tm t = *day;
	signed char st[1441];
	int m, start = -1, any_known = 0, spans = 0, unsure = 0;
	for (m = 0; m < 1440; m++) {
		t.tm_hour = m / 60;
		t.tm_min = m % 60;
		st[m] = (signed char)hours_state_at(h, &t);
		any_known |= st[m] != HOURS_UNKNOWN;
	}
	st[1440] = HOURS_CLOSED;
	for (m = 0; m <= 1440; m++) {
		/* uncertain times ("sur rendez-vous", an unknown end) are spans too,
		 * marked, when the day says something */
		bool on = st[m] == HOURS_OPEN || st[m] == HOURS_OPEN_END || (st[m] == HOURS_UNKNOWN && any_known);
		if (on && start < 0) {
			start = m;
			unsure = 0;
		}
		if (on)
			unsure |= st[m] != HOURS_OPEN;
		if (!on && start >= 0) {
			strbuf_addf(sb, "%s%02d:%02d–%02d:%02d%s", spans++ ? ", " : "", start / 60, start % 60,
				    m / 60, m % 60, unsure ? _(" (à confirmer)") : "");
			start = -1;
		}
	}
	if (!spans)
		strbuf_addstr(sb, any_known ? _("fermé") : _("horaires non précisés"));
}

static void add_week(struct slip *s, const struct card *c, const struct tm *today)
{
	struct hours *h = NULL;
	struct strbuf label = STRBUF_INIT, value = STRBUF_INIT;
	int d;
	if (c->fermeture)
		add(s, _("Fermeture temporaire"), c->fermeture, 0, 0);
	if (!c->horaires || hours_parse(c->horaires, &h)) {
		add(s, _("Horaires"), c->horaires ? c->horaires : _("non connus : téléphoner avant de venir"), 0, 0);
		return;
	}
	if (c->ferme_du)
		hours_set_closure(h, c->ferme_du, c->ferme_au);
	add(s, _("Horaires des 7 prochains jours"), " ", 0, 0);
	for (d = 0; d < 7; d++) {
		struct tm day = *today;
		day.tm_mday += d;
		day.tm_hour = 12;
		day.tm_min = day.tm_sec = 0;
		day.tm_isdst = -1;
		mktime(&day);
		strbuf_reset(&label);
		strbuf_reset(&value);
		slip_date_fr(&label, &day);
		if (d == 0)
			strbuf_addf(&label, " (%s)", _("aujourd'hui"));
		day_hours(h, &day, &value);
		add(s, label.buf, value.buf, 1, d == 0);
	}
	hours_free(h);
	strbuf_release(&label);
	strbuf_release(&value);
}

/* How to get in: walk in or by appointment, by phone, online. */
static void add_access(struct slip *s, const struct card *c)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	if (c->sans_rdv == 1)
		strbuf_addstr(&sb, _("sans rendez-vous"));
	else if (c->sans_rdv == 0)
		strbuf_addstr(&sb, _("sur rendez-vous"));
	for (i = 0; i < c->modalites_acces.n; i++)
		strbuf_addf(&sb, "%s%s", sb.len ? " ; " : "", c->modalites_acces.v[i]);
	if (c->telephone)
		strbuf_addf(&sb, "%s%s", sb.len ? " ; " : "", _("par téléphone"));
	if (c->prise_rdv)
		strbuf_addf(&sb, "%s%s %s", sb.len ? " ; " : "", _("rendez-vous en ligne :"), c->prise_rdv);
	add(s, _("Comment y aller"), sb.buf, 0, 0);
	strbuf_release(&sb);
}

void slip_build(struct slip *s, const struct card *c, const char *theme, long long referral_id,
		const struct slip_referrer *ref, const struct tm *today)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->title = xstrdup(c->nom ? c->nom : "?");
	s->theme = theme ? xstrdup(theme) : NULL;
	s->referral_id = referral_id;
	add(s, _("Pour"), theme, 0, 0);
	if (c->adresse)
		strbuf_addstr(&sb, c->adresse);
	if (c->complement_adresse)
		strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", c->complement_adresse);
	if (c->commune)
		strbuf_addf(&sb, "%s%s%s%s", sb.len ? ", " : "", c->code_postal ? c->code_postal : "",
			    c->code_postal ? " " : "", c->commune);
	add(s, _("Adresse"), sb.buf, 0, 0);
	add_access(s, c);
	add(s, _("Téléphone"), c->telephone, 0, 0);
	strbuf_reset(&sb);
	for (i = 0; i < c->courriels.n; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", c->courriels.v[i]);
	add(s, _("Courriel"), sb.buf, 0, 0);
	add(s, _("Site"), c->site_web, 0, 0);
	add_week(s, c, today);
	strbuf_reset(&sb);
	if (ref && ref->person)
		strbuf_addstr(&sb, ref->person);
	if (ref && ref->structure)
		strbuf_addf(&sb, sb.len ? " (%s)" : "%s", ref->structure);
	add(s, _("Orienté par"), sb.buf, 0, 0);
	strbuf_reset(&sb);
	if (ref && ref->phone)
		strbuf_addstr(&sb, ref->phone);
	if (ref && ref->email)
		strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", ref->email);
	add(s, _("Contact de qui oriente"), sb.buf, 0, 0);
	strbuf_release(&sb);
}

void slip_clear(struct slip *s)
{
	size_t i;
	for (i = 0; i < s->n; i++) {
		free(s->v[i].label);
		free(s->v[i].value);
	}
	free(s->v);
	free(s->title);
	free(s->theme);
	memset(s, 0, sizeof(*s));
}

/* Appends line to sb, cut at spaces into lines of at most SLIP_TEXT_WIDTH
 * characters (a longer word, e.g. a link, is cut where it must be). */
static void wrap(struct strbuf *sb, const char *line)
{
	size_t len = strlen(line), i = 0;
	while (i < len) {
		size_t chars = 0, j = i, cut = 0;
		int32_t cp;
		while (j < len && chars < SLIP_TEXT_WIDTH) {
			if (line[j] == ' ')
				cut = j;
			j += utf8_decode(line + j, len - j, &cp);
			chars++;
		}
		if (j >= len) {
			cut = len;
		} else if (cut <= i) {
			cut = j;
		}
		strbuf_add(sb, line + i, cut - i);
		strbuf_addch(sb, '\n');
		i = cut;
		while (i < len && line[i] == ' ')
			i++;
	}
}

void slip_text(const struct slip *s, struct strbuf *sb)
{
	struct strbuf line = STRBUF_INIT;
	size_t i;
	strbuf_addf(&line, "%s : %s", _("Fiche d'orientation"), s->title);
	wrap(sb, line.buf);
	for (i = 0; i < s->n; i++) {
		const struct slip_line *l = &s->v[i];
		strbuf_reset(&line);
		if (l->day)
			strbuf_addf(&line, "- %s : %s", l->label, l->value);
		else if (!strcmp(l->value, " "))
			strbuf_addf(&line, "%s :", l->label);
		else
			strbuf_addf(&line, "%s : %s", l->label, l->value);
		wrap(sb, line.buf);
	}
	if (s->referral_id) {
		strbuf_reset(&line);
		strbuf_addf(&line, _("Orientation n° %lld"), s->referral_id);
		wrap(sb, line.buf);
	}
	strbuf_release(&line);
}

static const char slip_css[] =
	"@page { size: A4; margin: 15mm; }\n"
	"body { font-family: sans-serif; font-size: 12pt; line-height: 1.35; max-width: 180mm; margin: 1em auto; "
	"color: #000; }\n"
	"h1 { font-size: 18pt; margin: 0 0 0.2em; }\n"
	"p.pour { font-size: 13pt; margin: 0 0 0.8em; }\n"
	"dl { margin: 0; } dt { font-weight: bold; margin-top: 0.5em; } dd { margin: 0 0 0 1em; }\n"
	"table.semaine { border-collapse: collapse; margin: 0.3em 0 0 1em; }\n"
	"table.semaine td { padding: 0.1em 0.8em 0.1em 0; }\n"
	"tr.aujourdhui td { font-weight: bold; border-top: 1px solid #000; border-bottom: 1px solid #000; }\n"
	"p.pied { margin-top: 1.2em; font-size: 9pt; }\n"
	"@media print { body { margin: 0; max-width: none; font-size: 11pt; } }\n";

void slip_html(const struct slip *s, struct strbuf *sb)
{
	size_t i;
	int in_week = 0;
	strbuf_addstr(sb, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
	html_escape(sb, _("Fiche d'orientation"));
	strbuf_addstr(sb, " – ");
	html_escape(sb, s->title);
	strbuf_addf(sb, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", slip_css);
	html_escape(sb, s->title);
	strbuf_addstr(sb, "</h1>\n");
	if (s->theme) {
		strbuf_addstr(sb, "<p class=\"pour\">");
		html_escape(sb, _("Pour"));
		strbuf_addstr(sb, " : ");
		html_escape(sb, s->theme);
		strbuf_addstr(sb, "</p>\n");
	}
	strbuf_addstr(sb, "<dl>\n");
	for (i = 0; i < s->n; i++) {
		const struct slip_line *l = &s->v[i];
		if (l->day) {
			strbuf_addf(sb, "<tr%s><td>", l->today ? " class=\"aujourdhui\"" : "");
			html_escape(sb, l->label);
			strbuf_addstr(sb, "</td><td>");
			html_escape(sb, l->value);
			strbuf_addstr(sb, "</td></tr>\n");
			continue;
		}
		if (in_week) {
			strbuf_addstr(sb, "</table></dd>\n");
			in_week = 0;
		}
		if (s->theme && l->label && !strcmp(l->label, _("Pour")))
			continue;
		strbuf_addstr(sb, "<dt>");
		html_escape(sb, l->label);
		strbuf_addstr(sb, "</dt>\n");
		if (!strcmp(l->value, " ")) {
			strbuf_addstr(sb, "<dd><table class=\"semaine\">\n");
			in_week = 1;
		} else {
			strbuf_addstr(sb, "<dd>");
			html_escape(sb, l->value);
			strbuf_addstr(sb, "</dd>\n");
		}
	}
	if (in_week)
		strbuf_addstr(sb, "</table></dd>\n");
	strbuf_addstr(sb, "</dl>\n");
	if (s->referral_id) {
		strbuf_addstr(sb, "<p class=\"pied\">");
		strbuf_addf(sb, _("Orientation n° %lld"), s->referral_id);
		strbuf_addstr(sb, "</p>\n");
	}
	strbuf_addstr(sb, "</body>\n</html>\n");
}

int slip_load(sqlite3 *db, long long referral_id, long long place, const char *theme, long long from_structure,
	      const struct tm *now, struct slip *out)
{
	struct referral r = { 0 };
	struct referral_contact who = { 0 };
	struct slip_referrer ref = { 0 };
	struct card card;
	long long from_person = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&card, 0, sizeof(card));
	if (referral_id) {
		if ((rc = referral_get(db, referral_id, &r)) <= 0)
			return rc;
		place = r.to_id;
		theme = r.theme;
		from_structure = r.from_id;
		from_person = r.from_person_id;
	}
	rc = place ? card_load(db, place, now, &card) : 0;
	if (rc == 1 && referral_contact(db, from_person, from_structure, &who))
		rc = -1;
	if (rc == 1) {
		ref.structure = who.structure;
		ref.person = who.person;
		ref.phone = who.phone;
		ref.email = who.email;
		slip_build(out, &card, theme, referral_id, &ref, now);
	}
	referral_contact_clear(&who);
	referral_clear(&r);
	card_clear(&card);
	return rc;
}
