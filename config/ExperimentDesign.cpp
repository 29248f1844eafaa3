#include "config/ExperimentDesign.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "sim/RandomStream.hpp"

namespace innosim::config {

ExperimentDesign make_design(const std::string& method, const std::vector<Factor>& factors, std::uint32_t samples,
                             std::uint32_t levels, std::uint64_t seed) {
  ExperimentDesign d;
  d.method = method;
  d.factors = factors;
  d.base_samples = samples;
  if (method == "none") return d;
  if (factors.empty()) throw std::invalid_argument("an uncertainty design needs at least one parameter");
  const std::size_t k = factors.size();
  std::uint64_t counter = 0;
  // Its own stream (domain Setup, id 0 under a design-specific key): the design never shifts agents' draws.
  sim::RandomStream rng(sim::stream_key(seed, 0x00D35167), 0, sim::StreamDomain::Setup, &counter);
  auto scale = [&](std::vector<double> unit) {
    for (std::size_t i = 0; i < k; ++i) unit[i] = factors[i].lo + unit[i] * (factors[i].hi - factors[i].lo);
    return unit;
  };
  if (method == "lhs") {
    std::vector<std::vector<double>> unit(samples, std::vector<double>(k));
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<std::uint32_t> strata(samples);
      std::iota(strata.begin(), strata.end(), 0u);
      for (std::uint32_t j = samples; j > 1; --j) std::swap(strata[j - 1], strata[rng.below(j)]);  // Fisher-Yates
      for (std::uint32_t j = 0; j < samples; ++j) unit[j][i] = (strata[j] + rng.uniform()) / samples;
    }
    for (auto& u : unit) d.points.push_back(scale(u));
  } else if (method == "morris") {
    if (levels < 2) throw std::invalid_argument("morris needs at least 2 levels");
    const double delta = levels / (2.0 * (levels - 1));
    const std::uint32_t base_levels = levels / 2;  // start levels such that x + delta stays on the grid
    for (std::uint32_t r = 0; r < samples; ++r) {
      std::vector<double> x(k);
      for (auto& v : x) v = static_cast<double>(rng.below(base_levels)) / (levels - 1);
      std::vector<std::size_t> order(k);
      std::iota(order.begin(), order.end(), std::size_t{0});
      for (std::size_t j = k; j > 1; --j) std::swap(order[j - 1], order[rng.below(static_cast<std::uint32_t>(j))]);
      d.points.push_back(scale(x));
      for (std::size_t i : order) {
        x[i] += delta;  // from a start level below 1 - delta, one step up stays in [0, 1]
        d.points.push_back(scale(x));
      }
    }
  } else if (method == "sobol") {
    std::vector<std::vector<double>> A(samples, std::vector<double>(k)), B = A;
    for (auto& row : A)
      for (auto& v : row) v = rng.uniform();
    for (auto& row : B)
      for (auto& v : row) v = rng.uniform();
    for (const auto& row : A) d.points.push_back(scale(row));
    for (const auto& row : B) d.points.push_back(scale(row));
    for (std::size_t i = 0; i < k; ++i)
      for (std::uint32_t j = 0; j < samples; ++j) {
        auto row = A[j];
        row[i] = B[j][i];
        d.points.push_back(scale(row));
      }
  } else {
    throw std::invalid_argument("unknown design method '" + method + "' (expected none, lhs, morris or sobol)");
  }
  return d;
}

}  // namespace innosim::config
