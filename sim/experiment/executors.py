"""Executors: where an experiment's runs execute, local worker processes or a Dask cluster.

Both take self-contained tasks and yield (task, outcome) as runs finish, in whatever order; the caller stores each
one at once. A run's numbers depend on its task alone, never on the worker that ran it or when, so the results are
identical, to the last bit, whatever the executor and the number of workers.

Local workers die with the command that started them: the fork server and each worker ask Linux for a signal when
their parent dies (prctl PR_SET_PDEATHSIG), so a `compare` killed with SIGKILL leaves no process behind (the
resource tracker then exits by itself, its pipe closed).

A run that raises is an outcome like any other (its error and traceback are kept); the others go on. A local worker
process that dies (killed, out of memory) breaks Python's process pool: the pool is restarted and the runs it was
doing are retried; a run whose worker dies twice is recorded as failed. On Dask, the scheduler retries runs whose
worker died and gives up after `distributed.scheduler.allowed-failures` deaths.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import traceback
import uuid
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Callable, Iterator

from sim.experiment.plan import RunTask
from sim.inputs import InputError
from sim.results import Results
from sim.simulate import run

DEATHS_ALLOWED = 2  # a run whose worker process died this many times is recorded as failed


@dataclass
class Outcome:
    results: Results | None = None
    error: str | None = None
    traceback: str = ""

    @property
    def ok(self) -> bool:
        return self.results is not None


def execute(task: RunTask) -> Outcome:
    """Run one task (in a worker). Errors come back as data, so one bad run never stops the others."""
    try:
        return Outcome(results=run(**task.run_arguments()))
    except Exception as error:  # noqa: BLE001 - any failure of a run is recorded, not raised
        message = str(error).splitlines()[0] if str(error) else ""
        return Outcome(error=f"{type(error).__name__}: {message}".rstrip(": "), traceback=traceback.format_exc())


def _quiet_on_interrupt() -> None:
    """Worker start-up: Ctrl-C reaches the whole process group; the parent reports it, a worker just leaves (it holds
    nothing unsaved: results are written by the parent). And it dies with its parent, the fork server."""
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    die_with_parent(_FORK_SERVER)


_PR_SET_PDEATHSIG = 1
_PARENT = "GOVSIM_FORK_SERVER_PARENT"  # the pid of the process that starts the fork server (set in _context)


def die_with_parent(parent: int | None = None) -> None:
    """Ask the kernel to kill this process when its parent (pid `parent`, default: the current one) dies. If it died
    already, before the request could be made, leave now. Linux only; elsewhere nothing happens."""
    if not sys.platform.startswith("linux"):
        return
    parent = parent or os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


def _in_fork_server() -> bool:
    return "from multiprocessing.forkserver import main" in " ".join(getattr(sys, "orig_argv", []))


_FORK_SERVER: int | None = None  # in the fork server and the workers it forks: the fork server's pid
if _in_fork_server():  # the fork server imports this module at its start (set_forkserver_preload below)
    _FORK_SERVER = os.getpid()
    die_with_parent(int(os.environ.get(_PARENT, "0")) or None)


def default_workers() -> int:
    """The cores this process may use (os.process_cpu_count is Python 3.13's; the affinity mask says the same)."""
    count = getattr(os, "process_cpu_count", None)
    if count is not None:
        return count() or 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _context():
    # forkserver: workers fork from a clean server that has imported the model once (fast start, and no fork of a
    # parent that runs threads, such as the progress bar's); spawn where forkserver does not exist (Windows).
    if "forkserver" in multiprocessing.get_all_start_methods():
        os.environ[_PARENT] = str(os.getpid())  # read by the fork server when it starts (it may be killed before)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


class LocalExecutor:
    """A pool of worker processes on this machine, one run at a time each."""

    def __init__(self, workers: int | None = None, notify: Callable[[str], None] = print):
        self.workers = workers or default_workers()
        self.notify = notify

    @property
    def description(self) -> str:
        return f"{self.workers} local worker process{'es' if self.workers != 1 else ''}"

    def run(self, tasks: list[RunTask]) -> Iterator[tuple[RunTask, Outcome]]:
        pending = deque(tasks)
        deaths: Counter = Counter()
        barren_pools = 0  # consecutive pools that broke before finishing a single run
        while pending:
            pool = ProcessPoolExecutor(max_workers=min(self.workers, len(pending)), mp_context=_context(), initializer=_quiet_on_interrupt)
            in_flight: dict = {}
            finished = 0
            try:
                # Never more tasks in flight than workers: when a worker dies, the runs in flight are the suspects.
                broken = False
                while pending or in_flight:
                    while pending and len(in_flight) < self.workers:
                        try:  # a worker that died since the last wait makes the pool refuse new tasks
                            future = pool.submit(execute, pending[0])
                        except BrokenProcessPool:
                            broken = True
                            break
                        in_flight[future] = pending.popleft()
                    if broken:
                        break
                    done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                    if any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                        break
                    for future in done:
                        finished += 1
                        yield in_flight.pop(future), future.result()
            finally:
                pool.shutdown(wait=False, cancel_futures=True)
            if not in_flight:
                continue
            retry = []
            for future, task in in_flight.items():
                if future.done() and future.exception() is None:
                    finished += 1
                    yield task, future.result()
                    continue
                deaths[task.run_id] += 1
                if deaths[task.run_id] >= DEATHS_ALLOWED:
                    yield task, Outcome(error=f"the worker process running it died {deaths[task.run_id]} times (killed, or out of memory?)")
                else:
                    retry.append(task)
            barren_pools = 0 if finished else barren_pools + 1
            if barren_pools >= 2:
                raise InputError(
                    "local worker processes die before finishing a single run (see their errors above); a Python "
                    "script that runs an experiment must do it under `if __name__ == \"__main__\":` (workers import it)",
                    field="--workers",
                )
            if retry:
                self.notify(f"a worker process died (killed, or out of memory?); retrying {len(retry)} run(s): {', '.join(t.run_id for t in retry)}")
            pending.extendleft(reversed(retry))

    def close(self) -> None:
        """Nothing to release: each call of `run` starts and shuts down its own pool."""


class DaskExecutor:
    """Runs as plain function submissions to a Dask distributed scheduler.

    `target` is a scheduler address ('tcp://host:8786'), 'local' (start a local cluster of `workers` processes,
    one thread each: a run is single-threaded Python and numpy), or a `distributed.Client` you made yourself (for
    example on a dask-jobqueue cluster).
    """

    def __init__(self, target, workers: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError("Dask is not installed; install it with: pip install 'govsim[dask]'", field="--dask") from None
        self.cluster = None
        self.own_client = not isinstance(target, Client)
        if isinstance(target, Client):
            self.client = target
            self.where = f"the Dask cluster at {target.scheduler.address}"
        elif target == "local":
            n = workers or default_workers()
            self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=_dashboard())
            self.client = Client(self.cluster)
            self.where = f"a local Dask cluster of {n} worker process{'es' if n != 1 else ''}"
        else:
            try:
                self.client = Client(target, timeout="10s")
            except (OSError, TimeoutError, ValueError, TypeError) as error:
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                raise InputError(f"cannot reach a Dask scheduler at '{target}': {reason}", field="--dask") from None
            self.where = f"the Dask cluster at {target}"

    @property
    def description(self) -> str:
        threads = sum(self.client.nthreads().values())
        link = f"; dashboard {self.client.dashboard_link}" if self.cluster is not None and _dashboard() else ""
        return f"{self.where} ({threads} thread{'s' if threads != 1 else ''}{link})"

    def run(self, tasks: list[RunTask]) -> Iterator[tuple[RunTask, Outcome]]:
        from distributed import as_completed

        token = uuid.uuid4().hex[:8]  # keys unique to this submission: a shared scheduler may hold other experiments
        futures = {self.client.submit(execute, task, key=f"govsim-{task.run_id}-{token}", pure=False): task for task in tasks}
        try:
            for future, result in as_completed(futures, with_results=True, raise_errors=False):
                task = futures.pop(future)
                if future.status == "finished":
                    yield task, result
                elif future.status == "error":  # failed outside the run itself, e.g. its worker died too often
                    error = future.exception()
                    text = str(error).splitlines()[0] if str(error) else ""
                    trace = "".join(traceback.format_tb(future.traceback()) if future.traceback() else [])
                    yield task, Outcome(error=f"{type(error).__name__}: {text}".rstrip(": "), traceback=trace)
                else:
                    yield task, Outcome(error=f"the run was {future.status} on the Dask cluster")
                future.release()
        finally:
            for future in futures:
                future.cancel()

    def close(self) -> None:
        if self.own_client:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _dashboard() -> str | None:
    """A dashboard on any free port when bokeh is installed (distributed needs it), otherwise none."""
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return None
    return ":0"


def make_executor(workers: int | None = None, dask=None, notify: Callable[[str], None] = print):
    return DaskExecutor(dask, workers) if dask is not None else LocalExecutor(workers, notify)
