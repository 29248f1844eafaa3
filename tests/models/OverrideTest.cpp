// A planner's values mean what they say: overrides of calibrated keys pin them, probabilities stay in [0, 1],
// values outside a plausible range and dates the targets do not expect are named, schedules are validated.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "TestScenario.hpp"
#include "models/gansu/Ensemble.hpp"

using namespace innosim;

namespace {
config::ConfigValues values(const std::string& name, const std::vector<std::string>& sets = {}) {
  return config::load_config(gansu::scenario_schema(), test::scenario_path(name), sets);
}
std::string error_of(const std::string& name, const std::vector<std::string>& sets) {
  try {
    gansu::scenario_design(values(name, sets));
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}
bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
bool factor(const config::ExperimentDesign& d, const std::string& key) {
  return std::any_of(d.factors.begin(), d.factors.end(), [&](const config::Factor& f) { return f.key == key; });
}
const char* kDesks = "assumptions.space.desks_mean";
}  // namespace

TEST(Override, SettingACalibratedKeyPinsIt) {
  const auto drawn = gansu::scenario_design(values("baseline.yaml"));
  ASSERT_EQ(drawn.method, "calibrated");
  EXPECT_TRUE(factor(drawn, kDesks));
  const auto v = values("baseline.yaml", {std::string(kDesks) + "=60"});
  const auto pinned = gansu::scenario_design(v);
  EXPECT_FALSE(factor(pinned, kDesks)) << "the replications still draw a key the planner set";
  EXPECT_EQ(pinned.factors.size(), drawn.factors.size() - 1);
  EXPECT_EQ(gansu::pinned_calibrated_keys(v), std::vector<std::string>{kDesks});
  // Every replication runs with the pinned value.
  for (std::size_t point = 0; point < pinned.points.size(); point += 7)
    EXPECT_EQ(gansu::parameters_at(v, pinned, point).a.desks_mean, 60.0);
}

TEST(Override, AValueWithItsOwnRangeIsDrawnFromThatRange) {
  const auto dir = std::filesystem::temp_directory_path() / ("innosim_override_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "ranged.yaml").string();
  std::ofstream(path) << "extends: " << test::scenario_path("baseline.yaml")
                      << "\nassumptions:\n  space:\n    desks_mean: {value: 60, range: [55, 65]}\n";
  const auto v = config::load_config(gansu::scenario_schema(), path);
  const auto d = gansu::scenario_design(v);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(factor(d, kDesks));
  for (const auto& f : d.factors)
    if (f.key == kDesks) {
      EXPECT_EQ(std::make_pair(f.lo, f.hi), std::make_pair(55.0, 65.0));
    }
  EXPECT_TRUE(gansu::pinned_calibrated_keys(v).empty());
}

TEST(Override, ADesignOverAPinnedKeyIsRefused) {
  const auto msg = error_of("plan.yaml", {"uncertainty.method=lhs", "uncertainty.parameters=assumptions.team.fail_rate",
                                          "assumptions.team.fail_rate=0.3"});
  EXPECT_TRUE(has(msg, "'assumptions.team.fail_rate' is set to 0.3 by command-line override --set")) << msg;
  EXPECT_TRUE(has(msg, "give it a range")) << msg;
  // The implicit list of all assumptions leaves it out instead.
  const auto d =
      gansu::scenario_design(values("plan.yaml", {"uncertainty.method=lhs", "assumptions.team.fail_rate=0.3"}));
  EXPECT_FALSE(factor(d, "assumptions.team.fail_rate"));
  EXPECT_TRUE(factor(d, "assumptions.team.pitch_rate"));
}

TEST(Override, ProbabilitiesOutsideZeroOneAreRefused) {
  for (const char* key : {"assumptions.investor.angel_accept", "assumptions.maker.join_share",
                          "assumptions.government.recognition_approval", "assumptions.space.rescue_market"}) {
    const auto msg = error_of("baseline.yaml", {std::string(key) + "=1.7"});
    EXPECT_TRUE(has(msg, "expected a number in [0, 1], got '1.7'")) << key << ": " << msg;
  }
  // Every assumption documented as a chance or a share is bounded by one.
  for (const auto& k : gansu::scenario_schema().keys())
    if (k.ranged && (k.doc.rfind("chance", 0) == 0 || k.doc.rfind("share", 0) == 0)) {
      EXPECT_EQ(k.max, 1.0) << k.key;
    }
}

TEST(Override, OutOfRangeValuesAndOtherDatesAreNamed) {
  const auto notes =
      gansu::scenario_advisories(values("baseline.yaml", {"assumptions.investor.angel_accept=0.9", "run.end=2019-12-31",
                                                          "policy.publicity.start=2015-06-01"}));
  auto any = [&](const std::string& part) {
    return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return has(n, part); });
  };
  EXPECT_TRUE(any("'assumptions.investor.angel_accept': value 0.9 lies outside its plausible range [0.05, 0.2] "
                  "(scenarios/plan.yaml") ||
              any("value 0.9 lies outside its plausible range [0.05, 0.2]"));
  EXPECT_TRUE(any("the targets (which the plan sets for the end of 2020) are read on that date instead"));
  EXPECT_TRUE(any("'policy.publicity.start': 2015-06-01 is before run.start 2016-04-01"));
  EXPECT_TRUE(gansu::scenario_advisories(values("baseline.yaml")).empty());
}

TEST(Override, SchedulesAreValidated) {
  EXPECT_TRUE(has(error_of("baseline.yaml", {"policy.publicity.scale={2017-01-01: 2}"}), "must begin on run.start"));
  EXPECT_TRUE(has(error_of("baseline.yaml", {"policy.publicity.scale={2016-04-01: 1, 2016-04-01: 2}"}),
                  "schedule dates must increase"));
  EXPECT_TRUE(has(error_of("baseline.yaml", {"policy.publicity.scale={2016-04-01: 1, 2021-06-01: 2}"}),
                  "schedule date after run.end"));
  EXPECT_TRUE(has(error_of("baseline.yaml", {"policy.publicity.scale={2016-04-01: -1}"}), "expected a number in"));
  EXPECT_TRUE(has(error_of("baseline.yaml", {"policy.publicity.scale={2016-13-01: 1}"}), "expected a date"));
  EXPECT_TRUE(has(error_of("baseline.yaml", {"policy.publicity.scale={oops"}), "expected a schedule"));
  EXPECT_TRUE(has(error_of("baseline.yaml", {"run.scale={2016-04-01: 1}"}), "expected a number"));
  EXPECT_TRUE(has(error_of("baseline.yaml", {"policy.angel_investment.annual_budget=10"}),
                  "spends no public budget of its own"));
  EXPECT_EQ(error_of("baseline.yaml", {"policy.zone_angel_funds.annual_budget={2016-04-01: 20, 2017-01-01: 40}"}), "");
  const auto p = gansu::read_parameters(
      values("baseline.yaml", {"policy.zone_angel_funds.annual_budget={2016-04-01: 20, 2017-01-01: 40}"}));
  const auto& budget = p.lever(gansu::LeverId::ZoneAngelFunds).annual_budget;
  EXPECT_EQ(budget.at(p.start), 20.0);
  EXPECT_EQ(budget.at(365.0), 20.0);  // 2016-12-31
  EXPECT_EQ(budget.at(366.0), 40.0);  // 2017-01-01
  EXPECT_EQ(budget.max(), 40.0);
}

TEST(Override, EveryBudgetLeverSaysWhatItPaysFor) {
  for (std::size_t l = 0; l < gansu::kLeverCount; ++l) {
    const auto& info = gansu::lever_infos()[l];
    EXPECT_EQ(info.default_budget > 0, !gansu::budget_use(static_cast<gansu::LeverId>(l)).empty()) << info.key;
  }
}
