#!/usr/bin/env python3
"""unsafe.py FILE...: the output policy (src/out/out.h, out_cp_unsafe()) as
a check. Exits 1 and names the first offence when a file holds invalid
UTF-8, or a code point that must never reach a terminal: C0 controls
except tab/LF/CR, DEL, C1, direction marks/embeddings/overrides/isolates,
zero-width characters, BOM, line/paragraph separators, tags."""
import sys

def unsafe(cp):
    if cp in (9, 10, 13):
        return False
    return (cp < 0x20 or 0x7F <= cp <= 0x9F or cp == 0x061C or cp == 0x180E
            or 0x200B <= cp <= 0x200F or 0x2028 <= cp <= 0x202E or 0x2060 <= cp <= 0x206F
            or cp == 0xFEFF or 0xFFF9 <= cp <= 0xFFFB or 0xE0000 <= cp <= 0xE007F)

bad = 0
for path in sys.argv[1:]:
    data = open(path, 'rb').read()
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        print('%s: invalid UTF-8 at byte %d' % (path, e.start))
        bad = 1
        continue
    for i, ch in enumerate(text):
        if unsafe(ord(ch)):
            print('%s: U+%04X at character %d: %r' % (path, ord(ch), i, text[max(0, i - 20):i + 20]))
            bad = 1
            break
sys.exit(bad)
