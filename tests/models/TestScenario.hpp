// Helpers for the Gansu model's tests: the shipped baseline scenario with overrides, at a test scale.
#pragma once

#include <string>
#include <vector>

#include "config/ConfigValues.hpp"
#include "models/gansu/Parameters.hpp"

namespace innosim::test {

inline std::string scenario_path(const std::string& name) {
  return std::string(INNOSIM_SOURCE_DIR) + "/scenarios/" + name;
}

inline gansu::Parameters scenario(const std::string& name, std::vector<std::string> sets = {}) {
  return gansu::read_parameters(config::load_config(gansu::scenario_schema(), scenario_path(name), sets));
}

}  // namespace innosim::test
