// Designs of experiments over ranged configuration keys: Latin hypercube, Morris trajectories, Saltelli (Sobol).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace innosim::config {

struct Factor {
  std::string key;
  double lo = 0, hi = 1;
};

/// Points of a design, in the row order its analysis expects (docs/OUTPUT.md):
/// lhs: `samples` points; morris: `samples` trajectories of k+1 points, consecutive points differing in one
/// factor; sobol: A (N rows), B (N), then AB_i (N each: A with column i from B), N = `samples`.
struct ExperimentDesign {
  std::string method = "none";
  std::vector<Factor> factors;
  std::vector<std::vector<double>> points;  // [point][factor], in the factors' own units
  std::uint32_t base_samples = 0;
};

/// Builds a design; the same (method, factors, samples, levels, seed) gives the same points.
/// Throws std::invalid_argument for an unknown method or an empty factor list.
ExperimentDesign make_design(const std::string& method, const std::vector<Factor>& factors, std::uint32_t samples,
                             std::uint32_t morris_levels, std::uint64_t seed);

}  // namespace innosim::config
