// Gansu's 14 cities/prefectures, the 13 industries of the plan, and host types of maker spaces.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace innosim::gansu {

inline constexpr std::size_t kCityCount = 14;
/// Cities in the order of data/gansu_initial.csv's census rows (largest first), Lanzhou = 0.
inline constexpr std::array<std::string_view, kCityCount> kCityNames{
    "Lanzhou", "Tianshui", "Dingxi",  "Longnan", "Qingyang", "Linxia",   "Pingliang",
    "Baiyin",  "Wuwei",    "Zhangye", "Jiuquan", "Gannan",   "Jinchang", "Jiayuguan"};
inline constexpr std::uint8_t kLanzhou = 0, kBaiyin = 7;
inline constexpr bool in_lanbai(std::uint8_t city) { return city == kLanzhou || city == kBaiyin; }

inline constexpr std::size_t kIndustryCount = 13;
inline constexpr std::array<std::string_view, kIndustryCount> kIndustryNames{"petrochemicals",
                                                                             "nonferrous_metallurgy",
                                                                             "equipment_manufacturing",
                                                                             "agricultural_processing",  // traditional
                                                                             "new_energy",
                                                                             "new_materials",
                                                                             "intelligent_manufacturing",
                                                                             "biomedicine",
                                                                             "information_technology",
                                                                             "energy_saving_environment",
                                                                             "new_coal_chemicals",
                                                                             "modern_services",
                                                                             "public_safety"};
inline constexpr std::size_t kTraditionalIndustries = 4;
inline constexpr bool is_traditional(std::uint8_t industry) { return industry < kTraditionalIndustries; }

/// Who runs a maker space (POLICY §5a): T2 enterprise, T3 university/institute, T4 zone; the rest count in T1 only.
enum class HostType : std::uint8_t { LeadingEnterprise, UniversityInstitute, DevelopmentZone, Market, Outside };
inline constexpr std::size_t kHostTypeCount = 5;
inline constexpr std::array<std::string_view, kHostTypeCount> kHostTypeNames{
    "leading_enterprise", "university_institute", "development_zone", "market", "outside"};

}  // namespace innosim::gansu

namespace innosim::gansu {
/// 7th-census population (10,000 persons, 2020) of each city, from data/gansu_initial.csv (population_census
/// rows): the only city-level series for all 14; used as weights for where people and firms are.
inline constexpr std::array<double, kCityCount> kCityPopulation{435.94, 298.47, 252.41, 240.73, 217.97, 210.98, 184.86,
                                                                151.21, 146.5,  113.1,  105.57, 69.18,  43.8,   31.27};
}  // namespace innosim::gansu
