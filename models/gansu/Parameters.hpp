// Every number the Gansu model uses, typed and frozen before a run; the schema of scenario files derives from it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "config/ConfigSchema.hpp"
#include "config/ConfigValues.hpp"
#include "config/ExperimentDesign.hpp"
#include "models/gansu/Geography.hpp"
#include "models/gansu/Levers.hpp"

namespace innosim::gansu {

/// Values no statistic gives: each is an assumption with a plausible range (see docs/ODD.md).
struct Assumptions {
  // Population at scale 1 (people and firms are multiplied by run.scale; institutions are not).
  double leading_enterprises, innovative_smes, sme_space_operators, outside_operators, research_institutes;
  double makers, share_staff, share_researcher, share_commissioner, share_student, share_outside;
  double mentors, commissioner_mentors, angels, vc_funds, banks, guarantee_firms;
  double unrecognised_spaces, share_2015_enterprise, share_2015_university, share_2015_zone, mentors_per_space;
  // Spaces.
  double open_enterprise, open_university, open_zone, open_market, open_outside;  // per candidate per year
  double desks_mean, monthly_cost, rent_per_team, start_cash_months, host_rescue_enterprise, host_rescue_university,
      host_rescue_zone, host_rescue_market, mentor_cap, commission_amount;
  // Makers and teams (per year).
  double entry_staff, entry_researcher, entry_commissioner, entry_student, entry_outside, join_share, team_size_max;
  double register_rate, pitch_rate, fail_rate, graduate_rate, hire_per_funding, mentor_fail_cut, funded_fail_cut;
  // Investors: chance that a pitch succeeds, and amounts (million CNY).
  double angel_accept, vc_accept, guidance_coinvest, bank_accept, guarantee_accept, angel_amount, vc_amount,
      loan_amount, guarantee_default;
  // Mentors (per year).
  double mentor_join, mentor_leave;
  // Government.
  double recognition_min_teams, recognition_min_mentors, recognition_min_months, recognition_approval, filing_quota,
      excellent_share, fail_share, recognition_grant, award_amount, competition_prize;
  // Enterprises and universities (per year).
  double commission_leading, commission_sme, transfer_rate, adoption_chance;
  // How strongly each lever acts (multipliers on the hazards it feeds, or shares).
  double effect_construction, effect_outside, effect_idle_plant, effect_competition, effect_tax_cost,
      effect_super_deduction, effect_angel_resident, effect_linkage, effect_guarantee, effect_ip_pledge,
      effect_policy_bank, effect_capital_market, effect_risk_comp, effect_transfer_share, effect_post_kept,
      effect_lanbai_disposal, effect_enterprise_deduction, effect_soe, effect_services, effect_pilots, effect_publicity,
      effect_conference;
};

struct Targets {
  std::array<double, 6> threshold{};  // T1..T6
  double scale = 1;                   // the scale the thresholds apply at
};

/// The scenario's `uncertainty:` block: which design to run over which ranged keys.
struct UncertaintySettings {
  std::string method = "none";  // none, lhs, morris, sobol
  std::uint32_t samples = 20;   // LHS points, Morris trajectories, or Sobol base samples N
  std::uint32_t replications_per_point = 1;
  std::uint32_t morris_levels = 4;
  std::string parameters = "assumptions";  // assumptions, levers, all, or a comma-separated list of keys
};

/// One decision variable of the scenario's `optimise:` block: a lever or city key with its bounds.
struct DecisionVariable {
  std::string key;
  config::Kind kind = config::Kind::Number;  // Number, Integer, Boolean (0/1) or Date (days since 1970-01-01)
  double lo = 0, hi = 0;
};

/// The scenario's `optimise:` block (innosim optimise): decision variables, the targets that must be met jointly
/// with at least `confidence` (judged on the lower end of a Wilson interval), and the evaluation budget.
struct OptimiseSettings {
  std::vector<DecisionVariable> variables;
  std::vector<std::string> targets;  // names of the target coordinate (T1a ... T6)
  double confidence = 0.9;
  std::uint32_t replications = 20, max_replications = 80, evaluations = 30;
};

struct Parameters {
  std::string start_date, end_date;  // ISO
  double start = 0, end = 0;         // days since 2016-01-01 (end: the end of end_date)
  std::uint64_t seed = 2016;
  std::uint32_t replications = 1;
  double scale = 1;
  double lookahead = 7;
  std::array<Lever, kLeverCount> levers{};
  double transfer_share = 0.5;  // policy.transfer_rewards.share
  double post_kept_years = 3;   // policy.researcher_post_kept.years
  std::array<double, kCityCount> city_guidance{};
  std::array<bool, kCityCount> city_local_subsidy{};
  Assumptions a{};
  Targets targets;
  UncertaintySettings uncertainty;
  OptimiseSettings optimise;
  bool snapshots = false;  // an output option (innosim run --snapshots): year-end agent states and the edge list

  const Lever& lever(LeverId id) const { return levers[static_cast<std::size_t>(id)]; }
};

/// The scenario schema: run.*, policy.<lever>.*, cities.<City>.*, assumptions.*, targets.*.
const config::ConfigSchema& scenario_schema();
/// Freezes validated values into Parameters; checks cross-key rules (dates, shares). Throws ConfigError.
Parameters read_parameters(const config::ConfigValues& values);
/// The names of the target coordinate of results: T1a, T1b, ..., T4b, T5, T6.
const std::vector<std::string>& target_names();
/// The ranged keys (assumptions) in schema order, for docs and uncertainty designs.
std::vector<std::string> assumption_keys();
/// The factors `uncertainty.parameters` names, with their ranges: assumptions (their own ranges, less the
/// origin and host shares, which must sum to one), levers (scale in [0, 2]), or listed keys. Throws ConfigError.
std::vector<config::Factor> design_factors(const config::ConfigValues& values);
/// The factors `calibration.parameters` names (empty when it is empty). Throws ConfigError.
std::vector<config::Factor> calibration_factors(const config::ConfigValues& values);
/// The keys a comma-separated list key (calibration.parameters, uncertainty.parameters) names, trimmed.
std::vector<std::string> listed_keys(const config::ConfigValues& values, const std::string& list_key);
/// The calibrated keys the scenario pins: set to a plain value after calibration gave them a range (a later
/// file or --set). Replications keep them at that value instead of drawing them.
std::vector<std::string> pinned_calibrated_keys(const config::ConfigValues& values);
/// Advisory notes (a run goes on; run and validate print them, the result file keeps them): values outside their
/// plausible range (naming its source), a lever dated before the run, a run that does not end on 2020-12-31.
std::vector<std::string> scenario_advisories(const config::ConfigValues& values);
/// The design for a scenario: its uncertainty design; else, for a calibrated scenario, method "calibrated"
/// (one LHS point per replication over the calibrated ranges); else method none (no points).
config::ExperimentDesign scenario_design(const config::ConfigValues& values);
/// Replications run at each point of `design` (1 for a calibrated draw).
std::uint32_t replications_per_point(const Parameters& params, const config::ExperimentDesign& design);
/// Parameters of one design point: the scenario with the point's values set. Throws ConfigError.
Parameters parameters_at(const config::ConfigValues& values, const config::ExperimentDesign& design, std::size_t point);

}  // namespace innosim::gansu
