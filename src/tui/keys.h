/*
 * keys: every action of the full-screen interface and the keys bound to
 * it, in two list macros. The action enum, the key lookup and the help
 * screen are all generated from these lists, so the help can never
 * disagree with what the keys do (a tmux test presses every key listed).
 *
 * Adding a key: add an ACTION line (if it is a new action) and a BIND line,
 * then handle the action in the view(s) or in app.c, and add a tmux test.
 */
#ifndef QFQ_TUI_KEYS_H
#define QFQ_TUI_KEYS_H

#include <stddef.h>

/*
 * The views reachable in one key, in the order of the top bar, after tig's
 * VIEW_INFO: VIEW(x, name, title, help, F key number, digit, constructor).
 * Their actions (ACT_STRUCTURES...), their keys (F2 and 1...), the top
 * bar's titles and the constructors are all generated from this list, so
 * a sixth view is one line here plus its constructor in app.c. x passes
 * the caller's own list macro through (see TUI_ACTIONS below).
 */
#define TUI_TOP_VIEWS(VIEW, x) \
	VIEW(x, STRUCTURES,  N_("Structures"),  N_("vue Structures"),                               2, 1, top_structures) \
	VIEW(x, PERSONS,     N_("Personnes"),   N_("vue Personnes"),                                3, 2, top_persons) \
	VIEW(x, THEMES,      N_("Thèmes"),      N_("vue Thèmes (arbre et nombres)"),                4, 3, top_themes) \
	VIEW(x, TERRITORIES, N_("Territoires"), N_("vue Territoires (département, EPCI, commune)"), 5, 4, top_territories) \
	VIEW(x, MEETINGS,    N_("Réunions"),    N_("vue Réunions"),                                 6, 5, top_meetings)

#define TUI_TOP_AS_ACTION(ACTION, name, title, help, fkey, digit, ctor) ACTION(name, help)
#define TUI_TOP_AS_BINDS(BIND, name, title, help, fkey, digit, ctor) \
	BIND(KEY_F(fkey), "F" #fkey, name, TUI_ANY) \
	BIND('0' + (digit), #digit, name, TUI_LIST)

/* ACTION(name, help text): in the order of the help screen. */
#define TUI_ACTIONS(ACTION) \
	ACTION(UP,          N_("ligne précédente")) \
	ACTION(DOWN,        N_("ligne suivante")) \
	ACTION(PAGE_UP,     N_("page précédente")) \
	ACTION(PAGE_DOWN,   N_("page suivante")) \
	ACTION(FIRST,       N_("première ligne")) \
	ACTION(LAST,        N_("dernière ligne")) \
	ACTION(ENTER,       N_("ouvrir la fiche, descendre dans l'arbre, choisir")) \
	ACTION(BACK,        N_("revenir en arrière")) \
	ACTION(SEARCH,      N_("aller à la ligne de recherche")) \
	ACTION(CLEAR_LINE,  N_("effacer la ligne de recherche")) \
	ACTION(FOCUS,       N_("changer de panneau : recherche, liste, fiche")) \
	TUI_TOP_VIEWS(TUI_TOP_AS_ACTION, ACTION) \
	ACTION(PICK_THEME,  N_("filtrer par thème (liste, taper pour réduire)")) \
	ACTION(PICK_COMMUNE, N_("choisir la commune autour de laquelle chercher")) \
	ACTION(RADIUS,      N_("changer le rayon (5, 10, 15, 20, 30, 50 km)")) \
	ACTION(OPEN_NOW,    N_("seulement les lieux ouverts maintenant")) \
	ACTION(SANS_RDV,    N_("seulement les lieux sans rendez-vous")) \
	ACTION(OPEN_AT,     N_("seulement les lieux ouverts à une heure (« mardi 14h »)")) \
	ACTION(UNKNOWN_HOURS, N_("avec o ou h : ajouter ensuite les lieux aux horaires inconnus")) \
	ACTION(PUBLICS,     N_("publics accueillis (« seniors », « jeunes »)")) \
	ACTION(DESK,        N_("critères du guichet : gratuit, surdité, téléphone, rdv en ligne")) \
	ACTION(TYPOLOGY,    N_("type de structure (« France Services », « mairie »)")) \
	ACTION(CLEAR,       N_("enlever les filtres")) \
	ACTION(MERGES,      N_("revue des doublons : propositions de fusion une à une, ou en masse")) \
	ACTION(EDIT,        N_("corriger la fiche ouverte (formulaire)")) \
	ACTION(ADD,         N_("nouvelle structure (formulaire)")) \
	ACTION(DELETE,      N_("supprimer la fiche ouverte, après confirmation")) \
	ACTION(ORIENT,      N_("sur une fiche : y orienter pour le thème cherché (a, puis a ou Entrée)")) \
	ACTION(SLIP,        N_("la fiche d'orientation de la dernière orientation ou de la ligne choisie")) \
	ACTION(ORIENTATIONS, N_("vue Orientations (suivi, changement de statut)")) \
	ACTION(OBSERVATORY, N_("vue Observatoire (orientations par thème, mois, statut)")) \
	ACTION(CONFLICTS,   N_("vue Conflits de partage (valeurs écartées, échange)")) \
	ACTION(REDRAW,      N_("redessiner l'écran")) \
	ACTION(HELP,        N_("cette aide")) \
	ACTION(QUIT,        N_("quitter"))

/*
 * BIND(key code, label on the help screen, action, where): `where` is
 * TUI_ANY (also while typing in a text line) or TUI_LIST (only when the
 * list or the card has the focus, since the key is a letter one types).
 */
#define TUI_BINDINGS(BIND) \
	BIND(KEY_UP,        "↑",      UP,          TUI_ANY) \
	BIND('k',           "k",      UP,          TUI_LIST) \
	BIND(KEY_DOWN,      "↓",      DOWN,        TUI_ANY) \
	BIND('j',           "j",      DOWN,        TUI_LIST) \
	BIND(KEY_PPAGE,     "PgUp",   PAGE_UP,     TUI_ANY) \
	BIND(KEY_NPAGE,     "PgDn",   PAGE_DOWN,   TUI_ANY) \
	BIND(KEY_HOME,      "Home",   FIRST,       TUI_LIST) \
	BIND('g',           "g",      FIRST,       TUI_LIST) \
	BIND(KEY_END,       "End",    LAST,        TUI_LIST) \
	BIND('G',           "G",      LAST,        TUI_LIST) \
	BIND('\r',          "Entrée", ENTER,       TUI_ANY) \
	BIND('\n',          "Entrée", ENTER,       TUI_ANY) \
	BIND(KEY_ENTER,     "Entrée", ENTER,       TUI_ANY) \
	BIND(27,            "Échap",  BACK,        TUI_ANY) \
	BIND(KEY_BACKSPACE, "⌫",      BACK,        TUI_LIST) \
	BIND(127,           "⌫",      BACK,        TUI_LIST) \
	BIND('/',           "/",      SEARCH,      TUI_LIST) \
	BIND(21,            "Ctrl-U", CLEAR_LINE,  TUI_LIST) \
	BIND('\t',          "Tab",    FOCUS,       TUI_ANY) \
	TUI_TOP_VIEWS(TUI_TOP_AS_BINDS, BIND) \
	BIND(KEY_F(7),      "F7",     PICK_THEME,  TUI_ANY) \
	BIND('t',           "t",      PICK_THEME,  TUI_LIST) \
	BIND(KEY_F(8),      "F8",     PICK_COMMUNE, TUI_ANY) \
	BIND('c',           "c",      PICK_COMMUNE, TUI_LIST) \
	BIND('r',           "r",      RADIUS,      TUI_LIST) \
	BIND('o',           "o",      OPEN_NOW,    TUI_LIST) \
	BIND('s',           "s",      SANS_RDV,    TUI_LIST) \
	BIND('h',           "h",      OPEN_AT,     TUI_LIST) \
	BIND('u',           "u",      UNKNOWN_HOURS, TUI_LIST) \
	BIND('p',           "p",      PUBLICS,     TUI_LIST) \
	BIND('y',           "y",      TYPOLOGY,    TUI_LIST) \
	BIND('b',           "b",      DESK,        TUI_LIST) \
	BIND('x',           "x",      CLEAR,       TUI_LIST) \
	BIND('m',           "m",      MERGES,      TUI_LIST) \
	BIND('e',           "e",      EDIT,        TUI_LIST) \
	BIND('n',           "n",      ADD,         TUI_LIST) \
	BIND('d',           "d",      DELETE,      TUI_LIST) \
	BIND('a',           "a",      ORIENT,      TUI_LIST) \
	BIND('f',           "f",      SLIP,        TUI_LIST) \
	BIND('6',           "6",      ORIENTATIONS, TUI_LIST) \
	BIND('7',           "7",      OBSERVATORY, TUI_LIST) \
	BIND('8',           "8",      CONFLICTS,   TUI_LIST) \
	BIND(12,            "Ctrl-L", REDRAW,      TUI_ANY) \
	BIND('?',           "?",      HELP,        TUI_LIST) \
	BIND(KEY_F(1),      "F1",     HELP,        TUI_ANY) \
	BIND('q',           "q",      QUIT,        TUI_LIST) \
	BIND(KEY_F(10),     "F10",    QUIT,        TUI_ANY) \
	BIND(3,             "Ctrl-C", QUIT,        TUI_ANY)

enum tui_action {
	ACT_NONE = 0,
	ACT_TEXT,   /* a character typed into a text line (not in the table) */
	ACT_MOUSE,  /* a mouse event (not in the table) */
	ACT_RESIZE, /* the terminal changed size (not in the table) */
#define TUI_ACTION_ENUM(name, help) ACT_##name,
	TUI_ACTIONS(TUI_ACTION_ENUM)
#undef TUI_ACTION_ENUM
	ACT_COUNT
};

/* The top views' numbers (TOP_STRUCTURES...) and their count. */
enum tui_top {
#define TUI_TOP_ENUM(x, name, title, help, fkey, digit, ctor) TOP_##name,
	TUI_TOP_VIEWS(TUI_TOP_ENUM, _)
#undef TUI_TOP_ENUM
	TUI_NTOPS
};

enum tui_where {
	TUI_ANY,  /* always */
	TUI_LIST, /* not while a text line has the focus */
};

struct tui_binding {
	int key;                /* curses key code or character */
	const char *label;      /* as shown on the help screen */
	enum tui_action action;
	enum tui_where where;
};

extern const struct tui_binding tui_bindings[];
extern const size_t tui_nbindings;

/*
 * The action bound to key, given whether it is a function key (get_wch()
 * returned KEY_CODE_YES: KEY_UP and the character U+0103 share a number)
 * and whether a text line has the focus.
 */
enum tui_action tui_key_action(int key, int is_fn, int typing);
/* The help text of an action (untranslated, N_()), or "". */
const char *tui_action_help(enum tui_action a);
/* The action's name ("UP") for tests and debugging. */
const char *tui_action_name(enum tui_action a);

#endif
