"""The one place that knows the published likelihoods: manifest, files, checksums, workspaces.

Files live under ``data/likelihoods/`` (or ``$PYHF_BENCHMARKS_DATA``), put there and verified
by ``scripts/fetch_data.py``. Every read verifies size and sha256 again (memoized on disk by
file size and mtime, so a 57 MB patchset is hashed once, not in every asv process). A missing or
corrupt file is a :class:`DataError` whose message names the fetch command.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import json
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
MANIFEST_PATH = REPO_ROOT / "data" / "manifest.json"
FETCH_COMMAND = "python scripts/fetch_data.py"
_VERIFIED_STAMPS = ".verified.json"
_PATCH_CACHE = ".patches"


class DataError(RuntimeError):
    """A likelihood file is missing, corrupt or unknown; the message is one line."""


def data_dir() -> Path:
    return Path(os.environ.get("PYHF_BENCHMARKS_DATA", REPO_ROOT / "data" / "likelihoods"))


@functools.lru_cache(maxsize=1)
def manifest() -> dict:
    with open(MANIFEST_PATH, encoding="utf-8") as stream:
        return json.load(stream)


def likelihood_names() -> list[str]:
    return list(manifest()["likelihoods"])


def file_entry(relpath: str) -> dict:
    try:
        return manifest()["files"][relpath]
    except KeyError:
        raise DataError(f"{relpath}: not a file of data/manifest.json") from None


def read_bytes(relpath: str) -> bytes:
    """The verified content of a manifest file (uncompressed for ``*.json.gz``)."""
    path = verify_memoized(data_dir(), relpath)
    opener = gzip.open if is_gzipped_json(relpath) else open
    with opener(path, "rb") as stream:
        return stream.read()


def is_gzipped_json(relpath: str) -> bool:
    return relpath.endswith(".json.gz")


def content_digest(path: Path, gzipped: bool) -> tuple[int, str]:
    """(size, sha256) of a file's content; gzipped JSON is digested uncompressed."""
    opener = gzip.open if gzipped else open
    digest, size = hashlib.sha256(), 0
    with opener(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def verify(path: Path, relpath: str) -> None:
    """Raise DataError unless ``path`` holds exactly the manifest's content for ``relpath``."""
    entry = file_entry(relpath)
    if not path.is_file():
        raise DataError(f"{relpath}: missing in {path.parent}; run `{FETCH_COMMAND}`")
    try:
        size, sha256 = content_digest(path, is_gzipped_json(relpath))
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise DataError(f"{relpath}: unreadable ({exc}); run `{FETCH_COMMAND} --force`") from None
    if (size, sha256) != (entry["size"], entry["sha256"]):
        raise DataError(
            f"{relpath}: sha256 {sha256[:12]}… (size {size}) does not match the manifest "
            f"({entry['sha256'][:12]}…, size {entry['size']}); run `{FETCH_COMMAND} --force`"
        )


def verify_memoized(root: Path, relpath: str) -> Path:
    """Verify ``root/relpath``; skip re-hashing while its size and mtime are unchanged."""
    path = root / relpath
    stamps_path = root / _VERIFIED_STAMPS
    stamp = _stat_stamp(path, file_entry(relpath))
    stamps = _load_json(stamps_path)
    if stamp is not None and stamps.get(relpath) == stamp:
        return path
    verify(path, relpath)
    stamps[relpath] = stamp
    _write_json_atomically(stamps_path, stamps)
    return path


def _stat_stamp(path: Path, entry: dict) -> list | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, entry["sha256"]]


def _load_json(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as stream:
            return json.load(stream)
    except (OSError, ValueError):
        return {}


def _write_json_atomically(path: Path, content) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(content, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only data dir only costs re-verification


def _member_json(relpath: str, member: str | None):
    """JSON from a manifest file, or from one member of a manifest tar archive."""
    raw = read_bytes(relpath)
    if member is None:
        return json.loads(raw)
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as archive:
        try:
            return json.load(archive.extractfile(member))
        except KeyError:
            raise DataError(f"{relpath}: archive has no member {member}") from None


def _signal_patch(signal: dict) -> list:
    """The JSON-patch operations of one signal point, cached on disk per patchset digest."""
    if "member" in signal:
        return _member_json(signal["file"], signal["member"])
    entry = file_entry(signal["file"])
    verify_memoized(data_dir(), signal["file"])
    cached = data_dir() / _PATCH_CACHE / entry["sha256"][:16] / f"{signal['patch']}.json"
    if cached.is_file():
        return json.loads(cached.read_text(encoding="utf-8"))
    patchset = json.loads(read_bytes(signal["file"]))
    by_name = {patch["metadata"]["name"]: patch["patch"] for patch in patchset["patches"]}
    if signal["patch"] not in by_name:
        raise DataError(f"{signal['file']}: no signal patch named {signal['patch']}")
    cached.parent.mkdir(parents=True, exist_ok=True)
    _write_json_atomically(cached, by_name[signal["patch"]])
    return by_name[signal["patch"]]


@dataclass(frozen=True)
class Likelihood:
    """One published likelihood at its reference signal point, as plain JSON."""

    name: str
    background: dict
    signal_patch: list
    reference: dict


def reference(name: str) -> dict:
    """Reference results of a likelihood (CLs_obs, expected band, tolerances)."""
    return _likelihood_entry(name).get("reference", {})


def _likelihood_entry(name: str) -> dict:
    try:
        return manifest()["likelihoods"][name]
    except KeyError:
        known = ", ".join(likelihood_names())
        raise DataError(f"unknown likelihood {name!r}; known: {known}") from None


@functools.lru_cache(maxsize=4)
def load(name: str) -> Likelihood:
    """The verified background-only workspace and signal patch of a likelihood."""
    entry = _likelihood_entry(name)
    background = entry["background"]
    return Likelihood(
        name=name,
        background=_member_json(background["file"], background.get("member")),
        signal_patch=_signal_patch(entry["signal"]),
        reference=entry.get("reference", {}),
    )


def check(name: str) -> None:
    """Raise DataError unless every file the likelihood needs is present and intact."""
    entry = _likelihood_entry(name)
    for part in ("background", "signal"):
        verify_memoized(data_dir(), entry[part]["file"])


def synthetic_reference(family: str, n_bins: int) -> dict:
    """Reference values of a synthetic model (manifest "synthetic", numpy at 64b)."""
    try:
        return manifest()["synthetic"][family][str(n_bins)]
    except KeyError:
        raise DataError(f"no reference for synthetic {family} with {n_bins} bins") from None


def grid_points(name: str, full: bool = False) -> list[tuple[str, list, dict | None]]:
    """(patch name, patch operations, reference or None) for a grid scan of an analysis.

    The default is the manifest's fixed subset, each point with its reference CLs; ``full``
    takes every patch of the patchset (no per-point references: only sanity checks apply).
    """
    entry = _likelihood_entry(name)
    if full:
        patchset = json.loads(read_bytes(entry["signal"]["file"]))
        return [(p["metadata"]["name"], p["patch"], None) for p in patchset["patches"]]
    grid = manifest().get("grid", {}).get(name)
    if grid is None:
        raise DataError(f"{name}: no grid subset in data/manifest.json")
    return [
        (point, patch, grid["reference"][point])
        for point, patch in signal_patches(name, grid["points"])
    ]


def signal_patches(name: str, points: list[str]) -> list[tuple[str, list]]:
    """The JSON-patch operations of named signal points of a likelihood's patchset."""
    signal = _likelihood_entry(name)["signal"]
    return [(point, _signal_patch(dict(signal, patch=point))) for point in points]
