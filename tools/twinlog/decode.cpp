// twinlog decode FILE... : events as text (close to mysqlbinlog -vv
// --base64-output=decode-rows) or JSON lines.
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>

#include "protocol/events.h"
#include "src/event_printer.h"
#include "tools/twinlog/commands.h"
#include "tools/twinlog/input_options.h"

namespace twinlog::cli {
namespace {

using namespace protocol;

// "YYYY-MM-DD HH:MM:SS" (UTC) to seconds since the epoch.
std::optional<uint32_t> parse_datetime(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%d %H:%M:%S", &tm);
  if (!end || *end) {
    end = strptime(text.c_str(), "%Y-%m-%d", &tm);
    if (!end || *end) return std::nullopt;
  }
  return static_cast<uint32_t>(timegm(&tm));
}

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

bool shown(const Filters& f, const StreamEvent& se) {
  const EventView& v = *se.view;
  if (always_shown(*se.event)) return true;
  if (*se.file == f.first_file && v.offset < f.start_position) return false;
  if (f.start_time && v.header.timestamp < *f.start_time) return false;
  if (f.server_id && v.header.server_id != *f.server_id) return false;
  if (std::holds_alternative<TableMapEvent>(*se.event) || std::holds_alternative<RowsEvent>(*se.event)) {
    return table_matches(f, se.table);
  }
  if (const auto* q = std::get_if<QueryEvent>(se.event); q && f.database) {
    // Transaction control stays visible so the shown rows keep their boundaries.
    const std::string_view sql = q->query;
    if (sql == "BEGIN" || sql == "COMMIT" || sql == "ROLLBACK") return true;
    return q->database == *f.database;
  }
  return true;
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
      ("start-position", po::value<uint64_t>(), "skip events before this offset of the first file")
      ("stop-position", po::value<uint64_t>(), "stop at the first event at or after this offset of the last file")
      ("start-datetime", po::value<std::string>(), "skip events before this time (UTC, 'YYYY-MM-DD HH:MM:SS')")
      ("stop-datetime", po::value<std::string>(), "stop at the first event at or after this time (UTC)")
      ("database", po::value<std::string>(), "only statements with this default database and rows of its tables")
      ("table", po::value<std::string>(), "only rows of this table (DB.TABLE)")
      ("server-id", po::value<uint32_t>(), "only events from this originating server_id");
  po::variables_map vm;
  int code = 0;
  if (!parse_command_line(args, "twinlog decode FILE... [options]", options, positional, vm, code)) return code;

  InputOptions in = input_options_from(vm);
  if (in.files.empty()) {
    std::cerr << "twinlog decode: no binlog file given (use '-' for stdin)\n";
    return kExitError;
  }
  const std::string format_name = vm["format"].as<std::string>();
  if (format_name != "text" && format_name != "jsonl") {
    std::cerr << "twinlog decode: --format must be text or jsonl, not '" << format_name << "'\n";
    return kExitError;
  }
  Filters f;
  f.first_file = in.files.front();
  f.last_file = in.files.back();
  if (vm.count("start-position")) f.start_position = vm["start-position"].as<uint64_t>();
  if (vm.count("stop-position")) f.stop_position = vm["stop-position"].as<uint64_t>();
  for (const char* name : {"start-datetime", "stop-datetime"}) {
    if (!vm.count(name)) continue;
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

  EventStream stream = EventStream::from_files(in.files, in.stream);
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
    while (stream.next(se)) {
      if (past_stop(f, se)) break;
      if (!shown(f, se)) continue;
      printer.print(se, out);
      if (out.size() > (1u << 20)) flush();
    }
  } catch (const SourceError& e) {
    flush();
    std::fflush(stdout);
    std::cerr << "twinlog decode: " << e.what() << "\n";
    return kExitError;
  }
  flush();
  return std::fflush(stdout) == 0 ? kExitClean : kExitError;
}

}  // namespace twinlog::cli
