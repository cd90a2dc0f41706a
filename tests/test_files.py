"""Writing files whole, and zips whose bytes depend on nothing but their files."""

import os
import zipfile

import pytest

from instructor import files


def test_a_zip_of_the_same_files_is_the_same_bytes(tmp_path):
    entries = {"run.sh": "#!/bin/sh\n", "data/a.bin": bytes(range(256))}
    first = files.write_zip(tmp_path / "one.zip", entries, {"run.sh": 0o755})
    os.utime(tmp_path / "one.zip", (0, 0))  # the files' own dates play no part
    files.write_zip(tmp_path / "two.zip", entries, {"run.sh": 0o755})
    assert first == ["run.sh", "data/a.bin"]
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
        assert archive.read("data/a.bin") == bytes(range(256))
    # Regular files: a script executable, the rest readable by all.
    assert modes == {"run.sh": 0o100755, "data/a.bin": 0o100644}


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "grades.csv"
    files.write_text(path, "old\n")

    def broken(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        files.write_text(path, "new\n")
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.csv"]


def test_text_is_written_as_given_and_readable_by_all(tmp_path):
    path = tmp_path / "new" / "folder" / "feedback.md"
    files.write_text(path, "a\r\nb\n\u00e9")
    assert path.read_bytes() == "a\r\nb\n\u00e9".encode()
    assert path.stat().st_mode & 0o777 == 0o644
