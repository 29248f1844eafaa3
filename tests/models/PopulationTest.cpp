// The synthetic population: counts at scale 1 as documented (docs/POPULATION.md), scale multiplies people
// and firms only, and the city weights agree with the copied statistics (data/gansu_initial.csv).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "TestScenario.hpp"
#include "models/gansu/GansuModel.hpp"

using namespace innosim;

TEST(Population, ScaleOneMatchesTheDocumentedTable) {
  const auto c = gansu::population_counts(test::scenario("baseline.yaml"));
  // docs/POPULATION.md, one row each.
  EXPECT_EQ(c.cities, 14u);
  EXPECT_EQ(c.zones, 67u);  // 2 + 5 + 1 national, 28 provincial, 30 other in the 2018 catalogue, Lanzhou New Area
  EXPECT_EQ(c.universities, 49u);
  EXPECT_EQ(c.institutes, 130u);
  EXPECT_EQ(c.leading, 150u);
  EXPECT_EQ(c.smes, 3000u);
  EXPECT_EQ(c.initial_recognised, 61u);
  EXPECT_EQ(c.initial_unrecognised, 32u);  // calibrated (scenarios/calibrated.yaml); 25 in plan.yaml
  EXPECT_EQ(c.initial_enterprise + c.initial_university + c.initial_zone + c.initial_market, 61u + 32u);
  EXPECT_EQ(c.operators, 400u + c.initial_market);
  EXPECT_EQ(c.outside, 150u);
  EXPECT_EQ(c.makers, 60000u);
  EXPECT_EQ(c.mentors, 2500u);
  EXPECT_EQ(c.commissioner_mentors, 600u);
  EXPECT_EQ(c.angels, 150u);
  EXPECT_EQ(c.vc_funds, 20u);
  EXPECT_EQ(c.banks, 15u);
  EXPECT_EQ(c.guarantee_firms, 25u);
  EXPECT_EQ(c.investors(), 150u + 20 + 3 + 2 + 15 + 25);
  EXPECT_EQ(c.spaces, c.leading + c.universities + c.institutes + c.zones + c.operators + c.outside);
}

TEST(Population, ScaleMultipliesPeopleAndFirmsNeverInstitutions) {
  const auto one = gansu::population_counts(test::scenario("baseline.yaml"));
  const auto tenth = gansu::population_counts(test::scenario("baseline.yaml", {"run.scale=0.1"}));
  EXPECT_EQ(tenth.zones, one.zones);
  EXPECT_EQ(tenth.universities, one.universities);
  EXPECT_EQ(tenth.institutes, one.institutes);
  EXPECT_EQ(tenth.leading, one.leading);
  EXPECT_EQ(tenth.initial_recognised, one.initial_recognised);
  EXPECT_EQ(tenth.initial_market, one.initial_market);
  EXPECT_EQ(tenth.makers, one.makers / 10);
  EXPECT_EQ(tenth.smes, one.smes / 10);
  EXPECT_EQ(tenth.mentors, one.mentors / 10);
  EXPECT_EQ(tenth.angels, one.angels / 10);
  EXPECT_EQ(tenth.operators - tenth.initial_market, (one.operators - one.initial_market) / 10);
}

TEST(Population, BuiltModelHoldsTheCountsAndTheSpacesOf2015) {
  const auto p = test::scenario("baseline.yaml", {"run.scale=0.1"});
  gansu::GansuModel model(p, 0, 1);
  const auto c = gansu::population_counts(p);
  EXPECT_EQ(model.makers().origin.size(), c.makers);
  EXPECT_EQ(model.spaces().host.size(), c.spaces);
  std::size_t running = 0, recognised = 0;
  for (std::size_t k = 0; k < c.spaces; ++k) {
    running += model.spaces().status[k] == static_cast<std::uint8_t>(gansu::SpaceStatus::Running);
    recognised += model.spaces().recognised[k];
  }
  EXPECT_EQ(running, 61u + c.initial_unrecognised);
  EXPECT_EQ(recognised, 61u);
}

TEST(Population, CityWeightsAgreeWithTheCopiedStatistics) {
  std::ifstream csv(std::string(INNOSIM_SOURCE_DIR) + "/data/gansu_initial.csv");
  ASSERT_TRUE(csv) << "data/gansu_initial.csv is missing";
  std::map<std::string, double> census;
  std::string line;
  while (std::getline(csv, line)) {
    std::stringstream row(line);
    std::string indicator, region, year, value;
    std::getline(row, indicator, ',');
    std::getline(row, region, ',');
    std::getline(row, year, ',');
    std::getline(row, value, ',');
    if (indicator == "population_census") census[region] = std::stod(value);
  }
  ASSERT_EQ(census.size(), gansu::kCityCount);
  for (std::size_t c = 0; c < gansu::kCityCount; ++c)
    EXPECT_DOUBLE_EQ(census.at(std::string(gansu::kCityNames[c])), gansu::kCityPopulation[c]) << gansu::kCityNames[c];
}
