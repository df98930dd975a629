"""The data manifest, the fetch command, and what benchmarks do with missing or corrupt data."""

from __future__ import annotations

import gzip
import re
import shutil
import sys
import types

import pytest

from benchmarks._support import likelihoods
from conftest import MIRROR
from scripts import fetch_data

SBOTTOM_A = ["sbottom/RegionA/BkgOnly.json", "sbottom/RegionA/patchset.json.gz"]
DOIS = {
    "sbottom": "10.17182/hepdata.89408",
    "1Lbb": "10.17182/hepdata.90607",
    "staus": "10.17182/hepdata.92006",
    "3L-eRJR": "10.17182/hepdata.91127",
}


def flip_one_byte(content: bytes) -> bytes:
    """Same size, one bit different: only the checksum can tell."""
    middle = len(content) // 2
    return content[:middle] + bytes([content[middle] ^ 1]) + content[middle + 1 :]


def test_manifest_names_every_published_likelihood():
    manifest = likelihoods.manifest()
    assert {name: record["doi"] for name, record in manifest["records"].items()} == DOIS
    assert set(manifest["likelihoods"]) == {
        "sbottom-RegionA",
        "sbottom-RegionB",
        "sbottom-RegionC",
        "1Lbb",
        "staus-combined",
        "3L-eRJR",
    }
    for name, entry in manifest["likelihoods"].items():
        assert entry["background"]["file"] in manifest["files"], name
        assert entry["signal"]["file"] in manifest["files"], name
        reference = entry["reference"]
        assert 0 <= reference["cls_obs"] <= 1 and len(reference["cls_exp"]) == 5, name


def test_references_agree_with_the_published_cls():
    for name, entry in likelihoods.manifest()["likelihoods"].items():
        published = entry.get("published", {}).get("cls_obs")
        if published is not None:
            assert entry["reference"]["cls_obs"] == pytest.approx(published, rel=2e-5), name


@pytest.mark.skipif(not (MIRROR / "SOURCES.md").is_file(), reason="no ../shared/data here")
def test_manifest_checksums_match_the_sources_document():
    sources = (MIRROR / "SOURCES.md").read_text(encoding="utf-8")
    for relpath, entry in likelihoods.manifest()["files"].items():
        line = re.search(rf"{re.escape(relpath)}\s.*", sources)
        assert line, f"{relpath} not in SOURCES.md"
        assert entry["sha256"] in line.group(0), relpath
        assert re.search(rf"size {entry['size']}\b", line.group(0)), relpath


def test_fetch_from_a_mirror_copies_and_verifies(tmp_path, capsys):
    target = tmp_path / "data"
    assert (
        fetch_data.main(["sbottom-RegionA", "--from", str(MIRROR), "--data-dir", str(target)]) == 0
    )
    for relpath in SBOTTOM_A:
        likelihoods.verify(target / relpath, relpath)
    assert (
        fetch_data.main(["sbottom-RegionA", "--from", str(MIRROR), "--data-dir", str(target)]) == 0
    )
    assert capsys.readouterr().out.count("ok ") == 2  # second run touches nothing


def test_fetch_refuses_a_corrupt_mirror_and_keeps_good_files(tmp_path, capsys):
    mirror, target = tmp_path / "mirror", tmp_path / "data"
    for relpath in SBOTTOM_A:
        (mirror / relpath).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(MIRROR / relpath, mirror / relpath)
    assert (
        fetch_data.main(["sbottom-RegionA", "--from", str(mirror), "--data-dir", str(target)]) == 0
    )
    good = (target / SBOTTOM_A[0]).read_bytes()
    (mirror / SBOTTOM_A[0]).write_bytes(flip_one_byte(good))

    status = fetch_data.main(
        ["sbottom-RegionA", "--force", "--from", str(mirror), "--data-dir", str(target)]
    )
    err = capsys.readouterr().err.strip()
    assert status == 1
    assert "\n" not in err and "does not match the manifest" in err, err
    assert (target / SBOTTOM_A[0]).read_bytes() == good
    assert not [p for p in target.rglob("*") if p.name.startswith(".BkgOnly")]


def test_fetch_rejects_an_unknown_likelihood(capsys):
    assert fetch_data.main(["sbottom-RegionQ", "--from", str(MIRROR)]) == 1
    assert "unknown likelihood 'sbottom-RegionQ'" in capsys.readouterr().err


def test_fetch_from_hepdata_uses_pyhf_downloader(tmp_path, monkeypatch):
    """HEPData is out of reach here: pyhf's downloader is replaced by one that lays out the
    record the way it would (an extracted archive), so our side of the path is exercised.
    """
    calls = []

    def download(url, output_directory, force=False, compress=False):
        calls.append((url, compress))
        for relpath in SBOTTOM_A:
            member = likelihoods.file_entry(relpath)["member"]
            (output_directory / member).parent.mkdir(parents=True, exist_ok=True)
            with (
                gzip.open(MIRROR / relpath)
                if relpath.endswith(".gz")
                else open(MIRROR / relpath, "rb")
            ) as src:
                (output_directory / member).write_bytes(src.read())

    fake = types.ModuleType("pyhf.contrib.utils")
    fake.download = download
    monkeypatch.setitem(sys.modules, "pyhf.contrib.utils", fake)
    target = tmp_path / "data"
    assert fetch_data.main(["sbottom-RegionA", "--data-dir", str(target)]) == 0
    assert calls == [("https://doi.org/10.17182/hepdata.89408.v3/r2", False)]
    for relpath in SBOTTOM_A:
        likelihoods.verify(target / relpath, relpath)


def test_benchmark_skips_on_missing_data_naming_the_fetch_command(private_data):
    from benchmarks.bench_model import ModelBuild

    (private_data / SBOTTOM_A[1]).unlink()
    with pytest.raises(NotImplementedError) as skip:
        ModelBuild().setup("numpy", "cpu", "64b", "sbottom-RegionA")
    message = str(skip.value)
    assert "missing" in message and "python scripts/fetch_data.py" in message
    assert "\n" not in message


def test_benchmark_skips_on_corrupt_data(private_data):
    from benchmarks.bench_model import ModelBuild

    ModelBuild().setup("numpy", "cpu", "64b", "sbottom-RegionA")  # verified and memoized
    likelihoods.load.cache_clear()
    path = private_data / SBOTTOM_A[0]
    path.write_bytes(flip_one_byte(path.read_bytes()))
    with pytest.raises(NotImplementedError, match="sha256 .* does not match the manifest"):
        ModelBuild().setup("numpy", "cpu", "64b", "sbottom-RegionA")


def test_truncated_gzip_is_reported_not_raised(private_data):
    path = private_data / SBOTTOM_A[1]
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(likelihoods.DataError, match="unreadable|does not match"):
        likelihoods.verify(path, SBOTTOM_A[1])


def test_unknown_likelihood_is_a_one_line_error():
    with pytest.raises(likelihoods.DataError, match="unknown likelihood 'nope'; known: sbottom"):
        likelihoods.load("nope")
