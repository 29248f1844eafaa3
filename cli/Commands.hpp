// The innosim subcommands: each registers its options on the CLI11 app and returns the action to run.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace innosim::cli {

using Action = std::function<int()>;

/// Peak resident memory of this process so far, MiB.
double peak_rss_mib();

Action add_phold_command(CLI::App& app);
Action add_run_command(CLI::App& app, const std::string& command_line);
Action add_resume_command(CLI::App& app, const std::string& command_line);
Action add_validate_command(CLI::App& app);
Action add_keys_command(CLI::App& app);
Action add_report_command(CLI::App& app);
Action add_calibrate_command(CLI::App& app);
Action add_optimise_command(CLI::App& app);

}  // namespace innosim::cli
