"""Make the asv dashboard in html/ self-contained: serve jQuery, flot, bootstrap & co. from
html/vendor/ instead of CDNs, so it works on an air-gapped cluster and in a test browser.

    python scripts/asv_local.py --repo /srv/pyhf.git -- publish
    python scripts/vendor_dashboard.py html

The libraries come from the npm registry (``npm pack``, cached under .asv/npm) at the versions
asv's pages ask for (stupid-table-plugin: 1.1.3, the only release on npm of the CDN's 1.0.1).
A CDN address this script does not know is an error, so a new asv cannot slip one through.
It also adds the case study (docs/case-study.md, rendered with its figures) as a page of the
dashboard, linked from the navigation bar.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
NPM_CACHE = REPO_ROOT / ".asv" / "npm"

# CDN address -> (npm package, file inside the package, path under html/vendor/)
ASSETS = {
    "https://code.jquery.com/jquery-3.3.1.min.js": (
        "jquery@3.3.1",
        "dist/jquery.min.js",
        "jquery/jquery.min.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/flot/0.8.3/jquery.flot.min.js": (
        "flot@0.8.3",
        "jquery.flot.js",
        "flot/jquery.flot.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/flot/0.8.3/jquery.flot.time.min.js": (
        "flot@0.8.3",
        "jquery.flot.time.js",
        "flot/jquery.flot.time.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/flot/0.8.3/jquery.flot.selection.min.js": (
        "flot@0.8.3",
        "jquery.flot.selection.js",
        "flot/jquery.flot.selection.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/flot/0.8.3/jquery.flot.categories.min.js": (
        "flot@0.8.3",
        "jquery.flot.categories.js",
        "flot/jquery.flot.categories.js",
    ),
    "https://cdn.jsdelivr.net/npm/flot-orderbars@1.0.0/js/jquery.flot.orderBars.js": (
        "flot-orderbars@1.0.0",
        "js/jquery.flot.orderBars.js",
        "flot/jquery.flot.orderBars.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/stupidtable/1.0.1/stupidtable.min.js": (
        "stupid-table-plugin@1.1.3",
        "stupidtable.min.js",
        "stupidtable/stupidtable.min.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/blueimp-md5/2.19.0/js/md5.min.js": (
        "blueimp-md5@2.19.0",
        "js/md5.min.js",
        "blueimp-md5/md5.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/bootstrap@3.1.1/dist/js/bootstrap.min.js": (
        "bootstrap@3.1.1",
        "dist/js/bootstrap.min.js",
        "bootstrap/js/bootstrap.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/bootstrap@3.1.1/dist/css/bootstrap.min.css": (
        "bootstrap@3.1.1",
        "dist/css/bootstrap.min.css",
        "bootstrap/css/bootstrap.min.css",
    ),
}
# bootstrap.min.css loads its icon font from ../fonts/
FONT = "glyphicons-halflings-regular"
EXTRA_FILES = [
    ("bootstrap@3.1.1", f"dist/fonts/{FONT}.{ext}", f"bootstrap/fonts/{FONT}.{ext}")
    for ext in ("eot", "svg", "ttf", "woff")
]
TAG = re.compile(r"""<(script|link)\b[^>]*?(?:src|href)="(https?://[^"]+)"[^>]*>""")
STRIP = re.compile(r"""\s(?:integrity|crossorigin|referrerpolicy)="[^"]*"|\scrossorigin\b""")


class VendorError(RuntimeError):
    pass


def package_tarball(spec: str) -> Path:
    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    name, version = spec.rsplit("@", 1)
    tarball = NPM_CACHE / f"{name}-{version}.tgz"
    if not tarball.is_file():
        result = subprocess.run(
            ["npm", "pack", "--silent", spec], cwd=NPM_CACHE, capture_output=True, text=True
        )
        if result.returncode != 0 or not tarball.is_file():
            raise VendorError(f"npm pack {spec} failed: {result.stderr.strip()[-300:]}")
    return tarball


def extract(spec: str, member: str, target: Path) -> None:
    with tarfile.open(package_tarball(spec)) as archive:
        try:
            content = archive.extractfile(f"package/{member}").read()
        except KeyError:
            raise VendorError(f"{spec} has no {member}") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


def rewrite(html: str) -> str:
    def local(match: re.Match) -> str:
        url = match.group(2)
        if url not in ASSETS:
            raise VendorError(f"unknown CDN address {url}: add it to ASSETS")
        tag = match.group(0).replace(url, f"vendor/{ASSETS[url][2]}")
        return STRIP.sub("", tag)

    return TAG.sub(local, html)


def vendor(html_dir: Path) -> list[Path]:
    pages = sorted(html_dir.glob("*.html"))
    if not (html_dir / "index.html").is_file():
        raise VendorError(f"{html_dir}/index.html missing: run asv publish first")
    for spec, member, path in list(ASSETS.values()) + EXTRA_FILES:
        extract(spec, member, html_dir / "vendor" / path)
    for page in pages:
        page.write_text(rewrite(page.read_text(encoding="utf-8")), encoding="utf-8")
    return pages


CASE_STUDY = REPO_ROOT / "docs" / "case-study.md"
NAV_ANCHOR = '<li id="nav-li-regressions">'
NAV_LINK = '<li id="nav-li-case-study"><a href="case-study.html">Case study</a></li>'


def add_case_study(html_dir: Path, source: Path = CASE_STUDY) -> Path:
    """case-study.html (with figures/) beside index.html, and a link to it in the nav bar."""
    import markdown

    body = markdown.markdown(
        source.read_text(encoding="utf-8"), extensions=["tables", "fenced_code", "toc"]
    )
    page = html_dir / "case-study.html"
    page.write_text(
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Case study</title>'
        '<link rel="stylesheet" href="vendor/bootstrap/css/bootstrap.min.css"></head>'
        '<body><div class="container"><p><a href="index.html">&larr; dashboard</a></p>'
        f"{body}</div></body></html>\n",
        encoding="utf-8",
    )
    figures = source.parent / "figures"
    if figures.is_dir():
        shutil.copytree(figures, html_dir / "figures", dirs_exist_ok=True)
    index = html_dir / "index.html"
    text = index.read_text(encoding="utf-8")
    if NAV_LINK not in text:
        if NAV_ANCHOR not in text:
            raise VendorError("index.html has no navigation bar entry to put the link after")
        text = text.replace(NAV_ANCHOR, NAV_LINK + NAV_ANCHOR, 1)
        index.write_text(text, encoding="utf-8")
    return page


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", type=Path, nargs="?", default=REPO_ROOT / "html")
    args = parser.parse_args(argv)
    try:
        pages = vendor(args.html_dir)
        add_case_study(args.html_dir)
    except (VendorError, OSError) as exc:
        print(f"vendor_dashboard: {exc}", file=sys.stderr)
        return 1
    print(f"vendored {len(ASSETS)} assets into {args.html_dir / 'vendor'} for {len(pages)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
