/*
 * plain: the line-by-line dialogue (`qfq --plain`, QFQ_PLAIN=1) for screen
 * readers and braille displays: the same search engine, filters and cards
 * as the full-screen interface, as numbered choices and plain lines, with
 * no cursor movement, no colour and no redrawing.
 *
 *   a query line   searches (themes and communes recognized in the text)
 *   a number       shows the card of that result
 *   :t THEME       theme filter (":t" alone removes it)
 *   :c COMMUNE     search around this commune (":c" alone: none)
 *   :r KM          radius
 *   :o             only open now (toggle)     :s  only without appointment (toggle)
 *   :u             with :o, the places with unknown hours after (toggle)
 *   :f WORDS       desk filters: gratuit, a support (surdité), an access (téléphone), rdv en ligne
 *   :p             more results               :q  or an empty line at the end of input: quit
 */
#include "core/date.h"
#include "core/card.h"
#include "core/communes.h"
#include "core/l10n.h"
#include "core/config.h"
#include "core/paths.h"
#include "core/search.h"
#include "out/motif.h"
#include "out/out.h"
#include "tui/tui.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 10

struct plain {
	sqlite3 *db;
	FILE *out;
	struct tm now;
	struct search_query q;
	struct search_results r;
	char *theme;                 /* theme filter as typed */
	struct commune commune;      /* centre */
	bool has_commune;
	double radius;
	bool open_now, sans_rdv;
	bool unknown_hours;          /* with :o, the places with unknown hours after (:u) */
	char *desk;                  /* desk filters as typed (:f), or NULL */
	char *last;                  /* last query text */
	size_t shown;                /* results listed so far */
};

/* Writes s sanitized, then a newline. */
static void say(struct plain *p, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	out_sanitize(&sb, s, strlen(s), 1);
	fprintf(p->out, "%s\n", sb.buf);
	strbuf_release(&sb);
}

static void sayf(struct plain *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sayf(struct plain *p, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	say(p, sb.buf);
	strbuf_release(&sb);
}

/* ", fermé, ouvre demain à 09:00" (false: no next opening known). */
static bool next_opening(const struct plain *p, const struct search_structure *s, struct strbuf *sb)
{
	struct tm next;

	if (!date_parse_minute(s->prochaine_ouverture, &next))
		return false;
	strbuf_addf(sb, ", %s, ", _("fermé"));
	card_next_open_fr(sb, &p->now, &next);
	return true;
}

static void list_more(struct plain *p)
{
	size_t i, end = p->shown + PAGE < p->r.n ? p->shown + PAGE : p->r.n;
	for (i = p->shown; i < end; i++) {
		const struct search_structure *s = &p->r.v[i];
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%zu. %s", i + 1, s->nom);
		if (s->commune)
			strbuf_addf(&sb, _(", %s"), s->commune);
		if (s->distance_km >= 0) {
			strbuf_addstr(&sb, _(", à "));
			l10n_add_km(&sb, s->distance_km);
		}
		if (s->ouvert == SEARCH_OPEN)
			strbuf_addf(&sb, _(", ouvert maintenant"));
		else if (s->ouvert == SEARCH_CLOSED && next_opening(p, s, &sb))
			;
		else if (s->ouvert == SEARCH_CLOSED)
			strbuf_addf(&sb, _(", fermé maintenant"));
		else if (s->horaires)
			strbuf_addf(&sb, _(", horaires inconnus"));
		strbuf_addstr(&sb, " — ");
		out_motif(&p->q, &s->reason, s->distance_km, &sb);
		say(p, sb.buf);
		strbuf_release(&sb);
	}
	p->shown = end;
	if (p->shown < p->r.n)
		sayf(p, _("%zu autres : tapez :p pour la suite."), p->r.n - p->shown);
	say(p, _("Tapez un numéro pour la fiche, ou une nouvelle recherche."));
}

static void search(struct plain *p, const char *text)
{
	struct search_settings set = { 0 };
	struct strbuf sb = STRBUF_INIT;
	char *desk = NULL;
	int built;

	if (text != p->last) {
		free(p->last);
		p->last = strdup(text);
	}
	set.themes = p->theme ? (const char *const *)&p->theme : NULL;
	set.nthemes = p->theme != NULL;
	set.commune = p->has_commune ? &p->commune : NULL;
	set.radius_km = p->radius;
	/* the state now is always said; :o keeps only what is known open */
	set.when = &p->now;
	set.open = !p->open_now ? SEARCH_MARK : p->unknown_hours ? SEARCH_OPEN_OR_UNKNOWN : SEARCH_OPEN_ONLY;
	set.sans_rdv = p->sans_rdv;
	set.limit = 200;
	if (p->desk)
		search_desk_read(p->desk, &set, &desk);
	built = search_query_build(p->db, p->last ? p->last : "", &set, &p->q);
	free(desk);
	if (built || search_run(p->db, &p->q, &p->r)) {
		sayf(p, _("Recherche impossible : %s"), qfq_error_msg());
		return;
	}
	out_reading(&p->q, &sb);
	if (p->open_now || p->sans_rdv || p->desk)
		strbuf_addstr(&sb, sb.len ? " · " : "");
	if (p->open_now || p->desk)
		out_filters(&p->q, true, &sb);
	else if (p->sans_rdv)
		strbuf_addstr(&sb, _("sans rendez-vous"));
	if (sb.len)
		sayf(p, _("Compris : %s."), sb.buf);
	strbuf_release(&sb);
	if (!p->r.n && search_open_filters(&p->q)) {
		/* nothing open: the next openings, said as such */
		if (search_next_openings(p->db, &p->q, 0, &p->r)) {
			sayf(p, _("Recherche impossible : %s"), qfq_error_msg());
			return;
		}
		if (p->r.n) {
			say(p, _("Rien d'ouvert en ce moment. Prochaines ouvertures :"));
			p->shown = 0;
			list_more(p);
			return;
		}
	}
	sayf(p, p->r.total == 1 ? _("%zu résultat.") : _("%zu résultats."), p->r.total);
	p->shown = 0;
	list_more(p);
}

static void show_card(struct plain *p, size_t n)
{
	struct card c;
	struct strbuf sb = STRBUF_INIT;
	if (n < 1 || n > p->r.n) {
		sayf(p, _("Pas de résultat numéro %zu."), n);
		return;
	}
	memset(&c, 0, sizeof(c));
	if (card_load(p->db, p->r.v[n - 1].id, &p->now, &c) != 1) {
		sayf(p, _("Fiche illisible : %s"), qfq_error_msg());
		return;
	}
	card_format_text(&c, &sb);
	say(p, sb.buf);
	say(p, _("Fin de la fiche. Un autre numéro, ou une nouvelle recherche."));
	card_clear(&c);
	strbuf_release(&sb);
}

static void set_commune(struct plain *p, const char *arg)
{
	struct commune_list l = { 0 };
	enum commune_match how;
	if (p->has_commune)
		commune_clear(&p->commune);
	p->has_commune = false;
	if (!*arg) {
		say(p, _("Plus de commune : recherche partout."));
		return;
	}
	if (communes_find(p->db, arg, &l, &how) || l.n != 1) {
		sayf(p, how == COMMUNE_AMBIGUOUS ? _("Plusieurs communes s'appellent %s : ajoutez le département.")
						 : _("Commune inconnue : %s."), arg);
	} else {
		p->commune = l.v[0];
		memset(&l.v[0], 0, sizeof(l.v[0]));
		p->has_commune = true;
		sayf(p, _("Commune : %s (%s)."), p->commune.nom, p->commune.departement);
	}
	commune_list_clear(&l);
}

/* Handles ":x arg"; returns false to quit. */
static bool command(struct plain *p, const char *line)
{
	const char *arg = line + 2;
	while (*arg == ' ')
		arg++;
	switch (line[1]) {
	case 'q': return false;
	case 't':
		free(p->theme);
		p->theme = *arg ? strdup(arg) : NULL;
		sayf(p, *arg ? _("Thème : %s.") : _("Plus de thème."), arg);
		break;
	case 'c': set_commune(p, arg); break;
	case 'r': p->radius = atof(arg) > 0 ? atof(arg) : p->radius; sayf(p, _("Rayon : %g km."), p->radius); break;
	case 'o': p->open_now = !p->open_now; say(p, p->open_now ? _("Seulement ouverts maintenant.") : _("Ouverts ou non.")); break;
	case 'u':
		p->unknown_hours = !p->unknown_hours;
		say(p, p->unknown_hours ? _("Avec :o, les horaires inconnus ensuite.")
					: _("Avec :o, seulement les horaires qui disent ouvert."));
		break;
	case 'f':
		free(p->desk);
		p->desk = *arg ? strdup(arg) : NULL;
		sayf(p, *arg ? _("Guichet : %s.") : _("Plus de critère de guichet."), arg);
		break;
	case 's': p->sans_rdv = !p->sans_rdv; say(p, p->sans_rdv ? _("Seulement sans rendez-vous.") : _("Avec ou sans rendez-vous.")); break;
	case 'p': list_more(p); return true;
	default:
		say(p, _("Commandes : :t thème, :c commune, :r rayon, :o ouvert, :s sans rendez-vous, "
			 ":u horaires inconnus après les ouverts, :f guichet (gratuit, surdité, téléphone, rdv en ligne), :p suite, "
			 ":q quitter."));
		return true;
	}
	if (p->last)
		search(p, p->last);
	return true;
}

int tui_plain(sqlite3 *db, const struct tui_options *o, FILE *in, FILE *out)
{
	struct plain p = { .db = db, .out = out, .radius = SEARCH_DEFAULT_RADIUS_KM };
	struct config cfg = CONFIG_INIT;
	const char *v, *env = getenv("QFQ_NOW");
	char *line = NULL, *end;
	size_t cap = 0, len;
	time_t tt = time(NULL);
	unsigned long n;

	localtime_r(&tt, &p.now);
	if (env && *env)
		search_parse_when(env, &p.now, &p.now);
	search_query_init(&p.q);
	config_load(paths_config_file(), &cfg);
	if ((v = config_get(&cfg, "rayon")) && atof(v) > 0)
		p.radius = atof(v);
	if ((v = o->commune ? o->commune : config_get(&cfg, "commune")))
		set_commune(&p, v);
	config_clear(&cfg);
	if (o->startup_message)
		say(&p, o->startup_message);
	say(&p, _("qfq, qui fait quoi. Tapez ce que vous cherchez (un nom, un thème comme caf, une commune), "
		  "puis Entrée. :h pour les commandes, :q pour quitter."));
	for (;;) {
		fputs("> ", out);
		fflush(out);
		if (getline(&line, &cap, in) == -1)
			break;
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (!len)
			continue;
		if (line[0] == ':') {
			if (!command(&p, line))
				break;
			continue;
		}
		n = strtoul(line, &end, 10);
		if (!*end && end != line)
			show_card(&p, n);
		else
			search(&p, line);
	}
	fputc('\n', out);
	free(line);
	free(p.last);
	free(p.theme);
	free(p.desk);
	if (p.has_commune)
		commune_clear(&p.commune);
	search_query_clear(&p.q);
	search_results_clear(&p.r);
	return 0;
}
