#!/usr/bin/env python3
"""Generate crates/core/src/lookalike/confusables_data.rs for Mailward's lookalike engine.

Usage (from the repository root):
    python3 scripts/gen-confusables.py [path/to/confusables.txt] > /dev/null
The default input is ../shared/data/unicode-17.0.0/confusables.txt relative to the repository
(or $MAILWARD_SHARED/data/...). The output is written in place and is deterministic: running the
script twice gives the same file.

What it writes
- FOLD_1: sorted u32 words `(code_point << 7) | ascii`: a non-ASCII code point that looks like
  one lower-case ASCII letter or digit. Derived, in order of preference, from
    1. the UTS #39 confusables table (the code point's prototype, lower-cased, recursively, is
       the prototype of an ASCII letter/digit, e.g. Cyrillic U+0430 -> 'a', U+0501 -> 'd');
    2. canonical decomposition (a letter with diacritics -> its base letter, e.g. U+00FC -> 'u');
    3. the Unicode name for Latin letters with hooks, strokes and small capitals that have no
       decomposition ("LATIN SMALL LETTER D WITH HOOK" -> 'd', "LATIN LETTER SMALL CAPITAL R").
- FOLD_N: (code point, ASCII string) for code points that look like two or more ASCII
  letters (U+00E6 'ae', U+01C6 'dz').
- MARKS: ranges of combining marks and invisible joiners, which look like nothing.
- SCRIPTS: sorted (first, last, script) ranges of letters, for mixed-script detection.

Decomposition data and names come from Python's `unicodedata` module (its Unicode version is
recorded in the header); letters with diacritics have been stable for many versions.
"""
import hashlib
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_SRC = os.path.join(
    os.environ.get("MAILWARD_SHARED", os.path.join(ROOT, "..", "shared")),
    "data", "unicode-17.0.0", "confusables.txt")
OUT = os.path.join(ROOT, "crates", "core", "src", "lookalike", "confusables_data.rs")

SCRIPT_NAMES = [
    # index 0 is "Common/other"; order is the Script enum's order in skeleton.rs
    "Common", "Latin", "Greek", "Cyrillic", "Armenian", "Cherokee", "Georgian", "Hebrew",
    "Arabic", "Han", "Hiragana", "Katakana", "Hangul", "Thai", "Devanagari", "Other",
]
# Mailward additions: Latin letters that typosquatting tools (dnstwist) use as lookalikes but
# that UTS #39 does not list as confusable.
EXTRA = {0x0259: "a", 0x0138: "k", 0x0185: "b"}
NAME_PREFIX = {
    "LATIN": "Latin", "GREEK": "Greek", "COPTIC": "Greek", "CYRILLIC": "Cyrillic",
    "ARMENIAN": "Armenian", "CHEROKEE": "Cherokee", "GEORGIAN": "Georgian", "HEBREW": "Hebrew",
    "ARABIC": "Arabic", "CJK": "Han", "HIRAGANA": "Hiragana", "KATAKANA": "Katakana",
    "HANGUL": "Hangul", "THAI": "Thai", "DEVANAGARI": "Devanagari",
}
OTHER_SCRIPTS = {
    "SYRIAC", "THAANA", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA",
    "MALAYALAM", "SINHALA", "LAO", "TIBETAN", "MYANMAR", "ETHIOPIC", "CANADIAN", "KHMER",
    "MONGOLIAN", "BOPOMOFO", "YI", "LISU", "VAI", "NKO", "OGHAM", "RUNIC", "TIFINAGH", "BALINESE",
    "JAVANESE", "BUGINESE", "CHAM", "OSAGE", "DESERET", "GOTHIC", "GLAGOLITIC", "COPTIC",
}


def parse_confusables(path):
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            src, dst, _kind = [p.strip() for p in line.split(";")[:3]]
            table[int(src, 16)] = "".join(chr(int(h, 16)) for h in dst.split())
    return table


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SRC
    raw = open(src, "rb").read()
    sha = hashlib.sha256(raw).hexdigest()
    conf = parse_confusables(src)

    def skel(s, depth=0):
        """UTS #39 skeleton, case-insensitive: NFD, map, lower-case, until stable."""
        for _ in range(4):
            t = unicodedata.normalize("NFD", s)
            t = "".join(conf.get(ord(c), c) for c in t)
            t = t.lower()
            t = "".join(conf.get(ord(c), c) for c in t)
            if t == s:
                break
            s = t
        return s

    ascii_chars = "abcdefghijklmnopqrstuvwxyz0123456789"
    # prototype -> ASCII letter, preferring letters over digits ('o' over '0', 'l' over '1')
    proto = {}
    for a in reversed(ascii_chars):
        proto[skel(a)] = a
    for a in "abcdefghijklmnopqrstuvwxyz":
        proto[skel(a)] = a

    def name_fold(c):
        try:
            n = unicodedata.name(c)
        except ValueError:
            return None
        for pre in ("LATIN SMALL LETTER ", "LATIN CAPITAL LETTER ", "LATIN LETTER SMALL CAPITAL "):
            if n.startswith(pre):
                rest = n[len(pre):]
                letter = rest.split(" ")[0]
                if len(letter) == 1 and letter.isalpha():
                    if rest == letter or rest.startswith(letter + " WITH ") or pre.startswith("LATIN LETTER SMALL"):
                        return letter.lower()
                if rest.startswith("DOTLESS ") and len(rest) == 9:
                    return rest[-1].lower()
        return None

    fold1, foldn, marks = {}, {}, []
    for cp in range(0x80, 0x30000):
        c = chr(cp)
        cat = unicodedata.category(c)
        if cat.startswith("M") or cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):
            if marks and marks[-1][1] >= cp - 16:
                marks[-1][1] = cp
            else:
                marks.append([cp, cp])
            continue
        if not (cat.startswith("L") or cat.startswith("N") or cp in conf):
            continue
        if cp in EXTRA:
            fold1[cp] = EXTRA[cp]
            continue
        s = skel(c)
        if s not in proto and len(c.upper()) == 1:
            s = skel(c.upper())
        if s in proto:
            fold1[cp] = proto[s]
            continue
        # decomposition to a base letter (NFKD drops diacritics into marks)
        base = "".join(ch for ch in unicodedata.normalize("NFKD", c)
                       if not unicodedata.category(ch).startswith("M")).lower()
        if len(base) == 1 and base in ascii_chars and base != c:
            fold1[cp] = base
            continue
        nf = name_fold(c)
        if nf:
            fold1[cp] = nf
            continue
        # multi-letter lookalikes (ligatures, digraphs) made only of ASCII letters
        if 1 < len(base) <= 3 and all(ch in ascii_chars for ch in base) and cat.startswith("L"):
            foldn[cp] = base
            continue
        if 1 < len(s) <= 3 and all(ch in ascii_chars for ch in s):
            foldn[cp] = s

    # scripts
    ranges = []
    for cp in range(0x80, 0x30000):
        c = chr(cp)
        if not unicodedata.category(c).startswith("L"):
            continue
        try:
            n = unicodedata.name(c)
        except ValueError:
            n = "CJK" if 0x3400 <= cp <= 0x9FFF or cp >= 0x20000 else ""
        word = n.split(" ")[0]
        sc = NAME_PREFIX.get(word)
        if sc is None:
            if word in OTHER_SCRIPTS:
                sc = "Other"
            else:
                continue
        i = SCRIPT_NAMES.index(sc)
        if ranges and ranges[-1][2] == i and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp, i])
    # merge ranges separated only by unassigned/non-letter gaps of the same script
    merged = []
    for r in ranges:
        if merged and merged[-1][2] == r[2] and r[0] - merged[-1][1] <= 16:
            merged[-1][1] = r[1]
        else:
            merged.append(r)

    out = []
    w = out.append
    w("// @generated by scripts/gen-confusables.py -- do not edit by hand.\n")
    w("//\n")
    w("// Source: confusables.txt, Unicode Security Mechanisms (UTS #39), Unicode 17.0.0\n")
    w(f"//         sha256 {sha}\n")
    w(f"// Also: canonical decompositions and character names from Python's unicodedata\n")
    w(f"//       (Unicode {unicodedata.unidata_version}), for diacritics, hooks and small capitals.\n")
    w("// Licence of the source data: Unicode License v3 (https://www.unicode.org/terms_of_use.html).\n")
    w("// Regenerate: python3 scripts/gen-confusables.py && cargo fmt\n")
    w("\n")
    w("/// `(code_point << 7) | ascii`, sorted: non-ASCII code points that look like one ASCII\n")
    w("/// letter or digit.\n")
    w(f"pub(crate) static FOLD_1: [u32; {len(fold1)}] = [\n")
    items = sorted(fold1.items())
    for i in range(0, len(items), 8):
        w("    " + " ".join(f"0x{(cp << 7) | ord(a):08x}," for cp, a in items[i:i + 8]) + "\n")
    w("];\n\n")
    w("/// Code points that look like several ASCII letters, or like nothing (marks, joiners).\n")
    w(f"pub(crate) static FOLD_N: [(u32, &str); {len(foldn)}] = [\n")
    for cp, s in sorted(foldn.items()):
        w(f"    (0x{cp:x}, \"{s}\"),\n")
    w("];\n\n")
    w("/// `(first, last)` ranges of combining marks and invisible joiners: dropped in skeletons.\n")
    w("/// (Gaps of up to 16 unassigned or non-mark code points are merged in.)\n")
    w(f"pub(crate) static MARKS: [(u32, u32); {len(marks)}] = [\n")
    for a, b in marks:
        w(f"    (0x{a:x}, 0x{b:x}),\n")
    w("];\n\n")
    w("/// `(first, last, script)` letter ranges, sorted; script indexes `Script` in skeleton.rs:\n")
    w("/// " + ", ".join(f"{i} {n}" for i, n in enumerate(SCRIPT_NAMES)) + ".\n")
    w(f"pub(crate) static SCRIPTS: [(u32, u32, u8); {len(merged)}] = [\n")
    for a, b, i in merged:
        w(f"    (0x{a:x}, 0x{b:x}, {i}),\n")
    w("];\n")
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("".join(out))
    print(f"wrote {OUT}: {len(fold1)} single, {len(foldn)} multi/empty, {len(merged)} script ranges",
          file=sys.stderr)


if __name__ == "__main__":
    main()
