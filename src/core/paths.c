/* paths: locating the data folder, the translations and the configuration file (see paths.h). */
#include "build_config.h"
#include "core/paths.h"
#include "util/strbuf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int running_from_build_tree(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t blen = strlen(QFQ_BUILDDIR);
	if (n <= 0)
		return 0;
	exe[n] = '\0';
	return !strncmp(exe, QFQ_BUILDDIR, blen) && exe[blen] == '/';
}

const char *paths_data_dir(void)
{
	static const char *dir;
	const char *env;
	if (dir)
		return dir;
	env = getenv("QFQ_DATA_DIR");
	if (env && *env)
		dir = env;
	else if (running_from_build_tree() && access(QFQ_SRC_DATADIR "/communes.csv", R_OK) == 0)
		dir = QFQ_SRC_DATADIR;
	else
		dir = QFQ_DATADIR;
	return dir;
}

const char *paths_locale_dir(void)
{
	static const char *dir;
	const char *env;
	if (dir)
		return dir;
	env = getenv("QFQ_LOCALE_DIR");
	if (env && *env)
		dir = env;
	else if (running_from_build_tree() &&
		 access(QFQ_BUILD_LOCALEDIR "/fr/LC_MESSAGES/" GETTEXT_PACKAGE ".mo", R_OK) == 0)
		dir = QFQ_BUILD_LOCALEDIR;
	else
		dir = QFQ_LOCALEDIR;
	return dir;
}

char *paths_data_file(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s/%s", paths_data_dir(), name);
	return strbuf_detach(&sb, NULL);
}

const char *paths_config_file(void)
{
	static struct strbuf path = STRBUF_INIT;
	const char *env = getenv("XDG_CONFIG_HOME");
	if (path.len)
		return path.buf;
	if (env && *env == '/') {
		strbuf_addf(&path, "%s/qfq/config", env);
	} else {
		const char *home = getenv("HOME");
		strbuf_addf(&path, "%s/.config/qfq/config", home && *home ? home : ".");
	}
	return path.buf;
}
