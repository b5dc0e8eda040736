"""The store from the command line: import two terms, list them, report, delete, purge."""

from __future__ import annotations

import json

import pandas as pd

from natbacc.cli import main
from natbacc.sample import sample_paths

FILES = [str(p) for p in sample_paths()]


def _sheets(path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(path, sheet_name=None, engine="calamine")


def test_two_terms_listed_and_reported_exactly_as_from_files(use_store, tmp_path, capsys):
    assert main(["import", *FILES, "--term", "Autumn 2026", "--school", "Oakfield", "--as-of", "20/11/2026"]) == 0
    assert "Stored snapshot" in capsys.readouterr().out
    assert main(["import", *FILES, "--term", "Spring 2027", "--school", "Oakfield", "--as-of", "20/03/2027"]) == 0
    capsys.readouterr()

    assert main(["snapshots", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(s["term"], s["school"], s["students"]) for s in listed] == [
        ("Autumn 2026", "Oakfield", 1320),
        ("Spring 2027", "Oakfield", 1320),
    ]
    assert all({"id", "imported_at"} <= set(s) for s in listed)
    assert main(["snapshots"]) == 0
    table = capsys.readouterr().out
    assert "Autumn 2026" in table and "Spring 2027" in table

    from_store, from_files = tmp_path / "store.xlsx", tmp_path / "files.xlsx"
    assert main(["report", "--term", "spring 2027", "-o", str(from_store)]) == 0
    assert "From the store: Spring 2027 · Oakfield" in capsys.readouterr().out
    assert main(["report", *FILES, "--school", "Oakfield", "--as-of", "20/03/2027", "-o", str(from_files)]) == 0
    a, b = _sheets(from_store), _sheets(from_files)
    assert list(a) == list(b)
    # The one difference: a stored term's Summary names its term (the files carry none).
    heading = a["Summary"].columns[0]
    assert a["Summary"].at[1, heading].startswith("Term: Spring 2027. Data as of 20/03/2027")
    assert b["Summary"].at[1, heading].startswith("Data as of 20/03/2027")
    a["Summary"].at[1, heading] = b["Summary"].at[1, heading]
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_import_refuses_a_duplicate_and_blocked_files(use_store, tmp_path, capsys):
    assert main(["import", *FILES, "--term", "Autumn 2026"]) == 0
    assert main(["import", *FILES, "--term", "Autumn 2026"]) == 1
    assert "already stored" in capsys.readouterr().err
    assert main(["import", *FILES, "--term", "Autumn 2026", "--replace"]) == 0
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    assert main(["import", str(bad), "--term", "Spring 2027"]) == 1
    assert "Nothing stored" in capsys.readouterr().out
    assert main(["snapshots", "--json"]) == 0
    assert [s["term"] for s in json.loads(capsys.readouterr().out)] == ["Autumn 2026"]


def test_report_needs_files_or_a_known_term(use_store, capsys, tmp_path):
    assert main(["report", "-o", str(tmp_path / "x.xlsx")]) == 2
    assert main(["report", "--term", "Summer 2030", "-o", str(tmp_path / "x.xlsx")]) == 1
    assert "No snapshot for term 'Summer 2030'" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_import_uses_the_settings_saved_in_the_store(use_store, capsys):
    from natbacc.settings import Settings
    from natbacc.store.snapshots import Store

    store = Store.open(use_store)
    store.save_settings(Settings.default().with_overrides({"status": {"on_track": 90}}))
    store.close()
    assert main(["import", *FILES, "--term", "Autumn 2026"]) == 0
    store = Store.open(use_store)
    stored = store.load(store.snapshots()[0].id)
    store.close()
    assert stored.settings.status["on_track"] == 90


def test_delete_and_purge(use_store, capsys, monkeypatch):
    for school in ("Oakfield", "Elm Park"):
        assert main(["import", *FILES, "--term", "Autumn 2026", "--school", school]) == 0
    assert main(["delete", "--term", "Autumn 2026"]) == 2
    assert "--all-schools" in capsys.readouterr().err
    assert main(["delete", "--term", "Autumn 2026", "--school", "elm park"]) == 0
    assert "Deleted snapshot" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert main(["purge"]) == 1
    monkeypatch.setattr("builtins.input", lambda prompt: "purge")
    assert main(["purge"]) == 0
    assert "1 snapshot and the saved settings deleted" in capsys.readouterr().out
    assert main(["snapshots", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
