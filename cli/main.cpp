// innosim's command line: one binary, one subcommand per job.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <exception>
#include <vector>

#include "cli/Commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"innosim " INNOSIM_VERSION " (" INNOSIM_GIT_COMMIT
               "): a parallel agent-based, discrete-event simulator of Gansu's maker-space plan"};
  app.require_subcommand(1);
  std::vector<innosim::cli::Action> actions{innosim::cli::add_phold_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    for (auto& action : actions)
      if (int rc = action(); rc >= 0) return rc;
  } catch (const std::exception& e) {
    fmt::print(stderr, "innosim: error: {}\n", e.what());
    return 1;
  }
  return 1;
}
