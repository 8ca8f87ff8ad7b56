/*
 * sharefile: reading and writing the share file format (see sharefile.h).
 */
#include "db/sharefile.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sharefile_print(FILE *fp, const char *copy, const char *name, const struct share_entry *v, size_t n)
{
	size_t i;
	const char *p;
	fprintf(fp, "qfq-share 1\ncopy %s ", copy);
	for (p = name ? name : ""; *p; p++)
		fputc(*p == '\n' || *p == '\r' ? ' ' : *p, fp);
	fputc('\n', fp);
	for (i = 0; i < n; i++) {
		size_t sl = v[i].summary ? strlen(v[i].summary) : 0;
		fprintf(fp, "entry %lld %lld %s %zu %d\n", (long long)v[i].seq, (long long)v[i].stamp,
			v[i].erase ? "erase" : "change", sl, v[i].n);
		if (sl)
			fwrite(v[i].summary, 1, sl, fp);
		if (v[i].n)
			fwrite(v[i].data, 1, (size_t)v[i].n, fp);
		fputc('\n', fp);
	}
	fputs("end\n", fp);
	return ferror(fp) ? qfq_error(_("cannot write the changes: %s"), strerror(errno)) : 0;
}

int sharefile_write(const char *path, const char *copy, const char *name, const struct share_entry *v, size_t n)
{
	struct strbuf tmp = STRBUF_INIT;
	const char *slash = strrchr(path, '/');
	FILE *fp;
	int fd, rc;
	if (slash)
		strbuf_addf(&tmp, "%.*s/.%s.%ld.tmp", (int)(slash - path), path, slash + 1, (long)getpid());
	else
		strbuf_addf(&tmp, ".%s.%ld.tmp", path, (long)getpid());
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(fp = fdopen(fd, "wb"))) {
		rc = qfq_error(_("cannot create \"%s\": %s"), tmp.buf, strerror(errno));
		if (fd >= 0)
			close(fd);
		strbuf_release(&tmp);
		return rc;
	}
	rc = sharefile_print(fp, copy, name, v, n);
	if (fflush(fp) || fsync(fileno(fp)))
		rc = qfq_error(_("cannot write \"%s\": %s"), tmp.buf, strerror(errno));
	if (fclose(fp) && !rc)
		rc = qfq_error(_("cannot write \"%s\": %s"), tmp.buf, strerror(errno));
	if (!rc && rename(tmp.buf, path))
		rc = qfq_error(_("cannot rename \"%s\" to \"%s\": %s"), tmp.buf, path, strerror(errno));
	if (rc)
		unlink(tmp.buf);
	strbuf_release(&tmp);
	return rc;
}

static int bad(const char *path, int entry, const char *expected)
{
	if (entry)
		return qfq_error(_("%s: entry %d: expected %s"), path, entry, expected);
	return qfq_error(_("%s: expected %s"), path, expected);
}

static bool is_hex32(const char *s)
{
	int i;
	for (i = 0; i < 32; i++)
		if (!strchr("0123456789abcdef", s[i]) || !s[i])
			return false;
	return true;
}

int sharefile_read(const char *path, struct share_entry **v, size_t *n, size_t *alloc)
{
	FILE *fp = fopen(path, "rb");
	char line[1024], copy[33];
	char *name = NULL;
	int entry = 0, rc = -1;
	if (!fp)
		return qfq_error(_("cannot read \"%s\": %s"), path, strerror(errno));
	if (!fgets(line, sizeof(line), fp) || strcmp(line, "qfq-share 1\n")) {
		bad(path, 0, _("\"qfq-share 1\" on the first line (not a qfq share file)"));
		goto done;
	}
	if (!fgets(line, sizeof(line), fp) || strncmp(line, "copy ", 5) || !is_hex32(line + 5) ||
	    (line[37] != ' ' && line[37] != '\n')) {
		bad(path, 0, _("\"copy\", 32 hexadecimal digits and a name on the second line"));
		goto done;
	}
	memcpy(copy, line + 5, 32);
	copy[32] = '\0';
	line[strcspn(line, "\n")] = '\0';
	name = xstrdup(line[37] ? line + 38 : "");
	for (;;) {
		long long seq, stamp;
		size_t sl;
		int dl, used = 0;
		char kind[8];
		struct share_entry *e;
		if (!fgets(line, sizeof(line), fp)) {
			bad(path, entry + 1, _("\"entry\" or \"end\" (the file is cut short)"));
			goto done;
		}
		if (!strcmp(line, "end\n"))
			break;
		entry++;
		if (sscanf(line, "entry %lld %lld %7s %zu %d\n%n", &seq, &stamp, kind, &sl, &dl, &used) != 5 || !used ||
		    seq < 1 || dl < 0 || sl > 1 << 20 || (strcmp(kind, "change") && strcmp(kind, "erase"))) {
			bad(path, entry, _("\"entry SEQ STAMP change|erase SUMMARY-BYTES DATA-BYTES\""));
			goto done;
		}
		XGROW(*v, *alloc, *n + 1);
		e = &(*v)[(*n)++];
		memset(e, 0, sizeof(*e));
		memcpy(e->copy, copy, sizeof(copy));
		e->copy_name = xstrdup(name);
		e->seq = seq;
		e->stamp = stamp;
		e->erase = !strcmp(kind, "erase");
		e->summary = xmalloc(sl + 1);
		e->data = xmalloc((size_t)dl + 1);
		e->n = dl;
		e->summary[sl] = '\0';
		if (fread(e->summary, 1, sl, fp) != sl || fread(e->data, 1, (size_t)dl, fp) != (size_t)dl ||
		    fgetc(fp) != '\n') {
			bad(path, entry, _("as many bytes as the entry line says (the file is cut short)"));
			goto done;
		}
	}
	rc = 0;
done:
	free(name);
	fclose(fp);
	return rc;
}

char *sharefile_name(const char *dir, const char *copy, long long first, long long last)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s/%s.%09lld-%09lld.qfqs", dir, copy, first, last);
	return strbuf_detach(&sb, NULL);
}

int sharefile_parse_name(const char *name, char copy[33], long long *last)
{
	long long first;
	int used = 0;
	if (strlen(name) < 33 || !is_hex32(name) || name[32] != '.')
		return 0;
	if (sscanf(name + 33, "%lld-%lld.qfqs%n", &first, last, &used) != 2 || !used || name[33 + used])
		return 0;
	memcpy(copy, name, 32);
	copy[32] = '\0';
	return 1;
}
