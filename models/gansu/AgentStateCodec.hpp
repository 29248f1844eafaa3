// The Gansu agents' arrays as checkpoint bytes: every field of every agent kind, read back exactly.
#pragma once

#include "models/gansu/AgentState.hpp"
#include "sim/StateStream.hpp"

namespace innosim::gansu {

/// The model's agent arrays, by reference (they are members of the model, saved and restored together).
struct AgentArrays {
  Government& gov;
  Cities& cities;
  Zones& zones;
  Universities& univs;
  Enterprises& ents;
  Makers& makers;
  Investors& invs;
  Mentors& mentors;
  Spaces& spaces;
  Teams& teams;
};

void save_agents(sim::StateWriter& out, const AgentArrays& a);
/// Replaces every array; throws sim::StateError on truncated or malformed bytes.
void restore_agents(sim::StateReader& in, const AgentArrays& a);

}  // namespace innosim::gansu
