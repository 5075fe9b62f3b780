"""Plans solved as background jobs: claim, solve with progress and cancel, store once.

The database holds the job's state, whichever executor runs it:

- A worker claims a job by moving it from ``queued`` to ``running`` with a fresh
  ``claim_token``. A ``running`` job whose heartbeat is older than ``job_stale_after_s`` (its
  worker died) may be claimed again by another worker.
- While it solves, the worker saves progress and a heartbeat every ``job_heartbeat_s``, and
  looks for a cancel request.
- The answer is written only if the job still carries the worker's token, so a job taken over
  from a worker that was only slow is stored once.
- A service that stops hands its running jobs back: they return to ``queued`` (on the
  condition that they still carry its token) for another service or its restart to run.
- Each job records the kind of executor it was queued for; a service claims only those.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from enum import StrEnum
from functools import partial
from types import TracebackType
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import ExecutorKind, Settings
from app.db import after_commit
from app.errors import AppError, SolversBusyError, StateConflictError
from app.schemas.plans import (
    DiagnosticsOut,
    PlanAnswer,
    PlanCreate,
    PlanPublic,
    SolverOut,
)
from app.services.planning import answer_from_result, problem_from_request, solve
from app.services.plans import apply_answer, find_plan, public, queue_plan
from app.services.scope import WorkspaceScope
from models import Plan, PlanState
from models.base import new_uuid7, utcnow
from optimizer import Progress, SolveControl, StopReason
from optimizer.problem import Backend
from optimizer.result import PlanStatus

logger = logging.getLogger(__name__)


# A job whose workers keep dying with it (out of memory, say) is failed after this many starts.
MAX_ATTEMPTS = 3
# A queued job not yet marked as handed to the executor is left alone this long: the request
# that queued it may still be handing it over.
_SUBMIT_GRACE = timedelta(seconds=5)


class JobOutcome(StrEnum):
    STORED = "stored"  # this worker solved it and stored the answer
    BUSY = "busy"  # another worker is solving it and is alive: look again later
    GONE = "gone"  # already finished, cancelled or deleted: nothing to do
    LOST = "lost"  # taken over while this worker solved it; its answer was dropped
    RELEASED = "released"  # handed back to the queue, unsolved: this service is stopping


def run_plan_job(
    session_factory: sessionmaker[Session],
    settings: Settings,
    plan_id: str,
    *,
    stopping: threading.Event | None = None,
) -> JobOutcome:
    """Claim the job, solve it and store the answer (blocking, CPU-bound).

    Whatever goes wrong after the claim, the job ends with an answer (``failed``, saying
    why) rather than staying ``running``. Once ``stopping`` is set (the service is shutting
    down) the job is not claimed, or if it is running, handed back unsolved
    (``hand_back_here``).
    """
    if stopping is not None and stopping.is_set():
        return JobOutcome.RELEASED
    token = new_uuid7()
    claimed = _claim(session_factory, settings, plan_id, token)
    if claimed is not None:
        return claimed
    try:
        with session_factory() as session:
            plan = session.get(Plan, plan_id)
            if plan is None:
                return JobOutcome.GONE
            request, notes, attempts = plan.request, plan.queue_notes or [], plan.attempts
        if attempts > MAX_ATTEMPTS:
            answer = _failed_answer(
                f"given up after {MAX_ATTEMPTS} attempts: each worker solving it stopped "
                "before it finished"
            )
        else:
            box = _ProgressBox()
            control = SolveControl(on_progress=box.record)
            with (
                _Heartbeat(session_factory, settings, plan_id, token, control, box) as beat,
                _solving(plan_id, control, stopping) as running,
            ):
                solved = _solve(PlanCreate.model_validate(request), settings, control)
            if running.handed_back or solved is None:
                return _hand_back(session_factory, plan_id, token)
            if beat.lost:
                return JobOutcome.LOST
            answer = solved
        answer.diagnostics.notes.extend(notes)
        return _store(session_factory, plan_id, token, answer)
    except Exception:
        logger.exception("job %s crashed", plan_id)
        return _store(session_factory, plan_id, token, _failed_answer("the solve crashed"))


def cancel_plan(session: Session, scope: WorkspaceScope, plan_id: str) -> PlanPublic:
    """Cancel a queued job at once; ask a running one to stop (it keeps its best plan).

    Cancelling a cancelled job again changes nothing; a finished plan is a 409.
    """
    plan = find_plan(session, scope, plan_id)
    request_cancel(session, Plan.id == plan.id)
    session.refresh(plan)
    if not plan.status.pending and plan.status is not PlanState.CANCELLED:
        raise StateConflictError(
            f"plan {plan.id} has already finished ({plan.status.value}); nothing to cancel"
        )
    return public(plan)


def request_cancel(session: Session, which: ColumnElement[bool]) -> None:
    """Cancel the queued jobs among ``which`` and ask the running ones to stop.

    Conditional updates, not read-then-write: a worker may claim a job meanwhile.
    """
    now = utcnow()
    running_here = [
        plan_id
        for plan_id in session.scalars(
            select(Plan.id).where(which, Plan.status == PlanState.RUNNING)
        )
        if plan_id in _running
    ]
    if running_here:
        after_commit(session, partial(_cancel_here, running_here))
    session.execute(
        update(Plan)
        .where(which, Plan.status == PlanState.QUEUED)
        .values(status=PlanState.CANCELLED, cancel_requested_at=now, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Plan)
        .where(which, Plan.status == PlanState.RUNNING, Plan.cancel_requested_at.is_(None))
        .values(cancel_requested_at=now)
        .execution_options(synchronize_session=False)
    )


@dataclass
class _Running:
    control: SolveControl
    handed_back: bool = False  # stopped to go back to the queue, not to be stored


# The jobs this process is solving: a cancel asked of this process stops them at once, where
# one asked of another process reaches them with the next heartbeat.
_running: dict[str, _Running] = {}
_running_lock = threading.Lock()


@contextmanager
def _solving(
    plan_id: str, control: SolveControl, stopping: threading.Event | None
) -> Iterator[_Running]:
    running = _Running(control)
    with _running_lock:
        _running[plan_id] = running
        # Checked under the lock that hand_back_here takes after it is set: a job starting
        # as the service stops is handed back by one side or the other.
        if stopping is not None and stopping.is_set():
            running.handed_back = True
    if running.handed_back:
        control.cancel()
    try:
        yield running
    finally:
        with _running_lock:
            if _running.get(plan_id) is running:
                del _running[plan_id]


def _cancel_here(plan_ids: list[str]) -> None:
    with _running_lock:
        controls = [_running[i].control for i in plan_ids if i in _running]
    for control in controls:
        control.cancel()


def hand_back_here(plan_ids: list[str]) -> None:
    """Stop the solves of these jobs if this process runs them, to hand them back to the
    queue unsolved (the service is stopping; its ``stopping`` event must already be set)."""
    with _running_lock:
        running = [_running[i] for i in plan_ids if i in _running]
        for job in running:
            job.handed_back = True
    for job in running:
        job.control.cancel()


def orphaned_jobs(session: Session, settings: Settings, *, at_startup: bool = False) -> list[str]:
    """Jobs no worker is known to hold, to hand over again: running ones whose worker went
    silent (it died), and queued ones no executor was told of (the queue was down). At the
    start of an in-process executor every queued job is one: the pool that held it is gone.

    Handing a job over twice is harmless: the claim lets one worker through. Only jobs
    queued for this service's kind of executor are considered.
    """
    now = utcnow()
    stale = now - timedelta(seconds=settings.job_stale_after_s)
    unsent = Plan.submitted_at.is_(None) & (Plan.queued_at < now - _SUBMIT_GRACE)
    if settings.executor is ExecutorKind.INPROCESS:
        # An in-process queue dies with its service: a job handed to a service that was
        # killed waits in no queue. Handed over again once it has waited as long as a silent
        # worker; if its service is alive after all, the claim lets one of the two through.
        unsent = unsent | (Plan.submitted_at < stale)
    queued = Plan.status == PlanState.QUEUED
    return list(
        session.scalars(
            select(Plan.id)
            .where(
                _of_executor(settings),
                or_(
                    queued if at_startup else and_(queued, unsent),
                    and_(Plan.status == PlanState.RUNNING, Plan.heartbeat_at < stale),
                ),
            )
            .order_by(Plan.queued_at)
        )
    )


def _of_executor(settings: Settings) -> ColumnElement[bool]:
    """The jobs this service's executor may run: queued for its kind (or before kinds were
    recorded)."""
    return or_(Plan.executor.is_(None), Plan.executor == settings.executor.value)


def unsubmit(session_factory: sessionmaker[Session], plan_ids: list[str]) -> None:
    """Mark these jobs, if still queued, as held by no executor, so that any service's sweep
    hands them over (their executor is stopping and drops them)."""
    if not plan_ids:
        return
    with session_factory.begin() as session:
        session.execute(
            update(Plan)
            .where(Plan.id.in_(plan_ids), Plan.status == PlanState.QUEUED)
            .values(submitted_at=None)
            .execution_options(synchronize_session=False)
        )


def mark_submitted(session_factory: sessionmaker[Session], plan_ids: list[str]) -> None:
    with session_factory.begin() as session:
        session.execute(
            update(Plan)
            .where(Plan.id.in_(plan_ids))
            .values(submitted_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def submit_plan(
    session: Session,
    settings: Settings,
    scope: WorkspaceScope,
    req: PlanCreate,
    submit: Callable[[str], None],
) -> PlanPublic:
    """Queue a plan and hand it to ``submit`` once the queued row is committed."""
    plan = queue_plan(session, settings, scope, req)
    after_commit(session, partial(submit, plan.id))
    return public(plan)


# --- the steps of a job ------------------------------------------------------------------------


def _claim(
    session_factory: sessionmaker[Session], settings: Settings, plan_id: str, token: str
) -> JobOutcome | None:
    """Take the job for this worker; None when taken, else why not."""
    now = utcnow()
    stale = now - timedelta(seconds=settings.job_stale_after_s)
    with session_factory.begin() as session:
        claimed = session.execute(
            update(Plan)
            .where(
                Plan.id == plan_id,
                _of_executor(settings),
                or_(
                    Plan.status == PlanState.QUEUED,
                    and_(Plan.status == PlanState.RUNNING, Plan.heartbeat_at < stale),
                ),
            )
            .values(
                status=PlanState.RUNNING,
                claim_token=token,
                started_at=now,
                heartbeat_at=now,
                attempts=Plan.attempts + 1,
                progress=None,
            )
            .execution_options(synchronize_session=False)
        )
        if _changed(claimed):
            logger.info("job %s claimed", plan_id)
            return None
        status = session.scalar(select(Plan.status).where(Plan.id == plan_id))
    return JobOutcome.BUSY if status is PlanState.RUNNING else JobOutcome.GONE


def _solve(request: PlanCreate, settings: Settings, control: SolveControl) -> PlanAnswer | None:
    """The answer to store: a solve's, or a failed one saying why (the request was checked
    when it was queued, so an error here is the server's, not the planner's); None when every
    solver process stayed busy: the job goes back to the queue, to be solved later."""
    try:
        problem = problem_from_request(request, settings)
        return answer_from_result(solve(problem, settings, control, levers=request.options.levers))
    except SolversBusyError:
        logger.warning("no solver process was free for a job; back to the queue")
        return None
    except AppError as exc:
        logger.exception("job failed")
        return _failed_answer(f"the solve failed: {exc.detail}")


def _store(
    session_factory: sessionmaker[Session], plan_id: str, token: str, answer: PlanAnswer
) -> JobOutcome:
    with session_factory.begin() as session:
        # Write first, on the condition that this worker still holds the job: the row is then
        # locked (on SQLite, the database) until the answer is in.
        held = session.execute(
            update(Plan)
            .where(Plan.id == plan_id, Plan.claim_token == token, Plan.status == PlanState.RUNNING)
            .values(finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if not _changed(held):
            gone = session.get(Plan, plan_id) is None
            if not gone:
                logger.warning("job %s was taken over; this worker's answer is dropped", plan_id)
            return JobOutcome.GONE if gone else JobOutcome.LOST
        plan = session.get_one(Plan, plan_id)
        stopped_empty = (
            answer.status is PlanStatus.FAILED and answer.solver.stopped_by is StopReason.CANCELLED
        )
        apply_answer(session, plan, answer, status=PlanState.CANCELLED if stopped_empty else None)
    logger.info("job %s stored: %s", plan_id, answer.status)
    return JobOutcome.STORED


def _hand_back(session_factory: sessionmaker[Session], plan_id: str, token: str) -> JobOutcome:
    """Return the job to the queue, unsolved, if this worker still holds it. The attempt is
    not counted: the worker did not die with it."""
    try:
        with session_factory.begin() as session:
            held = session.execute(
                update(Plan)
                .where(
                    Plan.id == plan_id,
                    Plan.claim_token == token,
                    Plan.status == PlanState.RUNNING,
                )
                .values(
                    status=PlanState.QUEUED,
                    claim_token=None,
                    started_at=None,
                    heartbeat_at=None,
                    submitted_at=None,
                    progress=None,
                    attempts=Plan.attempts - 1,
                )
                .execution_options(synchronize_session=False)
            )
    except Exception:
        # Left running: its heartbeat has stopped, so a sweep takes it over once stale.
        logger.exception("job %s could not be handed back; left for a sweep", plan_id)
        return JobOutcome.LOST
    if not _changed(held):
        return JobOutcome.LOST
    logger.info("job %s handed back to the queue", plan_id)
    return JobOutcome.RELEASED


def _failed_answer(reason: str) -> PlanAnswer:
    return PlanAnswer(
        status=PlanStatus.FAILED,
        allocations=[],
        totals=None,
        by_tier=None,
        by_platform=None,
        risk=None,
        solver=SolverOut(
            backend=Backend.HIGHS, wall_time_s=0.0, objective=None, bound=None, gap=None
        ),
        diagnostics=DiagnosticsOut(notes=[reason]),
    )


def _changed(result: Any) -> bool:
    return bool(result.rowcount)


class _ProgressBox:
    """The latest progress, handed from the solver's threads to the heartbeat thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: Progress | None = None

    def record(self, progress: Progress) -> None:
        with self._lock:
            self._latest = progress

    def latest(self) -> dict[str, Any] | None:
        with self._lock:
            progress = self._latest
        if progress is None:
            return None
        return {**asdict(progress), "stage": str(progress.stage)}


class _Heartbeat:
    """Saves progress and a heartbeat while the solve runs; stops the solve when a cancel is
    asked for or the job was taken over."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        settings: Settings,
        plan_id: str,
        token: str,
        control: SolveControl,
        box: _ProgressBox,
    ) -> None:
        self._session_factory = session_factory
        self._interval = settings.job_heartbeat_s
        self._plan_id = plan_id
        self._token = token
        self._control = control
        self._box = box
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{plan_id}", daemon=True)
        self.lost = False

    def __enter__(self) -> _Heartbeat:
        self._beat_safely()  # a cancel asked for before the claim stops the solve at once
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._beat_safely()

    def _beat_safely(self) -> None:
        try:
            self._beat()
        except Exception:  # a database hiccup must not kill the solve
            logger.exception("job %s: heartbeat failed", self._plan_id)

    def _beat(self) -> None:
        with self._session_factory.begin() as session:
            values: dict[str, Any] = {"heartbeat_at": utcnow()}
            progress = self._box.latest()
            if progress is not None:
                values["progress"] = progress
            kept = session.execute(
                update(Plan)
                .where(Plan.id == self._plan_id, Plan.claim_token == self._token)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            cancel = session.scalar(
                select(Plan.cancel_requested_at).where(Plan.id == self._plan_id)
            )
        if not _changed(kept):
            self.lost = True
            self._control.cancel()
        elif cancel is not None and not self._control.cancelled:
            logger.info("job %s: cancel asked for", self._plan_id)
            self._control.cancel()
