"""Shared helpers for the scripts that generate committed reference data.

Generated files are deterministic: the same input gives the same bytes. The only
non-derived field is the generation date, and it is kept from the existing output
whenever the rest of the file would not change, so regenerating shows no diff.
"""

import datetime
import hashlib
import pathlib
import re

DATE_PLACEHOLDER = "@GENERATED_DATE@"
_DATE_LINE = re.compile(r"^//! Generated: (\d{4}-\d{2}-\d{2})", re.MULTILINE)


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def write_generated(out_path, text):
    """Write `text` (containing DATE_PLACEHOLDER once) to `out_path`.

    Keeps the existing file, date included, when nothing else changed.
    Returns True when the file was (re)written.
    """
    out = pathlib.Path(out_path)
    if out.exists():
        old = out.read_text(encoding="utf-8")
        m = _DATE_LINE.search(old)
        if m and text.replace(DATE_PLACEHOLDER, m.group(1)) == old:
            return False
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    out.write_text(text.replace(DATE_PLACEHOLDER, today), encoding="utf-8", newline="\n")
    return True


def rust_str_literal(s, indent="    ", width=96):
    """A Rust string literal for ASCII text without quotes or backslashes, wrapped with
    line continuations (a continuation skips the next line's leading whitespace)."""
    assert s.isascii() and '"' not in s and "\\" not in s and not any(c.isspace() for c in s)
    chunks = [s[i : i + width] for i in range(0, len(s), width)]
    return '"' + "".join("\\\n" + indent + c for c in chunks) + '"'


def rust_int_array(values, indent="    ", width=96):
    """Array elements, comma-separated and filled to `width` columns."""
    lines, cur = [], indent
    for v in values:
        item = f"{v},"
        if len(cur) + len(item) + 1 > width and cur.strip():
            lines.append(cur.rstrip())
            cur = indent
        cur += item + " "
    if cur.strip():
        lines.append(cur.rstrip())
    return "\n".join(lines)
