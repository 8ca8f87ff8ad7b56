/*
 * paths: where qfq finds its data files and its configuration.
 *
 * Data: $QFQ_DATA_DIR if set; else the source tree's data/ when the running
 * binary is the one in the build tree (so `build/qfq` works uninstalled);
 * else the installed $prefix/share/qfq.
 */
#ifndef QFQ_CORE_PATHS_H
#define QFQ_CORE_PATHS_H

/* The data folder (static string, no trailing slash). */
const char *paths_data_dir(void);
/* A malloc'd "<data dir>/<name>". */
char *paths_data_file(const char *name);
/* The configuration file: $XDG_CONFIG_HOME/qfq/config or ~/.config/qfq/config (static). */
const char *paths_config_file(void);

#endif
