// twinlog decode FILE... | --host ... : events as text (close to mysqlbinlog -vv
// --base64-output=decode-rows) or JSON lines, from binlog files or read live from
// a server as a replica (the same output for the same events).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>
#include <string_view>

#include "protocol/events.h"
#include "src/print/event_printer.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/connection_cli.h"
#include "tools/twinlog/input_options.h"

namespace twinlog::cli {
namespace {

using namespace protocol;

struct Filters {
  uint64_t start_position = 0;
  std::optional<uint64_t> stop_position;
  std::optional<uint32_t> start_time, stop_time;
  std::optional<std::string> database;
  std::optional<std::string> table;  // "db.t"
  std::optional<uint32_t> server_id;
  std::string first_file, last_file;
};

// Events that define the format are always shown, like mysqlbinlog does.
bool always_shown(const Event& e) {
  return std::holds_alternative<FormatDescriptionEvent>(e) || std::holds_alternative<StartV3Event>(e);
}

bool table_matches(const Filters& f, const TableMapEvent* t) {
  if (!t) return !f.database && !f.table;
  if (f.database && t->database != *f.database) return false;
  if (f.table && std::string(t->database) + "." + std::string(t->table) != *f.table) return false;
  return true;
}

// The statements mysqlbinlog keeps under --database whatever their default
// database, because they frame a transaction: a query that is a prefix of
// "BEGIN" or "COMMIT" (it compares the first query-length characters, so an
// empty query counts too), or that starts, in any letter case, with "SAVEPOINT"
// or "ROLLBACK" (ROLLBACK TO a savepoint included). XA START / END / PREPARE /
// COMMIT / ROLLBACK frame an XA transaction: MySQL's mysqlbinlog keeps them, and
// MariaDB's does since MDEV-33921 (inside an XA event group, the only place
// servers write them).
bool is_transaction_keyword(std::string_view q) {
  auto starts_with_word = [q](std::string_view word) {
    return q.size() >= word.size() &&
           std::equal(word.begin(), word.end(), q.begin(), [](char w, char c) {
             return w == std::toupper(static_cast<unsigned char>(c));
           });
  };
  return std::string_view("BEGIN").starts_with(q) || std::string_view("COMMIT").starts_with(q) ||
         starts_with_word("SAVEPOINT") || starts_with_word("ROLLBACK") || starts_with_word("XA ");
}

// --database DB keeps exactly the events mysqlbinlog --database=DB keeps
// (client/mysqlbinlog.cc, process_event), so both print the same statements:
// - QUERY (compressed or not): kept when its default database is DB, compared
//   exactly (a QUERY without a default database is dropped); the transaction
//   keywords above are kept whatever their database.
// - EXECUTE_LOAD_QUERY: kept when its default database is DB, keywords or not.
// - TABLE_MAP: kept when its table is in DB (and is --table, if given); a rows
//   event is kept when its TABLE_MAP was. A rows event with no TABLE_MAP names no
//   database and is dropped.
// - ANNOTATE_ROWS is held back by the caller and shown just before the first
//   TABLE_MAP kept after it, or dropped when its statement ends without one.
// - Everything else is kept, as mysqlbinlog prints it whatever the database: XID
//   (the COMMIT), GTID (START TRANSACTION), BEGIN_LOAD_QUERY, ROTATE, STOP, and
//   INTVAR / RAND / USER_VAR even when the QUERY they precede is dropped.
bool shown(const Filters& f, const StreamEvent& se) {
  const EventView& v = *se.view;
  if (always_shown(*se.event)) return true;
  if (*se.file == f.first_file && v.offset < f.start_position) return false;
  if (f.start_time && v.header.timestamp < *f.start_time) return false;
  if (f.server_id && v.header.server_id != *f.server_id) return false;
  if (std::holds_alternative<TableMapEvent>(*se.event) ||
      std::holds_alternative<RowsEvent>(*se.event)) {
    return table_matches(f, se.table);
  }
  if (!f.database) return true;
  if (const auto* q = std::get_if<QueryEvent>(se.event)) {
    return is_transaction_keyword(q->query) || q->database == *f.database;
  }
  if (const auto* q = std::get_if<ExecuteLoadQueryEvent>(se.event))
    return q->query.database == *f.database;
  return true;
}

// An ANNOTATE_ROWS event waits for the filter's verdict on its rows events.
bool held_back(const Filters& f, const StreamEvent& se) {
  return (f.database || f.table) && std::holds_alternative<AnnotateRowsEvent>(*se.event);
}

bool ends_statement(const StreamEvent& se) {
  const auto* rows = std::get_if<RowsEvent>(se.event);
  return rows && rows->end_of_statement();
}

bool past_stop(const Filters& f, const StreamEvent& se) {
  if (f.stop_position && *se.file == f.last_file && se.view->inner_index == 0 && se.view->offset >= *f.stop_position) {
    return true;
  }
  return f.stop_time && se.view->header.timestamp >= *f.stop_time && !always_shown(*se.event);
}

}  // namespace

int run_decode(const Args& args) {
  po::options_description options("twinlog decode options");
  po::positional_options_description positional;
  add_input_options(options, positional);
  options.add_options()
      ("format", po::value<std::string>()->default_value("text"), "text or jsonl")
      ("start-datetime", po::value<std::string>(), "skip events before this time (UTC, 'YYYY-MM-DD HH:MM:SS')")
      ("database", po::value<std::string>(), "only statements with this default database and rows of its tables")
      ("table", po::value<std::string>(), "only rows of this table (DB.TABLE)")
      ("server-id", po::value<uint32_t>(), "only events from this originating server_id");
  // With files, --start-position / --stop-position (from the server options) apply
  // to the first / last file and --stop-datetime to every event; with a server they
  // choose what it sends.
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(args, "twinlog decode FILE... | --host H [options]", options, positional, vm, code)) {
    return code;
  }
  InputOptions in = input_options_from(vm);
  auto opener = open_inputs(in, vm, "twinlog decode");
  if (!opener) return kExitError;
  const std::string format_name = vm["format"].as<std::string>();
  if (format_name != "text" && format_name != "jsonl") {
    std::cerr << "twinlog decode: --format must be text or jsonl, not '" << format_name << "'\n";
    return kExitError;
  }
  Filters f;
  if (!in.files.empty()) {
    f.first_file = in.files.front();
    f.last_file = in.files.back();
    if (vm.count("start-position")) f.start_position = vm["start-position"].as<uint64_t>();
    if (vm.count("stop-position")) f.stop_position = vm["stop-position"].as<uint64_t>();
  }
  for (const char* name : {"start-datetime", "stop-datetime"}) {
    if (!vm.count(name) || (in.files.empty() && std::string_view(name) == "stop-datetime")) continue;
    auto t = parse_datetime(vm[name].as<std::string>());
    if (!t) {
      std::cerr << "twinlog decode: --" << name << " wants 'YYYY-MM-DD HH:MM:SS', not '" << vm[name].as<std::string>() << "'\n";
      return kExitError;
    }
    (std::string_view(name) == "start-datetime" ? f.start_time : f.stop_time) = *t;
  }
  if (vm.count("database")) f.database = vm["database"].as<std::string>();
  if (vm.count("table")) {
    f.table = vm["table"].as<std::string>();
    if (f.table->find('.') == std::string::npos) {
      std::cerr << "twinlog decode: --table wants DB.TABLE, not '" << *f.table << "'\n";
      return kExitError;
    }
  }
  if (vm.count("server-id")) f.server_id = vm["server-id"].as<uint32_t>();

  EventStream stream(std::move(*opener), in.stream);
  print_warnings_to_stderr(stream);
  EventPrinter printer(format_name == "text" ? OutputFormat::kText : OutputFormat::kJsonLines);
  std::string out;
  out.reserve(1 << 20);
  auto flush = [&] {
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  };
  try {
    StreamEvent se;
    std::string annotation;  // a held-back ANNOTATE_ROWS, rendered
    while (stream.next(se)) {
      if (past_stop(f, se)) break;
      if (!shown(f, se)) {
        if (ends_statement(se)) annotation.clear();
        continue;
      }
      if (held_back(f, se)) {
        annotation.clear();
        printer.print(se, annotation);
        continue;
      }
      if (std::holds_alternative<TableMapEvent>(*se.event)) {
        out += annotation;
        annotation.clear();
      }
      printer.print(se, out);
      if (ends_statement(se)) annotation.clear();
      if (out.size() > (1u << 20)) flush();
    }
  } catch (const std::exception& e) {  // SourceError, or a connection failure
    flush();
    std::fflush(stdout);
    std::cerr << "twinlog decode: " << e.what() << "\n";
    return kExitError;
  }
  flush();
  return std::fflush(stdout) == 0 ? kExitClean : kExitError;
}

}  // namespace twinlog::cli
