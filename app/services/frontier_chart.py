"""The budget frontier as a chart a media planner can read: engagement against budget, what each
extra thousand buys between points, and the tier mix at every point. A risk aversion sweep is
drawn as expected engagement against CVaR (the efficient frontier) and the platform mix at every
risk aversion.

Drawn on a bare ``matplotlib.figure.Figure`` (never pyplot, whose global figure registry is not
thread-safe), and the output is byte-for-byte deterministic, so an unchanged frontier always
gives the same file.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import pairwise
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter, FuncFormatter, MaxNLocator, PercentFormatter
from matplotlib.transforms import blended_transform_factory
from matplotlib.typing import RcKeyType

from app.schemas.frontiers import FrontierPointOut, FrontierSweep

WIDTH_IN, HEIGHT_IN, DPI = 9.0, 6.0, 100  # 900 x 600 pixels

# Colour-blind safe (Okabe-Ito), in the tiers' usual order; further tiers reuse the list.
TIER_COLORS = ("#56B4E9", "#009E73", "#E69F00", "#CC79A7", "#0072B2", "#D55E00", "#F0E442")
LINE_COLOR = "#0072B2"
GAIN_COLOR = "#009E73"
LOSS_COLOR = "#D55E00"
PENDING_COLOR = "#8C8C8C"
NO_PLAN_COLOR = "#D55E00"
PENDING_STATUSES = frozenset({"queued", "running"})

# Values labelled on the bars only while they stay readable.
MAX_LABELLED_BARS = 12
# Budgets are the x ticks up to this many points; beyond, round ticks keep the labels apart.
MAX_POINT_TICKS = 10

# rcParams are process-wide: charts are drawn one at a time with these settings in force, so a
# concurrent chart can never see another's. Text stays text in the SVG (searchable, smaller),
# and a "$" in a plan or tier name stays a dollar sign instead of starting a formula.
_RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "influmix-frontier",
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_RC_LOCK = threading.Lock()


def render_frontier_svg(
    points: Sequence[FrontierPointOut],
    currency: str,
    title: str | None = None,
    sweep: FrontierSweep = FrontierSweep.BUDGET,
) -> str:
    """The frontier as an SVG document (900 x 600), the same bytes for the same points."""
    with _chart_settings():
        if sweep is FrontierSweep.RISK_AVERSION:
            figure = _risk_figure(points, title)
        else:
            figure = _frontier_figure(points, currency, title)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


@contextmanager
def _chart_settings() -> Iterator[None]:
    with _RC_LOCK, matplotlib.rc_context(_RC):
        yield


def _frontier_figure(
    points: Sequence[FrontierPointOut], currency: str, title: str | None
) -> Figure:
    points = sorted(points, key=lambda p: p.budget)
    solved = [p for p in points if p.expected_engagement is not None]

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    figure.suptitle(title or "Budget frontier", x=0.01, ha="left", fontsize=12, weight="bold")
    engagement_ax, marginal_ax, mix_ax = figure.subplots(
        3, 1, sharex=True, gridspec_kw={"height_ratios": [2.3, 1.2, 1.2]}
    )

    _draw_engagement(engagement_ax, points, currency)
    _draw_marginals(marginal_ax, solved, currency)
    _draw_tier_mix(mix_ax, solved, _bar_width(points))

    mix_ax.set_xlabel(f"Budget ({currency})")
    mix_ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}"))
    if _ticks_fit(points):
        mix_ax.set_xticks([p.budget for p in points])  # a planner reads the exact budgets
    else:
        mix_ax.xaxis.set_major_locator(MaxNLocator(nbins=10, steps=[1, 2, 2.5, 5, 10]))
    if points:
        pad = _bar_width(points)
        mix_ax.set_xlim(points[0].budget - pad, points[-1].budget + pad)
    for ax in (engagement_ax, marginal_ax, mix_ax):
        ax.grid(axis="y", color="#E5E5E5", linewidth=0.8)
        ax.set_axisbelow(True)
    return figure


def _draw_engagement(ax: Axes, points: Sequence[FrontierPointOut], currency: str) -> None:
    ax.set_title("Expected engagement at each budget")
    ax.set_ylabel("Expected engagement")
    ax.yaxis.set_major_formatter(_AxisAmounts(ax))

    # NaN breaks the line: a point without figures is a gap, never a zero.
    budgets = [p.budget for p in points]
    engagement = [
        math.nan if p.expected_engagement is None else p.expected_engagement for p in points
    ]
    handles: list[Line2D | Patch] = []
    if any(not math.isnan(e) for e in engagement):
        (line,) = ax.plot(
            budgets, engagement, color=LINE_COLOR, marker="o", markersize=5, linewidth=2
        )
        line.set_label("Expected engagement")
        handles.append(line)
        highest = max(e for e in engagement if not math.isnan(e))
        ax.set_ylim(0, highest * 1.12 if highest > 0 else 1)
    else:
        ax.set_ylim(0, 1)
        _say_empty(ax, "No budget point has a plan yet")

    # Missing points sit on the x axis, marked by why they are missing.
    on_axis = blended_transform_factory(ax.transData, ax.transAxes)
    pending = [p.budget for p in points if p.expected_engagement is None and _is_pending(p)]
    no_plan = [p.budget for p in points if p.expected_engagement is None and not _is_pending(p)]
    for budgets_, color, marker, label in (
        (pending, PENDING_COLOR, "o", "Not solved yet (queued or running)"),
        (no_plan, NO_PLAN_COLOR, "X", "No plan (infeasible, failed or cancelled)"),
    ):
        if not budgets_:
            continue
        for budget in budgets_:
            ax.axvline(budget, color=color, linewidth=0.8, linestyle=":", alpha=0.8)
        (marks,) = ax.plot(
            budgets_,
            [0.0] * len(budgets_),
            linestyle="none",
            marker=marker,
            markersize=7,
            markerfacecolor="white" if marker == "o" else color,
            markeredgecolor=color,
            transform=on_axis,
            clip_on=False,
            zorder=5,
        )
        marks.set_label(label)
        handles.append(marks)
    if pending or no_plan:  # the line alone needs no legend: the panel's title names it
        ax.legend(handles=handles, loc="lower right", frameon=False)


def _draw_marginals(ax: Axes, solved: Sequence[FrontierPointOut], currency: str) -> None:
    ax.set_title(f"What each extra 1,000 {currency} of budget buys (engagement)")
    ax.set_ylabel(f"per 1,000 {currency}")
    ax.yaxis.set_major_formatter(_AxisAmounts(ax))
    ax.axhline(0, color="#555555", linewidth=0.8)

    # A bar spans the budget interval it describes, from the previous solved point to this one.
    bars = [
        (before.budget, point.budget, point.marginal_engagement_per_1000)
        for before, point in pairwise(solved)
        if point.marginal_engagement_per_1000 is not None
    ]
    if not bars:
        _say_empty(ax, "Shown once two budget points have plans")
        return
    for left, right, value in bars:
        inset = (right - left) * 0.06
        ax.bar(
            left + inset,
            value,
            width=right - left - 2 * inset,
            align="edge",
            color=GAIN_COLOR if value >= 0 else LOSS_COLOR,
            alpha=0.85,
        )
        if len(bars) <= MAX_LABELLED_BARS:
            ax.annotate(
                _amount(value),
                ((left + right) / 2, value),
                xytext=(0, 2 if value >= 0 else -2),
                textcoords="offset points",
                ha="center",
                va="bottom" if value >= 0 else "top",
                fontsize=8,
            )
    top = max(0.0, *(v for _, _, v in bars))
    bottom = min(0.0, *(v for _, _, v in bars))
    span = (top - bottom) or 1.0
    # Head room for the value labels.
    ax.set_ylim(bottom - (0.18 * span if bottom < 0 else 0), top + 0.22 * span)


def _draw_tier_mix(ax: Axes, solved: Sequence[FrontierPointOut], width: float) -> None:
    ax.set_title("Tier mix (share of spend)")
    ax.set_ylabel("share of spend")
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
    ax.set_ylim(0, 1)
    ax.set_yticks([0, 0.5, 1])

    if not solved:
        _say_empty(ax, "Shown for budget points with plans")
        return
    tiers: list[str] = []
    for point in solved:
        tiers += [t for t in point.tier_mix if t not in tiers]
    bottoms = [0.0] * len(solved)
    handles: list[Patch] = []
    for index, tier in enumerate(tiers):
        shares = [p.tier_mix.get(tier, 0.0) for p in solved]
        if not any(shares):
            continue  # a tier that is never funded only crowds the legend
        color = TIER_COLORS[index % len(TIER_COLORS)]
        ax.bar([p.budget for p in solved], shares, width=width, bottom=bottoms, color=color)
        bottoms = [b + s for b, s in zip(bottoms, shares, strict=True)]
        handles.append(Patch(color=color, label=tier))
    if handles:
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            title="Tier",
            alignment="left",
        )


def _risk_figure(points: Sequence[FrontierPointOut], title: str | None) -> Figure:
    points = sorted(points, key=lambda p: p.risk_aversion or 0.0)
    solved = [p for p in points if p.expected_engagement is not None]
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    figure.suptitle(title or "Risk frontier", x=0.01, ha="left", fontsize=12, weight="bold")
    frontier_ax, mix_ax = figure.subplots(2, 1, gridspec_kw={"height_ratios": [2.3, 1.2]})
    _draw_efficient_frontier(frontier_ax, solved, len(points))
    _draw_mix(
        mix_ax,
        "Platform mix at each risk aversion (share of spend)",
        "Platform",
        [(_aversion(p), p.platform_mix) for p in solved],
    )
    mix_ax.set_xlabel("Risk aversion (0: expected engagement alone, 1: CVaR alone)")
    for ax in (frontier_ax, mix_ax):
        ax.grid(axis="y", color="#E5E5E5", linewidth=0.8)
        ax.set_axisbelow(True)
    return figure


def _draw_efficient_frontier(ax: Axes, solved: Sequence[FrontierPointOut], count: int) -> None:
    ax.set_title("Expected engagement against its CVaR (the mean of the worst scenarios)")
    ax.set_xlabel("CVaR of engagement")
    ax.set_ylabel("Expected engagement")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _amount(x)))
    ax.yaxis.set_major_formatter(_AxisAmounts(ax))
    drawn = [p for p in solved if p.engagement_cvar is not None]
    if not drawn:
        _say_empty(ax, "No risk aversion has a plan yet" if count else "No point")
        ax.tick_params(axis="x", labelbottom=False, length=0)
        return
    cvar = [p.engagement_cvar or 0.0 for p in drawn]
    expected = [p.expected_engagement or 0.0 for p in drawn]
    ax.plot(cvar, expected, color=LINE_COLOR, marker="o", markersize=5, linewidth=2)
    # Neighbouring aversions often share a plan: one label for the run, "λ 0 to 0.3".
    runs: list[list[int]] = []
    for index in range(len(drawn)):
        if runs and (cvar[index], expected[index]) == (cvar[runs[-1][0]], expected[runs[-1][0]]):
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in runs:
        first, last = _aversion(drawn[run[0]]), _aversion(drawn[run[-1]])
        label = f"λ {first}" if len(run) == 1 else f"λ {first} to {last}"
        ax.annotate(
            label,
            (cvar[run[0]], expected[run[0]]),
            xytext=(6, 4),
            textcoords="offset points",
            fontsize=8,
        )
    pad_x = (max(cvar) - min(cvar)) * 0.12 or max(abs(max(cvar)) * 0.05, 1.0)
    pad_y = (max(expected) - min(expected)) * 0.15 or max(abs(max(expected)) * 0.05, 1.0)
    ax.set_xlim(min(cvar) - pad_x, max(cvar) + pad_x)
    ax.set_ylim(min(expected) - pad_y, max(expected) + pad_y)


def _aversion(point: FrontierPointOut) -> str:
    return f"{point.risk_aversion or 0.0:g}"


def _draw_mix(
    ax: Axes, title: str, legend_title: str, columns: Sequence[tuple[str, Mapping[str, float]]]
) -> None:
    """Stacked shares, one bar per labelled column, one colour per group."""
    ax.set_title(title)
    ax.set_ylabel("share of spend")
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
    ax.set_ylim(0, 1)
    ax.set_yticks([0, 0.5, 1])
    if not columns:
        _say_empty(ax, "Shown for points with plans")
        return
    groups: list[str] = []
    for _, mix in columns:
        groups += [g for g in mix if g not in groups]
    positions = list(range(len(columns)))
    bottoms = [0.0] * len(columns)
    handles: list[Patch] = []
    for index, group in enumerate(groups):
        shares = [mix.get(group, 0.0) for _, mix in columns]
        if not any(shares):
            continue
        color = TIER_COLORS[index % len(TIER_COLORS)]
        ax.bar(positions, shares, width=0.6, bottom=bottoms, color=color)
        bottoms = [b + s for b, s in zip(bottoms, shares, strict=True)]
        handles.append(Patch(color=color, label=group))
    ax.set_xticks(positions, [label for label, _ in columns])
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        title=legend_title,
        alignment="left",
    )


def _say_empty(ax: Axes, message: str) -> None:
    """An empty panel says why instead of showing a meaningless 0-to-1 scale."""
    ax.tick_params(axis="y", labelleft=False, length=0)
    ax.text(
        0.5,
        0.5,
        message,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=PENDING_COLOR,
    )


def _bar_width(points: Sequence[FrontierPointOut]) -> float:
    """Bars as wide as 60% of the closest two budgets are apart, so no two ever touch."""
    budgets = sorted({p.budget for p in points})
    gaps = [b - a for a, b in pairwise(budgets)]
    if gaps:
        return 0.6 * min(gaps)
    return 0.3 * budgets[0] if budgets else 1.0


def _ticks_fit(points: Sequence[FrontierPointOut]) -> bool:
    """Whether a tick label at every budget stays clear of its neighbours."""
    budgets = sorted({p.budget for p in points})
    if not 2 <= len(budgets) <= MAX_POINT_TICKS:
        return False
    closest = min(b - a for a, b in pairwise(budgets))
    return closest >= (budgets[-1] - budgets[0]) / (2 * MAX_POINT_TICKS)


def _is_pending(point: FrontierPointOut) -> bool:
    return point.status in PENDING_STATUSES


class _AxisAmounts(Formatter):
    """Tick labels with thousands separators; decimals only on a small scale, and then on
    every tick alike (5.00 next to 10 reads as a mistake)."""

    def __init__(self, ax: Axes) -> None:
        self._ax = ax

    def __call__(self, x: float, pos: int | None = None) -> str:
        low, high = self._ax.get_ylim()
        return f"{x:,.0f}" if abs(high - low) >= 10 else f"{x:,.2f}"


def _amount(value: float) -> str:
    """Thousands separators, and decimals only where the numbers are small."""
    if value != 0 and abs(value) < 10:
        return f"{value:,.2f}"
    return f"{value:,.0f}"
