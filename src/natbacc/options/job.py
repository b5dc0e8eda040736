"""A design search running beside the dashboard: progress to show, the best so far, a stop button.

The solver runs in a background thread (CP-SAT releases the GIL while it searches), so the page can
redraw every second with the latest progress while the search goes on; asking it to stop ends the
search with the best design found so far, which is then analysed like any other.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from natbacc.options.analyse import Analysis
from natbacc.options.instance import Design, Rules, Season
from natbacc.options.plan import design_blocks
from natbacc.options.solve import Progress
from natbacc.settings import Settings


@dataclass
class DesignJob:
    """One search: start it, read ``latest`` while ``running``, then ``result`` (or ``error``)."""

    season: Season
    rules: Rules
    time_limit: float
    settings: Settings | None = None
    starting_design: Design | None = None  # the school's design: a starting point when it has as many blocks
    started: float = 0.0
    latest: Progress | None = None
    result: Analysis | None = None
    error: str | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> DesignJob:
        self.started = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="natbacc-options-design", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.result = design_blocks(
                self.season,
                self.rules,
                time_limit=self.time_limit,
                settings=self.settings,
                on_progress=self._hear,
                stop=self._stop,
                start=self.starting_design,
            )
        except ValueError as exc:
            self.error = str(exc)
        except Exception as exc:  # never let a worker die silently: the page says what happened
            self.error = f"The design search failed ({type(exc).__name__}). Try again with fewer rules."

    def _hear(self, progress: Progress) -> None:
        self.latest = progress

    def stop(self) -> None:
        """End the search now; the best design so far is analysed and becomes the result."""
        self._stop.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started if self.started else 0.0

    def wait(self, seconds: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(seconds)


#: Running and finished searches by token. A session keeps only its token (session state must pickle;
#: a thread does not), and a session starting a new search forgets its old one.
_JOBS: dict[str, DesignJob] = {}
_LOCK = threading.Lock()


def register(job: DesignJob, replacing: str | None = None) -> str:
    """Keep ``job`` under a new token (stopping and dropping the job ``replacing`` named)."""
    token = secrets.token_hex(8)
    with _LOCK:
        if replacing and (old := _JOBS.pop(replacing, None)) is not None:
            old.stop()
        _JOBS[token] = job
    return token


def find(token: str | None) -> DesignJob | None:
    """The job a token names, if it is still kept."""
    with _LOCK:
        return _JOBS.get(token) if token else None
