// An outcome crosses processes (MPI ranks) as bytes: decoding gives back every field exactly; bad bytes throw.
#include <gtest/gtest.h>

#include <stdexcept>

#include "TestScenario.hpp"
#include "models/gansu/Ensemble.hpp"
#include "models/gansu/OutcomeCodec.hpp"

using namespace innosim;

TEST(OutcomeCodec, RoundTripsEveryField) {
  gansu::Parameters p = test::scenario("baseline.yaml", {"run.scale=0.05"});
  p.snapshots = true;
  const gansu::Outcome o = gansu::run_ensemble(p, {3, 1, 1}).at(0);
  ASSERT_FALSE(o.snapshots.empty());
  ASSERT_FALSE(o.edges.empty());
  const auto bytes = gansu::encode(o);
  const gansu::Outcome d = gansu::decode(bytes);
  EXPECT_EQ(d.replication, 3u);
  EXPECT_EQ(d.time, o.time);
  EXPECT_EQ(d.series, o.series);
  EXPECT_EQ(d.spaces_by_city, o.spaces_by_city);
  EXPECT_EQ(d.teams_by_industry, o.teams_by_industry);
  EXPECT_EQ(d.opened_by_host, o.opened_by_host);
  EXPECT_EQ(d.money, o.money);
  EXPECT_EQ(d.event_names, o.event_names);
  EXPECT_EQ(d.events_by_type, o.events_by_type);
  EXPECT_EQ(d.agent_type_names, o.agent_type_names);
  EXPECT_EQ(d.seconds, o.seconds);
  ASSERT_EQ(d.snapshots.size(), o.snapshots.size());
  EXPECT_EQ(d.snapshots.back().team_jobs, o.snapshots.back().team_jobs);
  EXPECT_EQ(d.snapshots.back().space_cash, o.snapshots.back().space_cash);
  ASSERT_EQ(d.edges.size(), o.edges.size());
  EXPECT_EQ(d.edges.back().target, o.edges.back().target);
  EXPECT_EQ(gansu::encode(d), bytes);  // nothing lost: encoding again gives the same bytes
  // NaN first-met days survive as NaN.
  for (std::size_t i = 0; i < o.first_met.size(); ++i)
    EXPECT_EQ(std::isnan(d.first_met[i]), std::isnan(o.first_met[i]));
}

TEST(OutcomeCodec, RefusesTruncatedOrLongerBytes) {
  const gansu::Outcome o = gansu::run_ensemble(test::scenario("baseline.yaml", {"run.scale=0.05"}), {0, 1, 1}).at(0);
  auto bytes = gansu::encode(o);
  EXPECT_THROW(gansu::decode(std::span<const char>(bytes).first(bytes.size() / 2)), std::runtime_error);
  bytes.push_back(0);
  EXPECT_THROW(gansu::decode(bytes), std::runtime_error);
}
