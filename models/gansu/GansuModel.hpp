// The Gansu maker-space model on the innosim engine: population, agents' behaviour as events, and recording.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/gansu/AgentState.hpp"
#include "models/gansu/Outcome.hpp"
#include "models/gansu/Parameters.hpp"

namespace innosim::gansu {

/// Agents of each kind at the parameters' scale (docs/POPULATION.md gives the scale-1 table and sources).
struct PopulationCounts {
  std::uint32_t cities = kCityCount, zones = 0, universities = 0, institutes = 0, leading = 0, smes = 0, operators = 0,
                outside = 0, makers = 0, angels = 0, vc_funds = 0, guidance_funds = 3, zone_angel_funds = 2, banks = 0,
                guarantee_firms = 0, mentors = 0, commissioner_mentors = 0, spaces = 0, initial_recognised = 61,
                initial_unrecognised = 0, initial_enterprise = 0, initial_university = 0, initial_zone = 0,
                initial_market = 0;
  std::uint32_t enterprises() const { return leading + smes + operators + outside; }
  std::uint32_t investors() const {
    return angels + vc_funds + guidance_funds + zone_angel_funds + banks + guarantee_firms;
  }
  std::uint64_t total() const;
};
PopulationCounts population_counts(const Parameters& p);
/// Names of the model's edge types (relations of MODEL.md), indexed by edge type.
std::vector<std::string> edge_type_names();

/// One replication: build the population from (seed, replication), run, and return its outcome.
/// The result depends only on the parameters, the seed and the replication index, never on `threads`.
class GansuModel {
 public:
  GansuModel(const Parameters& params, std::uint32_t replication, unsigned threads);
  ~GansuModel();
  Outcome run();

  // Read-only views for tests and snapshots (valid after construction; final after run()).
  const Spaces& spaces() const;
  const Teams& teams() const;
  const Makers& makers() const;
  const Mentors& mentors() const;
  const Investors& investors() const;
  const Government& government() const;
  const Cities& cities() const;
  /// Index into spaces() of a maker-space agent id.
  std::uint32_t space_index(sim::AgentId space) const;
  /// Budget granted to, and spent by, each lever over the run (million CNY).
  std::vector<std::pair<double, double>> budget_use() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace innosim::gansu
