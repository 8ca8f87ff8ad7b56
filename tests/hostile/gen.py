#!/usr/bin/env python3
"""gen.py DIR: writes the hostile input files of tests/hostile/cases into DIR.

Big or binary files are made at test time rather than stored: 10 MB fields,
100,000 columns, a million empty lines, random bytes. Every file is named in
tests/hostile/cases; a roster-shaped and a places-shaped variant of each
hostile content (roster-*.csv, lieux-*.csv)."""
import os
import random
import sys

d = sys.argv[1]
os.makedirs(d, exist_ok=True)
rnd = random.Random(14)

ROSTER_HEAD = 'Nom;Prénom;Structure;Fonction;Courriel;Téléphone;Commune'
ROSTER_ROW = 'Dupont;Marie;Mairie de Privas;Secrétaire;marie.dupont@example.org;04 75 00 00 00;Privas'
LIEUX_HEAD = ('id,nom,pivot,commune,code_postal,code_insee,adresse,latitude,longitude,telephone,'
              'courriels,site_web,horaires,services,date_maj')
LIEUX_ROW = ('h-1,EPN de Privas,00000000000000,Privas,07000,07186,1 rue X,44.735,4.599,'
             '04 75 00 00 00,a@example.org,https://example.org,Mo-Fr 09:00-12:00,'
             'Aide aux démarches administratives,2024-01-01')


def w(name, data):
    if isinstance(data, str):
        data = data.encode('utf-8', 'surrogatepass')
    open(os.path.join(d, name), 'wb').write(data)


def both(name, roster_body, lieux_body):
    w('roster-' + name, roster_body)
    w('lieux-' + name, lieux_body)


def every_field(value):
    """A row of each kind where every field holds value (bytes)."""
    r = b';'.join([value] * 7)
    l = b','.join([b'"' + value.replace(b'"', b'""') + b'"'] * 15)
    return r, l


def with_rows(rrow, lrow):
    return ((ROSTER_HEAD + '\n').encode() + rrow + b'\n', (LIEUX_HEAD + '\n').encode() + lrow + b'\n')


def hostile_fields(name, value):
    r, l = every_field(value)
    both(name, *with_rows(r, l))


# binary and broken bytes
both('random.csv', bytes(rnd.getrandbits(8) for _ in range(200000)), bytes(rnd.getrandbits(8) for _ in range(200000)))
both('zeros.csv', b'\0' * 100000, b'\0' * 100000)
both('png.csv', b'\x89PNG\r\n\x1a\n' + bytes(range(256)) * 10, b'\x89PNG\r\n\x1a\n' + bytes(range(256)) * 10)
both('elf.csv', open('/bin/true', 'rb').read()[:50000], open('/bin/true', 'rb').read()[:50000])
hostile_fields('nul-in-field.csv', b'Du\0pont')
hostile_fields('invalid-utf8.csv', b'Dupont \xff\xfe caf\xe9')
hostile_fields('overlong-utf8.csv', b'Dupont \xc0\xaf \xe0\x80\xaf \xf0\x80\x80\xaf')
hostile_fields('surrogate-utf8.csv', b'Dupont \xed\xa0\x80\xed\xbf\xbf')
hostile_fields('truncated-utf8.csv', b'Dupont caf\xc3')
# escapes, controls, BiDi, invisible characters
hostile_fields('osc-title.csv', b'Mairie\x1b]0;pwned\x07 de Privas')
hostile_fields('osc-clipboard.csv', b'Mairie\x1b]52;c;cm0gLXJmIH4=\x07')
hostile_fields('csi.csv', b'\x1b[2J\x1b[31mMairie\x1b[0m')
hostile_fields('c1.csv', 'Mairie \u009b31m \u0085 de Privas'.encode())
hostile_fields('bell-backspace.csv', b'Mairie\x07\x08\x08\x08XXX')
hostile_fields('bidi.csv', 'Mairie \u202egnp.exe\u202c \u2066x\u2069 \u200f\u061c'.encode())
hostile_fields('zero-width.csv', 'Mai\u200brie\u200d \ufeffde\u2060 Privas\u180e'.encode())
hostile_fields('tags.csv', 'Mairie \U000e0001\U000e0069\U000e0067\U000e006e'.encode())
hostile_fields('line-separators.csv', 'Mairie\u2028de\u2029Privas'.encode())
# formulas
hostile_fields('formulas.csv', b'=HYPERLINK("http://x.example","clic")')
hostile_fields('formula-cmd.csv', b"=cmd|' /C calc'!A0")
hostile_fields('formula-plus.csv', b'+SUM(1+1)*cmd|x')
hostile_fields('formula-at.csv', b'@SUM(A1:A9)')
# sizes
big = b'x' * (10 * 1024 * 1024)
both('field-10mb.csv', *with_rows(big + b';Marie;Mairie;;;;Privas', b'h-1,' + big + b',,Privas,07000,07186,,,,,,,,,2024-01-01'))
both('columns-100k.csv', (';'.join('c%d' % i for i in range(100000)) + '\n' + ';'.join('v' for _ in range(100000)) + '\n').encode(),
     (','.join('c%d' % i for i in range(100000)) + '\n' + ','.join('v' for _ in range(100000)) + '\n').encode())
both('empty-lines-1m.csv', (ROSTER_HEAD + '\n').encode() + b'\n' * 1000000, (LIEUX_HEAD + '\n').encode() + b'\n' * 1000000)
both('line-no-newline-5mb.csv', b'N' * (5 * 1024 * 1024), b'N' * (5 * 1024 * 1024))
both('rows-200k-tiny.csv', (ROSTER_HEAD + '\n').encode() + b';;;;;;\n' * 200000, (LIEUX_HEAD + '\n').encode() + b',' * 14 + b'\n' + (b',' * 14 + b'\n') * 200000)
# shapes
both('empty.csv', b'', b'')
both('header-only.csv', (ROSTER_HEAD + '\n').encode(), (LIEUX_HEAD + '\n').encode())
both('bom-only.csv', b'\xef\xbb\xbf', b'\xef\xbb\xbf')
both('unbalanced-quote.csv', *with_rows(b'"Dupont;Marie;Mairie;;;;Privas', b'"h-1,EPN,,Privas,07000,07186'))
both('quote-in-unquoted.csv', *with_rows(b'Dup"ont;Ma"rie;Mairie;;;;Privas', LIEUX_ROW.replace('EPN', 'E"P"N').encode()))
both('crlf-cr-mixed.csv', ((ROSTER_HEAD + '\r\n') + ROSTER_ROW + '\r' + ROSTER_ROW + '\n').encode(),
     ((LIEUX_HEAD + '\r') + LIEUX_ROW + '\r\n').encode())
both('utf16.csv', ('\ufeff' + ROSTER_HEAD + '\n' + ROSTER_ROW + '\n').encode('utf-16-le'),
     ('\ufeff' + LIEUX_HEAD + '\n' + LIEUX_ROW + '\n').encode('utf-16-le'))
both('ragged.csv', ((ROSTER_HEAD + '\n') + 'a\n' + ROSTER_ROW + ';x;y;z\n').encode(), ((LIEUX_HEAD + '\n') + 'a\n' + LIEUX_ROW + ',x,y\n').encode())
both('duplicate-header.csv', ('Nom;Nom;Prénom\nA;B;C\n').encode(), ('id,id,nom\n1,2,x\n').encode())
both('only-delimiters.csv', b';;;;\n;;;;\n' * 100, b',,,,\n,,,,\n' * 100)
w('roster-valid.csv', (ROSTER_HEAD + '\n' + ROSTER_ROW + '\n').encode())
w('lieux-valid.csv', (LIEUX_HEAD + '\n' + LIEUX_ROW + '\n').encode())
