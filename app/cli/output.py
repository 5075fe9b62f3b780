"""How the command line shows a plan and a frontier: Rich tables and short lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from app.cli.common import plain
from optimizer.result import (
    Binding,
    EngagementQuantiles,
    GroupSummary,
    PlanResult,
    PlanStatus,
    RelaxationRole,
    Risk,
)

if TYPE_CHECKING:
    from app.cli.solving import PointSolve
    from app.schemas.frontiers import FrontierPointOut


def print_plan(out: Console, result: PlanResult, currency: str, name: str | None) -> None:
    solver = result.solver
    status_style = {
        PlanStatus.OPTIMAL: "green",
        PlanStatus.FEASIBLE: "yellow",
        PlanStatus.INFEASIBLE: "red",
        PlanStatus.FAILED: "red",
    }[result.status]
    line = f"[bold {status_style}]{result.status.value}[/]"
    if name:
        line = f"{escape(name)}: {line}"
    details = [f"{solver.backend}, {solver.wall_time_s:.2f} s"]
    if solver.objective is not None:
        details.append(f"objective {solver.objective:,.2f}")
    if solver.gap is not None:
        details.append(f"gap {solver.gap:.2%}")
    out.print(f"{line}  ({'; '.join(details)})", highlight=False)

    if result.allocations:
        out.print(_allocations_table(result, currency))
    _print_summary(out, result, currency)
    _print_diagnostics(out, result)


def _allocations_table(result: PlanResult, currency: str) -> Table:
    table = Table(title="Allocations", title_justify="left")
    table.add_column("Handle", no_wrap=True)
    table.add_column("Platform")
    table.add_column("Tier")
    table.add_column("Posts", justify="right")
    table.add_column(f"Spend ({currency})", justify="right")
    table.add_column("Engagement", justify="right")
    table.add_column("Share of spend", justify="right")
    table.add_column("CPE", justify="right")
    for a in sorted(result.allocations, key=lambda a: -a.spend):
        table.add_row(
            escape(a.handle),
            a.platform,
            escape(a.tier),
            str(a.posts),
            _money(a.spend),
            f"{a.expected_engagement:,.0f}",
            f"{a.share_of_spend:.1%}",
            _cpe(a.cost_per_engagement),
        )
    return table


def _print_summary(out: Console, result: PlanResult, currency: str) -> None:
    if result.totals is not None:
        t = result.totals
        unique = ""
        if t.unique_reach is not None:
            unique = f" (unique {t.unique_reach:,.0f}, {t.overlapping_audience or 0:,.0f} twice)"
        out.print(
            f"[bold]Totals[/]  spend {_money(t.spend)} {currency}, "
            f"left {_money(t.budget_left)}, "
            f"engagement {t.expected_engagement:,.0f}, reach {t.reach:,.0f}{unique}, "
            f"creators {t.influencers}, CPE {_cpe(t.cost_per_engagement)}",
            highlight=False,
        )
    if result.by_tier:
        out.print(_group_table("By tier", result.by_tier, currency))
    if result.by_platform:
        out.print(_group_table("By platform", result.by_platform, currency))
    if result.risk is not None:
        r = result.risk
        out.print(
            f"[bold]Risk[/]  largest share {r.max_share:.1%}, HHI {r.hhi:.3f}, "
            f"effective creators {r.effective_influencers:.1f}",
            highlight=False,
        )
        for line in _scenario_lines(r):
            out.print(line, highlight=False)


def _scenario_lines(risk: Risk) -> list[str]:
    """Engagement over the scenarios: the tail (CVaR) and quantiles, fitted and fresh."""
    if risk.alpha is None or risk.engagement_cvar is None or risk.engagement_quantiles is None:
        return []
    lines = [
        f"[bold]Scenarios[/]  {risk.scenarios:,}, engagement CVaR (worst {risk.alpha:.0%}) "
        f"{risk.engagement_cvar:,.0f}, {_quantiles_text(risk.engagement_quantiles)}"
    ]
    fresh = risk.out_of_sample
    if fresh is not None:
        lines.append(
            f"[bold]Out of sample[/]  {fresh.scenarios:,} fresh scenarios (seed {fresh.seed}), "
            f"CVaR {fresh.engagement_cvar:,.0f}, {_quantiles_text(fresh.engagement_quantiles)}"
        )
    return lines


def _quantiles_text(q: EngagementQuantiles) -> str:
    return f"p05 {q.p05:,.0f}, p50 {q.p50:,.0f}, p95 {q.p95:,.0f}"


_ROLE_WORDS = {
    RelaxationRole.ALTERNATIVE: " (enough on its own)",
    RelaxationRole.TOGETHER: " (needed with the others so marked)",
}


def _print_diagnostics(out: Console, result: PlanResult) -> None:
    diag = result.diagnostics
    if diag.binding:
        out.print("[bold]Binding constraints[/]")
        for line_ in _binding_lines(diag.binding):
            plain(out, f"  - {line_}")
    if diag.overlapping_pairs:
        handles = {a.id: a.handle for a in result.allocations}
        out.print("[bold]Largest overlapping pairs[/]")
        for pair in diag.overlapping_pairs[:_LISTED_PAIRS]:
            plain(
                out,
                f"  - {handles.get(pair.a, pair.a)} & {handles.get(pair.b, pair.b)}: "
                f"{pair.share:.0%} of the smaller audience, {pair.shared_audience:,.0f} people",
            )
    if diag.levers:
        out.print("[bold]What loosening pays[/] (each limit one step, re-solved)")
        for lever in diag.levers:
            plain(out, f"  - {lever.message}")
    if diag.relaxation:
        out.print("[bold]To make this plan feasible[/]")
        for rel in diag.relaxation:
            role = "" if rel.role is None else _ROLE_WORDS[rel.role]
            cause = f"; {rel.cause}" if rel.cause else ""
            plain(out, f"  - {rel.message}{role}{cause}")
    if diag.excluded:
        out.print("[bold]Excluded candidates[/]")
        for ex in diag.excluded:
            plain(out, f"  - {ex.id}: {ex.reason}")
    if diag.ignored_exclude_ids:
        ids = ", ".join(diag.ignored_exclude_ids)
        plain(out, f"Unknown ids in exclude, ignored: {ids}")
    for note in diag.notes:
        plain(out, f"Note: {note}")


def print_frontier(
    out: Console,
    points: Sequence[FrontierPointOut],
    solved: Sequence[PointSolve],
    currency: str,
    name: str | None,
) -> None:
    risk_sweep = any(p.risk_aversion is not None for p in points)
    if risk_sweep:
        out.print(_risk_frontier_table(points, currency, name))
        out.print(
            "CVaR: mean engagement of the plan's worst scenarios; risk aversion 0 weighs "
            "expected engagement alone, 1 the CVaR alone.",
            highlight=False,
        )
    else:
        out.print(_budget_frontier_table(points, currency, name))
        out.print(
            f"Per extra 1,000 {currency}: engagement gained per 1,000 {currency} of budget "
            "since the previous budget with a plan.",
            highlight=False,
        )
    # Why a point has no plan, so the planner knows what would have to give.
    for p, s in zip(points, solved, strict=True):
        label = f"risk aversion {p.risk_aversion:g}" if risk_sweep else _budget(p.budget)
        if s.failure is not None:
            plain(out, f"  {label}: solver failed: {s.failure}")
        elif s.answer is not None and s.answer.diagnostics.relaxation:
            first = s.answer.diagnostics.relaxation[0].message
            plain(out, f"  {label}: {p.status}: {first}")


def _budget_frontier_table(
    points: Sequence[FrontierPointOut], currency: str, name: str | None
) -> Table:
    table = Table(title=escape(name or "Budget frontier"), title_justify="left")
    table.add_column(f"Budget ({currency})", justify="right")
    table.add_column("Status")
    table.add_column("Engagement", justify="right")
    table.add_column(f"Spend ({currency})", justify="right")
    table.add_column("Creators", justify="right")
    table.add_column(f"Per extra 1,000 {currency}", justify="right")
    table.add_column("Tier mix (share of spend)")
    for p in points:
        table.add_row(
            _budget(p.budget),
            _status_text(p.status),
            _count(p.expected_engagement),
            "-" if p.spend is None else _money(p.spend),
            "-" if p.influencers is None else str(p.influencers),
            "-"
            if p.marginal_engagement_per_1000 is None
            else f"{p.marginal_engagement_per_1000:,.1f}",
            escape(_mix_text(p.tier_mix)),
        )
    return table


def _risk_frontier_table(
    points: Sequence[FrontierPointOut], currency: str, name: str | None
) -> Table:
    budget = _budget(points[0].budget) if points else "-"
    title = f"{name or 'Risk frontier'} (budget {budget} {currency})"
    table = Table(title=escape(title), title_justify="left")
    table.add_column("Risk aversion", justify="right")
    table.add_column("Status")
    table.add_column("Engagement", justify="right")
    table.add_column("CVaR", justify="right")
    table.add_column(f"Spend ({currency})", justify="right")
    table.add_column("Creators", justify="right")
    table.add_column("Platform mix (share of spend)")
    for p in points:
        table.add_row(
            f"{p.risk_aversion:g}" if p.risk_aversion is not None else "-",
            _status_text(p.status),
            _count(p.expected_engagement),
            _count(p.engagement_cvar),
            "-" if p.spend is None else _money(p.spend),
            "-" if p.influencers is None else str(p.influencers),
            escape(_mix_text(p.platform_mix)),
        )
    return table


def _count(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _budget(value: float) -> str:
    """Budgets are mostly round: 20,000 reads better than 20,000.00."""
    return f"{value:,.0f}" if value.is_integer() else _money(value)


def _status_text(status: str) -> str:
    style = {"optimal": "green", "feasible": "yellow"}.get(status, "red")
    return f"[{style}]{escape(status)}[/]"


def _mix_text(mix: Mapping[str, float]) -> str:
    """Funded groups in their order, so rows compare at a glance: ``micro 43% · macro 42%``."""
    funded = [f"{group} {share:.0%}" for group, share in mix.items() if share >= 0.005]
    return " · ".join(funded) or "-"


def _group_table(title: str, groups: Mapping[str, GroupSummary], currency: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("Group")
    table.add_column(f"Spend ({currency})", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("Engagement", justify="right")
    table.add_column("Creators", justify="right")
    for key, g in groups.items():
        table.add_row(
            escape(key),
            _money(g.spend),
            f"{g.share:.1%}",
            f"{g.engagement:,.0f}",
            str(g.influencers),
        )
    return table


def _binding_lines(bindings: Sequence[Binding]) -> list[str]:
    """A sentence per constraint, but per-creator caps as one line per kind: a plan of thousands of
    creators at their post limit would otherwise print thousands of lines."""
    lines: list[str] = []
    per_creator: dict[str, list[str]] = {}
    for binding in bindings:
        ref = binding.ref
        if ref.subject is not None and not ref.kind.is_mix:
            per_creator.setdefault(ref.kind.value, []).append(ref.subject)
        else:
            lines.append(binding.message)
    for kind, subjects in per_creator.items():
        shown = ", ".join(subjects[:_LISTED_CREATORS])
        more = len(subjects) - _LISTED_CREATORS
        lines.append(f"{kind}: {shown}" + (f" and {more} more" if more > 0 else ""))
    return lines


_LISTED_CREATORS = 8
_LISTED_PAIRS = 5


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _cpe(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
