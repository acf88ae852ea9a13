// twinlog validate: is the pair set up right? Every check of src/checks/validate.h
// over the two masters' option files (--a-cnf / --b-cnf) or live variables (--a /
// --b), read-only.
#include "src/checks/validate.h"

#include <unistd.h>

#include <iostream>

#include "src/checks/validate_live.h"
#include "src/checks/validate_render.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"
#include "tools/twinlog/pair_options.h"
#include "tools/twinlog/report_options.h"

namespace twinlog::cli {

int run_validate(const Args& args) {
  po::options_description options("twinlog validate options");
  po::positional_options_description positional;
  add_pair_options(options, positional);
  add_report_options(options,
                     "text (every check, grouped), jsonl (per check an object, then "
                     "its findings) or json");
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(args,
                          "twinlog validate --a-cnf FILE --b-cnf FILE | --a HOST --b HOST "
                          "[options]",
                          options, positional, vm, code)) {
    return code;
  }
  const auto reporting = report_options_from(vm, "twinlog validate");
  if (!reporting) return kExitError;
  PairNeeds needs;
  needs.configs = true;
  auto pair = pair_input_from(vm, "twinlog validate", needs);
  if (!pair) return kExitError;

  checks::Validation validation = checks::validate_configs(*pair->a.config, *pair->b.config);
  if (!pair->a.connect || !pair->b.connect) {
    validation.not_run.push_back(
        "replication running both ways and the replication accounts (give --a and --b)");
  } else {
    try {
      auto a = pair->a.connect();
      auto b = pair->b.connect();
      // Each master's accounts that the other's channel logs in as.
      auto user_of = [](const config::ReplicaChannel* c) {
        return c ? std::vector<std::string>{c->master_user} : std::vector<std::string>{};
      };
      const auto a_live = checks::read_live_master(
          *a, "A", user_of(checks::channel_from(*pair->b.config, *pair->a.config, a->target())));
      const auto b_live = checks::read_live_master(
          *b, "B", user_of(checks::channel_from(*pair->a.config, *pair->b.config, b->target())));
      checks::add_live_checks(validation, *pair->a.config, a_live, *pair->b.config, b_live);
    } catch (const std::exception& e) {  // ConnectionError
      std::cerr << "twinlog validate: " << e.what() << "\n";
      return kExitError;
    }
  }

  std::string out;
  const bool colour = reporting->format == report::Format::kText && isatty(STDOUT_FILENO) != 0;
  checks::render_validation(validation, reporting->format, out, colour);
  std::cout << out << std::flush;
  return report::exit_code_for(validation.findings(), reporting->fail_on);
}

}  // namespace twinlog::cli
