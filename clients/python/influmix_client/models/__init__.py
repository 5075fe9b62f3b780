"""Contains all the data models used in inputs/outputs"""

from .allocation_out import AllocationOut
from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_public import ApiKeyPublic
from .backend import Backend
from .binding_out import BindingOut
from .budget_range import BudgetRange
from .candidate_in import CandidateIn
from .candidate_override import CandidateOverride
from .catalog_filters import CatalogFilters
from .catalog_selection import CatalogSelection
from .catalog_selection_overrides import CatalogSelectionOverrides
from .compared_creator_out import ComparedCreatorOut
from .compared_plan_out import ComparedPlanOut
from .compared_plan_out_by_platform import ComparedPlanOutByPlatform
from .compared_plan_out_by_tier import ComparedPlanOutByTier
from .constraint_kind import ConstraintKind
from .constraints_in import ConstraintsIn
from .constraints_in_platform_share_type_0 import ConstraintsInPlatformShareType0
from .constraints_in_tier_share_type_0 import ConstraintsInTierShareType0
from .creator_in_plan_out import CreatorInPlanOut
from .diagnostics_out import DiagnosticsOut
from .engagement_histogram_out import EngagementHistogramOut
from .engagement_quantiles_out import EngagementQuantilesOut
from .excluded_out import ExcludedOut
from .field_problem import FieldProblem
from .frontier_create import FrontierCreate
from .frontier_point_out import FrontierPointOut
from .frontier_point_out_platform_mix import FrontierPointOutPlatformMix
from .frontier_point_out_tier_mix import FrontierPointOutTierMix
from .frontier_public import FrontierPublic
from .frontier_status import FrontierStatus
from .frontier_sweep import FrontierSweep
from .group_summary_out import GroupSummaryOut
from .health_status import HealthStatus
from .import_summary import ImportSummary
from .import_summary_columns import ImportSummaryColumns
from .influencer_create import InfluencerCreate
from .influencer_page import InfluencerPage
from .influencer_public import InfluencerPublic
from .influencer_update import InfluencerUpdate
from .job_out import JobOut
from .job_progress_out import JobProgressOut
from .lever_out import LeverOut
from .lever_status import LeverStatus
from .objective_in import ObjectiveIn
from .objective_kind import ObjectiveKind
from .options_in import OptionsIn
from .options_in_engagement_priors_type_0 import OptionsInEngagementPriorsType0
from .out_of_sample_out import OutOfSampleOut
from .overlap_import_summary import OverlapImportSummary
from .overlap_import_summary_columns import OverlapImportSummaryColumns
from .overlap_in import OverlapIn
from .overlap_page import OverlapPage
from .overlap_public import OverlapPublic
from .overlap_upload import OverlapUpload
from .overlapping_pair_out import OverlappingPairOut
from .parsed_roster import ParsedRoster
from .parsed_roster_columns import ParsedRosterColumns
from .plan_comparison import PlanComparison
from .plan_create import PlanCreate
from .plan_differences_out import PlanDifferencesOut
from .plan_differences_out_by_platform import PlanDifferencesOutByPlatform
from .plan_differences_out_by_tier import PlanDifferencesOutByTier
from .plan_figures_out import PlanFiguresOut
from .plan_include import PlanInclude
from .plan_page import PlanPage
from .plan_public import PlanPublic
from .plan_public_by_platform_type_0 import PlanPublicByPlatformType0
from .plan_public_by_tier_type_0 import PlanPublicByTierType0
from .plan_state import PlanState
from .plan_summary import PlanSummary
from .platform import Platform
from .problem import Problem
from .rate_source import RateSource
from .relaxation_out import RelaxationOut
from .relaxation_role import RelaxationRole
from .risk_aversion_range import RiskAversionRange
from .risk_in import RiskIn
from .risk_in_tier_relative_sd_type_0 import RiskInTierRelativeSdType0
from .risk_out import RiskOut
from .role import Role
from .roster_upload import RosterUpload
from .share_bounds_in import ShareBoundsIn
from .solve_stage import SolveStage
from .solver_out import SolverOut
from .stop_reason import StopReason
from .tier_in import TierIn
from .totals_out import TotalsOut
from .validation_problem import ValidationProblem

__all__ = (
    "AllocationOut",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyPublic",
    "Backend",
    "BindingOut",
    "BudgetRange",
    "CandidateIn",
    "CandidateOverride",
    "CatalogFilters",
    "CatalogSelection",
    "CatalogSelectionOverrides",
    "ComparedCreatorOut",
    "ComparedPlanOut",
    "ComparedPlanOutByPlatform",
    "ComparedPlanOutByTier",
    "ConstraintKind",
    "ConstraintsIn",
    "ConstraintsInPlatformShareType0",
    "ConstraintsInTierShareType0",
    "CreatorInPlanOut",
    "DiagnosticsOut",
    "EngagementHistogramOut",
    "EngagementQuantilesOut",
    "ExcludedOut",
    "FieldProblem",
    "FrontierCreate",
    "FrontierPointOut",
    "FrontierPointOutPlatformMix",
    "FrontierPointOutTierMix",
    "FrontierPublic",
    "FrontierStatus",
    "FrontierSweep",
    "GroupSummaryOut",
    "HealthStatus",
    "ImportSummary",
    "ImportSummaryColumns",
    "InfluencerCreate",
    "InfluencerPage",
    "InfluencerPublic",
    "InfluencerUpdate",
    "JobOut",
    "JobProgressOut",
    "LeverOut",
    "LeverStatus",
    "ObjectiveIn",
    "ObjectiveKind",
    "OptionsIn",
    "OptionsInEngagementPriorsType0",
    "OutOfSampleOut",
    "OverlapImportSummary",
    "OverlapImportSummaryColumns",
    "OverlapIn",
    "OverlapPage",
    "OverlappingPairOut",
    "OverlapPublic",
    "OverlapUpload",
    "ParsedRoster",
    "ParsedRosterColumns",
    "PlanComparison",
    "PlanCreate",
    "PlanDifferencesOut",
    "PlanDifferencesOutByPlatform",
    "PlanDifferencesOutByTier",
    "PlanFiguresOut",
    "PlanInclude",
    "PlanPage",
    "PlanPublic",
    "PlanPublicByPlatformType0",
    "PlanPublicByTierType0",
    "PlanState",
    "PlanSummary",
    "Platform",
    "Problem",
    "RateSource",
    "RelaxationOut",
    "RelaxationRole",
    "RiskAversionRange",
    "RiskIn",
    "RiskInTierRelativeSdType0",
    "RiskOut",
    "Role",
    "RosterUpload",
    "ShareBoundsIn",
    "SolverOut",
    "SolveStage",
    "StopReason",
    "TierIn",
    "TotalsOut",
    "ValidationProblem",
)
