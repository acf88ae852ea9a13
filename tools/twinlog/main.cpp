// twinlog <command> [options]: dispatch to one file per subcommand.
#include <cstring>
#include <iostream>
#include <string_view>

#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"

namespace {

struct CommandEntry {
  std::string_view name;
  std::string_view summary;
  int (*run)(const twinlog::cli::Args&);
};

constexpr CommandEntry kCommands[] = {
    {"decode", "print binlog events as text or JSON lines", twinlog::cli::run_decode},
    {"stats", "count events, rows, transactions and bytes", twinlog::cli::run_stats},
    {"capture", "copy a live server's binlogs to files", twinlog::cli::run_capture},
    {"filters", "what each master's filters do to the other's transactions",
     twinlog::cli::run_filters},
    {"loops", "transactions that come back, and settings that loop", twinlog::cli::run_loops},
    {"autoinc", "auto-increment classes and collisions", twinlog::cli::run_autoinc},
    {"diff", "whether both masters' binlogs hold the same row changes", twinlog::cli::run_diff},
    {"checksum", "compare the two live masters' tables, row by row", twinlog::cli::run_checksum},
    {"validate", "is the pair set up right: every setting, replication, accounts",
     twinlog::cli::run_validate},
    {"audit", "every check of the pair in one pass per master, as one report",
     twinlog::cli::run_audit},
};

void usage(std::ostream& out) {
  out << "usage: twinlog <command> [options]\n\ncommands:\n";
  for (const auto& c : kCommands)
    out << "  " << c.name << std::string(10 - c.name.size(), ' ') << c.summary << "\n";
  out << "\n'twinlog <command> --help' describes a command's options.\n"
         "Exit codes: 0 clean, 1 findings, 2 usage or runtime error.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return twinlog::cli::kExitError;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-?" || name == "-h" || name == "help") {
    usage(std::cout);
    return 0;
  }
  if (name == "--version" || name == "-V") {
    std::cout << twinlog::cli::version_line() << "\n";
    return 0;
  }
  for (const auto& c : kCommands) {
    if (c.name == name) return c.run(twinlog::cli::Args(argv + 2, argv + argc));
  }
  std::cerr << "twinlog: unknown command '" << name << "'\n";
  usage(std::cerr);
  return twinlog::cli::kExitError;
}
