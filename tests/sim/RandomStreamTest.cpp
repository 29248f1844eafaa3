#include <Random123/philox.h>
#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <vector>

#include "sim/RandomStream.hpp"

using namespace innosim::sim;

namespace {
std::vector<double> draws(std::uint64_t key, std::uint32_t id, StreamDomain domain, int n,
                          Generator generator = Generator::Philox4x32_10) {
  std::uint64_t counter = 0;
  RandomStream s(key, id, domain, &counter, generator);
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

class StreamsOf : public ::testing::TestWithParam<Generator> {};
INSTANTIATE_TEST_SUITE_P(RandomStream, StreamsOf, ::testing::Values(Generator::Philox4x32_10, Generator::SplitMix64),
                         [](const ::testing::TestParamInfo<Generator>& p) {
                           return p.param == Generator::SplitMix64 ? "SplitMix64" : "Philox";
                         });

TEST_P(StreamsOf, AgentsSeedsReplicationsAndDomainsAreIndependent) {
  const int n = 20000;
  const Generator g = GetParam();
  const auto base = draws(stream_key(1, 0), 0, StreamDomain::Agent, n, g);
  const std::vector<std::vector<double>> others = {
      draws(stream_key(1, 0), 1, StreamDomain::Agent, n, g),   // neighbour agent
      draws(stream_key(2, 0), 0, StreamDomain::Agent, n, g),   // other seed
      draws(stream_key(1, 1), 0, StreamDomain::Agent, n, g),   // other replication
      draws(stream_key(1, 0), 0, StreamDomain::Engine, n, g),  // engine stream of the same id
      draws(stream_key(1, 0), 0, StreamDomain::Agent, n,       // the other generator
            g == Generator::SplitMix64 ? Generator::Philox4x32_10 : Generator::SplitMix64),
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

TEST_P(StreamsOf, DriveBoostRandomDistributions) {
  std::uint64_t counter = 0;
  RandomStream s(stream_key(9, 0), 0, StreamDomain::Agent, &counter, GetParam());
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

// SplitMix64 streams are the documented sequence: draw k of (key, id, domain) is mix64(seed + (k + 1) * golden)
// with seed = mix64(key ^ (id << 32 | domain)), written out here independently of the header's helpers.
TEST(RandomStream, SplitMixDrawsAreTheDocumentedSequence) {
  auto mix = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  // SplitMix64 seeded with 0 starts 0xe220a8397b1dcdaf (the reference implementation's first output).
  EXPECT_EQ(mix(0 + 0x9e3779b97f4a7c15ULL), 0xe220a8397b1dcdafULL);
  std::uint64_t gen = 99;
  auto next = [&gen] { return gen = gen * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int trial = 0; trial < 200; ++trial) {
    const std::uint64_t key = next(), start = trial % 2 ? next() >> 8 : trial;
    const auto id = static_cast<std::uint32_t>(next() >> 32);
    const auto domain = static_cast<StreamDomain>(trial % 3);
    const std::uint64_t seed = mix(key ^ (static_cast<std::uint64_t>(id) << 32 | static_cast<std::uint32_t>(domain)));
    std::uint64_t counter = start;
    RandomStream s(key, id, domain, &counter, Generator::SplitMix64);
    std::uint64_t k = start;
    ASSERT_EQ(s.uniform(), static_cast<double>(mix(seed + ++k * 0x9e3779b97f4a7c15ULL) >> 11) * 0x1.0p-53);
    ASSERT_EQ(s(), static_cast<std::uint32_t>(mix(seed + ++k * 0x9e3779b97f4a7c15ULL) >> 32));
    ASSERT_EQ(s.below(1000),
              static_cast<std::uint32_t>(static_cast<double>(mix(seed + ++k * 0x9e3779b97f4a7c15ULL) >> 11) *
                                         0x1.0p-53 * 1000));
    EXPECT_EQ(counter, start + 3) << "the counter counts 64-bit draws";
  }
}

// Nothing is buffered with SplitMix64: a stream rebound to another agent and back wastes no draw.
TEST(RandomStream, SplitMixRebindLosesNoDraws) {
  const std::uint64_t key = stream_key(5, 0);
  std::uint64_t c1 = 0, c2 = 0, solo = 0;
  RandomStream s(key, 1, StreamDomain::Agent, &c1, Generator::SplitMix64);
  RandomStream reference(key, 1, StreamDomain::Agent, &solo, Generator::SplitMix64);
  std::vector<double> got, want;
  for (int i = 0; i < 10; ++i) {
    s.rebind(1, &c1);
    got.push_back(s.uniform());
    s.rebind(2, &c2);
    s.uniform();
    want.push_back(reference.uniform());
  }
  EXPECT_EQ(got, want);
  EXPECT_EQ(c1, 10u);
  EXPECT_EQ(c2, 10u);
}

// skip() and ahead() stand where the serial draws would: from every offset in a Philox block (a 32-bit draw
// first puts the stream at an odd word), for every kind of draw that takes one uniform.
TEST_P(StreamsOf, SkipAndAheadStandWhereTheSerialDrawsWould) {
  for (int words_first = 0; words_first < 4; ++words_first) {
    for (std::uint64_t n : {0u, 1u, 2u, 3u, 7u, 100u}) {
      std::uint64_t c_serial = 0, c_skip = 0, c_ahead = 0;
      RandomStream serial(stream_key(9, 1), 3, StreamDomain::Setup, &c_serial, GetParam());
      RandomStream skipping(stream_key(9, 1), 3, StreamDomain::Setup, &c_skip, GetParam());
      for (int i = 0; i < words_first; ++i) EXPECT_EQ(serial(), skipping());
      const RandomStream ahead = skipping.ahead(n, &c_ahead);
      RandomStream ahead_copy = ahead;
      for (std::uint64_t i = 0; i < n; ++i) {
        switch (i % 4) {
          case 0:
            serial.uniform();
            break;
          case 1:
            serial.exponential(2.0);
            break;
          case 2:
            serial.bernoulli(0.3);
            break;
          default:
            serial.below(17);
            break;
        }
      }
      skipping.skip(n);
      for (int i = 0; i < 9; ++i) {
        const double x = serial.uniform();
        EXPECT_EQ(skipping.uniform(), x) << "skip " << n << " after " << words_first << " words";
        EXPECT_EQ(ahead_copy.uniform(), x) << "ahead " << n << " after " << words_first << " words";
      }
    }
  }
}
