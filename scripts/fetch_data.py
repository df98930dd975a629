"""Fetch the published likelihoods named in data/manifest.json and verify every file.

    python scripts/fetch_data.py                      # download from HEPData (needs pyhf[contrib])
    python scripts/fetch_data.py --from ../shared/data  # copy from a local mirror (CI, offline)
    python scripts/fetch_data.py sbottom-RegionA 1Lbb   # only what these likelihoods need

A file already present and intact is left alone (``--force`` fetches it again). A new file is
written under a temporary name and moved into place only after its sha256 matched, so a failed
fetch never touches what is there. Exit status 1 with a one-line reason on any failure.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._support import likelihoods  # noqa: E402


def needed_files(names: list[str]) -> list[str]:
    entries = likelihoods.manifest()["likelihoods"]
    unknown = [name for name in names if name not in entries]
    if unknown:
        known = ", ".join(entries)
        raise likelihoods.DataError(f"unknown likelihood {unknown[0]!r}; known: {known}")
    files = []
    for name in names or entries:
        for part in ("background", "signal"):
            relpath = entries[name][part]["file"]
            if relpath not in files:
                files.append(relpath)
    return files


def is_intact(root: Path, relpath: str) -> bool:
    try:
        likelihoods.verify_memoized(root, relpath)
    except likelihoods.DataError:
        return False
    return True


def install(source: Path, root: Path, relpath: str, compress: bool) -> None:
    """Copy ``source`` to ``root/relpath`` (gzip-compressing it if asked) once it verifies."""
    target = root / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
            if compress:
                with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as gz:
                    shutil.copyfileobj(src, gz)
            else:
                shutil.copyfileobj(src, out)
        likelihoods.verify(tmp, relpath)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def fetch_from_mirror(mirror: Path, root: Path, relpath: str) -> None:
    source = mirror / relpath
    if not source.is_file():
        raise likelihoods.DataError(f"{relpath}: not in the mirror {mirror}")
    install(source, root, relpath, compress=False)


def fetch_from_hepdata(root: Path, relpath: str, downloads: dict[str, Path]) -> None:
    """Download the file's HEPData record once (pyhf's own downloader), then install it."""
    entry = likelihoods.file_entry(relpath)
    record = likelihoods.manifest()["records"][entry["record"]]
    if entry["record"] not in downloads:
        downloads[entry["record"]] = download_record(record, Path(tempfile.mkdtemp()))
    where = downloads[entry["record"]]
    source = where if record.get("keep_archive") else where / entry["member"]
    if not source.is_file():
        raise likelihoods.DataError(f"{relpath}: {record['hepdata_url']} has no {entry['member']}")
    compress = likelihoods.is_gzipped_json(relpath) and source != where
    install(source, root, relpath, compress=compress)


def download_record(record: dict, workdir: Path) -> Path:
    try:
        from pyhf.contrib.utils import download
    except ImportError as exc:
        raise likelihoods.DataError(
            f"downloading needs pyhf[contrib] ({exc}); or use --from DIR"
        ) from None
    target = workdir / ("archive.tar.gz" if record.get("keep_archive") else "record")
    try:
        download(record["hepdata_url"], target, compress=bool(record.get("keep_archive")))
    except Exception as exc:
        raise likelihoods.DataError(
            f"download of {record['hepdata_url']} failed: {type(exc).__name__}: {exc}"
        ) from None
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("likelihoods", nargs="*", help="likelihood names (default: all)")
    parser.add_argument("--from", dest="mirror", type=Path, help="copy from a local mirror")
    parser.add_argument("--data-dir", type=Path, default=None, help="where files go")
    parser.add_argument("--force", action="store_true", help="fetch intact files again")
    args = parser.parse_args(argv)
    root = args.data_dir or likelihoods.data_dir()
    downloads: dict[str, Path] = {}
    try:
        for relpath in needed_files(args.likelihoods):
            if not args.force and is_intact(root, relpath):
                print(f"ok       {relpath}")
                continue
            if args.mirror is not None:
                fetch_from_mirror(args.mirror, root, relpath)
            else:
                fetch_from_hepdata(root, relpath, downloads)
            likelihoods.verify_memoized(root, relpath)
            print(f"fetched  {relpath}")
    except (likelihoods.DataError, OSError) as exc:
        print(f"fetch_data: {exc}", file=sys.stderr)
        return 1
    finally:
        for path in downloads.values():
            shutil.rmtree(path.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
