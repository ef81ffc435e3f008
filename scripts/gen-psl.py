#!/usr/bin/env python3
"""Generate crates/core/src/domain/psl_data.rs and psl_tests.rs from the Public Suffix List.

Usage: scripts/gen-psl.py [path/to/public_suffix_list.dat]

Without an argument the copy inside the installed PyPI package `publicsuffixlist` is used
(`pip install publicsuffixlist`, or `pip download --no-deps publicsuffixlist` and unpack the
wheel, then pass its `publicsuffixlist/public_suffix_list.dat`). The package's
`test_psl.txt` beside the .dat gives the official test vectors. Output is deterministic.

Data layout (read by crates/core/src/domain/mod.rs): a label trie in breadth-first order.
`NODES[i]` packs a label's place in `TEXT` with its flags; the root's children are
`NODES[..ROOT_CHILDREN]`, and the children of the k-th node that has any (in node order) are
`NODES[CHILD_START[k]..CHILD_START[k + 1]]`, sorted by label. k is found by counting
HAS_CHILDREN flags from `RANK_BASE[i / 32]`. A wildcard rule `*.x` is a flag on node `x`.
"""

import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import genutil  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "crates" / "core" / "src" / "domain"

# Node word layout; keep in sync with domain/mod.rs.
OFFSET_BITS = 18
LEN_SHIFT = 18  # 6 bits: a DNS label is at most 63 bytes
RULE = 1 << 24  # the node is a rule
EXCEPTION = 1 << 25  # the node is an exception rule (`!`)
WILDCARD = 1 << 26  # `*.<node>` is a rule
HAS_CHILDREN = 1 << 27
RANK_BLOCK = 32


def default_dat():
    import publicsuffixlist

    return pathlib.Path(publicsuffixlist.__file__).resolve().parent / "public_suffix_list.dat"


def package_version(dat):
    """The publicsuffixlist version, from the dist-info beside the package directory."""
    for d in sorted(dat.parent.parent.glob("publicsuffixlist-*.dist-info")):
        return d.name[len("publicsuffixlist-") : -len(".dist-info")]
    return "unknown"


def to_ascii(name):
    """Punycode each non-ASCII label (Python's IDNA 2003 codec, per label)."""
    out = []
    for label in name.split("."):
        if not label.isascii():
            label = label.encode("idna").decode("ascii")
        out.append(label)
    return ".".join(out)


def parse_rules(text):
    rules, section, failures = [], None, []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("// ===BEGIN ICANN DOMAINS==="):
            section = "icann"
        elif line.startswith("// ===BEGIN PRIVATE DOMAINS==="):
            section = "private"
        if not line or line.startswith("//"):
            continue
        rule = line.split()[0]
        assert section, "rule outside the ICANN and PRIVATE sections"
        try:
            rule = to_ascii(rule)
        except UnicodeError as e:
            failures.append(f"{rule}: {e}")
            continue
        rules.append(rule)
    return rules, failures


class Node:
    __slots__ = ("children", "flags")

    def __init__(self):
        self.children = {}
        self.flags = 0


def build_trie(rules):
    root = Node()
    for rule in rules:
        flag = RULE
        if rule.startswith("!"):
            rule, flag = rule[1:], EXCEPTION
        labels = rule.split(".")[::-1]
        if labels[-1] == "*":
            # `*.x` implies the rule `x`, as browsers, libpsl and the PSL linter take it
            # (publicsuffix/list#1989, #694); the test vectors need it for `city.kobe.jp`.
            labels, flag = labels[:-1], WILDCARD | RULE
        for label in labels:
            assert re.fullmatch(r"[a-z0-9_-]{1,63}", label), f"bad label {label!r} in {rule!r}"
        node = root
        for label in labels:
            node = node.children.setdefault(label, Node())
        node.flags |= flag
    return root


def build_text(labels):
    """Concatenate labels, reusing substrings and overlaps (greedy), longest first."""
    text = ""
    where = {}
    for label in sorted(labels, key=lambda s: (-len(s), s)):
        i = text.find(label)
        if i < 0:
            k = next((k for k in range(len(label) - 1, 0, -1) if text.endswith(label[:k])), 0)
            i = len(text) - k
            text += label[k:]
        where[label] = i
    return text, where


def flatten(root):
    """Breadth-first node order; each sibling group sorted by label."""
    order, queue = [], [root]
    root_children = None
    child_start = []
    while queue:
        node = queue.pop(0)
        kids = sorted(node.children.items())
        if node is root:
            root_children = len(kids)
        elif kids:
            child_start.append(len(order))
        for label, kid in kids:
            order.append((label, kid))
            queue.append(kid)
    child_start.append(len(order))
    return order, root_children, child_start


def generate_data(dat, rules, failures):
    root = build_trie(rules)
    order, root_children, child_start = flatten(root)
    text, where = build_text({label for label, _ in order})
    assert len(text) < (1 << OFFSET_BITS)
    assert len(order) < (1 << 16), "CHILD_START and RANK_BASE are u16"
    nodes, rank_base, rank = [], [], 0
    for i, (label, node) in enumerate(order):
        if i % RANK_BLOCK == 0:
            rank_base.append(rank)
        word = where[label] | (len(label) << LEN_SHIFT) | node.flags
        if node.children:
            word |= HAS_CHILDREN
            rank += 1
        nodes.append(word)
    assert rank + 1 == len(child_start)

    head = dat.read_text(encoding="utf-8")
    psl_version = re.search(r"^// VERSION: (\S+)", head, re.MULTILINE)
    psl_commit = re.search(r"^// COMMIT: (\S+)", head, re.MULTILINE)
    fail_note = (
        "".join(f"\n//!   {f}" for f in failures) if failures else " none"
    )
    data_bytes = len(text) + 4 * len(nodes) + 2 * len(child_start) + 2 * len(rank_base)
    return f"""\
//! Public Suffix List data for [`super`]. GENERATED by `scripts/gen-psl.py`: do not edit.
//!
//! Source: PyPI package `publicsuffixlist` {package_version(dat)}, file
//! `publicsuffixlist/public_suffix_list.dat`, sha256 {genutil.sha256(dat)}
//! (list VERSION {psl_version.group(1) if psl_version else "?"}, COMMIT {psl_commit.group(1) if psl_commit else "?"}).
//! Generated: {genutil.DATE_PLACEHOLDER}
//! Regenerate: `pip install publicsuffixlist && python3 scripts/gen-psl.py [path/to/.dat]`
//! Licence: the Public Suffix List is under the Mozilla Public License 2.0
//! (https://mozilla.org/MPL/2.0/).
//!
//! {len(rules)} rules (ICANN and PRIVATE sections), Unicode labels punycoded; {len(nodes)} trie
//! nodes, {len(text)} bytes of label text, {data_bytes} bytes of data in all.
//! Rules that failed punycode conversion and were left out:{fail_note}

/// Every label, overlapped; a node points into it.
pub(super) static TEXT: &str = {genutil.rust_str_literal(text)};

/// How many of `NODES` are top-level labels (the root's children).
pub(super) const ROOT_CHILDREN: usize = {root_children};

/// Bits 0..18 label offset in `TEXT`, 18..24 label length, then the flags below.
pub(super) static NODES: [u32; {len(nodes)}] = [
{genutil.rust_int_array(nodes)}
];

/// Where the children of the k-th node with children start; the last entry ends them.
pub(super) static CHILD_START: [u16; {len(child_start)}] = [
{genutil.rust_int_array(child_start)}
];

/// How many nodes before `32 * j` have children.
pub(super) static RANK_BASE: [u16; {len(rank_base)}] = [
{genutil.rust_int_array(rank_base)}
];
"""


def generate_tests(test_file):
    cases, skipped = [], []
    for line in test_file.read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"checkPublicSuffix\((null|'[^']*'), (null|'[^']*')\);", line.strip())
        if not m:
            continue
        host, want = (None if v == "null" else v[1:-1] for v in m.groups())
        comment = ""
        if host is None:
            host, comment = "", " // null input: our nearest is the empty string"
        elif not host.isascii():
            comment = f" // {host}"
            host = to_ascii(host)
        if want is not None and not want.isascii():
            want = to_ascii(want)
        want_rs = "None" if want is None else f'Some("{want}")'
        cases.append(f'    ("{host}", {want_rs}),{comment}')
    assert cases
    return f"""\
//! The official Public Suffix List test vectors. GENERATED by `scripts/gen-psl.py`: do not edit.
//!
//! Source: PyPI package `publicsuffixlist` {package_version(test_file)}, file
//! `publicsuffixlist/test_psl.txt`, sha256 {genutil.sha256(test_file)}
//! (public domain, CC0).
//! Generated: {genutil.DATE_PLACEHOLDER}
//! Regenerate: `pip install publicsuffixlist && python3 scripts/gen-psl.py [path/to/.dat]`
//!
//! Each `checkPublicSuffix(host, registrable)` line is one case; none is skipped.
//! Unicode hosts are punycoded here (the original is in the comment); a null host becomes
//! the empty string; mixed-case hosts are kept and compared case-insensitively, since the
//! lookup returns a slice of its input. Commented-out vectors (`.local`) are not cases.

/// `(host, expected registrable domain)`.
pub(super) static CASES: [(&str, Option<&str>); {len(cases)}] = [
{chr(10).join(cases)}
];
"""


def main():
    dat = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else default_dat()
    dat = dat.resolve()
    rules, failures = parse_rules(dat.read_text(encoding="utf-8"))
    for f in failures:
        print(f"warning: punycode failed, rule skipped: {f}", file=sys.stderr)
    outputs = {
        OUT_DIR / "psl_data.rs": generate_data(dat, rules, failures),
        OUT_DIR / "psl_tests.rs": generate_tests(dat.parent / "test_psl.txt"),
    }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for path, text in outputs.items():
        changed = genutil.write_generated(path, text)
        print(f"{path.relative_to(ROOT)}: {'written' if changed else 'unchanged'}")


if __name__ == "__main__":
    main()
