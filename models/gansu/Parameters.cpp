#include "models/gansu/Parameters.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <sstream>
#include <string_view>

#include "sim/Calendar.hpp"

namespace innosim::gansu {

namespace {

struct AssumptionSpec {
  const char* key;
  double Assumptions::*field;
  double value, lo, hi;
  const char* doc;
};

// clang-format off
const AssumptionSpec kAssumptions[] = {
  {"population.leading_enterprises", &Assumptions::leading_enterprises, 150, 100, 250, "leading/backbone enterprises (institutions: not scaled); cf. 319 high-tech enterprises in 2015"},
  {"population.innovative_smes", &Assumptions::innovative_smes, 3000, 1500, 6000, "SMEs that commission R&D or adopt technology (of 131,000 legal units, 2013)"},
  {"population.sme_space_operators", &Assumptions::sme_space_operators, 400, 200, 800, "SMEs, incubators and market operators that could run a space"},
  {"population.outside_operators", &Assumptions::outside_operators, 150, 80, 300, "outside organisations that could run a space in Gansu"},
  {"population.research_institutes", &Assumptions::research_institutes, 130, 100, 180, "independent research institutes (80 in Lanzhou, 2016, read)"},
  {"population.makers", &Assumptions::makers, 60000, 30000, 100000, "would-be founders: R&D staff, graduating students, technicians, commissioners, outsiders"},
  {"population.share_enterprise_staff", &Assumptions::share_staff, 0.30, 0.2, 0.4, "share of would-be founders who are enterprise staff"},
  {"population.share_researcher", &Assumptions::share_researcher, 0.15, 0.08, 0.25, "share who are researchers of universities/institutes"},
  {"population.share_commissioner", &Assumptions::share_commissioner, 0.10, 0.05, 0.15, "share who are S&T commissioners"},
  {"population.share_student", &Assumptions::share_student, 0.40, 0.3, 0.5, "share who are students and recent graduates"},
  {"population.share_outside", &Assumptions::share_outside, 0.05, 0.02, 0.1, "share from outside Gansu"},
  {"population.mentors", &Assumptions::mentors, 2500, 1500, 4000, "mentors, business planners, consultants, industrial designers who could serve spaces"},
  {"population.commissioner_mentors", &Assumptions::commissioner_mentors, 600, 300, 1000, "S&T commissioners and service-centre staff who could mentor"},
  {"population.angels", &Assumptions::angels, 150, 80, 300, "angel investors"},
  {"population.vc_funds", &Assumptions::vc_funds, 20, 10, 40, "venture capital funds"},
  {"population.banks", &Assumptions::banks, 15, 10, 25, "bank branches lending to startups"},
  {"population.guarantee_firms", &Assumptions::guarantee_firms, 25, 15, 40, "financing guarantee firms"},
  {"initial.unrecognised_spaces", &Assumptions::unrecognised_spaces, 25, 10, 40, "spaces operating in early 2016 without recognition (all market-run)"},
  {"initial.share_enterprise_hosted", &Assumptions::share_2015_enterprise, 0.12, 0.05, 0.2, "share of the 61 recognised 2015 spaces run by leading enterprises"},
  {"initial.share_university_hosted", &Assumptions::share_2015_university, 0.20, 0.1, 0.3, "share run by universities and institutes"},
  {"initial.share_zone_hosted", &Assumptions::share_2015_zone, 0.15, 0.08, 0.25, "share run by development zones"},
  {"initial.mentors_per_space", &Assumptions::mentors_per_space, 4, 2, 6, "mentors serving each space in early 2016"},
  {"space.open_rate_enterprise", &Assumptions::open_enterprise, 0.025, 0.01, 0.06, "yearly hazard that a leading enterprise opens a space (levers multiply it)"},
  {"space.open_rate_university", &Assumptions::open_university, 0.04, 0.015, 0.08, "yearly hazard that a university/institute opens a space"},
  {"space.open_rate_zone", &Assumptions::open_zone, 0.06, 0.02, 0.12, "yearly hazard that a development zone opens a space"},
  {"space.open_rate_market", &Assumptions::open_market, 0.05, 0.02, 0.1, "yearly hazard that a market operator opens a space"},
  {"space.open_rate_outside", &Assumptions::open_outside, 0.03, 0.01, 0.06, "yearly hazard that an outside organisation opens a space"},
  {"space.desks_mean", &Assumptions::desks_mean, 25, 25, 80, "mean team places per space (Gansu 2017: 2,568 teams in 103 spaces = 25 resident)"},
  {"space.monthly_cost", &Assumptions::monthly_cost, 0.05, 0.03, 0.1, "running cost per space per month, million CNY"},
  {"space.rent_per_team", &Assumptions::rent_per_team, 0.0008, 0.0003, 0.002, "monthly rent a resident team pays, million CNY (low-cost by design)"},
  {"space.start_cash_months", &Assumptions::start_cash_months, 12, 6, 24, "months of costs a host puts in when opening"},
  {"space.rescue_enterprise", &Assumptions::host_rescue_enterprise, 0.7, 0.4, 0.9, "chance a leading enterprise refills an empty till"},
  {"space.rescue_university", &Assumptions::host_rescue_university, 0.8, 0.5, 0.95, "chance a university/institute refills an empty till"},
  {"space.rescue_zone", &Assumptions::host_rescue_zone, 0.8, 0.5, 0.95, "chance a zone refills an empty till"},
  {"space.rescue_market", &Assumptions::host_rescue_market, 0.35, 0.1, 0.6, "chance a market/outside operator refills an empty till"},
  {"space.mentor_cap", &Assumptions::mentor_cap, 12, 6, 20, "most mentors one space takes"},
  {"space.commission_amount", &Assumptions::commission_amount, 0.15, 0.05, 0.4, "R&D commissioned from a space per contract, million CNY"},
  {"maker.entry_rate_enterprise_staff", &Assumptions::entry_staff, 0.030, 0.015, 0.06, "yearly hazard that a would-be founder from enterprise staff acts"},
  {"maker.entry_rate_researcher", &Assumptions::entry_researcher, 0.025, 0.01, 0.05, "same for researchers (transfer rewards and kept posts raise it)"},
  {"maker.entry_rate_commissioner", &Assumptions::entry_commissioner, 0.04, 0.02, 0.08, "same for S&T commissioners"},
  {"maker.entry_rate_student", &Assumptions::entry_student, 0.045, 0.02, 0.09, "same for students and graduates"},
  {"maker.entry_rate_outside", &Assumptions::entry_outside, 0.05, 0.02, 0.1, "same for people from outside Gansu"},
  {"maker.join_share", &Assumptions::join_share, 0.35, 0.2, 0.5, "share of acting makers who join a team rather than found one"},
  {"team.size_max", &Assumptions::team_size_max, 5, 3, 8, "most people in one team"},
  {"team.register_rate", &Assumptions::register_rate, 1.5, 0.8, 3, "yearly hazard that a team registers a firm"},
  {"team.pitch_rate", &Assumptions::pitch_rate, 1.2, 0.6, 2.4, "yearly rate at which a team seeks money"},
  {"team.fail_rate", &Assumptions::fail_rate, 0.35, 0.2, 0.55, "yearly hazard that a team fails, before mentoring and money"},
  {"team.graduate_rate", &Assumptions::graduate_rate, 0.45, 0.25, 0.8, "yearly hazard that a funded, registered team graduates"},
  {"team.hires_per_funding", &Assumptions::hire_per_funding, 3, 1, 6, "mean jobs a team adds per funding round"},
  {"team.mentoring_fail_cut", &Assumptions::mentor_fail_cut, 0.3, 0.1, 0.5, "failure hazard cut for teams in a space with mentors"},
  {"team.funded_fail_cut", &Assumptions::funded_fail_cut, 0.4, 0.2, 0.6, "failure hazard cut for funded teams"},
  {"investor.angel_accept", &Assumptions::angel_accept, 0.10, 0.05, 0.2, "chance an angel invests after a pitch"},
  {"investor.vc_accept", &Assumptions::vc_accept, 0.05, 0.02, 0.1, "chance a VC fund invests after a pitch"},
  {"investor.guidance_coinvest", &Assumptions::guidance_coinvest, 0.5, 0.2, 0.8, "chance a guidance fund co-invests beside private money"},
  {"investor.bank_accept", &Assumptions::bank_accept, 0.15, 0.05, 0.3, "chance a bank lends to a registered team"},
  {"investor.guarantee_accept", &Assumptions::guarantee_accept, 0.2, 0.1, 0.4, "chance a guarantee firm guarantees a loan"},
  {"investor.angel_amount", &Assumptions::angel_amount, 0.5, 0.2, 1.0, "angel round, million CNY"},
  {"investor.vc_amount", &Assumptions::vc_amount, 3, 1, 6, "VC round, million CNY"},
  {"investor.loan_amount", &Assumptions::loan_amount, 0.5, 0.2, 1.0, "startup loan, million CNY"},
  {"investor.guarantee_default", &Assumptions::guarantee_default, 0.5, 0.3, 0.8, "share of a failed team's guaranteed loan lost"},
  {"mentor.join_rate", &Assumptions::mentor_join, 0.2, 0.08, 0.4, "yearly hazard that a free professional joins a space"},
  {"mentor.leave_rate", &Assumptions::mentor_leave, 0.12, 0.05, 0.25, "yearly hazard that a serving professional leaves"},
  {"government.recognition_min_teams", &Assumptions::recognition_min_teams, 6, 4, 15, "resident teams a space needs to apply for recognition"},
  {"government.recognition_min_mentors", &Assumptions::recognition_min_mentors, 2, 1, 5, "mentors a space needs to apply"},
  {"government.recognition_min_months", &Assumptions::recognition_min_months, 6, 0, 12, "months a space must have run to apply for recognition"},
  {"government.recognition_approval", &Assumptions::recognition_approval, 0.95, 0.5, 0.95, "chance an eligible applicant is recognised in a batch"},
  {"government.filing_quota", &Assumptions::filing_quota, 7, 2, 8, "spaces nationally filed per year (14 by 2017, read)"},
  {"government.excellent_share", &Assumptions::excellent_share, 0.2, 0.1, 0.3, "share of evaluated spaces graded excellent"},
  {"government.fail_share", &Assumptions::fail_share, 0.05, 0.03, 0.15, "share graded fail and delisted"},
  {"government.recognition_grant", &Assumptions::recognition_grant, 0.3, 0.1, 0.5, "one-off grant on recognition, million CNY"},
  {"government.award_amount", &Assumptions::award_amount, 0.5, 0.2, 1.0, "award to an excellent leading-enterprise space, million CNY"},
  {"government.competition_prize", &Assumptions::competition_prize, 0.1, 0.05, 0.3, "prize to a winning team, million CNY"},
  {"enterprise.commission_rate_leading", &Assumptions::commission_leading, 0.4, 0.2, 0.8, "yearly rate a leading enterprise commissions R&D from a space"},
  {"enterprise.commission_rate_sme", &Assumptions::commission_sme, 0.04, 0.01, 0.08, "same for an innovative SME"},
  {"university.transfer_rate", &Assumptions::transfer_rate, 0.6, 0.2, 1.5, "yearly transfers of results per institution at a 20 % reward share"},
  {"enterprise.adoption_chance", &Assumptions::adoption_chance, 0.3, 0.1, 0.5, "chance an enterprise adopts a graduated team's technology"},
  {"effect.space_construction_support", &Assumptions::effect_construction, 0.5, 0.2, 1.0, "hazard of opening x (1 + e) for every host"},
  {"effect.outside_cooperation", &Assumptions::effect_outside, 1.0, 0.5, 2.0, "outside operators' hazard x (1 + e)"},
  {"effect.idle_plant_conversion", &Assumptions::effect_idle_plant, 0.8, 0.3, 1.5, "enterprises with idle plant: hazard x (1 + e), cost x (1 - e/4)"},
  {"effect.competition_support", &Assumptions::effect_competition, 0.15, 0.05, 0.3, "makers' hazard x (1 + e); outsiders x (1 + 3e)"},
  {"effect.tax_cost_cut", &Assumptions::effect_tax_cost, 0.04, 0.01, 0.08, "share of a space's costs each tax lever removes"},
  {"effect.super_deduction", &Assumptions::effect_super_deduction, 0.5, 0.2, 1.0, "commissioning rate x (1 + e)"},
  {"effect.angel_resident", &Assumptions::effect_angel_resident, 0.8, 0.3, 1.5, "angel and VC acceptance x (1 + e)"},
  {"effect.investment_loan_linkage", &Assumptions::effect_linkage, 1.0, 0.5, 2.0, "bank acceptance of equity-backed teams x (1 + e)"},
  {"effect.guarantee_loans", &Assumptions::effect_guarantee, 1.0, 0.5, 2.0, "weight of guarantee firms among pitches x (1 + e)"},
  {"effect.ip_pledge", &Assumptions::effect_ip_pledge, 0.5, 0.2, 1.0, "bank acceptance of registered teams x (1 + e)"},
  {"effect.policy_bank", &Assumptions::effect_policy_bank, 0.3, 0.1, 0.6, "bank acceptance x (1 + e)"},
  {"effect.capital_market", &Assumptions::effect_capital_market, 0.1, 0.03, 0.2, "chance a graduating firm raises on capital markets"},
  {"effect.risk_compensation", &Assumptions::effect_risk_comp, 0.6, 0.3, 1.0, "guarantee acceptance x (1 + e) while compensation is funded"},
  {"effect.transfer_share", &Assumptions::effect_transfer_share, 2.0, 1.0, 4.0, "researchers' and transfers' rates x (1 + e (share - 0.2))"},
  {"effect.post_kept", &Assumptions::effect_post_kept, 0.15, 0.05, 0.3, "researchers' hazard x (1 + e years)"},
  {"effect.lanbai_disposal", &Assumptions::effect_lanbai_disposal, 0.5, 0.2, 1.0, "Lanbai institutes' transfer rate x (1 + e)"},
  {"effect.enterprise_space_deduction", &Assumptions::effect_enterprise_deduction, 0.5, 0.2, 1.0, "enterprises' hazard of opening x (1 + e)"},
  {"effect.soe_assessment", &Assumptions::effect_soe, 0.5, 0.2, 1.0, "SOEs' hazard of opening x (1 + e)"},
  {"effect.science_services", &Assumptions::effect_services, 1.0, 0.5, 2.0, "professionals' hazard of joining x (1 + e)"},
  {"effect.demonstration_pilots", &Assumptions::effect_pilots, 1.0, 0.5, 2.0, "pilot-first zones' hazard of opening x (1 + e)"},
  {"effect.publicity", &Assumptions::effect_publicity, 0.1, 0.03, 0.2, "makers' and professionals' hazards x (1 + e)"},
  {"effect.joint_conference", &Assumptions::effect_conference, 0.3, 0.1, 0.6, "recognition approval x (1 + e), capped at 1"},
};
// clang-format on

// The assumptions that are chances or shares: always in [0, 1], whatever range a scenario gives them.
constexpr std::string_view kProbabilities[] = {"population.share_enterprise_staff",
                                               "population.share_researcher",
                                               "population.share_commissioner",
                                               "population.share_student",
                                               "population.share_outside",
                                               "initial.share_enterprise_hosted",
                                               "initial.share_university_hosted",
                                               "initial.share_zone_hosted",
                                               "space.rescue_enterprise",
                                               "space.rescue_university",
                                               "space.rescue_zone",
                                               "space.rescue_market",
                                               "maker.join_share",
                                               "team.mentoring_fail_cut",
                                               "team.funded_fail_cut",
                                               "investor.angel_accept",
                                               "investor.vc_accept",
                                               "investor.guidance_coinvest",
                                               "investor.bank_accept",
                                               "investor.guarantee_accept",
                                               "investor.guarantee_default",
                                               "government.recognition_approval",
                                               "government.excellent_share",
                                               "government.fail_share",
                                               "enterprise.adoption_chance",
                                               "effect.tax_cost_cut",
                                               "effect.capital_market"};

std::string num(double v) {
  std::ostringstream o;
  o.precision(12);
  o << v;
  return o.str();
}

constexpr std::array<double, kCityCount> kDefaultGuidance{1.2, 1, 1, 1, 1, 1, 1, 1.1, 1, 1, 1, 1, 1, 1};

config::ConfigSchema build_schema() {
  using config::KeySpec;
  using config::Kind;
  config::ConfigSchema s;
  s.add({"run.start", Kind::Date, 0, 0, "2016-04-01", "first simulated day"});
  s.add({"run.end", Kind::Date, 0, 0, "2020-12-31", "last simulated day (indicators are read at its end)"});
  s.add({"run.seed", Kind::Integer, 0, 9.0e15, "2016", "random seed"});
  s.add({"run.replications", Kind::Integer, 1, 100000, "1", "Monte Carlo replications"});
  s.add({"run.scale", Kind::Number, 0.001, 1000, "1", "multiplies people and firms, never institutions"});
  s.add({"run.lookahead_days", Kind::Number, 1, 30, "7", "least delay of one agent's effect on another (days)"});
  for (const LeverInfo& info : lever_infos()) {
    const std::string p = "policy." + std::string(info.key);
    s.add({p + ".enabled", Kind::Boolean, 0, 0, "true",
           std::string(info.doc) + " (POLICY " + std::string(info.section) + ")"});
    KeySpec scale{p + ".scale",
                  Kind::Number,
                  0,
                  100,
                  "1",
                  "multiplies the lever's effect: a value, or a schedule by date from run.start, "
                  "e.g. {2016-04-01: 1, 2017-01-01: 2}"};
    scale.schedulable = true;
    s.add(scale);
    const std::string_view use = budget_use(static_cast<LeverId>(&info - lever_infos().data()));
    KeySpec budget{p + ".annual_budget",
                   Kind::Number,
                   0,
                   1e6,
                   num(info.default_budget),
                   use.empty() ? std::string("this lever spends no public budget of its own: 0 only")
                               : "million CNY per year (a value or a schedule by date) for " + std::string(use)};
    budget.schedulable = true;
    s.add(budget);
    s.add({p + ".start", Kind::Date, 0, 0, "2016-04-01", "date from which the lever acts"});
  }
  s.add({"policy.transfer_rewards.share", Kind::Number, 0, 1, "0.5",
         "share of transfer income for inventors (seed: at least 50 %)"});
  s.add({"policy.researcher_post_kept.years", Kind::Number, 0, 10, "3",
         "years a founding researcher keeps the post (seed: 3)"});
  for (std::size_t c = 0; c < kCityCount; ++c) {
    const std::string p = "cities." + std::string(kCityNames[c]);
    s.add({p + ".guidance", Kind::Number, 0, 10, num(kDefaultGuidance[c]),
           "regional guidance: multiplies hazards of acting makers and hosts in this city (POLICY 4.3)"});
    s.add({p + ".local_subsidy", Kind::Boolean, 0, 0, "true", "this city pays facility subsidies (POLICY 3.1)"});
  }
  for (const AssumptionSpec& a : kAssumptions) {
    const bool probability = std::find(std::begin(kProbabilities), std::end(kProbabilities), std::string_view(a.key)) !=
                             std::end(kProbabilities);
    KeySpec k{std::string("assumptions.") + a.key, Kind::Number, 0, probability ? 1.0 : 1e9, num(a.value), a.doc};
    k.ranged = true;
    k.range_lo = a.lo;
    k.range_hi = a.hi;
    k.range_source = "plausible range of the assumption table, docs/ODD.md";
    s.add(k);
  }
  const char* tdoc[6] = {"T1 maker spaces (>=)",
                         "T2 leading-enterprise spaces (>=)",
                         "T3 university/institute spaces (>=)",
                         "T4 development-zone spaces (>=)",
                         "T5 mentors and service professionals (>)",
                         "T6 entrepreneurs drawn in, cumulative (>)"};
  const double tdef[6] = {300, 20, 50, 50, 1000, 10000};
  for (int t = 0; t < 6; ++t)
    s.add({"targets.T" + std::to_string(t + 1) + ".threshold", Kind::Number, 0, 1e9, num(tdef[t]), tdoc[t]});
  s.add({"targets.scale", Kind::Number, 0.001, 1000, "1", "the run.scale at which the thresholds give a verdict"});
  s.add({"uncertainty.method", Kind::Text, 0, 0, "none",
         "none, lhs (uncertainty), morris (screening), sobol (variance-based indices of a chosen subset)"});
  s.add({"uncertainty.samples", Kind::Integer, 1, 100000, "20",
         "LHS points, Morris trajectories or Sobol base samples N"});
  s.add({"uncertainty.replications_per_point", Kind::Integer, 1, 10000, "1", "replications at each design point"});
  s.add({"uncertainty.morris_levels", Kind::Integer, 2, 20, "4", "grid levels of a Morris design"});
  s.add({"uncertainty.parameters", Kind::Text, 0, 0, "assumptions",
         "assumptions, levers, all, or a comma-separated list of ranged keys and policy.<lever>.scale keys"});
  s.add({"optimise.variables", Kind::Bounds, 0, 0, "{}",
         "decision variables of innosim optimise: policy.<lever>.scale/annual_budget/start/enabled or cities.<City>.* "
         "keys with bounds, e.g. {policy.publicity.scale: [0, 3]}"});
  s.add({"optimise.targets", Kind::Text, 0, 0, "T1a",
         "targets that must be met jointly (comma-separated names T1a ... T6, or all)"});
  s.add({"optimise.confidence", Kind::Number, 0, 1, "0.9",
         "least probability that the targets are met, judged on the lower end of a 95 % Wilson interval; in (0, 1)"});
  s.add({"optimise.replications", Kind::Integer, 2, 100000, "20", "replications of each candidate at first"});
  s.add({"optimise.max_replications", Kind::Integer, 2, 100000, "80",
         "most replications of a candidate near the constraint (racing doubles them up to this)"});
  s.add({"optimise.evaluations", Kind::Integer, 2, 10000, "30", "candidates evaluated in all (the input included)"});
  s.add({"calibration.parameters", Kind::Text, 0, 0, "",
         "ranged keys fitted by innosim calibrate (comma-separated): without an uncertainty design each replication "
         "draws them from their plausible ranges by Latin hypercube; empty: every key keeps its value"});
  return s;
}

double to_sim_day(double unix_days) {
  // Days since 2016-01-01 (the output's time origin) from days since 1970-01-01.
  return unix_days -
         static_cast<double>(std::chrono::sys_days(std::chrono::year(2016) / 1 / 1).time_since_epoch().count());
}

/// A lever's scale or budget: a value, or a schedule whose first date is run.start and whose dates lie in the run.
StepSchedule schedule_of(const config::ConfigValues& v, const std::string& key, const Parameters& p) {
  const config::Entry& e = v.entry(key);
  if (e.schedule.empty()) return StepSchedule(e.number);
  const std::string where = e.origin.describe() + ": key '" + key + "': ";
  if (to_sim_day(e.schedule.front().date) != p.start)
    throw config::ConfigError(where + "a schedule must begin on run.start (" + p.start_date +
                              ") so that its value from the start is stated, e.g. {" + p.start_date +
                              ": 1, 2017-01-01: 2}; got " + e.text);
  StepSchedule out(e.schedule.front().value);
  for (std::size_t i = 1; i < e.schedule.size(); ++i) {
    const double day = to_sim_day(e.schedule[i].date);
    if (day >= p.end)
      throw config::ConfigError(where + "schedule date after run.end (" + p.end_date + ") in " + e.text);
    out.changes.push_back({day, e.schedule[i].value});
  }
  return out;
}

/// The `optimise:` block, checked: every variable a settable lever or city key with bounds lo < hi inside the
/// key's allowed values, known targets, a confidence strictly inside (0, 1).
OptimiseSettings read_optimise(const config::ConfigValues& v) {
  OptimiseSettings o;
  const config::Entry& vars = v.entry("optimise.variables");
  for (const config::NamedBounds& b : vars.bounds) {
    const std::string where = b.origin.describe() + ": key 'optimise.variables." + b.name + "': ";
    const auto it = v.entries().find(b.name);
    const bool place = b.name.rfind("policy.", 0) == 0 || b.name.rfind("cities.", 0) == 0;
    if (it == v.entries().end() || !place)
      throw config::ConfigError(where +
                                "not a lever or city key (`innosim keys` lists them: policy.<lever>.scale, "
                                ".annual_budget, .start, .enabled, cities.<City>.guidance, ...)");
    const config::KeySpec& spec = *it->second.spec;
    if (spec.kind == config::Kind::Text || spec.kind == config::Kind::Bounds)
      throw config::ConfigError(where + "a decision variable must be a number, date or switch");
    if (!it->second.schedule.empty())
      throw config::ConfigError(where + "the scenario gives it a schedule (" + it->second.origin.describe() +
                                "); the optimiser sets single values");
    DecisionVariable d{b.name, spec.kind, 0, 0};
    auto parse = [&](const std::string& text, double& out) {
      if (spec.kind == config::Kind::Date) {
        const auto date = sim::Calendar::parse(text);
        if (!date) throw config::ConfigError(where + "expected dates [YYYY-MM-DD, YYYY-MM-DD], got '" + text + "'");
        out = static_cast<double>(std::chrono::sys_days(*date).time_since_epoch().count());
      } else if (spec.kind == config::Kind::Boolean) {
        if (text != "true" && text != "false" && text != "0" && text != "1")
          throw config::ConfigError(where + "a switch takes bounds [false, true], got '" + text + "'");
        out = text == "true" || text == "1";
      } else {
        std::size_t used = 0;
        try {
          out = std::stod(text, &used);
        } catch (...) {
          used = 0;
        }
        if (used != text.size() || !std::isfinite(out))
          throw config::ConfigError(where + "expected numbers [lo, hi], got '" + text + "'");
        if (out < spec.min || out > spec.max)
          throw config::ConfigError(where + "bound " + text + " lies outside the key's allowed [" + num(spec.min) +
                                    ", " + num(spec.max) + "]");
      }
    };
    parse(b.lo, d.lo);
    parse(b.hi, d.hi);
    if (!(d.lo < d.hi))
      throw config::ConfigError(where + "empty bounds [" + b.lo + ", " + b.hi + "]: expected lo < hi");
    for (std::size_t l = 0; l < kLeverCount; ++l)
      if (b.name == "policy." + std::string(lever_infos()[l].key) + ".annual_budget" &&
          budget_use(static_cast<LeverId>(l)).empty())
        throw config::ConfigError(where + "this lever spends no public budget of its own");
    o.variables.push_back(d);
  }
  const config::Entry& targets = v.entry("optimise.targets");
  for (const std::string& t : listed_keys(v, "optimise.targets")) {
    if (t == "all") {
      o.targets = target_names();
      continue;
    }
    if (std::find(target_names().begin(), target_names().end(), t) == target_names().end())
      throw config::ConfigError(targets.origin.describe() + ": key 'optimise.targets': unknown target '" + t +
                                "' (expected T1a, T1b, T2a, T2b, T3a, T3b, T4a, T4b, T5, T6 or all)");
    if (std::find(o.targets.begin(), o.targets.end(), t) == o.targets.end()) o.targets.push_back(t);
  }
  if (o.targets.empty())
    throw config::ConfigError(targets.origin.describe() + ": key 'optimise.targets': names no target");
  o.confidence = v.number("optimise.confidence");
  if (!(o.confidence > 0 && o.confidence < 1))
    throw config::ConfigError(v.entry("optimise.confidence").origin.describe() +
                              ": key 'optimise.confidence': expected a probability strictly between 0 and 1, got " +
                              v.text("optimise.confidence"));
  o.replications = static_cast<std::uint32_t>(v.number("optimise.replications"));
  o.max_replications = static_cast<std::uint32_t>(v.number("optimise.max_replications"));
  o.evaluations = static_cast<std::uint32_t>(v.number("optimise.evaluations"));
  // With n replications all meeting the targets, the lower 95 % Wilson bound is n / (n + z^2): below the
  // confidence, no candidate could ever be judged feasible.
  constexpr double kZ2 = 1.959963984540054 * 1.959963984540054;
  const double least = std::ceil(o.confidence * kZ2 / (1 - o.confidence) - 1e-9);
  if (o.max_replications < least)
    throw config::ConfigError(v.entry("optimise.max_replications").origin.describe() +
                              ": key 'optimise.max_replications': " + v.text("optimise.max_replications") +
                              " replications cannot show a confidence of " + v.text("optimise.confidence") +
                              " even if all meet the targets (lower Wilson bound); use at least " + num(least));
  if (o.max_replications < o.replications)
    throw config::ConfigError(v.entry("optimise.max_replications").origin.describe() +
                              ": key 'optimise.max_replications': must be at least optimise.replications (" +
                              v.text("optimise.replications") + ")");
  return o;
}

}  // namespace

const std::vector<std::string>& target_names() {
  static const std::vector<std::string> names{"T1a", "T1b", "T2a", "T2b", "T3a", "T3b", "T4a", "T4b", "T5", "T6"};
  return names;
}

const config::ConfigSchema& scenario_schema() {
  static const config::ConfigSchema schema = build_schema();
  return schema;
}

std::vector<std::string> assumption_keys() {
  std::vector<std::string> keys;
  for (const AssumptionSpec& a : kAssumptions) keys.push_back(std::string("assumptions.") + a.key);
  return keys;
}

Parameters read_parameters(const config::ConfigValues& v) {
  Parameters p;
  p.start_date = v.text("run.start");
  p.end_date = v.text("run.end");
  p.start = to_sim_day(v.number("run.start"));
  p.end = to_sim_day(v.number("run.end")) + 1.0;  // through the end of the last day
  if (p.end <= p.start + 1)
    throw config::ConfigError(v.entry("run.end").origin.describe() + ": key 'run.end': " + p.end_date +
                              " is not after run.start " + p.start_date + " (" +
                              v.entry("run.start").origin.describe() + ")");
  if (p.start < 0)
    throw config::ConfigError(v.entry("run.start").origin.describe() +
                              ": key 'run.start': must be 2016-01-01 or later");
  p.seed = static_cast<std::uint64_t>(v.number("run.seed"));
  p.replications = static_cast<std::uint32_t>(v.number("run.replications"));
  p.scale = v.number("run.scale");
  p.lookahead = v.number("run.lookahead_days");
  for (std::size_t i = 0; i < kLeverCount; ++i) {
    const std::string k = "policy." + std::string(lever_infos()[i].key);
    Lever& l = p.levers[i];
    l.enabled = v.boolean(k + ".enabled");
    l.scale = schedule_of(v, k + ".scale", p);
    l.annual_budget = schedule_of(v, k + ".annual_budget", p);
    if (budget_use(static_cast<LeverId>(i)).empty() && l.annual_budget.max() > 0)
      throw config::ConfigError(v.entry(k + ".annual_budget").origin.describe() + ": key '" + k +
                                ".annual_budget': this lever spends no public budget of its own, so a budget would "
                                "count as cost and buy nothing; `innosim keys` says which lever spends which budget" +
                                (i == static_cast<std::size_t>(LeverId::AngelInvestment)
                                     ? " (the public angel funds are policy.zone_angel_funds.annual_budget)"
                                     : ""));
    l.start = to_sim_day(v.number(k + ".start"));
    if (l.enabled && l.start >= p.end)
      throw config::ConfigError(v.entry(k + ".start").origin.describe() + ": key '" + k +
                                ".start': " + v.text(k + ".start") + " is after run.end " + p.end_date +
                                "; the lever would never act");
  }
  p.transfer_share = v.number("policy.transfer_rewards.share");
  p.post_kept_years = v.number("policy.researcher_post_kept.years");
  for (std::size_t c = 0; c < kCityCount; ++c) {
    const std::string k = "cities." + std::string(kCityNames[c]);
    p.city_guidance[c] = v.number(k + ".guidance");
    p.city_local_subsidy[c] = v.boolean(k + ".local_subsidy");
  }
  for (const AssumptionSpec& a : kAssumptions) p.a.*(a.field) = v.number(std::string("assumptions.") + a.key);
  const double shares =
      p.a.share_staff + p.a.share_researcher + p.a.share_commissioner + p.a.share_student + p.a.share_outside;
  if (std::abs(shares - 1.0) > 1e-6)
    throw config::ConfigError(
        v.entry("assumptions.population.share_student").origin.describe() +
        ": keys 'assumptions.population.share_*': the five origin shares must sum to 1, they sum to " + num(shares));
  if (p.a.share_2015_enterprise + p.a.share_2015_university + p.a.share_2015_zone > 1.0)
    throw config::ConfigError(v.entry("assumptions.initial.share_zone_hosted").origin.describe() +
                              ": keys 'assumptions.initial.share_*_hosted': shares must sum to at most 1");
  for (int t = 0; t < 6; ++t) p.targets.threshold[t] = v.number("targets.T" + std::to_string(t + 1) + ".threshold");
  p.targets.scale = v.number("targets.scale");
  auto& u = p.uncertainty;
  u.method = v.text("uncertainty.method");
  if (u.method != "none" && u.method != "lhs" && u.method != "morris" && u.method != "sobol")
    throw config::ConfigError(v.entry("uncertainty.method").origin.describe() +
                              ": key 'uncertainty.method': expected none, lhs, morris or sobol, got '" + u.method +
                              "'");
  u.samples = static_cast<std::uint32_t>(v.number("uncertainty.samples"));
  u.replications_per_point = static_cast<std::uint32_t>(v.number("uncertainty.replications_per_point"));
  u.morris_levels = static_cast<std::uint32_t>(v.number("uncertainty.morris_levels"));
  u.parameters = v.text("uncertainty.parameters");
  p.optimise = read_optimise(v);
  return p;
}

namespace {
/// The factors a comma-separated list key names (or assumptions/levers/all), with their ranges. Pinned keys (a
/// plain value set after their range) are left out of the implicit lists and of a calibration; named explicitly
/// in an uncertainty design they are an error, since the design would silently overwrite them.
std::vector<config::Factor> factors_named(const config::ConfigValues& v, const std::string& list_key,
                                          bool pinned_is_error) {
  const std::string spec = v.text(list_key);
  std::vector<config::Factor> out;
  auto add_assumptions = [&] {
    for (const AssumptionSpec& a : kAssumptions) {
      const std::string key = std::string("assumptions.") + a.key;
      if (key.find(".share_") != std::string::npos) continue;  // shares must sum to one: not sampled alone
      const auto& e = v.entry(key);
      if (e.pinned()) continue;
      out.push_back({key, e.range_lo, e.range_hi});
    }
  };
  auto add_levers = [&] {
    for (const LeverInfo& info : lever_infos()) out.push_back({"policy." + std::string(info.key) + ".scale", 0.0, 2.0});
  };
  if (spec == "assumptions") {
    add_assumptions();
  } else if (spec == "levers") {
    add_levers();
  } else if (spec == "all") {
    add_levers();
    add_assumptions();
  } else {
    for (const std::string& key : listed_keys(v, list_key)) {
      const auto& entries = v.entries();
      const auto it = entries.find(key);
      const bool lever_scale = key.rfind("policy.", 0) == 0 && key.size() > 6 && key.substr(key.size() - 6) == ".scale";
      if (it == entries.end() || (!it->second.spec->ranged && !lever_scale))
        throw config::ConfigError(v.entry(list_key).origin.describe() + ": key '" + list_key + "': '" + key +
                                  "' is not a ranged assumption or a policy.<lever>.scale key");
      if (lever_scale && !it->second.schedule.empty())
        throw config::ConfigError(v.entry(list_key).origin.describe() + ": key '" + list_key + "': '" + key +
                                  "' is a schedule (" + it->second.origin.describe() +
                                  "); a design varies single values");
      if (it->second.pinned()) {
        if (pinned_is_error)
          throw config::ConfigError(v.entry(list_key).origin.describe() + ": key '" + list_key + "': '" + key +
                                    "' is set to " + it->second.text + " by " + it->second.origin.describe() +
                                    ", which the design would overwrite; remove it from the list to keep that value, "
                                    "or give it a range ({value: v, range: [lo, hi]}) to vary it");
        continue;
      }
      if (lever_scale)
        out.push_back({key, 0.0, 2.0});
      else
        out.push_back({key, it->second.range_lo, it->second.range_hi});
    }
    if (out.empty() && pinned_is_error)
      throw config::ConfigError(v.entry(list_key).origin.describe() + ": key '" + list_key + "': names no parameter");
  }
  return out;
}
}  // namespace

std::vector<std::string> listed_keys(const config::ConfigValues& v, const std::string& list_key) {
  const std::string spec = v.text(list_key);
  std::vector<std::string> keys;
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t end = spec.find(',', start);
    if (end == std::string::npos) end = spec.size();
    std::string key = spec.substr(start, end - start);
    key.erase(0, key.find_first_not_of(" \t"));
    key.erase(key.find_last_not_of(" \t") + 1);
    start = end + 1;
    if (!key.empty()) keys.push_back(key);
  }
  return keys;
}

std::vector<config::Factor> design_factors(const config::ConfigValues& v) {
  return factors_named(v, "uncertainty.parameters", true);
}

std::vector<config::Factor> calibration_factors(const config::ConfigValues& v) {
  if (v.text("calibration.parameters").empty()) return {};
  return factors_named(v, "calibration.parameters", false);
}

std::vector<std::string> pinned_calibrated_keys(const config::ConfigValues& v) {
  std::vector<std::string> out;
  for (const std::string& key : listed_keys(v, "calibration.parameters")) {
    const auto it = v.entries().find(key);
    if (it != v.entries().end() && it->second.pinned()) out.push_back(key);
  }
  return out;
}

std::vector<std::string> scenario_advisories(const config::ConfigValues& v) {
  std::vector<std::string> out = v.advisories();
  if (v.text("run.end") != "2020-12-31")
    out.push_back(v.entry("run.end").origin.describe() + ": key 'run.end': the run ends on " + v.text("run.end") +
                  ", so the targets (which the plan sets for the end of 2020) are read on that date instead");
  for (const LeverInfo& info : lever_infos()) {
    const std::string k = "policy." + std::string(info.key);
    if (v.boolean(k + ".enabled") && v.number(k + ".start") < v.number("run.start"))
      out.push_back(v.entry(k + ".start").origin.describe() + ": key '" + k + ".start': " + v.text(k + ".start") +
                    " is before run.start " + v.text("run.start") + "; the lever acts from run.start");
  }
  return out;
}

config::ExperimentDesign scenario_design(const config::ConfigValues& v) {
  const Parameters p = read_parameters(v);
  if (p.uncertainty.method == "none") {
    // A calibrated scenario keeps its uncertainty: replication r runs at point r of a Latin hypercube over the
    // plausible ranges (stratified over all replications, so the points depend on their number; seed + 1 keeps
    // the design's draws apart from the model's).
    const auto fitted = calibration_factors(v);
    if (fitted.empty()) return {};
    config::ExperimentDesign d = config::make_design("lhs", fitted, p.replications, 4, p.seed + 1);
    d.method = "calibrated";
    return d;
  }
  return config::make_design(p.uncertainty.method, design_factors(v), p.uncertainty.samples,
                             p.uncertainty.morris_levels, p.seed);
}

std::uint32_t replications_per_point(const Parameters& p, const config::ExperimentDesign& design) {
  return design.method == "calibrated" ? 1 : p.uncertainty.replications_per_point;
}

Parameters parameters_at(const config::ConfigValues& v, const config::ExperimentDesign& design, std::size_t point) {
  if (design.method == "none") return read_parameters(v);
  config::ConfigValues copy = v;
  const config::Origin origin{"uncertainty design point " + std::to_string(point), 0};
  for (std::size_t i = 0; i < design.factors.size(); ++i) {
    const auto& f = design.factors[i];
    double value = design.points.at(point)[i];
    if (copy.entry(f.key).spec->kind == config::Kind::Integer) value = std::round(value);
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);  // exact: the run uses the value the file records
    copy.set(f.key, text, origin);
  }
  return read_parameters(copy);
}

}  // namespace innosim::gansu
