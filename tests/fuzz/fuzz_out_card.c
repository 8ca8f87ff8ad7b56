/*
 * fuzz_out_card: libFuzzer target for the card writer: card_format_text()
 * (src/core/card.c) then out_sanitize() with newlines kept, exactly what
 * `qfq show` prints. The input's cells (separated by 0x1F) fill the card's
 * text fields, lists, members, territories and permanences in turn.
 * Checks: valid UTF-8, no unsafe code point but the newlines.
 *
 * The card is filled here, not loaded: card_load() and its queries are
 * never called, so db_prepare(), db_stmt(), db_stmt_done() and db_error()
 * get stand-ins below rather than dragging the whole database layer into
 * the target.
 */
#include "core/card.h"
#include "db/db.h"
#include "out/out.h"
#include "util/strbuf.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	(void)db, (void)sql, (void)st;
	abort();
}

int db_stmt(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	(void)db, (void)sql, (void)st;
	abort();
}

void db_stmt_done(sqlite3_stmt *st)
{
	(void)st;
	abort();
}

int db_error(sqlite3 *db, const char *what)
{
	(void)db, (void)what;
	abort();
}

struct feed {
	char **cells;
	size_t n, i;
};

/* The next cell as a malloc'd string (card_clear() frees it), NULL when
 * the cells are used up or every third time, as unknown fields are. */
static char *next(struct feed *f)
{
	char *c;
	if (f->i >= f->n)
		return NULL;
	c = f->cells[f->i++];
	if (*c == '~')
		return NULL;
	return strdup(c);
}

static void fill_strings(struct feed *f, struct card_strings *l, size_t k)
{
	size_t i;
	l->v = calloc(k + 1, sizeof(char *));
	for (i = 0; i < k; i++) {
		char *s = next(f);
		if (s)
			l->v[l->n++] = s;
	}
	l->alloc = k + 1;
}

static void fill_themes(struct feed *f, struct card_themes *t, size_t k)
{
	size_t i;
	t->v = calloc(k + 1, sizeof(*t->v));
	t->alloc = k + 1;
	for (i = 0; i < k; i++) {
		struct card_theme *x = &t->v[t->n++];
		x->id = (sqlite3_int64)i + 1;
		x->slug = next(f);
		x->label = next(f);
		if (!x->label)
			x->label = strdup("");
		x->parent_label = next(f);
		x->standard = next(f);
	}
}

static void fill_permanences(struct feed *f, struct card_permanence **v, size_t *n, size_t k)
{
	size_t i;
	*v = calloc(k + 1, sizeof(**v));
	for (i = 0; i < k; i++) {
		struct card_permanence *p = &(*v)[(*n)++];
		p->id = (sqlite3_int64)i + 1;
		p->host_id = (sqlite3_int64)(i & 1);
		p->lieu = next(f);
		p->adresse = next(f);
		p->code_insee = next(f);
		p->commune = next(f);
		p->horaires = next(f);
		p->horaires_fr = next(f);
		p->sur_rdv = (int)(i % 3) - 1;
		p->description = next(f);
		fill_themes(f, &p->themes, 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cells[400], *buf;
	struct strbuf text = STRBUF_INIT, safe = STRBUF_INIT;
	struct card c;
	struct feed f;
	size_t i, k;

	if (size < 2)
		return 0;
	k = 1 + data[0] % 3;
	f.n = fc_cells(data + 2, size - 2, &buf, cells, 400);
	f.cells = cells;
	f.i = 0;
	memset(&c, 0, sizeof(c));
	c.id = 1 + data[1];
	c.nom = next(&f);
	if (!c.nom)
		c.nom = strdup("");
	fill_strings(&f, &c.aliases, k);
	fill_strings(&f, &c.typologie, k);
	fill_strings(&f, &c.typologie_labels, c.typologie.n);
	c.siret = next(&f);
	c.parent_id = data[1] & 1;
	c.parent_nom = next(&f);
	c.adresse = next(&f);
	c.complement_adresse = next(&f);
	c.code_postal = next(&f);
	c.code_insee = next(&f);
	c.commune = next(&f);
	c.departement = next(&f);
	c.departement_nom = next(&f);
	c.epci_nom = next(&f);
	c.has_coords = data[1] & 2;
	c.latitude = 44.7 + data[0] / 100.0;
	c.longitude = -0.5 + data[1] / 50.0;
	c.coord_exact = data[1] & 4;
	c.telephone = next(&f);
	fill_strings(&f, &c.courriels, k);
	c.site_web = next(&f);
	c.prise_rdv = next(&f);
	c.horaires = next(&f);
	c.horaires_ok = (int)(data[1] % 3) - 1;
	c.horaires_error = next(&f);
	c.horaires_fr = next(&f);
	c.state = (enum hours_state)0;
	c.ouverture = next(&f);
	c.sans_rdv = (int)(data[0] % 3) - 1;
	c.presentation_resume = next(&f);
	c.presentation_detail = next(&f);
	fill_themes(&f, &c.services, k);
	fill_strings(&f, &c.publics, k);
	fill_strings(&f, &c.prise_en_charge, 1);
	fill_strings(&f, &c.modalites_acces, 1);
	fill_strings(&f, &c.modalites_accompagnement, 1);
	fill_strings(&f, &c.frais, 1);
	fill_strings(&f, &c.dispositifs, 1);
	fill_strings(&f, &c.itinerance, 1);
	fill_strings(&f, &c.formations_labels, 1);
	fill_strings(&f, &c.autres_formations_labels, 1);
	fill_strings(&f, &c.tags, 1);
	c.members = calloc(k, sizeof(*c.members));
	for (i = 0; i < k; i++) {
		struct card_member *m = &c.members[c.n_members++];
		m->person_id = (sqlite3_int64)i + 1;
		m->nom = next(&f);
		if (!m->nom)
			m->nom = strdup("");
		m->prenom = next(&f);
		m->display = next(&f);
		if (!m->display)
			m->display = strdup("");
		m->role = next(&f);
		m->debut = next(&f);
		m->fin = next(&f);
		fill_strings(&f, &m->courriels, 1);
		fill_strings(&f, &m->telephones, 1);
		fill_themes(&f, &m->themes, 1);
		m->referent = i & 1;
	}
	fill_themes(&f, &c.member_themes, 1);
	c.territories = calloc(k, sizeof(*c.territories));
	for (i = 0; i < k; i++) {
		struct card_territory *t = &c.territories[c.n_territories++];
		t->kind = strdup(i % 2 ? "epci" : "commune");
		t->code = next(&f);
		if (!t->code)
			t->code = strdup("07186");
		t->nom = next(&f);
	}
	fill_permanences(&f, &c.permanences, &c.n_permanences, k);
	fill_permanences(&f, &c.hosted, &c.n_hosted, 1);
	c.source = next(&f);
	c.source_id = next(&f);
	c.date_maj = next(&f);
	c.freshness_months = data[0] % 40 - 1;
	c.created_at = next(&f);
	c.updated_at = next(&f);

	card_format_text(&c, &text);
	out_sanitize(&safe, text.buf, text.len, 1);
	fc_check_safe("card", safe.buf, safe.len, "\n");
	card_clear(&c);
	strbuf_release(&text);
	strbuf_release(&safe);
	free(buf);
	return 0;
}
