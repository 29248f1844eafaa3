#include <gtest/gtest.h>

#include "models/phold/Phold.hpp"

using namespace innosim;

namespace {
void check(std::uint32_t lps, double end, double expected, sim::Generator generator = sim::Generator::SplitMix64) {
  phold::PholdConfig c;
  c.lps = lps;
  c.end = end;
  c.threads = 2;
  c.seed = 2016;
  c.generator = generator;
  const auto r = phold::run_phold(c);
  EXPECT_NEAR(static_cast<double>(r.committed), expected, 0.002 * expected);
  const double share = 0.1 * (1.0 - 1.0 / lps);
  EXPECT_NEAR(r.remote_share(), share, 0.02 * share);
  EXPECT_GT(r.sent_to_other, 0u);
  EXPECT_GT(r.stats.threads_used(), 1u) << "events must cross threads";
}
}  // namespace

// Expected counts from shared/bench/PHOLD.md (any correct engine, any seed).
TEST(Phold, ConfigA) { check(1024, 1000, 16.38e6); }
TEST(Phold, ConfigB) { check(16384, 20, 5.218e6); }
TEST(Phold, ConfigAWithPhilox) { check(1024, 1000, 16.38e6, sim::Generator::Philox4x32_10); }
TEST(Phold, ConfigBWithPhilox) { check(16384, 20, 5.218e6, sim::Generator::Philox4x32_10); }
