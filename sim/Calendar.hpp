// Simulated time: real days since a calendar origin, and conversion to and from ISO dates.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace innosim::sim {

using Date = std::chrono::year_month_day;

/// Maps simulated time (days, fractions allowed) to calendar dates and back.
class Calendar {
 public:
  explicit Calendar(Date origin) : origin_(origin) {}

  Date origin() const { return origin_; }
  /// Days from the origin to the start of `date` (negative before the origin).
  double to_time(Date date) const;
  /// The calendar day that contains simulated time `t`.
  Date to_date(double t) const;

  /// Parses "YYYY-MM-DD"; empty when the text is not a valid date.
  static std::optional<Date> parse(std::string_view text);
  static std::string format(Date date);

 private:
  Date origin_;
};

}  // namespace innosim::sim
