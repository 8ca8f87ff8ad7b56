/*
 * show: `qfq show ID [--format text|json]`, the full card of a structure
 * (the same card the TUI shows, from core/card.h): address, hours in words,
 * open now or next opening, services, audiences, modalities, fees, members,
 * permanences, source and date. ID is the structure's number (as `qfq
 * search` lists it); a name is accepted when it designates one structure.
 */
#include "cmd/cmd.h"
#include "core/card.h"
#include "core/names.h"
#include "out/json.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void json_strings(struct json_writer *jw, const char *key, const struct card_strings *l)
{
	size_t i;
	json_key(jw, key);
	json_array_begin(jw);
	for (i = 0; i < l->n; i++)
		json_str(jw, l->v[i]);
	json_array_end(jw);
}

static void json_themes(struct json_writer *jw, const char *key, const struct card_themes *t)
{
	size_t i;
	json_key(jw, key);
	json_array_begin(jw);
	for (i = 0; i < t->n; i++) {
		json_object_begin(jw);
		json_key(jw, "id");
		json_int(jw, t->v[i].id);
		json_kv_str(jw, "slug", t->v[i].slug);
		json_kv_str(jw, "label", t->v[i].label);
		json_kv_str(jw, "parent", t->v[i].parent_label);
		json_kv_str(jw, "standard", t->v[i].standard);
		json_object_end(jw);
	}
	json_array_end(jw);
}

static void json_tri(struct json_writer *jw, const char *key, int v)
{
	json_key(jw, key);
	if (v < 0)
		json_null(jw);
	else
		json_bool(jw, v != 0);
}

static void json_permanences(struct json_writer *jw, const char *key,
			     const struct card_permanence *v, size_t n)
{
	size_t i;
	json_key(jw, key);
	json_array_begin(jw);
	for (i = 0; i < n; i++) {
		json_object_begin(jw);
		json_key(jw, "id");
		json_int(jw, v[i].id);
		json_key(jw, "structure_id");
		v[i].host_id ? json_int(jw, v[i].host_id) : json_null(jw);
		json_kv_str(jw, "lieu", v[i].lieu);
		json_kv_str(jw, "adresse", v[i].adresse);
		json_kv_str(jw, "code_insee", v[i].code_insee);
		json_kv_str(jw, "commune", v[i].commune);
		json_kv_str(jw, "horaires", v[i].horaires);
		json_kv_str(jw, "horaires_fr", v[i].horaires_fr);
		json_tri(jw, "sur_rdv", v[i].sur_rdv);
		json_kv_str(jw, "description", v[i].description);
		json_themes(jw, "themes", &v[i].themes);
		json_object_end(jw);
	}
	json_array_end(jw);
}

static void write_json(FILE *fp, const struct card *c)
{
	struct json_writer jw;
	char next[32];
	size_t i;

	json_init(&jw, fp, true);
	json_object_begin(&jw);
	json_key(&jw, "id");
	json_int(&jw, c->id);
	json_kv_str(&jw, "nom", c->nom);
	json_strings(&jw, "aussi_appele", &c->aliases);
	json_strings(&jw, "typologie", &c->typologie);
	json_strings(&jw, "typologie_labels", &c->typologie_labels);
	json_kv_str(&jw, "pivot", c->siret);
	json_key(&jw, "structure_parente");
	c->parent_id ? json_int(&jw, c->parent_id) : json_null(&jw);
	json_kv_str(&jw, "adresse", c->adresse);
	json_kv_str(&jw, "complement_adresse", c->complement_adresse);
	json_kv_str(&jw, "code_postal", c->code_postal);
	json_kv_str(&jw, "code_insee", c->code_insee);
	json_kv_str(&jw, "commune", c->commune);
	json_kv_str(&jw, "departement", c->departement);
	json_kv_str(&jw, "epci", c->epci_nom);
	json_key(&jw, "latitude");
	c->has_coords ? json_double(&jw, c->latitude, 6) : json_null(&jw);
	json_key(&jw, "longitude");
	c->has_coords ? json_double(&jw, c->longitude, 6) : json_null(&jw);
	json_key(&jw, "coordonnees_exactes");
	json_bool(&jw, c->coord_exact);
	json_kv_str(&jw, "telephone", c->telephone);
	json_strings(&jw, "courriels", &c->courriels);
	json_kv_str(&jw, "site_web", c->site_web);
	json_kv_str(&jw, "prise_rdv", c->prise_rdv);
	json_kv_str(&jw, "horaires", c->horaires);
	json_tri(&jw, "horaires_compris", c->horaires_ok);
	json_kv_str(&jw, "horaires_fr", c->horaires_fr);
	json_key(&jw, "ouvert");
	c->state == HOURS_UNKNOWN || c->state == HOURS_OPEN_END ? json_null(&jw) : json_bool(&jw, c->state == HOURS_OPEN);
	json_key(&jw, "prochaine_ouverture");
	if (c->has_next) {
		strftime(next, sizeof(next), "%Y-%m-%dT%H:%M", &c->next_open);
		json_str(&jw, next);
	} else {
		json_null(&jw);
	}
	json_kv_str(&jw, "ouverture", c->ouverture);
	json_kv_str(&jw, "ferme_du", c->ferme_du);
	json_kv_str(&jw, "ferme_au", c->ferme_au);
	json_tri(&jw, "sans_rdv", c->sans_rdv);
	json_kv_str(&jw, "presentation_resume", c->presentation_resume);
	json_kv_str(&jw, "presentation_detail", c->presentation_detail);
	json_themes(&jw, "services", &c->services);
	json_strings(&jw, "publics_specifiquement_adresses", &c->publics);
	json_strings(&jw, "prise_en_charge_specifique", &c->prise_en_charge);
	json_strings(&jw, "modalites_acces", &c->modalites_acces);
	json_strings(&jw, "modalites_accompagnement", &c->modalites_accompagnement);
	json_strings(&jw, "frais_a_charge", &c->frais);
	json_strings(&jw, "dispositif_programmes_nationaux", &c->dispositifs);
	json_strings(&jw, "itinerance", &c->itinerance);
	json_strings(&jw, "formations_labels", &c->formations_labels);
	json_strings(&jw, "autres_formations_labels", &c->autres_formations_labels);
	json_strings(&jw, "tags", &c->tags);
	json_key(&jw, "membres");
	json_array_begin(&jw);
	for (i = 0; i < c->n_members; i++) {
		const struct card_member *m = &c->members[i];
		json_object_begin(&jw);
		json_key(&jw, "id");
		json_int(&jw, m->person_id);
		json_kv_str(&jw, "nom", m->nom);
		json_kv_str(&jw, "prenom", m->prenom);
		json_kv_str(&jw, "role", m->role);
		json_kv_str(&jw, "debut", m->debut);
		json_kv_str(&jw, "fin", m->fin);
		json_strings(&jw, "courriels", &m->courriels);
		json_strings(&jw, "telephones", &m->telephones);
		json_themes(&jw, "themes", &m->themes);
		json_object_end(&jw);
	}
	json_array_end(&jw);
	json_key(&jw, "territoires");
	json_array_begin(&jw);
	for (i = 0; i < c->n_territories; i++) {
		json_object_begin(&jw);
		json_kv_str(&jw, "type", c->territories[i].kind);
		json_kv_str(&jw, "code", c->territories[i].code);
		json_kv_str(&jw, "nom", c->territories[i].nom);
		json_kv_str(&jw, "origine", c->territories[i].origine);
		json_object_end(&jw);
	}
	json_array_end(&jw);
	json_permanences(&jw, "permanences", c->permanences, c->n_permanences);
	json_permanences(&jw, "permanences_accueillies", c->hosted, c->n_hosted);
	json_kv_str(&jw, "source", c->source);
	json_kv_str(&jw, "source_id", c->source_id);
	json_kv_str(&jw, "date_maj", c->date_maj);
	json_key(&jw, "fraicheur_mois");
	c->freshness_months >= 0 ? json_int(&jw, c->freshness_months) : json_null(&jw);
	json_object_end(&jw);
	json_finish(&jw);
}

static int show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct card card;
	struct strbuf text = STRBUF_INIT, safe = STRBUF_INIT;
	sqlite3_int64 id = 0;
	bool json = false;
	char *arg;
	sqlite3 *db;
	int opt, rc;

	while ((opt = cmd_getopt(&cmd_show, argc, argv, "f:", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!strcmp(optarg, "json"))
				json = true;
			else if (strcmp(optarg, "text") && strcmp(optarg, "table"))
				return cmd_usage_error(&cmd_show, _("--format: \"%s\"? expected text or json"), optarg);
			break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind >= argc)
		return cmd_usage_error(&cmd_show, _("which structure? give its number (see qfq search)"));
	arg = cmd_join_args(argc, argv, optind);
	if ((rc = cmd_check_text(&cmd_show, NULL, arg)) ||
	    (cmd_id_read(arg, &id) == -2 && (rc = cmd_parse_id(&cmd_show, _("structure"), arg, &id))) ||
	    (rc = cmd_open_db(&cmd_show, ctx, DB_READ, &db))) {
		free(arg);
		return rc;
	}
	rc = cmd_find_structure(&cmd_show, db, arg, &id);
	if (rc == 1) {
		struct tm now;
		cmd_now(&now); /* QFQ_NOW, as every command's "now" */
		rc = card_load(db, id, &now, &card);
	}
	if (rc == 2) {
		rc = QFQ_EXIT_USAGE;
	} else if (rc < 0) {
		rc = cmd_fail(&cmd_show, QFQ_EXIT_FAIL);
	} else if (rc == 0) {
		strbuf_addstr(&safe, "");
		out_sanitize(&safe, arg, strlen(arg), 0);
		fprintf(stderr, _("qfq show: no structure \"%s\"\n"), safe.buf);
		rc = QFQ_EXIT_NONE;
	} else {
		if (json) {
			write_json(ctx->out, &card);
		} else {
			card_format_text(&card, &text);
			out_sanitize(&safe, text.buf, text.len, 1);
			fputs(safe.buf, ctx->out);
		}
		card_clear(&card);
		rc = QFQ_EXIT_OK;
	}
	free(arg);
	strbuf_release(&text);
	strbuf_release(&safe);
	db_close(db);
	return rc;
}

const struct cmd cmd_show = {
	.name = "show",
	.summary = N_("the full card of a structure"),
	.usage = N_("show [--format text|json] ID"),
	.help = N_("ID is the structure's number, as qfq search lists it (a name that designates\n"
		   "one structure works too). The card: address and coordinates, contact, opening\n"
		   "hours as a French week with \"ouvert en ce moment\" or the next opening,\n"
		   "services, audiences, access and support modes, fees, programmes, members with\n"
		   "their roles and contact, territories served, permanences, source and date.\n\n"
		   "  --format FMT    text (default) or json\n\n"
		   "Exit status: 0 shown, 1 no such structure, 2 a name several structures bear,\n"
		   "or no structure bears exactly but some names have its words (the candidates\n"
		   "are listed)."),
	.exec = show_exec,
};
