#include "sim/Calendar.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace innosim::sim {

double Calendar::to_time(Date date) const {
  return static_cast<double>((std::chrono::sys_days(date) - std::chrono::sys_days(origin_)).count());
}

Date Calendar::to_date(double t) const {
  const auto whole = static_cast<long>(std::floor(t));
  return Date(std::chrono::sys_days(origin_) + std::chrono::days(whole));
}

std::optional<Date> Calendar::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0;
  unsigned m = 0, d = 0;
  auto num = [&](std::string_view part, auto& out) {
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && ptr == part.data() + part.size();
  };
  if (!num(text.substr(0, 4), y) || !num(text.substr(5, 2), m) || !num(text.substr(8, 2), d)) return std::nullopt;
  const Date date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string Calendar::format(Date date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return buf;
}

}  // namespace innosim::sim
