// Pausing, saving and restoring a run: the continued run gives the uninterrupted run's trace, at any thread count.
#include <gtest/gtest.h>

#include "TestModels.hpp"
#include "sim/StateStream.hpp"

using namespace innosim;

namespace {
constexpr std::uint64_t kSeed = 11;
constexpr std::uint32_t kTraders = 2000;
constexpr double kEnd = 40;

test::ExchangeResult run(unsigned threads, const test::ExchangeRun& how = {},
                         sim::Generator g = sim::Generator::Philox4x32_10, bool aligned = false) {
  return test::run_exchange(threads, kSeed, kTraders, kEnd, g, aligned, how);
}

/// Runs until the first boundary after the pause at `at`, and returns the checkpoint taken there.
test::ExchangeCheckpoint stop_after(double at, unsigned threads, const test::ExchangeCheckpoint* from = nullptr,
                                    sim::Generator g = sim::Generator::Philox4x32_10, bool aligned = false) {
  test::ExchangeCheckpoint c;
  test::ExchangeRun how;
  how.pause_times = {at};
  how.stop_at_first_pause = true;
  how.resume = from;
  how.saved = &c;
  const auto r = run(threads, how, g, aligned);
  EXPECT_TRUE(r.stats.stopped);
  return c;
}
}  // namespace

TEST(Checkpoint, PausesWithoutStoppingChangeNothing) {
  const auto reference = run(1);
  test::ExchangeRun how;
  how.pause_times = {5, 12.3, 20, 33};
  EXPECT_EQ(run(1, how).digest, reference.digest);
  EXPECT_EQ(run(2, how).digest, reference.digest);
}

TEST(Checkpoint, ResumedRunIsIdenticalWhateverTheThreads) {
  const auto reference = run(1);
  for (unsigned saved_on : {1u, 2u}) {
    const auto c = stop_after(17, saved_on);
    // The stop comes at the boundary after the pause's: not a tick, an ordinary window's start.
    EXPECT_GT(c.time, 17);
    EXPECT_LT(c.time, kEnd);
    for (unsigned threads : {1u, 2u, 3u}) {
      test::ExchangeRun how;
      how.resume = &c;
      const auto r = run(threads, how);
      EXPECT_FALSE(r.stats.stopped);
      EXPECT_EQ(r.digest, reference.digest) << "saved on " << saved_on << ", resumed on " << threads;
      EXPECT_EQ(r.stats.committed, reference.stats.committed);
      EXPECT_EQ(r.stats.windows, reference.stats.windows);
      EXPECT_EQ(r.stats.events_by_type, reference.stats.events_by_type);
      EXPECT_EQ(r.total_money, reference.total_money);
    }
  }
}

TEST(Checkpoint, EngineStateDoesNotDependOnTheThreads) {
  const auto one = stop_after(17, 1), two = stop_after(17, 2);
  EXPECT_EQ(one.time, two.time);
  EXPECT_EQ(one.engine, two.engine);
  EXPECT_EQ(one.model, two.model);
}

TEST(Checkpoint, ChainedResumesAndAlignedWindowsAreIdentical) {
  for (const bool aligned : {false, true}) {
    const auto g = aligned ? sim::Generator::SplitMix64 : sim::Generator::Philox4x32_10;
    const auto reference = run(1, {}, g, aligned);
    const auto first = stop_after(9, 2, nullptr, g, aligned);
    const auto second = stop_after(25, 1, &first, g, aligned);
    EXPECT_GT(second.time, first.time);
    test::ExchangeRun how;
    how.resume = &second;
    EXPECT_EQ(run(2, how, g, aligned).digest, reference.digest) << "aligned " << aligned;
  }
}

TEST(Checkpoint, DamagedOrForeignStateIsRefused) {
  const auto c = stop_after(17, 1);
  auto refused = [](const std::vector<char>& engine, std::uint64_t seed, const char* says) {
    sim::SimulationConfig cfg;
    cfg.seed = seed;
    cfg.end = kEnd;
    cfg.lookahead = 0.5;
    sim::Simulation s(cfg);
    s.add_agents("trader", kTraders);
    s.add_agents("broker", 1);
    for (int i = 0; i < 4; ++i) s.add_event("e", [](sim::Context&, const sim::Event&) {});
    std::vector<double> ticks;
    for (double t = 5; t <= kEnd; t += 5) ticks.push_back(t);
    s.add_ticks(ticks);
    try {
      s.restore(engine);
      s.run();
      ADD_FAILURE() << "accepted: expected '" << says << "'";
    } catch (const sim::StateError& e) {
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
  };
  refused(c.engine, kSeed + 1, "its seed differs");
  refused(std::vector<char>(c.engine.begin(), c.engine.begin() + 40), kSeed, "truncated");
  refused(std::vector<char>(c.engine.begin(), c.engine.end() - 1), kSeed, "engine state");
  auto grown = c.engine;
  grown.push_back(0);
  refused(grown, kSeed, "trailing data");
  auto other = c.engine;
  other[4] ^= 1;  // the format version
  refused(other, kSeed, "another format version");
  refused(std::vector<char>(64, 'x'), kSeed, "is not an innosim engine state");
}
