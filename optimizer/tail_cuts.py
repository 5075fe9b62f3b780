"""CVaR plans solved with tail cuts instead of one row per scenario (Künzi-Bay and Mayer).

With S equally likely scenarios and K = alpha S, the CVaR of the plan engagement L_s =
sum_i m_is E_i is the smallest weighted mean sum_s w_s L_s over the weights 0 <= w_s <= 1/K
that sum to 1 (the dual of the Rockafellar-Uryasev form), reached at the weights 1/K on the
floor(K) worst scenarios and the rest, (K - floor(K)) / K, on the next one. Each such weight
vector gives a valid cut C <= sum_i w_i E_i, with w_i = sum_s w_s m_is, linear in the plan;
the CVaR is the minimum over all of them. A model with one column C under some of the cuts is
a relaxation of the model with the S scenario rows, whose rows hold n nonzeros per cut instead
of n S in all; a plan that violates no cut has C equal to its CVaR, so it is optimal for the
full model when it is for the relaxation. The cut a plan violates most is found by sorting its
scenario engagements (``TailCuts.separate``).

The solve (docs/model.md, "The cut form"): the greedy fill's plan and the scenario mean give the
first cuts; the LP relaxation is solved and cut at its point until it violates none, in one
HiGHS instance (each LP's value is a valid bound, the last the LP bound of the full model); the
cuts the LP meets with equality go on. A Lagrangian step moves them into the objective with the
LP's multipliers: a problem without risk, engagement weighted per creator, which the pipeline
without risk solves fast; its bound is valid here and its plan is valued exactly. Then the MIP
with the cuts runs from the best plan; every plan it finds is valued exactly and cut if it
violates a cut, and it runs again with the new cuts until the best plan is proven within the
gap, or the deadline. Every bound is valid for the full model; the best plan's value is its
exact objective.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import highspy
import numpy as np

from optimizer.arrays import (
    INF,
    ArrayModel,
    CandidateData,
    FloatArray,
    IntArray,
    affordable_posts,
    build_arrays,
)
from optimizer.control import SolveMonitor, SolveStage
from optimizer.explain import plan_cvar
from optimizer.first_plan import FirstPlan, check_plan, first_plan
from optimizer.highs_run import (
    HighsOutcome,
    RelaxedSession,
    RunListener,
    listening,
    run_highs,
)
from optimizer.model import natural_objective
from optimizer.prepare import Prepared
from optimizer.problem import Backend, Objective, ObjectiveKind
from optimizer.sense import Sense, gap
from optimizer.solve import RawSolution, SolveOutcome, raw_solution

# The solve of a problem without CVaR rows (pipeline.solve_highs): prepared, deadline, gap,
# threads, trace, monitor.
PlainSolve = Callable[[Prepared, float, float, int | None, Any, SolveMonitor | None], RawSolution]

# A cut is added when the plan's C exceeds its value by more than this share (of the larger
# of the two and one engagement unit): tighter would chase the solver's own tolerance.
_CUT_TOL = 1e-7
# The LP rounds may use this share of the time; each adds at most one cut.
_LP_SHARE = 0.3
_LP_ROUNDS = 200
# HiGHS proves its gap on the relaxation's objective, asked slightly below the request's.
_GAP_MARGIN = 0.99
# The exact plan checks of the answer's figures, as loose as the explainer's.
_PLAN_TOL = 1e-7
# The Lagrangian step (``CutSolve.dualized``) may use this share of the time after the LP.
_DUAL_SHARE = 0.6
# Above this many creators the MIP over the cuts does not move in its time (measured at 10,000
# in bench/risk.py): the Lagrangian step gets all of it.
_CUT_MIP_MAX = 3_000
# A cut the LP's point meets within this share of C is active.
_ACTIVE_TOL = 1e-6
_INFEASIBLE = {
    highspy.HighsModelStatus.kInfeasible,
    highspy.HighsModelStatus.kUnboundedOrInfeasible,
}


@dataclass(slots=True)
class TailCuts:
    """The cuts found so far, as tail weights per eligible candidate."""

    multipliers: FloatArray  # m_is, rows eligible candidates
    alpha: float
    rows: list[FloatArray] = field(default_factory=list)

    def matrix(self) -> FloatArray:
        return np.vstack(self.rows)

    def add_mean(self) -> None:
        """The scenario mean: its weights 1/S are within the bound 1/K since alpha <= 1."""
        self.rows.append(self.multipliers.mean(axis=1))

    def weights(self, engagement: FloatArray) -> tuple[FloatArray, float]:
        """The cut of a plan (engagement per eligible candidate, natural units) and its CVaR:
        the tail average of its worst alpha S scenarios, the boundary one by its fraction."""
        totals = engagement @ self.multipliers
        count = len(totals)
        tail = self.alpha * count
        whole = min(math.floor(tail + 1e-12), count)
        order = np.argsort(totals, kind="stable")
        w = np.zeros(count)
        w[order[:whole]] = 1.0 / tail
        if whole < count and tail > whole:
            w[order[whole]] = (tail - whole) / tail
        return self.multipliers @ w, float(totals @ w)

    def separate(self, engagement: FloatArray, claimed: float, unit: float) -> bool:
        """Adds the plan's cut if its ``claimed`` C is above its CVaR; True when added."""
        row, value = self.weights(engagement)
        if claimed <= value + _CUT_TOL * max(abs(value), abs(claimed), unit):
            return False
        self.rows.append(row)
        return True


@dataclass(slots=True)
class _Best:
    plan: FirstPlan | None = None
    bound: float | None = None


class CutSolve:
    """One solve of a prepared problem with CVaR rows on HiGHS, by the steps above."""

    def __init__(
        self,
        prepared: Prepared,
        deadline: float,
        mip_gap: float,
        threads: int | None,
        monitor: SolveMonitor,
        plain: PlainSolve,
    ) -> None:
        scenarios = prepared.scenarios
        assert scenarios is not None
        self.prepared = prepared
        self.deadline = deadline
        self.mip_gap = mip_gap
        self.threads = threads
        self.monitor = monitor
        self.plain = plain
        self.sense = Sense.of(prepared.problem.objective.kind)
        self.data = CandidateData.of(prepared)
        self.cuts = TailCuts(scenarios.multipliers, scenarios.alpha)
        self.cuts.add_mean()
        self.best = _Best()
        self.unit = self.data.engagement_unit
        self.floor = prepared.problem.constraints.min_cvar_engagement
        # the LP's multipliers of the cuts, and sum_k mu_k w_k per eligible candidate
        self.prices: tuple[FloatArray, FloatArray] | None = None

    def model(self) -> ArrayModel:
        return build_arrays(self.prepared, data=self.data, cuts=self.cuts.matrix())

    def offer(self, posts: IntArray) -> None:
        """A plan that meets every row but the CVaR's: kept if it meets the floor exactly and
        beats the best; cut where it violates the cuts is the caller's."""
        if not check_plan(self.prepared, self.data, posts, tol=_PLAN_TOL):
            return
        if self.floor is not None:
            tail = plan_cvar(self.prepared, posts.tolist())
            if tail is None or tail < self.floor - _PLAN_TOL * max(self.floor, self.unit):
                return
        value = natural_objective(self.prepared, posts.tolist())
        best = self.best.plan
        if best is None or self.sense.better(value, best.objective):
            self.best.plan = FirstPlan(posts, value)
            self.monitor.plan(value, posts)

    def tighten(self, bound: float | None) -> None:
        if bound is not None:
            self.best.bound = self.sense.tighter(self.best.bound, bound)
            self.monitor.bound(self.best.bound)

    def proven(self) -> bool:
        plan, bound = self.best.plan, self.best.bound
        return plan is not None and bound is not None and gap(plan.objective, bound) <= self.mip_gap

    def cut_at(self, model: ArrayModel, x: FloatArray) -> bool:
        """The cut of the point ``x`` of ``model`` if it claims more CVaR than it has."""
        assert model.cvar_col is not None
        engagement = np.zeros(len(self.data))
        engagement[model.keep] = model.engagement_of(x)
        claimed = float(x[model.cvar_col]) * model.scales.engagement
        return self.cuts.separate(engagement, claimed, self.unit)

    def lp_rounds(self, until: float) -> bool:
        """The LP relaxation, cut at its point until it violates no cut; False if infeasible.
        One HiGHS instance takes the cuts as rows, each run starting from the last basis."""
        self.monitor.enter(SolveStage.LP)
        model = self.model()
        session = RelaxedSession(model, self.threads)
        with listening(RunListener(self.monitor.control)):
            for _ in range(_LP_ROUNDS):
                if time.perf_counter() >= until or self.monitor.cancelled:
                    return True
                run = session.run(until)
                if run.x is None or run.status != highspy.HighsModelStatus.kOptimal:
                    return not _infeasible(run)
                if run.row_dual is not None:
                    # valid multipliers for the Lagrangian step even before the LP converges
                    prices = self.cut_prices(model, run.row_dual)
                    self.prices = (prices, self.cuts.matrix().T @ prices)
                assert run.objective is not None
                # the LP over some cuts relaxes the one over all: its value is a bound
                self.tighten(run.objective * model.objective_scale())
                if not self.cut_at(model, run.x):
                    self.keep_active(model, run.x)
                    return True
                cols, vals = model.cut_row(self.cuts.rows[-1])
                session.add_row(cols, vals, 0.0, INF)
        return True

    def cut_prices(self, model: ArrayModel, row_dual: FloatArray) -> FloatArray:
        """The LP's multipliers of the cuts (the model's, then those added in the session)."""
        assert model.cut_rows is not None
        count = len(self.cuts.rows)
        built = model.tail_cuts.shape[0] if model.tail_cuts is not None else 0
        duals = np.concatenate(
            [
                row_dual[model.cut_rows : model.cut_rows + built],
                row_dual[model.num_row : model.num_row + count - built],
            ]
        )
        out: FloatArray = np.abs(duals)
        return out

    def keep_active(self, model: ArrayModel, x: FloatArray) -> None:
        """Only the cuts the LP's point meets with equality go on to the MIP: the others only
        make its LPs denser (the cut of any plan that violates the rest is added back)."""
        assert model.cvar_col is not None
        engagement = np.zeros(len(self.data))
        engagement[model.keep] = model.engagement_of(x)
        claimed = float(x[model.cvar_col]) * model.scales.engagement
        values = self.cuts.matrix() @ engagement
        active = values <= claimed + _ACTIVE_TOL * max(abs(claimed), self.unit)
        active[0] = True  # the mean, which bounds C in every model
        self.cuts.rows = [row for row, keep in zip(self.cuts.rows, active, strict=True) if keep]

    def dualized(self, until: float) -> bool:
        """The cuts moved into the objective with the LP's multipliers mu (Lagrangian
        relaxation): for the CVaR objective, with sum mu = lambda, every plan has
        (1 - lambda) E + lambda CVaR <= sum_i (1 - lambda + sum_k mu_k w_ki) E_i; for a floor F
        on the engagement objective, with nu = sum mu, E <= sum_i (1 + sum_k mu_k w_ki) E_i -
        nu F for every plan that meets it. The right sides are plans of the problem without
        risk, engagement weighted per creator: the pipeline without risk solves them fast
        and its bound, less nu F, is valid here; its plan is valued exactly. Whether it ran."""
        problem = self.prepared.problem
        if problem.constraints.max_engagement_share_per_influencer:
            return False
        kind = problem.objective.kind
        found = self.prices
        if found is None and kind is ObjectiveKind.CVAR_ENGAGEMENT:
            # no LP in time: any multipliers summing to lambda will do, the cuts' mean here
            ones = np.ones(len(self.cuts.rows))
            found = (ones, self.cuts.matrix().T @ ones)
        if found is None:
            return False
        prices, weighted = found
        if kind is ObjectiveKind.CVAR_ENGAGEMENT:
            aversion = problem.objective.risk_aversion
            total = float(np.sum(prices))
            if total <= 0:
                return False
            weight = 1.0 - aversion + weighted * (aversion / total)
            offset = 0.0
        elif kind is ObjectiveKind.ENGAGEMENT and self.floor is not None:
            weight = 1.0 + weighted
            offset = float(np.sum(prices)) * self.floor
        else:
            return False
        plain = replace(
            problem,
            objective=Objective(ObjectiveKind.ENGAGEMENT),
            constraints=replace(problem.constraints, min_cvar_engagement=None),
        )
        eligible = tuple(
            replace(e, first_post_engagement=e.first_post_engagement * float(w))
            for e, w in zip(self.prepared.eligible, weight, strict=True)
        )
        weighted_problem = replace(self.prepared, problem=plain, eligible=eligible, scenarios=None)
        # the nested solve obeys the cancel but reports nothing: its figures are weighted
        inner = self.monitor.silent(Sense.MAXIMIZE)
        raw = self.plain(weighted_problem, until, self.mip_gap / 2, self.threads, None, inner)
        if raw.posts is not None:
            self.offer(np.asarray(raw.posts, dtype=np.int64))
        if raw.bound is not None:
            self.tighten(raw.bound - offset)
        return True

    def mip_round(self, until: float) -> tuple[bool, bool]:
        """One MIP over the cuts so far, until ``until``: (whether it was infeasible, whether
        it added cuts). Its plans are valued and cut as HiGHS finds them."""
        model = self.model()
        scale = model.objective_scale()
        found: list[FloatArray] = []

        def on_plan(x: FloatArray) -> None:
            found.append(x)
            self.offer(model.full_posts(model.posts_of(x)))

        def on_bound(scaled: float) -> None:
            self.tighten(scaled * scale)

        plan = self.best.plan
        start = None if plan is None else model.column_values(plan.posts[model.keep])
        with listening(RunListener(self.monitor.control, on_plan, on_bound)):
            run = run_highs(
                model,
                until,
                self.mip_gap * _GAP_MARGIN,
                retry=True,
                threads=self.threads,
                start=start,
            )
        if run.x is None and _infeasible(run):
            return True, False
        if run.x is not None:
            self.offer(model.full_posts(model.posts_of(run.x)))
        added = False
        for x in found + ([run.x] if run.x is not None else []):
            added |= self.cut_at(model, x)
        if run.bound is not None:
            self.tighten(run.bound * scale)
        elif run.x is not None and not run.stopped_early and run.objective is not None:
            self.tighten(run.objective * scale)
        return False, added


def _infeasible(run: HighsOutcome) -> bool:
    return run.status in _INFEASIBLE


def solve_by_cuts(
    prepared: Prepared,
    deadline: float,
    mip_gap: float,
    threads: int | None,
    monitor: SolveMonitor,
    started: float,
    plain: PlainSolve,
) -> RawSolution:
    """The steps of the module's docstring, answering by ``deadline`` or soon after a cancel;
    ``plain`` solves the problems without CVaR rows of the Lagrangian step."""
    monitor.enter(SolveStage.FIRST_PLAN)
    if monitor.cancelled:
        return _answer(SolveOutcome.NO_SOLUTION, None, None, started)
    solve = CutSolve(prepared, deadline, mip_gap, threads, monitor, plain)
    solve.tighten(risk_bound(prepared, solve.data))
    start = risk_start(prepared)
    if start is not None:
        solve.offer(start)
        decay = prepared.decay
        solve.cuts.rows.append(solve.cuts.weights(solve.data.engagement(start, decay))[0])
    lp_until = min(deadline, started + _LP_SHARE * (deadline - started))
    if not solve.lp_rounds(lp_until):
        return _answer(SolveOutcome.INFEASIBLE, None, None, started)
    large = len(solve.data) > _CUT_MIP_MAX
    if not solve.proven():
        share = 1.0 if large else _DUAL_SHARE
        ran = solve.dualized(time.perf_counter() + share * (deadline - time.perf_counter()))
        large = large and ran
    monitor.enter(SolveStage.MIP)
    while not (large or solve.proven() or monitor.cancelled) and time.perf_counter() < deadline:
        infeasible, added = solve.mip_round(deadline)
        if infeasible and solve.best.plan is None:
            return _answer(SolveOutcome.INFEASIBLE, None, None, started)
        if infeasible or not added:
            break  # the MIP's plan has C equal to its CVaR: no cut would move the bound
    plan, bound = solve.best.plan, solve.best.bound
    if plan is None:
        return _answer(SolveOutcome.NO_SOLUTION, None, bound, started)
    outcome = SolveOutcome.OPTIMAL if solve.proven() else SolveOutcome.FEASIBLE
    return _answer(outcome, plan.posts, bound, started)


def risk_bound(prepared: Prepared, data: CandidateData) -> float | None:
    """A bound that needs no solve, for a plan cut short before any other: the CVaR
    is at most the mean over the scenarios, so the objective is at most sum_i w_i E_i with
    w_i = 1 - lambda + lambda x (creator i's mean multiplier); and that is at most what every
    creator at their most posts gives, and at most the budget spent at the best engagement
    per money any first post offers (fees only lower it, decay only lowers later posts)."""
    problem, scenarios = prepared.problem, prepared.scenarios
    if problem.objective.kind is ObjectiveKind.MIN_COST or scenarios is None:
        return None
    weight = np.ones(len(data))
    if problem.objective.kind is ObjectiveKind.CVAR_ENGAGEMENT:
        aversion = problem.objective.risk_aversion
        weight = 1.0 - aversion + aversion * scenarios.multipliers.mean(axis=1)
    if problem.objective.kind in (ObjectiveKind.REACH, ObjectiveKind.UNIQUE_REACH):
        # unique reach is at most reach
        return float(np.sum(data.reach))
    top = np.maximum(affordable_posts(data, prepared), 0)
    everyone = float(np.sum(weight * data.engagement(top, prepared.decay)))
    best_ratio = float(np.max(weight * data.first / data.price, initial=0.0))
    return min(everyone, problem.budget * best_ratio)


def risk_start(prepared: Prepared) -> IntArray | None:
    """The greedy fill's plan of the problem without its CVaR rows (the expectation standing
    in for the CVaR objective), if it also meets the CVaR floor."""
    problem = prepared.problem
    objective = problem.objective
    if objective.kind is ObjectiveKind.CVAR_ENGAGEMENT:
        objective = Objective(ObjectiveKind.ENGAGEMENT)
    constraints = replace(problem.constraints, min_cvar_engagement=None)
    plain = replace(problem, objective=objective, constraints=constraints)
    found = first_plan(replace(prepared, problem=plain, scenarios=None))
    if found is None:
        return None
    floor = problem.constraints.min_cvar_engagement
    tail = plan_cvar(prepared, found.posts.tolist())
    if floor is not None and (tail is None or tail < floor * (1 + _PLAN_TOL)):
        return None
    return found.posts


def _answer(
    outcome: SolveOutcome, posts: IntArray | None, bound: float | None, started: float
) -> RawSolution:
    return raw_solution(outcome, posts, bound, Backend.HIGHS, started)
