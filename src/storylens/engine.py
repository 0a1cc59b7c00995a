"""The executor seam: where the per-article work (analysis, profile, vectors) runs.

Everything CPU-heavy that ingest does per article goes through one
:class:`concurrent.futures.Executor`, picked by :func:`get_executor`:

- ``workers=1``: in this process (:class:`InlineExecutor`); small inputs use it too, so a
  CLI run of a few articles pays no pool start-up (the rule lives in
  :func:`storylens.stories.api.ingest_stream`: the pool starts when a second batch is read);
- default: a local process pool over every core (``os.cpu_count()``), spawned (not forked:
  the parent holds OpenMP and BLAS threads), one BLAS/OpenMP thread per worker process;
- ``cluster="ADDRESS"`` (or ``$STORYLENS_CLUSTER``): a Dask cluster through
  ``distributed.Client(ADDRESS).get_executor()``; ``cluster="local"`` starts a Dask
  ``LocalCluster`` of ``workers`` single-threaded worker processes on this machine.

The worker function :func:`profile_batch` is top-level and pure: it takes cleaned articles and
returns them analysed, with their story items and the vectors it computed. Workers never open
the store: the parent writes each batch in one transaction, so a worker that dies leaves
nothing half-stored.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

BATCH_SIZE = 32
"""Articles per batch: the unit of work sent to a worker and of one store transaction. Small
enough that both workers of a 2-core machine are busy early and finish together (373 articles
of 300-977 words, ``storylens ingest --workers 2``: 20.0 articles/s in batches of 256, 23.1 in
batches of 32, whole command; bench/stories.py), large enough that the pair model scores a
batch's candidates in one call and a transaction costs little beside the work."""

ENV_CLUSTER = "STORYLENS_CLUSTER"
ENV_WORKERS = "STORYLENS_WORKERS"
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
# Test-only hook (see tests/test_engine.py): a worker *process* handed an article holding the
# marker exits at once, as a killed worker would; with the _ONCE file only while the file exists.
CRASH_MARKER_ENV = "STORYLENS_TEST_CRASH"
CRASH_ONCE_ENV = "STORYLENS_TEST_CRASH_ONCE"


class InlineExecutor(Executor):
    """Runs each call at submission, in this process: the executor of one-process runs."""

    def __init__(self) -> None:
        self._shutdown = False
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot schedule new futures after shutdown")
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # the caller sees it through the future, as with a pool
            future.set_exception(error)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shutdown = True


class ClusterExecutor(Executor):
    """A Dask ``ClientExecutor`` that also closes its client (and the LocalCluster it started)."""

    def __init__(self, client: Any, cluster: Any = None) -> None:
        self.client = client
        self.cluster = cluster
        self._executor = client.get_executor(pure=False)  # side-effect-free, but never deduplicate batches
        self.address = client.scheduler.address if client.scheduler else None

    @property
    def workers(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait)
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _init_worker() -> None:
    """A pool worker process: one BLAS/OpenMP thread (the pool already uses every core)."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        pass


def default_workers() -> int:
    configured = os.environ.get(ENV_WORKERS)
    return int(configured) if configured else (os.cpu_count() or 1)


def get_executor(cluster: str | None = None, workers: int | None = None) -> Executor:
    """The executor for per-article work (see the module docstring). ``cluster`` falls back
    to ``$STORYLENS_CLUSTER``; ``workers`` to ``$STORYLENS_WORKERS``, then the core count."""
    cluster = cluster or os.environ.get(ENV_CLUSTER) or None
    if cluster:
        return _dask_executor(cluster, workers)
    count = workers or default_workers()
    if count <= 1:
        return InlineExecutor()
    # Workers inherit the environment at spawn: one thread each before numpy is first imported.
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    os.environ.update(dict.fromkeys(THREAD_VARIABLES, "1"))
    try:
        return ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _dask_executor(cluster: str, workers: int | None) -> ClusterExecutor:
    from storylens.errors import StorylensError

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise StorylensError("--cluster needs Dask: pip install 'storylens[scale]'") from None
    if cluster == "local":
        local = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                             dashboard_address=None, env=dict.fromkeys(THREAD_VARIABLES, "1"))
        return ClusterExecutor(Client(local), local)
    try:
        return ClusterExecutor(Client(cluster, timeout="20s"))
    except (OSError, TimeoutError, ValueError) as error:
        raise StorylensError(f"--cluster {cluster}: cannot reach the Dask scheduler ({error})") from None


def executor_workers(executor: Executor) -> int:
    """How many batches the executor runs at once (bounds the batches in flight)."""
    if isinstance(executor, ClusterExecutor):
        return executor.workers
    if isinstance(executor, ProcessPoolExecutor):
        return executor._max_workers  # type: ignore[attr-defined]
    return 1


# -- the worker side --------------------------------------------------------------------------


@dataclass
class BatchResult:
    """What a worker sends back for one batch: every article analysed, its story item, and
    the vectors it computed (model name -> text hash -> vector) for the parent to store."""

    articles: list[Any]
    items: list[Any]
    vectors: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0
    worker: str = ""


_PROFILER: Any = None


def _profiler():
    """One fast profiler per worker process (the USE model loads once, on one thread)."""
    global _PROFILER
    if _PROFILER is None:
        from storylens.stories.profiles import FastProfiler

        _PROFILER = FastProfiler(None)
    return _PROFILER


def _crash_hook(articles: Sequence[Any]) -> None:
    marker = os.environ.get(CRASH_MARKER_ENV)
    if not marker or (multiprocessing.parent_process() is None and not _in_dask_worker()):
        return  # never kill the caller's own process
    if not any(marker in (a.title or "") or marker in a.body for a in articles):
        return
    once = os.environ.get(CRASH_ONCE_ENV)
    if once:
        try:
            os.unlink(once)
        except FileNotFoundError:
            return
    os._exit(1)


def _in_dask_worker() -> bool:
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return False
    return True


def profile_batch(articles: Sequence[Any]) -> BatchResult:
    """Analyse and fast-profile cleaned articles (the worker function; pure, no store)."""
    from storylens.analyze import analyze

    started = time.perf_counter()
    _crash_hook(articles)
    articles = list(articles)
    for article in articles:
        if article.analysis is None:
            analyze(article)
    profiler = _profiler()
    for encoder in profiler.encoders:
        encoder._memory.clear()  # per batch: the vectors returned are this batch's
    items = profiler.items(articles) if articles else []
    vectors = {encoder.name: dict(encoder._memory) for encoder in profiler.encoders}
    return BatchResult(articles, items, vectors, time.perf_counter() - started, f"{os.uname().nodename}:{os.getpid()}")
