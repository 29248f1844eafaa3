// docs/ODD.md documents every lever and every assumption of the scenario schema (keeps the docs current).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string_view>

#include "models/gansu/Parameters.hpp"

using namespace innosim;

TEST(Docs, OddDocumentsEveryLeverAndAssumption) {
  std::ifstream in(std::string(INNOSIM_SOURCE_DIR) + "/docs/ODD.md");
  ASSERT_TRUE(in) << "docs/ODD.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  const std::string odd = text.str();
  auto quoted = [](std::string_view key) {
    std::string q(1, '`');
    q.append(key);
    q.push_back('`');
    return q;
  };
  for (const auto& info : gansu::lever_infos())
    EXPECT_NE(odd.find(quoted(info.key)), std::string::npos) << "lever not in docs/ODD.md: " << info.key;
  for (const auto& key : gansu::assumption_keys())
    EXPECT_NE(odd.find(quoted(std::string_view(key).substr(12))), std::string::npos)
        << "assumption not in docs/ODD.md: " << key;
}
