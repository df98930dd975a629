"""Print the commit of every pyhf release tag from v0.6.0 on, one per line, for asv's HASHFILE.

    python scripts/release_tags.py --repo /srv/pyhf.git > releases.txt
    python scripts/asv_local.py --repo /srv/pyhf.git -- run --skip-existing-commits HASHFILE:releases.txt

pyhf v0.7.1 ... v0.7.6 live on release/v0.7.x, not on main, so a `main` commit range misses
them; tags reach them wherever they are. Release candidates are left out unless --with-rc.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

TAG = re.compile(r"v(\d+)\.(\d+)\.(\d+)(rc\d+)?")


def release_commits(repo: str, since: str = "v0.6.0", with_rc: bool = False) -> list[str]:
    tags = subprocess.run(
        ["git", "-C", repo, "tag", "--list", "v*"], capture_output=True, text=True, check=True
    ).stdout.split()
    floor = tuple(int(part) for part in TAG.fullmatch(since).groups()[:3])
    chosen = []
    for tag in tags:
        match = TAG.fullmatch(tag)
        if not match or (match.group(4) and not with_rc):
            continue
        if tuple(int(part) for part in match.groups()[:3]) >= floor:
            chosen.append(tag)
    chosen.sort(key=lambda tag: [int(x) for x in re.findall(r"\d+", tag)])
    return [
        subprocess.run(
            ["git", "-C", repo, "rev-parse", f"{tag}^{{commit}}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for tag in chosen
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True, help="a pyhf clone (bare is fine)")
    parser.add_argument("--since", default="v0.6.0")
    parser.add_argument("--with-rc", action="store_true")
    args = parser.parse_args(argv)
    print("\n".join(release_commits(args.repo, args.since, args.with_rc)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
