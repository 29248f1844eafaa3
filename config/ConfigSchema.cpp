#include "config/ConfigSchema.hpp"

#include <stdexcept>

namespace innosim::config {

void ConfigSchema::add(KeySpec spec) {
  if (index_.count(spec.key)) throw std::logic_error("schema key defined twice: " + spec.key);
  for (std::size_t dot = spec.key.find('.'); dot != std::string::npos; dot = spec.key.find('.', dot + 1))
    ++sections_[spec.key.substr(0, dot)];
  index_[spec.key] = keys_.size();
  keys_.push_back(std::move(spec));
}

const KeySpec* ConfigSchema::find(const std::string& key) const {
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &keys_[it->second];
}

bool ConfigSchema::has_section(const std::string& prefix) const { return sections_.count(prefix) > 0; }

}  // namespace innosim::config
