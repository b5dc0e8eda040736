"""A pupil's Personal Development log over the programme: this term's log plus the logs of earlier stored terms.

NBfE Personal Development is counted over a programme of several years (docs/sources.md#nbt-accreditation),
but a school's export often holds only the current term or year. The store keeps every term's log whole
(``development_log``), so the hours a pupil logged in a term exported and stored earlier still count.

Exports overlap: a cumulative log exported in spring repeats the autumn entries that are also stored with
the autumn term. An entry present in several logs counts once. Two entries are the same when pupil, date,
category, activity and hours agree (text compared ignoring case and spacing). Within one log, identical
rows are kept as they are (two sessions of the same activity on the same day are two entries): across logs
the count of an entry is the largest count any one log has, never their sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from natbacc.model import Tables, conform

#: What makes two log rows the same entry.
ENTRY_KEY = ("pupil_key", "date", "category", "activity", "hours")


@dataclass(frozen=True)
class ProgrammeLog:
    """The merged log and what the earlier terms added to it."""

    log: pd.DataFrame
    #: Entries that only an earlier term's log holds (now counted).
    added: int
    #: Entries of earlier terms already in this term's log (counted once).
    duplicates: int
    #: The earlier terms read, as people name them ("Autumn 2026 · Oakfield Academy").
    terms: tuple[str, ...] = ()

    def sentence(self) -> str:
        """One line for the report and the dashboard ('' when no earlier term was read)."""
        if not self.terms:
            return ""
        return (
            f"Personal Development over the programme also counts {self.added:,} log entries kept with earlier "
            f"stored terms ({', '.join(self.terms)}); {self.duplicates:,} entries in both were counted once."
        )


def _keys(frame: pd.DataFrame) -> pd.DataFrame:
    """The entry key of each row, text normalised (case and spacing), so re-exports match."""
    out = pd.DataFrame(index=frame.index)
    for col in ENTRY_KEY:
        values = frame[col]
        if col in ("category", "activity"):
            values = values.fillna("").astype("str").str.split().str.join(" ").str.casefold()
        out[col] = values
    return out


def merge_logs(
    current: pd.DataFrame,
    earlier: Sequence[pd.DataFrame],
    terms: Sequence[str] = (),
    pupils: pd.Series | None = None,
) -> ProgrammeLog:
    """This term's development log with the entries of ``earlier`` logs it does not already hold.

    ``current`` keeps every row, in order; rows only an earlier log has are appended after it. An entry
    appearing ``n`` times in one log and ``m`` times in another counts ``max(n, m)`` times. With ``pupils``
    (this term's pupil keys: the pupil ID, or school and ID in a trust's upload), earlier entries of pupils
    no longer on roll are left out.
    """
    current = _keyed(current)
    earlier = [_keyed(e) for e in earlier if len(e)]
    if pupils is not None:
        on_roll = pd.Index(pupils.dropna().astype("str").unique())
        earlier = [e[e["pupil_key"].isin(on_roll).to_numpy(bool)] for e in earlier]
        earlier = [e for e in earlier if len(e)]
    if not earlier:
        return ProgrammeLog(current, 0, 0, tuple(terms))
    logs = [current, *earlier]
    both = pd.concat([f.assign(_log=i) for i, f in enumerate(logs)], ignore_index=True)
    keys = _keys(both)
    # The n-th occurrence of an entry within its own log: the same entry in two logs shares (key, n).
    nth = pd.concat([keys, both["_log"]], axis=1).groupby([*ENTRY_KEY, "_log"], dropna=False).cumcount()
    seen = pd.concat([keys, nth.rename("_nth")], axis=1).duplicated(keep="first").to_numpy()
    earlier_rows = (both["_log"] > 0).to_numpy()
    merged = both[~seen].drop(columns="_log").reset_index(drop=True)
    added = int((earlier_rows & ~seen).sum())
    return ProgrammeLog(conform("development", merged), added, int((earlier_rows & seen).sum()), tuple(terms))


def _keyed(log: pd.DataFrame) -> pd.DataFrame:
    """``log`` in the development table's shape, every row with its ``pupil_key`` (a log built without one,
    as a one-school upload's, is keyed by its pupil ID, which is what the importer gives such a pupil)."""
    log = conform("development", log)
    if log["pupil_key"].isna().any():
        log = log.assign(pupil_key=log["pupil_key"].fillna(log["student_id"]))
    return log


def with_programme_log(tables: Tables, log: ProgrammeLog) -> Tables:
    """``tables`` with the development log replaced by the programme's merged log (a new dict; frames shared)."""
    out = dict(tables)
    out["development"] = log.log
    return out


def programme_log(tables: Tables, earlier: Sequence[tuple[str, pd.DataFrame]]) -> ProgrammeLog:
    """This import's development log merged with earlier terms' logs, given as (term title, log) pairs
    (``Store.earlier_logs``), keeping only entries of pupils on this import's roll."""
    return merge_logs(
        tables["development"], [log for _, log in earlier], [t for t, _ in earlier], tables["students"]["pupil_key"]
    )
