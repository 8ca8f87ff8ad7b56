/*
 * view_form: the form of a structure (e on a card, n to add one) or of a
 * person (e on a person of the Personnes view): one line
 * per field with its current value; Enter edits the selected line and
 * Enter again saves it, validated exactly as `qfq edit` validates it (the
 * reason of a refusal is shown beside its field, nothing is changed); d
 * deletes the record after a confirmation. Every save is one change set of
 * the history, written through a connection of its own (the interface
 * reads with a read-only one).
 */
#include "db/db.h"
#include "db/edit.h"
#include "tui/draw.h"
#include "tui/lineedit.h"
#include "tui/tui.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct form {
	enum edit_entity kind;        /* EDIT_STRUCTURE or EDIT_PERSON */
	sqlite3_int64 id;           /* 0: a new structure, created by its name */
	const struct edit_field *fields;
	size_t n, cur, top;
	struct strbuf *values;      /* the current value of each field */
	char **errors;              /* why the last value typed in a field was refused, or NULL */
	bool editing;               /* the selected line is being typed */
	bool confirm_delete;        /* "supprimer ? o/N" is asked */
	struct lineedit line;
};

static int reload(struct tui *t, struct form *f)
{
	size_t i;
	for (i = 0; i < f->n; i++) {
		strbuf_reset(&f->values[i]);
		if (f->id && edit_get(t->db, f->kind, f->id, &f->fields[i], &f->values[i]))
			return -1;
	}
	return 0;
}

static int form_open(struct tui *t, struct view *v)
{
	return reload(t, v->data);
}

static void form_draw(struct tui *t, struct view *v)
{
	struct form *f = v->data;
	int label_w = 26, rows = v->h - 2, row;
	size_t i;

	if (f->cur < f->top)
		f->top = f->cur;
	if (rows > 0 && f->cur >= f->top + (size_t)rows)
		f->top = f->cur - (size_t)rows + 1;
	draw_text(v->y, 1, v->w - 2,
		  !f->id ? _("Nouvelle structure : commencez par son nom (Entrée), puis les autres champs")
		  : f->kind == EDIT_PERSON ? _("Corriger la personne : Entrée modifie la ligne choisie, Entrée enregistre, Échap annule")
		  : _("Corriger la fiche : Entrée modifie la ligne choisie, Entrée enregistre, Échap annule"),
		  draw_attr(t, ST_HEADER), true);
	t->cursor_y = -1;
	for (row = 0, i = f->top; i < f->n && row < rows; i++, row++) {
		int y = v->y + 1 + row, vx = 1 + label_w, vw = v->w - 2 - label_w;
		bool sel = i == f->cur;
		attr_t a = draw_attr(t, sel ? ST_SELECTED : ST_NORMAL);
		draw_blank(y, 0, v->w, a);
		draw_text(y, 1, label_w - 1, f->fields[i].name, sel ? a : draw_attr(t, ST_HEADER), false);
		if (sel && f->editing) {
			t->cursor_y = y;
			t->cursor_x = lineedit_draw(&f->line, y, vx, vw, A_UNDERLINE);
		} else if (f->errors[i]) {
			/* the refusal beside its field */
			struct strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "✗ %s", f->errors[i]);
			draw_text(y, vx, vw, sb.buf, draw_attr(t, ST_WARN), false);
			strbuf_release(&sb);
		} else {
			draw_text(y, vx, vw, f->values[i].len ? f->values[i].buf : _(f->fields[i].help), 
				  f->values[i].len ? a : draw_attr(t, ST_DIM), false);
		}
	}
	if (f->confirm_delete)
		draw_text(v->y + v->h - 1, 1, v->w - 2,
			  f->kind == EDIT_PERSON
				  ? _("Supprimer cette personne ? o : oui · autre touche : non (`qfq undo` la rétablit ; `qfq forget` efface tout)")
				  : _("Supprimer cette structure ? o : oui · autre touche : non (`qfq undo` la rétablit)"),
			  draw_attr(t, ST_WARN), true);
}

sqlite3 *tui_writer(struct tui *t, const char *command)
{
	sqlite3 *w = NULL;
	db_set_command(command);
	if (tui_open_db(t, DB_WRITE, &w)) {
		tui_message(t, "%s", qfq_error_msg());
		return NULL;
	}
	return w;
}

static int save(struct tui *t, struct form *f)
{
	struct edit_refusal why = { NULL, NULL };
	const struct edit_field *fd = &f->fields[f->cur];
	sqlite3 *w;
	int rc;

	f->editing = false;
	if (!f->id && strcmp(fd->name, "nom")) {
		tui_message(t, _("donnez d'abord le nom de la structure"));
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (!(w = tui_writer(t, "qfq tui (formulaire)")))
		return TUI_HANDLED | TUI_REDRAW;
	rc = edit_commit_one(w, f->kind, &f->id, fd, f->line.text.buf, &why);
	db_close(w);
	free(f->errors[f->cur]);
	f->errors[f->cur] = NULL;
	if (rc > 0) {
		f->errors[f->cur] = xstrdup(why.reason ? why.reason : "?");
		tui_message(t, _("%s : refusé, rien n'a été modifié"), fd->name);
	} else if (rc < 0) {
		tui_message(t, "%s", qfq_error_msg());
	} else {
		tui_message(t, _("%s enregistré (`qfq undo` annule)"), fd->name);
		if (reload(t, f))
			tui_message(t, "%s", qfq_error_msg());
	}
	edit_refusal_clear(&why);
	return TUI_HANDLED | TUI_REDRAW;
}

static int remove_record(struct tui *t, struct form *f)
{
	sqlite3 *w = tui_writer(t, "qfq tui (formulaire)");
	int rc;
	f->confirm_delete = false;
	if (!w)
		return TUI_HANDLED | TUI_REDRAW;
	rc = edit_commit_remove(w, f->kind, f->id);
	db_close(w);
	if (rc != 1) {
		tui_message(t, "%s", rc < 0 ? qfq_error_msg()
					     : f->kind == EDIT_PERSON ? _("cette personne n'existe plus")
					     : _("cette structure n'existe plus"));
		return TUI_HANDLED | TUI_REDRAW;
	}
	tui_message(t, "%s", f->kind == EDIT_PERSON ? _("personne supprimée ; `qfq undo` la rétablit")
						   : _("structure supprimée ; `qfq undo` la rétablit"));
	return TUI_HANDLED | TUI_POP;
}

static int form_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct form *f = v->data;
	if (f->confirm_delete) {
		if (!k->is_fn && (k->ch == 'o' || k->ch == 'O' || k->ch == 'y'))
			return remove_record(t, f);
		f->confirm_delete = false;
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (f->editing) {
		if (k->action == ACT_ENTER)
			return save(t, f);
		if (k->action == ACT_BACK) {
			f->editing = false;
			return TUI_HANDLED | TUI_REDRAW;
		}
		if (k->action == ACT_TEXT || k->action == ACT_NONE || k->action == ACT_BACK)
			return lineedit_key(&f->line, k->ch, k->is_fn) ? TUI_HANDLED | TUI_REDRAW : TUI_HANDLED;
		return 0;
	}
	switch (k->action) {
	case ACT_UP: if (f->cur) f->cur--; break;
	case ACT_DOWN: if (f->cur + 1 < f->n) f->cur++; break;
	case ACT_FIRST: f->cur = 0; break;
	case ACT_LAST: f->cur = f->n - 1; break;
	case ACT_BACK: return TUI_HANDLED | TUI_POP;
	case ACT_ENTER:
		f->editing = true;
		lineedit_set(&f->line, f->values[f->cur].buf);
		break;
	case ACT_DELETE:
		if (!f->id)
			return TUI_HANDLED;
		f->confirm_delete = true;
		break;
	default: return 0;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

static bool form_typing(struct tui *t, struct view *v)
{
	struct form *f = v->data;
	(void)t;
	return f->editing;
}

static void form_close(struct tui *t, struct view *v)
{
	struct form *f = v->data;
	size_t i;
	(void)t;
	for (i = 0; i < f->n; i++) {
		strbuf_release(&f->values[i]);
		free(f->errors[i]);
	}
	free(f->values);
	free(f->errors);
	lineedit_release(&f->line);
	free(f);
}

static const char *form_hint(struct tui *t, struct view *v)
{
	struct form *f = v->data;
	(void)t;
	return f->editing ? _("Entrée enregistrer · Échap annuler") : _("Entrée modifier · d supprimer · Échap retour");
}

const struct view_ops view_form_ops = {
	.title = N_("Fiche à corriger"),
	.open = form_open,
	.draw = form_draw,
	.key = form_key,
	.close = form_close,
	.typing = form_typing,
	.hint = form_hint,
};

static struct view *form_new(struct tui *t, enum edit_entity kind, long long id, bool ask_delete)
{
	struct form *f = xcalloc(1, sizeof(*f));
	size_t i;
	f->kind = kind;
	f->id = id;
	f->fields = edit_fields(kind, &f->n);
	f->values = xcalloc(f->n, sizeof(*f->values));
	f->errors = xcalloc(f->n, sizeof(*f->errors));
	for (i = 0; i < f->n; i++)
		strbuf_init(&f->values[i], 0);
	strbuf_init(&f->line.text, 0);
	f->confirm_delete = ask_delete && id;
	return tui_view_new(t, &view_form_ops, f);
}

struct view *view_form_new(struct tui *t, long long structure_id, bool ask_delete)
{
	return form_new(t, EDIT_STRUCTURE, structure_id, ask_delete);
}

struct view *view_form_person_new(struct tui *t, long long person_id, bool ask_delete)
{
	return form_new(t, EDIT_PERSON, person_id, ask_delete);
}
