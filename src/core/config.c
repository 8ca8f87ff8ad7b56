/* config: the key = value settings file (see config.h). */
#include "core/config.h"
#include "core/paths.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *config_get(const struct config *c, const char *key)
{
	size_t i;
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].key, key))
			return c->v[i].value;
	return NULL;
}

void config_set(struct config *c, const char *key, const char *value)
{
	size_t i;
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].key, key)) {
			free(c->v[i].value);
			c->v[i].value = xstrdup(value);
			return;
		}
	XGROW(c->v, c->alloc, c->n + 1);
	c->v[c->n].key = xstrdup(key);
	c->v[c->n].value = xstrdup(value);
	c->n++;
}

int config_unset(struct config *c, const char *key)
{
	size_t i;
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].key, key)) {
			free(c->v[i].key);
			free(c->v[i].value);
			memmove(c->v + i, c->v + i + 1, (c->n - i - 1) * sizeof(*c->v));
			c->n--;
			return 1;
		}
	return 0;
}

void config_clear(struct config *c)
{
	size_t i;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].value);
	}
	free(c->v);
	c->v = NULL;
	c->n = c->alloc = 0;
}

static char *trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int config_load(const char *path, struct config *c)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL, *p, *eq;
	size_t cap = 0;
	long lineno = 0;
	int rc = 0;

	if (!fp)
		return errno == ENOENT ? 0 : qfq_error(_("cannot read \"%s\": %s"), path, strerror(errno));
	while (getline(&line, &cap, fp) != -1) {
		lineno++;
		p = trim(line);
		if (!*p || *p == '#')
			continue;
		eq = strchr(p, '=');
		if (!eq || eq == p) {
			rc = qfq_error(_("\"%s\", line %ld: expected \"key = value\""), path, lineno);
			break;
		}
		*eq = '\0';
		config_set(c, trim(p), trim(eq + 1));
	}
	free(line);
	fclose(fp);
	return rc;
}

/* mkdir -p of the folder holding path, new folders mode 0700. */
static int make_parents(const char *path)
{
	char *dir = xstrdup(path), *p;
	int rc = 0;
	for (p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST) {
			rc = qfq_error(_("cannot create \"%s\": %s"), dir, strerror(errno));
			break;
		}
		*p = '/';
	}
	free(dir);
	return rc;
}

int config_save(const char *path, const struct config *c)
{
	struct strbuf tmp = STRBUF_INIT, body = STRBUF_INIT;
	size_t i, off = 0;
	int fd = -1, rc = -1;

	if (make_parents(path))
		return -1;
	strbuf_addstr(&body, "# qfq configuration (qfq config set KEY VALUE)\n");
	for (i = 0; i < c->n; i++)
		strbuf_addf(&body, "%s = %s\n", c->v[i].key, c->v[i].value);
	strbuf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		qfq_error(_("cannot write \"%s\": %s"), tmp.buf, strerror(errno));
		goto done;
	}
	while (off < body.len) {
		ssize_t w = write(fd, body.buf + off, body.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			qfq_error(_("cannot write \"%s\": %s"), tmp.buf, strerror(errno));
			goto done;
		}
		off += (size_t)w;
	}
	if (fsync(fd) || close(fd)) {
		fd = -1;
		qfq_error(_("cannot write \"%s\": %s"), tmp.buf, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp.buf, path)) {
		qfq_error(_("cannot replace \"%s\": %s"), path, strerror(errno));
		goto done;
	}
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	if (rc)
		unlink(tmp.buf);
	strbuf_release(&tmp);
	strbuf_release(&body);
	return rc;
}

long long config_own_structure(void)
{
	struct config c = CONFIG_INIT;
	const char *v;
	long long id = 0;
	if (!config_load(paths_config_file(), &c) && (v = config_get(&c, "structure")))
		id = strtoll(v, NULL, 10);
	config_clear(&c);
	return id;
}
