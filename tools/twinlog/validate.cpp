// twinlog validate: is the pair set up right? Every check of src/checks/validate.h
// over the two masters' option files (--a-cnf / --b-cnf) or live variables (--a /
// --b), read-only.
#include "src/checks/validate.h"

#include <unistd.h>

#include <chrono>
#include <iostream>

#include "src/checks/validate_live.h"
#include "src/checks/validate_probe.h"
#include "src/checks/validate_render.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"
#include "tools/twinlog/metrics_option.h"
#include "tools/twinlog/pair_options.h"
#include "tools/twinlog/report_options.h"

namespace twinlog::cli {

int run_validate(const Args& args) {
  po::options_description options("twinlog validate options");
  po::positional_options_description positional;
  add_pair_options(options, positional);
  options.add_options()("probe",
                        "write one marker row on each master (in a table twinlog_probe of a "
                        "database both replicate), time its arrival on the other, remove it: "
                        "the only option with which twinlog writes")(
      "probe-timeout", po::value<double>()->default_value(10)->value_name("SECONDS"),
      "how long --probe waits for a row to arrive");
  add_metrics_option(options,
                     "also write the results to FILE in the Prometheus text format (for the node "
                     "exporter's textfile collector), replaced atomically");
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
  const bool probe = vm.count("probe") != 0;
  const double probe_timeout = vm["probe-timeout"].as<double>();
  if (!(probe_timeout > 0 && probe_timeout < 86400)) {
    std::cerr << "twinlog validate: --probe-timeout must be a number of seconds above 0\n";
    return kExitError;
  }
  MetricsOption metrics(vm, "validate");
  checks::Validation validation;
  auto metrics_written = [&](bool success) {
    return metrics.write(success, validation.findings());
  };
  PairNeeds needs;
  needs.configs = true;
  auto pair = pair_input_from(vm, "twinlog validate", needs);
  if (!pair) {
    metrics_written(false);
    return kExitError;
  }

  validation = checks::validate_configs(*pair->a.config, *pair->b.config);
  if (!pair->a.connect || !pair->b.connect) {
    validation.not_run.emplace_back(
        "replication running both ways and the replication accounts (give --a and --b)");
    if (probe) {
      std::cerr << "twinlog validate: --probe needs the live masters (--a and --b)\n";
      return kExitError;
    }
  } else {
    try {
      auto a = pair->a.connect();
      auto b = pair->b.connect();
      metrics.run().replication =
          checks::validate_live_pair(validation, *pair->a.config, *a, *pair->b.config, *b);
      if (!probe) {
        validation.not_run.emplace_back("the probe: a marker row written on each master (--probe)");
      } else {
        validation.checks.push_back(checks::run_probe(
            *a, *b, *pair->a.config, *pair->b.config,
            std::chrono::milliseconds(static_cast<int64_t>(probe_timeout * 1000))));
      }
    } catch (const std::exception& e) {  // ConnectionError
      std::cerr << "twinlog validate: " << e.what() << "\n";
      metrics_written(false);
      return kExitError;
    }
  }

  std::string out;
  const bool colour = reporting->format == report::Format::kText && isatty(STDOUT_FILENO) != 0;
  checks::render_validation(validation, reporting->format, out, colour);
  std::cout << out << std::flush;
  if (!metrics_written(true)) return kExitError;
  return report::exit_code_for(validation.findings(), reporting->fail_on);
}

}  // namespace twinlog::cli
