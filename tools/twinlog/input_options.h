// Options every reading command shares: the inputs and how strictly to read them.
#pragma once

#include <boost/program_options.hpp>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "src/print/event_selection.h"
#include "src/stream/event_stream.h"

namespace twinlog::cli {

namespace po = boost::program_options;

struct InputOptions {
  std::vector<std::string> files;
  StreamOptions stream;
};

// Adds --verify-checksum (-c) / --no-verify-checksum, --strict, -f/--force-read,
// -r/--result-file; FILE... is positional;
// and the options that name a server to read from instead (connection_cli.h).
void add_input_options(po::options_description& options,
                       po::positional_options_description& positional);
InputOptions input_options_from(const po::variables_map& vm);

// "twinlog 0.1.0", for -V / --version.
std::string version_line();

// -r/--result-file: stdout goes to that file. False after saying why it cannot.
bool redirect_output(const po::variables_map& vm, const char* command);

// Parses `args` against `options` (with -?/--help and -V/--version added); prints --help or a usage
// error (a negative number for an unsigned option among them). Returns false (with `exit_code` set)
// when the command should stop.
bool parse_command_line(const std::vector<std::string>& args, const char* usage_line,
                        const po::options_description& options,
                        const po::positional_options_description& positional, po::variables_map& vm,
                        int& exit_code);

// What every reading command selects by: --start-position / --stop-position (in
// the first / last file), --start-datetime when the command has it, and with files
// --stop-datetime (a server applies its own start and stop). Prints the problem
// and returns nullopt for a value that does not parse.
std::optional<SelectionRules> selection_rules_from(const InputOptions& in,
                                                   const po::variables_map& vm,
                                                   const char* command);

// Where the events come from: the files, or the server the options name (not both).
// Prints the problem and returns nullopt when the options do not make sense.
std::optional<SourceOpener> open_inputs(const InputOptions& in, const po::variables_map& vm,
                                        const char* command);

// Prints warnings from the stream to stderr as "twinlog: warning: FILE: at offset N: ...".
void print_warnings_to_stderr(EventStream& stream);
// One stream warning on stderr, as print_warnings_to_stderr prints them.
void warn_to_stderr(const StreamWarning& w);

}  // namespace twinlog::cli
