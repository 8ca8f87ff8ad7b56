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
 *   :p             more results               :q  or an empty line at the end of input: quit
 */
#include "core/card.h"
#include "core/communes.h"
#include "core/l10n.h"
#include "core/config.h"
#include "core/paths.h"
#include "core/search.h"
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
		else if (s->ouvert == SEARCH_CLOSED)
			strbuf_addf(&sb, _(", fermé maintenant"));
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
	size_t i, j;
	struct strbuf sb = STRBUF_INIT;

	if (text != p->last) {
		free(p->last);
		p->last = strdup(text);
	}
	search_query_clear(&p->q);
	if (search_parse_input(p->db, p->last ? p->last : "", &p->q)) {
		sayf(p, _("Recherche impossible : %s"), qfq_error_msg());
		return;
	}
	if (!p->q.has_commune && p->has_commune)
		search_query_set_commune(&p->q, &p->commune);
	p->q.radius_km = p->radius;
	if (p->theme && search_query_add_theme(p->db, &p->q, p->theme) < 0) {
		sayf(p, _("Recherche impossible : %s"), qfq_error_msg());
		return;
	}
	p->q.has_when = true;
	p->q.when = p->now;
	p->q.open_only = p->open_now;
	p->q.sans_rdv = p->sans_rdv;
	p->q.limit = 200;
	if (search_run(p->db, &p->q, &p->r)) {
		sayf(p, _("Recherche impossible : %s"), qfq_error_msg());
		return;
	}
	for (i = 0; i < p->q.ngroups; i++)
		for (j = 0; j < p->q.groups[i].themes.n; j++)
			strbuf_addf(&sb, _("%sthème %s"), sb.len ? ", " : "", p->q.groups[i].themes.v[j].label);
	if (p->q.has_commune) {
		struct strbuf de = STRBUF_INIT, km = STRBUF_INIT;
		l10n_add_de(&de, p->q.commune_nom);
		l10n_add_number(&km, p->q.radius_km, p->q.radius_km == (int)p->q.radius_km ? 0 : 1);
		strbuf_addf(&sb, _("%sautour %s, %s km"), sb.len ? ", " : "", de.buf, km.buf);
		strbuf_release(&de);
		strbuf_release(&km);
	}
	if (p->open_now)
		strbuf_addf(&sb, _("%souvert maintenant"), sb.len ? ", " : "");
	if (p->sans_rdv)
		strbuf_addf(&sb, _("%ssans rendez-vous"), sb.len ? ", " : "");
	if (sb.len)
		sayf(p, _("Compris : %s."), sb.buf);
	strbuf_release(&sb);
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
	case 's': p->sans_rdv = !p->sans_rdv; say(p, p->sans_rdv ? _("Seulement sans rendez-vous.") : _("Avec ou sans rendez-vous.")); break;
	case 'p': list_more(p); return true;
	default:
		say(p, _("Commandes : :t thème, :c commune, :r rayon, :o ouvert, :s sans rendez-vous, :p suite, :q quitter."));
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
	if (p.has_commune)
		commune_clear(&p.commune);
	search_query_clear(&p.q);
	search_results_clear(&p.r);
	return 0;
}
