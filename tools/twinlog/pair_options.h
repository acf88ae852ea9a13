// How every check command takes the pair, so that a DBA learns it once: each
// master's option file (--a-cnf / --b-cnf), captured binlogs (--a-binlogs /
// --b-binlogs, positional FILE... being A's), or the live master (--a / --b) with
// the connection options twinlog already has, shared by both masters.
//
// Which server reads an option file decides its groups and line rules, so each
// master's identity is taken, in this order, from --X-server-version, the live
// master's VERSION() (--X), the FORMAT_DESCRIPTION of its first binlog file, else
// MariaDB of unknown version (no version groups read).
//
// --X with --X-cnf: the file is the configuration (what the server reads at its
// next start, with file:line to quote, and a comma in a filter value meaning one
// name as it does to the server); the live master supplies its version, and its
// binlogs when the command reads binlogs and no --X-binlogs were given.
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "protocol/gtid_set.h"
#include "src/config/server_config.h"
#include "src/server/connection.h"
#include "src/source/live_source.h"
#include "src/stream/event_stream.h"
#include "src/stream/transaction.h"

namespace twinlog::cli {

namespace po = boost::program_options;

// Where a command starts in one master's binlogs (add_start_options): after a
// position, after a GTID set, and from a time. A live master starts its dump at
// the position or GTID set; files are read from their start and the transactions
// before the start point are skipped by before(). A time skips by the
// transaction's first timestamp, which a copy keeps from its original: a
// transaction and its copy in the peer's binlog are skipped or kept together.
struct TransactionStart {
  std::optional<BinlogPosition> position;  // FILE:POS; FILE compared by its name
  std::optional<protocol::GtidSet> gtids;  // the transactions in the set are skipped
  std::optional<uint32_t> since;           // UTC seconds
  bool empty() const { return !position && !gtids && !since; }
  bool before(const TransactionSummary& t) const;
};

struct MasterInput {
  std::string name;                            // "A" or "B"
  std::optional<config::ServerConfig> config;  // from --a-cnf FILE, or from the live master
  std::string config_source;                   // "samples/configs/master-a.cnf", "127.0.0.1:3306"
  // How the option file was read ("MariaDB 10.11.6, from the FORMAT_DESCRIPTION of
  // FILE"); empty when the configuration is the live master's own.
  std::string identity_source;
  // --a-binlogs FILE... (positional FILE... for A), or the live master's binlogs
  // from its oldest to its end at the first read (not following), read with a free
  // replica server_id (never the other master's). Connects at the first call.
  std::optional<SourceOpener> binlogs;
  std::string binlogs_source;  // "a/mysql-bin.000001 to a/mysql-bin.000003", "127.0.0.1:3306"
  // A live master (--X): opens another read-only connection to it, with the same
  // options (throws ConnectionError). Empty for a master given by files only.
  std::function<std::unique_ptr<Connection>()> connect;
  TransactionStart start;  // with PairNeeds::start_points
};

struct PairInput {
  MasterInput a, b;
};

// Adds the group "the pair" (--a-cnf, --b-cnf, --a-binlogs, --b-binlogs, --file as
// the positional FILE..., --a, --b, --a-server-version, --b-server-version) and the
// connection options for --a / --b (those of connection_cli.h but --host, --port
// and --socket, which --a / --b replace): do not add either again.
void add_pair_options(po::options_description& options,
                      po::positional_options_description& positional);

// What the command needs; a missing piece is a usage error naming the options
// that would supply it.
struct PairNeeds {
  bool configs = true;          // both masters' configurations
  bool binlogs_of_one = false;  // the binlogs of at least one master
  bool binlogs_of_both = false;
  bool live_binlogs = false;  // a live master without --X-binlogs supplies its binlogs
  bool start_points = false;  // --a-start, --b-start, --since (add_start_options)
};

// Adds --a-start FILE:POS|GTID_SET, --b-start and --since TIME (both masters).
void add_start_options(po::options_description& options);

// Reads the option files, connects to the live masters (read-only) and checks the
// binlog files open as binlogs. Prints the problem to stderr ("twinlog filters:
// ...", `command` being "twinlog filters") and returns nullopt when the options do
// not make sense or a file / server cannot be read.
std::optional<PairInput> pair_input_from(const po::variables_map& vm, const char* command,
                                         const PairNeeds& needs);

}  // namespace twinlog::cli
