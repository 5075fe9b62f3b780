"""How the command line shows a plan and a frontier: Rich tables and short lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from optimizer.result import GroupSummary, PlanResult, PlanStatus

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
        out.print(
            f"[bold]Totals[/]  spend {_money(t.spend)} {currency}, "
            f"left {_money(t.budget_left)}, "
            f"engagement {t.expected_engagement:,.0f}, reach {t.reach:,.0f}, "
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


def _print_diagnostics(out: Console, result: PlanResult) -> None:
    diag = result.diagnostics
    if diag.binding:
        out.print("[bold]Binding constraints[/]")
        for binding in diag.binding:
            out.print(f"  - {binding.message}", highlight=False, markup=False)
    if diag.relaxation:
        out.print("[bold]To make this plan feasible[/]")
        for rel in diag.relaxation:
            out.print(f"  - {rel.message}", highlight=False, markup=False)
    if diag.excluded:
        out.print("[bold]Excluded candidates[/]")
        for ex in diag.excluded:
            out.print(f"  - {ex.id}: {ex.reason}", highlight=False, markup=False)
    if diag.ignored_exclude_ids:
        ids = ", ".join(diag.ignored_exclude_ids)
        out.print(f"Unknown ids in exclude, ignored: {ids}", highlight=False, markup=False)
    for note in diag.notes:
        out.print(f"Note: {note}", highlight=False, markup=False)


def print_frontier(
    out: Console,
    points: Sequence[FrontierPointOut],
    solved: Sequence[PointSolve],
    currency: str,
    name: str | None,
) -> None:
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
            "-" if p.expected_engagement is None else f"{p.expected_engagement:,.0f}",
            "-" if p.spend is None else _money(p.spend),
            "-" if p.influencers is None else str(p.influencers),
            "-"
            if p.marginal_engagement_per_1000 is None
            else f"{p.marginal_engagement_per_1000:,.1f}",
            escape(_tier_mix_text(p.tier_mix)),
        )
    out.print(table)
    out.print(
        f"Per extra 1,000 {currency}: engagement gained per 1,000 {currency} of budget "
        "since the previous budget with a plan.",
        highlight=False,
    )
    # Why a budget has no plan, so the planner knows what would have to give.
    for p, s in zip(points, solved, strict=True):
        if s.failure is not None:
            out.print(
                f"  {_budget(p.budget)}: solver failed: {s.failure}", highlight=False, markup=False
            )
        elif s.answer is not None and s.answer.diagnostics.relaxation:
            first = s.answer.diagnostics.relaxation[0].message
            out.print(f"  {_budget(p.budget)}: {p.status}: {first}", highlight=False, markup=False)


def _budget(value: float) -> str:
    """Budgets are mostly round: 20,000 reads better than 20,000.00."""
    return f"{value:,.0f}" if value.is_integer() else _money(value)


def _status_text(status: str) -> str:
    style = {"optimal": "green", "feasible": "yellow"}.get(status, "red")
    return f"[{style}]{escape(status)}[/]"


def _tier_mix_text(mix: Mapping[str, float]) -> str:
    """Funded tiers in tier order, so rows compare at a glance: ``micro 43% · macro 42%``."""
    funded = [f"{tier} {share:.0%}" for tier, share in mix.items() if share >= 0.005]
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


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _cpe(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
