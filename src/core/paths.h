/*
 * paths: where qfq finds its data files and its configuration.
 *
 * Data: $QFQ_DATA_DIR if set; else the source tree's data/ when the running
 * binary is the one in the build tree (so `build/qfq` works uninstalled);
 * else the installed $prefix/share/qfq.
 *
 * Translations: $QFQ_LOCALE_DIR if set; else the build tree's po/ (where meson
 * compiles fr/LC_MESSAGES/qfq.mo) when running from the build tree and the
 * French catalogue is there; else the installed $prefix/share/locale.
 */
#ifndef QFQ_CORE_PATHS_H
#define QFQ_CORE_PATHS_H

/* The data folder (static string, no trailing slash). */
const char *paths_data_dir(void);
/* A malloc'd "<data dir>/<name>". */
char *paths_data_file(const char *name);
/* The folder of the message catalogues, for bindtextdomain() (static string). */
const char *paths_locale_dir(void);
/* The configuration file: $XDG_CONFIG_HOME/qfq/config or ~/.config/qfq/config (static). */
const char *paths_config_file(void);

#endif
