#include "models/gansu/TargetReport.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace innosim::gansu {

std::vector<TargetRow> target_rows(const Parameters& p, const std::vector<Outcome>& outcomes) {
  static const char* names[10] = {"T1(a)", "T1(b)", "T2(a)", "T2(b)", "T3(a)", "T3(b)", "T4(a)", "T4(b)", "T5", "T6"};
  std::vector<TargetRow> rows;
  const bool verdict = std::abs(p.scale - p.targets.scale) < 1e-12;
  for (std::size_t j = 0; j < kTargetIndicators.size(); ++j) {
    TargetRow r;
    r.name = names[j];
    r.meaning = std::string(indicator_infos()[static_cast<std::size_t>(kTargetIndicators[j])].long_name);
    r.threshold = p.targets.threshold[static_cast<std::size_t>(kTargetThreshold[j])];
    r.strict = kTargetStrict[j];
    r.verdict = verdict;
    for (const Outcome& o : outcomes) {
      const double v = o.final_value(kTargetIndicators[j]);
      r.values.push_back(v);
      r.met += r.strict ? v > r.threshold : v >= r.threshold;
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string format_target_table(const Parameters& p, const std::vector<Outcome>& outcomes) {
  const auto rows = target_rows(p, outcomes);
  const std::size_t n = outcomes.size();
  std::string out = fmt::format("Targets of the 2016 plan on {} (scale {}, {} replication{}):\n", p.end_date, p.scale,
                                n, n == 1 ? "" : "s");
  out += "  (a) = provincially recognised or nationally filed spaces; (b) = all operating spaces (POLICY 5a)\n";
  out += fmt::format("  {:<6} {:>10} {:>10} {:>17} {:>12}  {}\n", "target", "threshold", "median", "min - max", "met",
                     "per replication");
  for (const auto& r : rows) {
    std::vector<double> v = r.values;
    std::sort(v.begin(), v.end());
    const double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    std::string per;
    if (n <= 8)
      for (double x : r.values) per += fmt::format("{}{:.0f}", per.empty() ? "" : " ", x);
    else
      per = "(see the HDF5 file)";
    const std::string met = r.verdict ? fmt::format("{}/{} ({:.0f}%)", r.met, n, 100.0 * r.met / n) : "n/a";
    out += fmt::format("  {:<6} {:>10} {:>10.0f} {:>17} {:>12}  {}\n", r.name,
                       fmt::format("{}{:.0f}", r.strict ? ">" : ">=", r.threshold), median,
                       fmt::format("{:.0f} - {:.0f}", v.front(), v.back()), met, per);
  }
  if (!rows.empty() && !rows.front().verdict)
    out += fmt::format("  No verdicts: the thresholds apply at scale {} (targets.scale), this run is at scale {}.\n",
                       p.targets.scale, p.scale);
  return out;
}

}  // namespace innosim::gansu
