"""Harper on its own, as a peer: lint every file of a folder with harper-py.

    python benchmarks/harper_peer.py FOLDER|FILE [--rules default|all]

``default`` runs Harper's own default rule set (what a Harper user gets),
``all`` turns every rule on.  Prints one line per lint and a count, like a
linter would; used by ``benchmarks/peers.py`` as a whole process.
"""

from __future__ import annotations

import argparse
import os
import sys


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", help="a folder of .txt/.md files, or one file")
    ap.add_argument("--rules", choices=["default", "all"], default="default")
    args = ap.parse_args()
    import harper

    linter = harper.Linter(harper.Dialect(0))
    if args.rules == "all":
        linter.set_lint_config({name: True for name in harper.get_default_lint_config()})
    count = 0
    out = sys.stdout
    if os.path.isfile(args.folder):
        paths = [args.folder]
    else:
        paths = []
        for dirpath, dirnames, filenames in os.walk(args.folder):
            dirnames.sort()
            paths += [os.path.join(dirpath, n) for n in sorted(filenames) if n.endswith((".txt", ".md"))]
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        for lint in linter.lint(text, language="plaintext"):
            count += 1
            out.write(f"{path}: {lint.message}\n")
    out.write(f"{count} lints\n")


if __name__ == "__main__":
    main()
