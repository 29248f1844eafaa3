// Designs of experiments: the structure each analysis relies on, within the factors' ranges, reproducible.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "config/ExperimentDesign.hpp"

using namespace innosim::config;

namespace {
const std::vector<Factor> kFactors{{"a", 0, 1}, {"b", 10, 20}, {"c", -1, 1}};
}

TEST(ExperimentDesign, LatinHypercubeHasOnePointPerStratumInEveryFactor) {
  const auto d = make_design("lhs", kFactors, 25, 4, 7);
  ASSERT_EQ(d.points.size(), 25u);
  for (std::size_t i = 0; i < kFactors.size(); ++i) {
    std::set<int> strata;
    for (const auto& p : d.points) {
      const double u = (p[i] - kFactors[i].lo) / (kFactors[i].hi - kFactors[i].lo);
      ASSERT_GE(u, 0.0);
      ASSERT_LT(u, 1.0);
      strata.insert(static_cast<int>(u * 25));
    }
    EXPECT_EQ(strata.size(), 25u) << kFactors[i].key;
  }
}

TEST(ExperimentDesign, MorrisTrajectoriesMoveOneFactorAtATimeByDelta) {
  const std::uint32_t r = 6, levels = 4;
  const auto d = make_design("morris", kFactors, r, levels, 7);
  const std::size_t k = kFactors.size();
  ASSERT_EQ(d.points.size(), r * (k + 1));
  const double delta = levels / (2.0 * (levels - 1));
  for (std::uint32_t t = 0; t < r; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t s = 0; s < k; ++s) {
      const auto& a = d.points[t * (k + 1) + s];
      const auto& b = d.points[t * (k + 1) + s + 1];
      std::size_t changes = 0;
      for (std::size_t i = 0; i < k; ++i) {
        const double step = (b[i] - a[i]) / (kFactors[i].hi - kFactors[i].lo);
        if (std::abs(step) > 1e-12) {
          ++changes;
          moved.insert(i);
          EXPECT_NEAR(step, delta, 1e-12);
        }
        EXPECT_GE(b[i], kFactors[i].lo - 1e-12);
        EXPECT_LE(b[i], kFactors[i].hi + 1e-12);
      }
      EXPECT_EQ(changes, 1u);
    }
    EXPECT_EQ(moved.size(), k) << "each factor moves once per trajectory";
  }
}

TEST(ExperimentDesign, SaltelliRowsAreABThenAWithOneColumnFromB) {
  const std::uint32_t n = 16;
  const auto d = make_design("sobol", kFactors, n, 4, 7);
  const std::size_t k = kFactors.size();
  ASSERT_EQ(d.points.size(), n * (k + 2));
  for (std::size_t i = 0; i < k; ++i)
    for (std::uint32_t j = 0; j < n; ++j) {
      const auto& a = d.points[j];
      const auto& b = d.points[n + j];
      const auto& ab = d.points[(2 + i) * n + j];
      for (std::size_t c = 0; c < k; ++c) EXPECT_EQ(ab[c], c == i ? b[c] : a[c]);
    }
}

TEST(ExperimentDesign, IsReproducibleAndSeedDependent) {
  EXPECT_EQ(make_design("lhs", kFactors, 10, 4, 1).points, make_design("lhs", kFactors, 10, 4, 1).points);
  EXPECT_NE(make_design("lhs", kFactors, 10, 4, 1).points, make_design("lhs", kFactors, 10, 4, 2).points);
  EXPECT_TRUE(make_design("none", kFactors, 10, 4, 1).points.empty());
  EXPECT_THROW(make_design("grid", kFactors, 10, 4, 1), std::invalid_argument);
  EXPECT_THROW(make_design("lhs", {}, 10, 4, 1), std::invalid_argument);
}
