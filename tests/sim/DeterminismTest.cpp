#include <gtest/gtest.h>

#include <algorithm>

#include "TestModels.hpp"
#include "models/phold/Phold.hpp"

using namespace innosim;

TEST(Determinism, ExchangeModelIsIdenticalFor1To8Threads) {
  const auto reference = test::run_exchange(1, 11, 3000, 40);
  EXPECT_GT(reference.stats.committed, 10000u);
  EXPECT_GT(reference.edges, 100u);
  for (unsigned threads : {2u, 3u, 8u}) {
    // Whether a second worker wakes in time is up to the OS on a busy machine: every run must match,
    // and at least one of a few must have spread its events over several threads.
    unsigned most_threads = 0;
    for (int attempt = 0; attempt < 10 && most_threads < 2; ++attempt) {
      const auto r = test::run_exchange(threads, 11, 3000, 40);
      EXPECT_EQ(r.digest, reference.digest) << threads << " threads";
      EXPECT_EQ(r.stats.committed, reference.stats.committed);
      most_threads = std::max(most_threads, r.stats.threads_used());
    }
    EXPECT_GT(most_threads, 1u) << "only one worker thread handled events with " << threads;
  }
}

// The same with the other generator and windows on the lookahead grid (other draws and windows, so
// another trace, but again one per seed whatever the thread count).
TEST(Determinism, ExchangeModelWithSplitMixAndAlignedWindowsIsIdenticalFor1To8Threads) {
  const auto reference = test::run_exchange(1, 11, 3000, 40, sim::Generator::SplitMix64, true);
  EXPECT_GT(reference.stats.committed, 10000u);
  EXPECT_NE(reference.digest, test::run_exchange(1, 11, 3000, 40).digest);
  for (unsigned threads : {2u, 3u, 8u}) {
    const auto r = test::run_exchange(threads, 11, 3000, 40, sim::Generator::SplitMix64, true);
    EXPECT_EQ(r.digest, reference.digest) << threads << " threads";
    EXPECT_EQ(r.total_money, reference.total_money);
  }
}

TEST(Determinism, ASeedChangeChangesTheTrace) {
  EXPECT_NE(test::run_exchange(2, 11).digest, test::run_exchange(2, 12).digest);
}

TEST(Determinism, PholdIsIdenticalFor1To8ThreadsAndAnyBlockCount) {
  unsigned most_threads = 0;
  auto digest = [&](unsigned threads, unsigned blocks, std::uint64_t seed) {
    test::DigestObserver d;
    phold::PholdConfig c;
    c.lps = 2048;
    c.end = 20;
    c.threads = threads;
    c.blocks = blocks;
    c.seed = seed;
    const auto r = phold::run_phold(c, &d);
    most_threads = std::max(most_threads, r.stats.threads_used());
    EXPECT_EQ(d.events_seen, r.committed);
    return d.digest;
  };
  const auto reference = digest(1, 0, 3);
  EXPECT_EQ(digest(1, 1, 3), reference);
  EXPECT_EQ(digest(2, 0, 3), reference);
  EXPECT_EQ(digest(3, 0, 3), reference);
  EXPECT_EQ(digest(8, 0, 3), reference);
  EXPECT_EQ(digest(2, 37, 3), reference);
  EXPECT_NE(digest(2, 0, 4), reference);
  EXPECT_GT(most_threads, 1u) << "no run spread its events over more than one worker thread";
}

// PHOLD never reads the graph, so windows on the lookahead grid (its default) or from the earliest event
// give the same trace; Philox streams give another trace, again the same for any thread count.
TEST(Determinism, PholdTraceIgnoresWindowAlignmentAndFollowsTheGenerator) {
  auto digest = [](unsigned threads, bool aligned, sim::Generator generator) {
    test::DigestObserver d;
    phold::PholdConfig c;
    c.lps = 2048;
    c.end = 20;
    c.threads = threads;
    c.seed = 3;
    c.aligned_windows = aligned;
    c.generator = generator;
    const auto r = phold::run_phold(c, &d);
    EXPECT_EQ(d.events_seen, r.committed);
    return d.digest;
  };
  const auto splitmix = digest(1, true, sim::Generator::SplitMix64);
  EXPECT_EQ(digest(1, false, sim::Generator::SplitMix64), splitmix);
  EXPECT_EQ(digest(3, false, sim::Generator::SplitMix64), splitmix);
  const auto philox = digest(1, true, sim::Generator::Philox4x32_10);
  EXPECT_NE(philox, splitmix);
  EXPECT_EQ(digest(2, true, sim::Generator::Philox4x32_10), philox);
  EXPECT_EQ(digest(3, false, sim::Generator::Philox4x32_10), philox);
}
