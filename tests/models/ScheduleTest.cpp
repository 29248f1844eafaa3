// Schedules by date: a lever's scale or budget that changes on a day changes the run only from that day on
// (common random numbers), and a schedule is validated with file/line errors.
#include <gtest/gtest.h>

#include "TestScenario.hpp"
#include "models/gansu/Ensemble.hpp"

using namespace innosim;

namespace {

constexpr double kChange = 731;  // 2018-01-01, in days since 2016-01-01

gansu::Outcome replication(const std::vector<std::string>& sets) {
  std::vector<std::string> all{"run.scale=0.1"};
  all.insert(all.end(), sets.begin(), sets.end());
  return gansu::run_ensemble(test::scenario("plan.yaml", all), {0, 1, 1}).at(0);
}

/// The first snapshot at which the two runs differ (time.size() when none does).
std::size_t first_difference(const gansu::Outcome& a, const gansu::Outcome& b) {
  EXPECT_EQ(a.time, b.time);
  for (std::size_t t = 0; t < a.time.size(); ++t)
    if (a.series[t] != b.series[t] || a.spaces_by_city[t] != b.spaces_by_city[t] ||
        a.teams_by_industry[t] != b.teams_by_industry[t])
      return t;
  return a.time.size();
}

void expect_change_only_from(const gansu::Outcome& base, const gansu::Outcome& scheduled, double change = kChange) {
  const std::size_t t = first_difference(base, scheduled);
  ASSERT_LT(t, base.time.size()) << "the schedule changed nothing";
  // Snapshot t is the state at the start of its day: a change on 2018-01-01 shows from the next snapshot.
  EXPECT_GT(base.time[t], change) << "outputs differ at day " << base.time[t] << ", before the schedule's change";
}

}  // namespace

TEST(Schedule, ScaleChangesOutcomesOnlyFromItsDate) {
  // Publicity scales hazards of makers, professionals and hosts: their thinning bounds change on the day.
  const auto base = replication({});
  const auto scheduled = replication({"policy.publicity.scale={2016-04-01: 1, 2018-01-01: 4}"});
  expect_change_only_from(base, scheduled);
  const auto pub = static_cast<std::size_t>(gansu::Indicator::T6Entrepreneurs);
  EXPECT_GT(scheduled.final()[pub], base.final()[pub]) << "four times the publicity drew no more entrepreneurs";
}

TEST(Schedule, BudgetChangesOutcomesOnlyFromItsDate) {
  // At 0.01 million CNY a year the venture guidance fund can hardly invest: 60 a year from 2018 lets it.
  const auto base = replication({"policy.venture_guidance_fund.annual_budget=0.01"});
  const auto scheduled = replication({"policy.venture_guidance_fund.annual_budget={2016-04-01: 0.01, 2018-01-01: 60}"});
  expect_change_only_from(base, scheduled);
  const auto fund = static_cast<std::size_t>(gansu::Instrument::VentureGuidanceFund);
  EXPECT_GT(scheduled.money[fund], base.money[fund]);
}

TEST(Schedule, AScheduleThatNeverChangesIsTheValue) {
  const auto a = replication({"policy.publicity.scale=2"});
  const auto b = replication({"policy.publicity.scale={2016-04-01: 2}"});
  EXPECT_EQ(first_difference(a, b), a.time.size());
}

TEST(Schedule, ACutFromADateSpendsLess) {
  const auto base = replication({});
  // Cities' facility subsidies cut to nothing in mid-year: the rest of that year's budget goes too.
  const auto cut = replication({"policy.local_facility_subsidy.annual_budget={2016-04-01: 25, 2017-07-01: 0}"});
  expect_change_only_from(base, cut, 547);  // 2017-07-01
  const auto pub = static_cast<std::size_t>(gansu::Indicator::PublicMoney);
  EXPECT_LT(cut.final()[pub], base.final()[pub]);
}
