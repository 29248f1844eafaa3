// Bytes of one replication's Outcome, for sending it between processes (MPI ranks) and back, exactly.
#pragma once

#include <span>
#include <vector>

#include "models/gansu/Outcome.hpp"

namespace innosim::gansu {

/// Every field of the outcome, bit for bit; decode(encode(o)) equals o.
std::vector<char> encode(const Outcome& outcome);
/// Throws sim::StateError (a std::runtime_error) on truncated or malformed bytes.
Outcome decode(std::span<const char> bytes);

}  // namespace innosim::gansu
