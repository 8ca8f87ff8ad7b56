/*
 * sharefile: the file a copy's change sets travel in (a shared folder, a
 * USB stick, a mail attachment).
 *
 *   qfq-share 1\n
 *   copy <32 hex digits> <name>\n
 *   entry <seq> <stamp> change|erase <summary bytes> <changeset bytes>\n
 *   <summary><changeset>\n          (one per change set, in sequence order)
 *   end\n
 *
 * Written to a temporary name in the same folder and renamed (mode 0600),
 * so a reader never sees half a file. In a shared folder the name is
 * <copy id>.<first seq>-<last seq>.qfqs (9 digits each): two copies never
 * write the same name, and one copy's files sort in sequence order.
 */
#ifndef QFQ_DB_SHAREFILE_H
#define QFQ_DB_SHAREFILE_H

#include "db/share.h"

#include <stdio.h>

/* Writes v[0..n) (all from copy/name) to path atomically. 0 or -1 (qfq_error). */
int sharefile_write(const char *path, const char *copy, const char *name, const struct share_entry *v, size_t n);
/* Writes them to an open stream (standard output). 0 or -1. */
int sharefile_print(FILE *fp, const char *copy, const char *name, const struct share_entry *v, size_t n);
/* Reads path's entries, appended to *v / *n. 0 or -1 (qfq_error naming the file and the entry). */
int sharefile_read(const char *path, struct share_entry **v, size_t *n, size_t *alloc);
/* The shared-folder name of entries first..last of copy (malloc'd, inside dir). */
char *sharefile_name(const char *dir, const char *copy, long long first, long long last);
/* Parses a shared-folder file name: 1 and copy/last when it is one, 0 else. */
int sharefile_parse_name(const char *name, char copy[33], long long *last);

#endif
