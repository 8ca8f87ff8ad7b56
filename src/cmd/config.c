/*
 * config: `qfq config set|get|unset|list`, the user's settings in
 * $XDG_CONFIG_HOME/qfq/config (see core/config.h).
 *
 * Known keys are checked when set, so a typo never lingers in the file:
 *   commune  the mediator's own commune, the default centre of searches and
 *            of the TUI; given as a name, a former name, a postcode or an
 *            INSEE code, stored as the INSEE code of exactly one commune
 *   rayon    the default radius in km around it (1..500)
 *   structure the user's own structure, the default origin of a referral
 *            (qfq orient); given as a number or a name, stored as its number
 *   partage  the shared folder of `qfq share sync` (issue 15), stored as an
 *            absolute path; it may be absent now (a USB stick)
 *   partage_au_demarrage  oui: the TUI syncs with it when it opens
 */
#include "cmd/cmd.h"
#include "core/communes.h"
#include "core/config.h"
#include "core/paths.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const known_keys[] = { "commune", "partage", "partage_au_demarrage", "rayon", "structure" };

static int is_known(const char *key)
{
	size_t i;
	for (i = 0; i < sizeof(known_keys) / sizeof(*known_keys); i++)
		if (!strcmp(key, known_keys[i]))
			return 1;
	return 0;
}

/* Resolves a commune to its INSEE code (malloc'd in *code) or prints why not. */
static int resolve_commune(struct cmd_ctx *ctx, const char *query, char **code)
{
	struct commune_list l = { 0 };
	enum commune_match how;
	sqlite3 *db;
	size_t i;
	int rc;

	if ((rc = cmd_open_db(&cmd_config, ctx, DB_READ, &db)))
		return rc;
	if (communes_find(db, query, &l, &how)) {
		rc = cmd_fail(&cmd_config, QFQ_EXIT_FAIL);
	} else if (how == COMMUNE_NONE) {
		fprintf(stderr, _("qfq config: no commune matches \"%s\"\n"), query);
		cmd_suggest_communes(db, query);
		rc = QFQ_EXIT_USAGE;
	} else if (l.n > 1) {
		fprintf(stderr, _("qfq config: \"%s\" names %zu communes; give one INSEE code or add the "
				  "département:\n"), query, l.n);
		for (i = 0; i < l.n && i < 10; i++)
			fprintf(stderr, "  %s %s (%s)\n", l.v[i].code_insee, l.v[i].nom, l.v[i].departement);
		rc = QFQ_EXIT_USAGE;
	} else {
		cmd_say_forgiven(&cmd_config, query, &l.v[0]);
		*code = strdup(l.v[0].code_insee);
		rc = *code ? QFQ_EXIT_OK : QFQ_EXIT_FAIL;
	}
	commune_list_clear(&l);
	db_close(db);
	return rc;
}

/* Resolves a structure to its number (in *id) or prints why not. */
static int resolve_structure(struct cmd_ctx *ctx, const char *query, sqlite3_int64 *id)
{
	struct strbuf safe = STRBUF_INIT;
	sqlite3 *db;
	int rc;

	if ((rc = cmd_open_db(&cmd_config, ctx, DB_READ, &db)))
		return rc;
	rc = cmd_find_structure(&cmd_config, db, query, id);
	if (rc < 0) {
		rc = cmd_fail(&cmd_config, QFQ_EXIT_FAIL);
	} else if (rc == 0) {
		out_sanitize(&safe, query, strlen(query), 0);
		fprintf(stderr, _("qfq config: no structure \"%s\"\n"), safe.buf);
		rc = QFQ_EXIT_NONE;
	} else {
		rc = rc == 2 ? QFQ_EXIT_USAGE : QFQ_EXIT_OK;
	}
	strbuf_release(&safe);
	db_close(db);
	return rc;
}

/* The shared folder, made absolute (a relative one must exist); an absent one is said, not refused. */
static int set_folder(struct config *c, const char *value)
{
	struct strbuf safe = STRBUF_INIT;
	struct stat sb;
	char *real = realpath(value, NULL);
	if (!real && value[0] != '/') {
		out_sanitize(&safe, value, strlen(value), 0);
		fprintf(stderr, _("qfq config: no folder \"%s\" here: give the shared folder's absolute path\n"), safe.buf);
		strbuf_release(&safe);
		return QFQ_EXIT_USAGE;
	}
	config_set(c, "partage", real ? real : value);
	if (!real || stat(real, &sb) || !S_ISDIR(sb.st_mode)) {
		out_sanitize(&safe, value, strlen(value), 0);
		fprintf(stderr, _("qfq config: the folder \"%s\" cannot be reached now (a USB stick not plugged in?); "
				  "kept all the same\n"), safe.buf);
		strbuf_release(&safe);
	}
	free(real);
	return QFQ_EXIT_OK;
}

static int config_set_key(struct cmd_ctx *ctx, struct config *c, const char *key, const char *value)
{
	char *code = NULL, *end;
	char num[32];
	sqlite3_int64 id = 0;
	long km;
	int rc;

	if (!strcmp(key, "structure")) {
		if ((rc = resolve_structure(ctx, value, &id)))
			return rc;
		snprintf(num, sizeof(num), "%lld", (long long)id);
		config_set(c, key, num);
	} else if (!strcmp(key, "commune")) {
		if ((rc = resolve_commune(ctx, value, &code)))
			return rc;
		config_set(c, key, code);
		free(code);
	} else if (!strcmp(key, "partage")) {
		if ((rc = set_folder(c, value)))
			return rc;
	} else if (!strcmp(key, "partage_au_demarrage")) {
		if (strcmp(value, "oui") && strcmp(value, "non"))
			return cmd_usage_error(&cmd_config, _("partage_au_demarrage expects oui or non, not \"%s\""), value);
		config_set(c, key, value);
	} else {
		km = strtol(value, &end, 10);
		if (end == value || *end || km < 1 || km > 500)
			return cmd_usage_error(&cmd_config, _("rayon expects kilometres from 1 to 500, not \"%s\""),
					       value);
		config_set(c, key, value);
	}
	if (config_save(paths_config_file(), c))
		return cmd_fail(&cmd_config, QFQ_EXIT_FAIL);
	return QFQ_EXIT_OK;
}

static int config_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct config c = CONFIG_INIT;
	const char *verb = argc > 1 ? argv[1] : "list";
	const char *v;
	char *value = NULL;
	size_t i;
	int rc = QFQ_EXIT_OK;

	static const struct option opts[] = {
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	if ((opt = cmd_getopt(&cmd_config, argc, argv, "+", opts, NULL)) != -1)
		return cmd_opt_exit(opt);
	argc -= optind - 1;
	argv += optind - 1;
	verb = argc > 1 ? argv[1] : "list";
	if (config_load(paths_config_file(), &c))
		return cmd_fail(&cmd_config, QFQ_EXIT_FAIL);
	if (!strcmp(verb, "list") && argc <= 2) {
		for (i = 0; i < c.n; i++)
			fprintf(ctx->out, "%s = %s\n", c.v[i].key, c.v[i].value);
	} else if (!strcmp(verb, "get") && argc == 3) {
		v = config_get(&c, argv[2]);
		if (v)
			fprintf(ctx->out, "%s\n", v);
		else
			rc = QFQ_EXIT_NONE;
	} else if (!strcmp(verb, "set") && argc >= 4) {
		if (!is_known(argv[2])) {
			rc = cmd_usage_error(&cmd_config, _("unknown key \"%s\" (known: commune, partage, partage_au_demarrage, rayon, structure)"), argv[2]);
		} else {
			value = cmd_join_args(argc, argv, 3);
			rc = cmd_nonempty(&cmd_config, argv[2], value);
			if (!rc)
				rc = config_set_key(ctx, &c, argv[2], value);
		}
	} else if (!strcmp(verb, "unset") && argc == 3) {
		if (!config_unset(&c, argv[2]))
			rc = QFQ_EXIT_NONE;
		else if (config_save(paths_config_file(), &c))
			rc = cmd_fail(&cmd_config, QFQ_EXIT_FAIL);
	} else {
		rc = cmd_usage_error(&cmd_config, _("expected set KEY VALUE, get KEY, unset KEY or list"));
	}
	free(value);
	config_clear(&c);
	return rc;
}

const struct cmd cmd_config = {
	.name = "config",
	.summary = N_("read and change your settings (your commune, the default radius)"),
	.usage = N_("config set KEY VALUE\nconfig get KEY\nconfig unset KEY\nconfig list"),
	.help = N_("Settings live in $XDG_CONFIG_HOME/qfq/config (~/.config/qfq/config), mode 0600.\n\n"
		   "  commune NAME   your own commune (name, former name, postcode or INSEE code),\n"
		   "                 the default centre of searches and of the full-screen view;\n"
		   "                 stored as its INSEE code\n"
		   "  rayon KM       the default radius around it (1 to 500 km)\n"
		   "  structure S    your own structure (number or name), the default origin of\n"
		   "                 the referrals you record (qfq orient); stored as its number\n"
		   "  partage DIR    the shared folder of `qfq share sync` (a synced folder, a USB\n"
		   "                 stick), stored as an absolute path\n"
		   "  partage_au_demarrage oui|non\n"
		   "                 oui: the full-screen view syncs with it when it opens\n\n"
		   "Exit status: get and unset exit 1 when the key is not set; set exits 1 for an\n"
		   "unknown commune and 2 for a name several communes bear (they are listed)."),
	.exec = config_exec,
};
