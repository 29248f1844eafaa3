#include <fmt/core.h>

#include <memory>
#include <string>

#include "cli/Commands.hpp"
#include "models/phold/Phold.hpp"

namespace innosim::cli {

Action add_phold_command(CLI::App& app) {
  auto config = std::make_shared<phold::PholdConfig>();
  CLI::App* cmd = app.add_subcommand("phold", "Run the PHOLD benchmark (semantics of shared/bench/PHOLD.md)");
  cmd->add_option("--lps", config->lps, "logical processes N")
      ->check(CLI::Range(1u, 0xFFFFFFF0u))
      ->capture_default_str();
  cmd->add_option("--events-per-lp", config->events_per_lp, "initial events per LP")->capture_default_str();
  cmd->add_option("--remote", config->remote, "share of events sent to a uniformly drawn LP")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--lookahead", config->lookahead, "minimum delay (days)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--mean", config->mean, "mean delay, > lookahead")->capture_default_str();
  cmd->add_option("--end", config->end, "end time")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--threads", config->threads, "worker threads")->check(CLI::Range(1u, 4096u))->capture_default_str();
  cmd->add_option("--blocks", config->blocks, "agent blocks (0 = 2 per thread)")->capture_default_str();
  cmd->add_option("--seed", config->seed, "random seed")->capture_default_str();
  auto generator = std::make_shared<std::string>("splitmix64");
  cmd->add_option("--generator", *generator, "random generator: splitmix64 (as the yardstick loop) or philox")
      ->check(CLI::IsMember({"splitmix64", "philox"}))
      ->capture_default_str();
  return [cmd, config, generator]() -> int {
    if (!cmd->parsed()) return -1;
    config->generator = *generator == "philox" ? sim::Generator::Philox4x32_10 : sim::Generator::SplitMix64;
    if (!(config->mean > config->lookahead)) {
      fmt::print(stderr, "innosim phold: --mean ({}) must be greater than --lookahead ({})\n", config->mean,
                 config->lookahead);
      return 2;
    }
    const phold::PholdResult r = phold::run_phold(*config);
    fmt::print(
        "lps={} events_per_lp={} end={} threads={} generator={} seconds={:.3f} remote_share={:.5f} "
        "threads_used={} windows={} in_windows_s={:.3f} between_windows_s={:.3f} busy_share={:.3f} "
        "imbalance_share={:.3f} peak_memory_mib={:.1f}\n",
        config->lps, config->events_per_lp, config->end, config->threads, *generator, r.seconds, r.remote_share(),
        r.stats.threads_used(), r.stats.windows, r.stats.window_seconds, r.stats.between_seconds, busy_share(r.stats),
        imbalance_share(r.stats), peak_rss_mib());
    fmt::print("committed={} events_per_second={:.0f}\n", r.committed, r.events_per_second());
    return 0;
  };
}

}  // namespace innosim::cli
