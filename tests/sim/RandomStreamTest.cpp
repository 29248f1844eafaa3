#include <Random123/philox.h>
#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <vector>

#include "sim/RandomStream.hpp"

using namespace innosim::sim;

namespace {
std::vector<double> draws(std::uint64_t key, std::uint32_t id, StreamDomain domain, int n) {
  std::uint64_t counter = 0;
  RandomStream s(key, id, domain, &counter);
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(s.uniform());
  return out;
}
double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
  ma /= a.size(), mb /= b.size();
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    sab += (a[i] - ma) * (b[i] - mb), saa += (a[i] - ma) * (a[i] - ma), sbb += (b[i] - mb) * (b[i] - mb);
  return sab / std::sqrt(saa * sbb);
}
}  // namespace

TEST(RandomStream, SameKeyAndIdGiveSameDraws) {
  const auto key = stream_key(42, 3);
  EXPECT_EQ(draws(key, 17, StreamDomain::Agent, 100), draws(key, 17, StreamDomain::Agent, 100));
}

TEST(RandomStream, ResumesFromItsCounterAcrossInstances) {
  const auto key = stream_key(1, 0);
  std::uint64_t counter = 0;
  std::vector<std::uint32_t> a;
  for (int round = 0; round < 3; ++round) {
    RandomStream s(key, 5, StreamDomain::Agent, &counter);
    for (int i = 0; i < 4; ++i) a.push_back(s());  // a whole block per instance
  }
  std::uint64_t c2 = 0;
  RandomStream s(key, 5, StreamDomain::Agent, &c2);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], s()) << i;
}

TEST(RandomStream, StreamsOfAgentsSeedsReplicationsAndDomainsAreIndependent) {
  const int n = 20000;
  const auto base = draws(stream_key(1, 0), 0, StreamDomain::Agent, n);
  const std::vector<std::vector<double>> others = {
      draws(stream_key(1, 0), 1, StreamDomain::Agent, n),   // neighbour agent
      draws(stream_key(2, 0), 0, StreamDomain::Agent, n),   // other seed
      draws(stream_key(1, 1), 0, StreamDomain::Agent, n),   // other replication
      draws(stream_key(1, 0), 0, StreamDomain::Engine, n),  // engine stream of the same id
  };
  for (const auto& o : others) {
    EXPECT_NE(o, base);
    EXPECT_LT(std::abs(correlation(base, o)), 4.0 / std::sqrt(n));
  }
  double mean = 0;
  for (double u : base) {
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    mean += u;
  }
  EXPECT_NEAR(mean / n, 0.5, 4 * std::sqrt(1.0 / 12 / n));
}

TEST(RandomStream, DrivesBoostRandomDistributions) {
  std::uint64_t counter = 0;
  RandomStream s(stream_key(9, 0), 0, StreamDomain::Agent, &counter);
  boost::random::uniform_int_distribution<int> die(1, 6);
  boost::random::normal_distribution<double> normal(10.0, 2.0);
  std::vector<int> faces(7, 0);
  double sum = 0;
  const int n = 60000;
  for (int i = 0; i < n; ++i) {
    ++faces[die(s)];
    sum += normal(s);
  }
  for (int f = 1; f <= 6; ++f) EXPECT_NEAR(faces[f], n / 6.0, 5 * std::sqrt(n / 6.0));
  EXPECT_NEAR(sum / n, 10.0, 0.05);
}

// A stream is the documented Philox4x32-10 sequence: block k of (key, id, domain) is Philox({k_lo, k_hi, id,
// domain}, key), as Random123 computes it, checked against its published known answer too.
TEST(RandomStream, BlocksAreThePublishedPhilox) {
  using Philox = r123::Philox4x32;
  const Philox::ctr_type kat = Philox()({{0, 0, 0, 0}}, {{0, 0}});
  EXPECT_EQ(kat.v[0], 0x6627e8d5u);  // Random123 kat_vectors: philox4x32 10 rounds, zero counter and key
  EXPECT_EQ(kat.v[3], 0x9b00dbd8u);
  const std::uint64_t key = stream_key(2016, 3);
  std::uint64_t counter = 0;
  RandomStream s(key, 77, StreamDomain::Engine, &counter);
  for (std::uint32_t k = 0; k < 100; ++k) {
    const Philox::ctr_type want = Philox()({{k, 0, 77, static_cast<std::uint32_t>(StreamDomain::Engine)}},
                                           {{static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32)}});
    for (int j = 0; j < 4; ++j) ASSERT_EQ(s(), want.v[j]) << "block " << k << " word " << j;
  }
  EXPECT_EQ(counter, 100u);
}

// The same across keys, ids, domains and counters whose high word is set (the vectorised rounds use every lane).
TEST(RandomStream, BlocksArePhiloxForManyKeysIdsAndCounters) {
  using Philox = r123::Philox4x32;
  std::uint64_t gen = 12345;
  auto next = [&gen] { return gen = gen * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int trial = 0; trial < 500; ++trial) {
    const std::uint64_t key = next(), start = trial % 2 ? next() : trial;
    const auto id = static_cast<std::uint32_t>(next() >> 32);
    const auto domain = static_cast<StreamDomain>(trial % 3);
    std::uint64_t counter = start;
    RandomStream s(key, id, domain, &counter);
    for (std::uint64_t b = start; b < start + 3; ++b) {
      const Philox::ctr_type want =
          Philox()({{static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32), id,
                     static_cast<std::uint32_t>(domain)}},
                   {{static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32)}});
      for (int j = 0; j < 4; ++j) ASSERT_EQ(s(), want.v[j]) << "trial " << trial << " block " << b << " word " << j;
    }
  }
}
