// The mysqlbinlog output that Debian's mariadb-test-data records in its .result
// files, compared with what twinlog says about the same binlog when asked the
// same question. The corpus map (mariadb-test-data-map.tsv) lists the .result
// files that hold mysqlbinlog output for a std_data binlog; every such row is
// answered by a case below, or named with the reason it cannot be compared.
//
// A case finds its block in the .result from the .test: the text echoed before
// the exec, then how many mysqlbinlog execs that print into the result lie
// between that echo and the exec. The block is reduced to what carries meaning
// (statements in order with their `use` switches and timestamps, SET INSERT_ID /
// LAST_INSERT_ID / RAND seeds / user variables, BEGIN / COMMIT / ROLLBACK /
// SAVEPOINT, event positions and header fields, the point of failure) and
// mysqlbinlog's cosmetic SET @@session lines are dropped. twinlog's side is the
// real binary's JSON lines for the same options, with the few facts its JSON
// does not carry (a start event's creation time, RAND seeds, user variable
// names, a QUERY's xid status variable) read from the engine at the same offsets.
// Both sides are rendered as the same token lines and compared line by line.
// Left out on purpose: the hexdump's rows of body bytes and the BINLOG '...'
// base64 of the format event, both the file's own bytes printed back.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "protocol/events.h"
#include "src/stream/event_stream.h"
#include "tests/corpus/corpus_support.h"

namespace twinlog::corpus {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kTestDir = TWINLOG_MARIADB_TEST_DIR;
const std::string kMap = std::string(TWINLOG_SHARED_DIR) + "/corpus/mariadb-test-data-map.tsv";

// ------------------------------------------------------------------ the cases

enum class Compare {
  kStatements,     // --short-form: the statements, in order
  kHexdump,        // --hexdump: per event position, header fields, description, statements
  kFailure,        // full form up to a read error: headers, statements, then where it failed
  kMaskedHeaders,  // full form whose header lines the .test masks: one header per event, statements
  kReplayedTable,  // `mysqlbinlog FILE | mysql`, then SELECT: the table the rows events build
  kBothFail,       // output redirected away; the .test only expects mysqlbinlog to fail
  kNotComparable,  // the output does not come from reading the binlog
};

struct Case {
  std::string name;
  std::string binlog;                     // relative to the mysql-test directory
  std::string test_file;                  // relative to the mysql-test directory
  std::string result_file;                // relative to the mysql-test directory
  std::string anchor;                     // echoed before the exec; a whole line of the .result
  std::string exec;                       // the .test line (a part of it) whose output is compared
  std::vector<std::string> twinlog_args;  // "{}" stands for the binlog's path
  bool from_stdin = false;
  uint64_t start_position = 0;
  Compare compare = Compare::kStatements;
  std::vector<std::string> covers;  // the map's referencing_line values this case answers
  std::string note;                 // kNotComparable: why; otherwise a known difference
};

// gtest prints a failing case by its exec line rather than as bytes.
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.test_file << ": " << c.exec;
}

const std::string kMain = "main/mysqlbinlog";

std::vector<Case> cases() {
  const std::string test = kMain + ".test", result = kMain + ".result";
  std::vector<Case> c;
  auto database = [&](const std::string& name, const std::string& file, const std::string& db,
                      const std::string& anchor) {
    const std::string exec = "--exec $MYSQL_BINLOG --database=" + db +
                             " --short-form $MYSQLTEST_VARDIR/std_data/" + file;
    c.push_back({name,
                 "std_data/" + file,
                 test,
                 result,
                 anchor,
                 exec,
                 {"--database", db, "{}"},
                 false,
                 0,
                 Compare::kStatements,
                 {exec},
                 ""});
  };
  database(
      "transaction_database_test", "binlog_transaction.000001", "test",
      "# Test if the 'BEGIN', 'ROLLBACK' and 'COMMIT' are output if the database specified exists");
  database("transaction_database_not_exist", "binlog_transaction.000001", "not_exist",
           "# Test if the 'BEGIN', 'ROLLBACK' and 'COMMIT' are output if the database specified "
           "does not exist");
  database("savepoint_database_db1", "binlog_savepoint.000001", "db1",
           "# Test if the 'SAVEPOINT', 'ROLLBACK TO' are output if the database specified exists");
  database("savepoint_database_not_exist", "binlog_savepoint.000001", "not_exist",
           "# Test if the 'SAVEPOINT', 'ROLLBACK TO' are output if the database specified does not "
           "exist");

  const std::string trunc1 =
      "--exec $MYSQL_BINLOG --short-form - < $MYSQL_TEST_DIR/std_data/trunc_binlog.000001";
  const std::string trunc2 =
      "--exec $MYSQL_BINLOG --short-form --start-position=$binlog_start_pos - < "
      "$MYSQL_TEST_DIR/std_data/trunc_binlog.000001";
  c.push_back({"trunc_binlog_stdin",
               "std_data/trunc_binlog.000001",
               test,
               result,
               "--- reading stdin --",
               trunc1,
               {"-"},
               true,
               0,
               Compare::kStatements,
               {trunc1},
               ""});
  // The .test sets $binlog_start_pos=79 just above the exec.
  c.push_back({"trunc_binlog_stdin_start_position",
               "std_data/trunc_binlog.000001",
               test,
               result,
               "--- reading stdin --",
               trunc2,
               {"--start-position", "79", "-"},
               true,
               79,
               Compare::kStatements,
               {trunc2},
               ""});

  for (const char* file :
       {"mdev-4645-binlog_checksum.binlog", "mdev-4645-binlog_group_id.binlog",
        "mdev-4645-binlog_group_id_checksum.binlog", "mdev-4645-binlog_none.binlog"}) {
    const std::string exec = std::string("--exec $MYSQL_BINLOG --hexdump std_data/") + file;
    std::string name = std::string("hexdump_") + file;
    std::replace_if(
        name.begin(), name.end(),
        [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
    c.push_back({name,
                 std::string("std_data/") + file,
                 test,
                 result,
                 "# FDE corrupted in relay log",
                 exec,
                 {"{}"},
                 false,
                 0,
                 Compare::kHexdump,
                 {exec},
                 ""});
  }

  const std::string gtid_crash =
      "--exec $MYSQL_BINLOG $MYSQL_TEST_DIR/std_data/mdev-39404-binlog.000001 2>& 1";
  c.push_back({"mdev_39404_gtid_crash",
               "std_data/mdev-39404-binlog.000001",
               test,
               result,
               "# MDEV-39404 Gtid_log_event crash",
               gtid_crash,
               {"{}"},
               false,
               0,
               Compare::kFailure,
               {gtid_crash},
               ""});

  c.push_back({"corrupt_relay_bin",
               "std_data/corrupt-relay-bin.000624",
               test,
               result,
               "shell> mysqlbinlog std_data/corrupt-relay-bin.000624 > var/tmp/bug31793.sql",
               "exec $MYSQL_BINLOG $MYSQL_TEST_DIR/std_data/corrupt-relay-bin.000624 > "
               "$MYSQLTEST_VARDIR/tmp/bug31793.sql;",
               {"{}"},
               false,
               0,
               Compare::kBothFail,
               {"echo shell> mysqlbinlog std_data/corrupt-relay-bin.000624 > var/tmp/bug31793.sql;",
                "exec $MYSQL_BINLOG $MYSQL_TEST_DIR/std_data/corrupt-relay-bin.000624 > "
                "$MYSQLTEST_VARDIR/tmp/bug31793.sql;"},
               ""});

  c.push_back(
      {"base64_output_always",
       "std_data/master-bin.000001",
       test,
       result,
       "# MYSQL_BINLOG std_data/master-bin.000001 --base64-output=always 2>&1",
       "--exec $MYSQL_BINLOG std_data/master-bin.000001 --base64-output=always 2>&1",
       {},
       false,
       0,
       Compare::kNotComparable,
       {"--echo # MYSQL_BINLOG std_data/master-bin.000001 --base64-output=always 2>&1",
        "--exec $MYSQL_BINLOG std_data/master-bin.000001 --base64-output=always 2>&1"},
       "mysqlbinlog rejects the option value before it opens the binlog ('Unknown option to "
       "base64-output: always'); twinlog has no --base64-output option"});
  c.push_back({"base64_output_without_value",
               "std_data/master-bin.000001",
               test,
               result,
               "# MYSQL_BINLOG  std_data/master-bin.000001 --base64-output 2>&1",
               "--exec $MYSQL_BINLOG std_data/master-bin.000001 --base64-output 2>&1",
               {},
               false,
               0,
               Compare::kNotComparable,
               {"--echo # MYSQL_BINLOG  std_data/master-bin.000001 --base64-output 2>&1",
                "--exec $MYSQL_BINLOG std_data/master-bin.000001 --base64-output 2>&1"},
               "mysqlbinlog stops at its option parser ('option --base64-output requires an "
               "argument') before "
               "it opens the binlog"});

  c.push_back({"mdev29078_old_master",
               "std_data/mdev29078-mysql-bin.000001",
               "suite/rpl/t/rpl_old_master_29078.test",
               "suite/rpl/r/rpl_old_master_29078.result",
               "create table t2 (a timestamp);",
               "--exec $MYSQL_BINLOG --short-form $datadir/master-bin.000001",
               {"{}"},
               false,
               0,
               Compare::kStatements,
               {"--copy_file $MYSQL_TEST_DIR/std_data/mdev29078-mysql-bin.000001 "
                "$datadir/master-bin.000001"},
               ""});

  const std::string never =
      "exec $MYSQL_BINLOG --base64-output=never --print-row-count=0 --print-row-event-positions=0 "
      "suite/binlog/std_data/bug32407.001;";
  c.push_back({"bug32407_base64_output_never",
               "suite/binlog/std_data/bug32407.001",
               "suite/binlog/t/binlog_base64_flag.test",
               "suite/binlog/r/binlog_base64_flag.result",
               "==== Test --base64-output=never on a binlog with row events ====",
               never,
               {"{}"},
               false,
               0,
               Compare::kMaskedHeaders,
               {never},
               ""});
  const std::string replay = "exec $MYSQL_BINLOG suite/binlog/std_data/bug32407.001 | $MYSQL;";
  c.push_back({"bug32407_replayed",
               "suite/binlog/std_data/bug32407.001",
               "suite/binlog/t/binlog_base64_flag.test",
               "suite/binlog/r/binlog_base64_flag.result",
               "==== Test BUG#32407 ====",
               replay,
               {"{}"},
               false,
               0,
               Compare::kReplayedTable,
               {replay},
               "known difference: twinlog does not decode rows whose TABLE_MAP has no column "
               "metadata (MySQL 5.1.15-5.1.17, PRE_GA_WRITE_ROWS): it warns and gives "
               "\"rows\":null, where the .result shows `mysqlbinlog | mysql` inserting (1),(1) "
               "into test.t1"});
  return c;
}

// ------------------------------------------------------------------ files

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

struct MapRow {
  std::string binlog;     // relative to the mysql-test directory
  std::string test_line;  // "main/mysqlbinlog.test:490"
  std::string result_file;
  std::string line;
};

std::vector<MapRow> mysqlbinlog_rows() {
  std::vector<MapRow> rows;
  std::ifstream in(kMap);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream s(line);
    std::string col;
    while (std::getline(s, col, '\t')) cols.push_back(col);
    if (cols.size() < 11 || cols[9] != "yes") continue;
    rows.push_back({cols[0].substr(kTestDir.size() + 1), cols[6], cols[7], cols[10]});
  }
  return rows;
}

// An exec whose standard output lands in the .result (not piped, not redirected).
bool prints_into_result(std::string line) {
  line = trim(line);
  if (line.rfind("--exec $MYSQL_BINLOG", 0) != 0 && line.rfind("exec $MYSQL_BINLOG", 0) != 0)
    return false;
  for (const char* tail : {"2>&1", "2>& 1", "2> /dev/null"}) {
    for (auto at = line.find(tail); at != std::string::npos; at = line.find(tail))
      line.erase(at, std::string(tail).size());
  }
  return line.find('>') == std::string::npos && line.find('|') == std::string::npos;
}

const std::string kBlockStart = "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/;";
const std::string kBlockEnd = "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/;";

struct Block {
  std::vector<std::string> lines;   // from kBlockStart to kBlockEnd, or to the last ERROR: line
  std::vector<std::string> errors;  // "ERROR: ..." lines that ended it
};

// Which mysqlbinlog output after `anchor` belongs to the case's exec.
int block_index(const Case& c) {
  const auto test = lines_of(read_text_file(kTestDir + "/" + c.test_file));
  std::size_t i = 0;
  while (i < test.size() && test[i].find(c.anchor) == std::string::npos) ++i;
  if (i == test.size()) return -1;
  int index = 0;
  for (++i; i < test.size(); ++i) {
    if (test[i].find(c.exec) != std::string::npos) return index;
    if (prints_into_result(test[i])) ++index;
  }
  return -1;
}

std::optional<Block> find_block(const Case& c) {
  const int index = block_index(c);
  if (index < 0) return std::nullopt;
  const auto result = lines_of(read_text_file(kTestDir + "/" + c.result_file));
  std::size_t i = std::find(result.begin(), result.end(), c.anchor) - result.begin();
  for (int seen = -1; i < result.size(); ++i) {
    if (result[i] == kBlockStart && ++seen == index) break;
  }
  if (i >= result.size()) return std::nullopt;
  Block b;
  for (; i < result.size(); ++i) {
    if (result[i].rfind("ERROR: ", 0) == 0) {
      for (; i < result.size() && result[i].rfind("ERROR: ", 0) == 0; ++i)
        b.errors.push_back(result[i]);
      return b;
    }
    b.lines.push_back(result[i]);
    if (result[i] == kBlockEnd) return b;
  }
  return std::nullopt;
}

// ------------------------------------------------------------------ mysqlbinlog's side

std::string format_time(uint64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%y%m%d %H:%M:%S", &tm);
  return buf;
}

uint64_t le_bytes(const std::string& hex_bytes) {
  std::istringstream in(hex_bytes);
  std::string byte;
  uint64_t v = 0;
  int shift = 0;
  while (in >> byte) {
    v |= std::stoull(byte, nullptr, 16) << shift;
    shift += 8;
  }
  return v;
}

// "Start: binlog v 4, server v 5.1.63-google-debug-log created 130807 20:29:20 at startup"
// "Query\tthread_id=1\texec_time=0\terror_code=0\txid=0"
std::string description_token(const std::string& d) {
  if (d.rfind("Start: ", 0) == 0) {
    std::string s = d;
    const std::string at_startup = " at startup";
    if (s.size() > at_startup.size() &&
        s.compare(s.size() - at_startup.size(), at_startup.size(), at_startup) == 0) {
      s.resize(s.size() - at_startup.size());
    }
    return "event " + s;
  }
  if (d.rfind("Query\t", 0) == 0) {
    std::string s = d;
    std::replace(s.begin(), s.end(), '\t', ' ');
    return "event " + s;
  }
  return "event ? " + d;
}

// The token lines of one mysqlbinlog output block.
std::vector<std::string> mysqlbinlog_tokens(const Block& block) {
  std::vector<std::string> out;
  std::optional<std::string> timestamp;
  std::string text;
  bool in_text = false, in_base64 = false, in_body = false;
  for (std::string line : block.lines) {
    if (line == "DELIMITER /*!*/;") {
      in_body = true;
      continue;
    }
    if (line == "DELIMITER ;") break;
    if (!in_body) continue;
    if (in_base64) {
      in_base64 = line.size() < 7 || line.compare(line.size() - 7, 7, "'/*!*/;") != 0;
      continue;
    }
    if (in_text) {
      if (line == "/*!*/;") {
        out.push_back((timestamp ? "query ts=" + *timestamp + " " : "statement ") + text);
        timestamp.reset();
        in_text = false;
      } else {
        text += "\n" + line;
      }
      continue;
    }
    if (line == "<#>") {
      out.emplace_back("header");
      continue;
    }
    if (line.rfind("<#>", 0) == 0) line = line.substr(3);  // a masked line glued to the next
    if (line.rfind("# at ", 0) == 0) {
      out.push_back("at " + line.substr(5));
    } else if (line.rfind("# Event: \t", 0) == 0) {
      out.push_back(description_token(line.substr(10)));
    } else if (line.size() > 8 && line[0] == '#' &&
               std::isdigit(static_cast<unsigned char>(line[1]))) {
      // "#130807 20:29:20 server id 1  end_log_pos 106 CRC32 0xcb5fac99 \tStart: ..."
      const auto tab = line.find(" \t");
      const std::string head =
          line.substr(1, tab == std::string::npos ? std::string::npos : tab - 1);
      std::istringstream in(head);
      std::string date, time, server, id, sid, end, pos, crc;
      in >> date >> time >> server >> id >> sid >> end >> pos >> crc;
      std::ostringstream header;
      header << "header " << date << " " << time << " server_id=" << sid << " end_log_pos=" << pos
             << (crc == "CRC32" ? " crc32" : "");
      out.push_back(header.str());
      if (tab != std::string::npos) out.push_back(description_token(line.substr(tab + 2)));
    } else if (line.rfind("#   ", 0) == 0 && std::count(line.begin(), line.end(), '|') == 6 &&
               line.find("Timestamp") == std::string::npos) {
      // "#        4  |20 ae 02 52 |0f   |01 00 00 00 |66 00 00 00 |6a 00 00 00 |00 01"
      std::vector<std::string> f;
      std::stringstream s(line.substr(1));
      std::string part;
      while (std::getline(s, part, '|')) f.push_back(part);
      out.push_back("hexdump pos=" + std::to_string(std::stoull(trim(f[0]), nullptr, 16)) +
                    " timestamp=" + std::to_string(le_bytes(f[1])) +
                    " type=" + std::to_string(le_bytes(f[2])) + " server_id=" +
                    std::to_string(le_bytes(f[3])) + " size=" + std::to_string(le_bytes(f[4])) +
                    " end_log_pos=" + std::to_string(le_bytes(f[5])) +
                    " flags=" + std::to_string(le_bytes(f[6])));
    } else if (line.rfind('#', 0) == 0) {
      // "# Position", the hexdump's column names and its rows of body bytes: the file's own bytes.
    } else if (line == "ROLLBACK/*!*/;") {
      out.emplace_back("rollback (start event)");
    } else if (line == "COMMIT/*!*/;") {
      out.emplace_back("commit (xid)");
    } else if (line.rfind("use `", 0) == 0) {
      out.push_back("use " + line.substr(5, line.find('`', 5) - 5));
    } else if (line.rfind("SET TIMESTAMP=", 0) == 0) {
      timestamp = line.substr(14, line.find('/') - 14);
    } else if (line.rfind("SET INSERT_ID=", 0) == 0 || line.rfind("SET LAST_INSERT_ID=", 0) == 0) {
      out.push_back("intvar " + line.substr(4, line.find('/') - 4));
    } else if (line.rfind("SET @@RAND_SEED1=", 0) == 0) {
      out.push_back("rand " + line.substr(4, line.find('/') - 4));
    } else if (line.rfind("SET @`", 0) == 0) {
      out.push_back("user_var " + line.substr(6, line.find('`', 6) - 6));
    } else if (line.rfind("SET @@session.", 0) == 0 || line.rfind("/*!", 0) == 0) {
      // Session settings mysqlbinlog repeats before statements: cosmetic.
    } else if (line == "BINLOG '") {
      in_base64 = true;  // the event re-encoded in base64
    } else if (line.rfind("###", 0) == 0) {
      out.push_back("row " + line);
    } else {
      text = line;
      in_text = true;
    }
  }
  for (const std::string& e : block.errors) {
    // "ERROR: Error in Log_event::read_log_event(): '...', data_len: 401, event_type: 162"
    // "ERROR: Could not read entry at offset 256: Error in log format or read error."
    if (auto at = e.find("data_len: "); at != std::string::npos) {
      const auto type = e.find("event_type: ");
      out.push_back("failed event size=" + e.substr(at + 10, e.find(',', at) - at - 10) +
                    " type=" + e.substr(type + 12));
    } else if (auto off = e.find("at offset "); off != std::string::npos) {
      out.push_back("failed at " + e.substr(off + 10, e.find(':', off) - off - 10));
    }
  }
  return out;
}

// ------------------------------------------------------------------ twinlog's side

struct CliRun {
  int code = -1;
  std::string out, err;
};

CliRun run_twinlog(const Case& c, const std::string& path,
                   const std::vector<std::string>& extra = {}) {
  const fs::path err_file =
      fs::temp_directory_path() / ("twinlog-results-" + std::to_string(::getpid()) + ".err");
  std::string cmd = std::string(TWINLOG_BINARY) + " decode --format jsonl";
  for (const auto& a : extra) cmd += " " + a;
  for (const auto& a : c.twinlog_args) cmd += " '" + (a == "{}" ? path : a) + "'";
  cmd += " 2>" + err_file.string();
  if (c.from_stdin) cmd += " <'" + path + "'";
  CliRun r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 65536> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_text_file(err_file.string());
  fs::remove(err_file);
  return r;
}

std::vector<json> json_lines(const std::string& out) {
  std::vector<json> events;
  for (const auto& line : lines_of(out)) events.push_back(json::parse(line));
  return events;
}

// What the JSON lines leave out, read from the engine by event offset.
struct Details {
  std::optional<uint32_t> created;  // FORMAT_DESCRIPTION / START_V3
  std::string start_text;           // "Start: binlog v 4, server v X[ created T]"
  uint64_t query_xid = 0;
  std::string rand;  // "@@RAND_SEED1=a, @@RAND_SEED2=b"
  std::string user_var;
};

std::map<uint64_t, Details> engine_details(const std::string& path) {
  std::map<uint64_t, Details> out;
  StreamOptions options;
  options.verify_checksum = false;
  EventStream stream = EventStream::from_files({path}, options);
  try {
    StreamEvent se;
    while (stream.next(se)) {
      if (se.view->inner_index) continue;
      Details& d = out[se.view->offset];
      if (const auto* f = std::get_if<protocol::FormatDescriptionEvent>(se.event)) {
        d.created = f->format.create_timestamp;
        d.start_text = "Start: binlog v " + std::to_string(f->format.binlog_version) +
                       ", server v " + f->format.server_version;
      } else if (const auto* s = std::get_if<protocol::StartV3Event>(se.event)) {
        d.created = s->created;
        d.start_text = "Start: binlog v " + std::to_string(s->binlog_version) + ", server v " +
                       std::string(s->server_version.substr(0, s->server_version.find('\0')));
      } else if (const auto* q = std::get_if<protocol::QueryEvent>(se.event)) {
        d.query_xid = q->status.xid.value_or(0);
      } else if (const auto* r = std::get_if<protocol::RandEvent>(se.event)) {
        d.rand = "@@RAND_SEED1=" + std::to_string(r->seed1) +
                 ", @@RAND_SEED2=" + std::to_string(r->seed2);
      } else if (const auto* u = std::get_if<protocol::UserVarEvent>(se.event)) {
        d.user_var = std::string(u->name);
      }
      if (d.created && *d.created) d.start_text += " created " + format_time(*d.created);
    }
  } catch (const SourceError&) {
    // The binary's run reports the failure; the details before it are what is needed.
  }
  return out;
}

// mysqlbinlog prints no `use` for these (it sets LOG_EVENT_SUPPRESS_USE_F on them);
// the same rule decides which QUERY events --database keeps regardless of database.
bool is_transaction_keyword(const std::string& q) {
  auto starts_ci = [&](const std::string& word) {
    if (q.size() < word.size()) return false;
    return std::equal(word.begin(), word.end(), q.begin(), [](char w, char c) {
      return std::toupper(static_cast<unsigned char>(c)) == w;
    });
  };
  return std::string("BEGIN").rfind(q, 0) == 0 || std::string("COMMIT").rfind(q, 0) == 0 ||
         starts_ci("SAVEPOINT") || starts_ci("ROLLBACK");
}

struct Style {
  bool positions = false;  // "# at N"
  bool headers = false;    // the "#YYMMDD ..." line of each event
  bool masked = false;     // headers replaced by "<#>"
  bool hexdump = false;
  uint64_t start_position = 0;
};

std::vector<std::string> twinlog_tokens(const std::vector<json>& events,
                                        const std::map<uint64_t, Details>& details,
                                        const Style& style) {
  std::vector<std::string> out;
  std::string db;  // the default database the printed `use` lines have set
  for (const json& e : events) {
    const uint64_t pos = e["pos"].get<uint64_t>();
    const int type = e["type_code"].get<int>();
    const bool start_event = type == 15 || type == 1;
    // Reading from stdin, mysqlbinlog skips the bytes before --start-position
    // unread; twinlog shows the format event there only to say how it reads.
    if (start_event && pos < style.start_position) continue;
    const auto d = details.find(pos);
    if (style.positions) out.push_back("at " + std::to_string(pos));
    if (style.masked) {
      out.emplace_back("header");
    } else if (style.headers) {
      out.push_back("header " + format_time(e["timestamp"].get<uint64_t>()) +
                    " server_id=" + std::to_string(e["server_id"].get<uint64_t>()) +
                    " end_log_pos=" + std::to_string(e["end_log_pos"].get<uint64_t>()) +
                    (e["checksum"] == "ok" ? " crc32" : ""));
    }
    if (style.hexdump) {
      out.push_back("hexdump pos=" + std::to_string(pos) +
                    " timestamp=" + std::to_string(e["timestamp"].get<uint64_t>()) +
                    " type=" + std::to_string(type) +
                    " server_id=" + std::to_string(e["server_id"].get<uint64_t>()) +
                    " size=" + std::to_string(e["size"].get<uint64_t>()) +
                    " end_log_pos=" + std::to_string(e["end_log_pos"].get<uint64_t>()) +
                    " flags=" + std::to_string(e["flags"].get<uint64_t>()));
    }
    if (style.headers && !style.masked) {
      if (start_event && d != details.end()) {
        out.push_back("event " + d->second.start_text);
      } else if (type == 2) {
        out.push_back("event Query thread_id=" + std::to_string(e["thread_id"].get<uint64_t>()) +
                      " exec_time=" + std::to_string(e["exec_time"].get<uint64_t>()) +
                      " error_code=" + std::to_string(e["error_code"].get<uint64_t>()) +
                      " xid=" + std::to_string(d == details.end() ? 0 : d->second.query_xid));
      } else {
        out.push_back("event ? " + e["type"].get<std::string>());
      }
    }
    if (start_event) {
      if (d != details.end() && d->second.created && *d->second.created)
        out.emplace_back("rollback (start event)");
    } else if (type == 2) {
      const std::string query = e["query"].get<std::string>();
      const std::string database = e["database"].get<std::string>();
      const bool suppress_use = is_transaction_keyword(query) || (e["flags"].get<uint64_t>() & 0x8);
      if (!suppress_use && database != db) {
        db = database;
        if (!db.empty()) out.push_back("use " + db);
      }
      out.push_back("query ts=" + std::to_string(e["timestamp"].get<uint64_t>()) + " " + query);
    } else if (type == 5) {
      out.push_back("intvar " + e["kind"].get<std::string>() + "=" +
                    std::to_string(e["value"].get<uint64_t>()));
    } else if (type == 13 && d != details.end()) {
      out.push_back("rand " + d->second.rand);
    } else if (type == 14 && d != details.end()) {
      out.push_back("user_var " + d->second.user_var);
    } else if (type == 16) {
      out.emplace_back("commit (xid)");
    } else if (type == 162 && !e["standalone"].get<bool>()) {
      out.emplace_back("statement START TRANSACTION");
    }
  }
  return out;
}

// "...: at offset 292: XA xid lengths ..." -> 292
std::optional<uint64_t> error_offset(const std::string& err) {
  const auto at = err.find(": at offset ");
  if (at == std::string::npos) return std::nullopt;
  return std::stoull(err.substr(at + 12));
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

// ------------------------------------------------------------------ the tests

TEST(MysqlbinlogResults, EveryMappedResultIsAnsweredByACase) {
  ASSERT_TRUE(fs::exists(kMap)) << kMap;
  const auto rows = mysqlbinlog_rows();
  ASSERT_GE(rows.size(), 20u);
  const auto all = cases();
  for (const MapRow& row : rows) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const Case& c) {
      return c.binlog == row.binlog && c.result_file == row.result_file &&
             std::find(c.covers.begin(), c.covers.end(), row.line) != c.covers.end();
    });
    EXPECT_NE(it, all.end()) << "no case answers " << row.test_line << ": " << row.line;
    if (it == all.end()) continue;
    // The map's line is in the .test where the map says, and the case's exec follows it.
    const auto test = lines_of(read_text_file(kTestDir + "/" + it->test_file));
    const std::size_t line_no = std::stoul(row.test_line.substr(row.test_line.rfind(':') + 1));
    ASSERT_LE(line_no, test.size());
    EXPECT_NE(test[line_no - 1].find(row.line), std::string::npos) << row.test_line;
    const bool exec_follows =
        std::any_of(test.begin() + static_cast<std::ptrdiff_t>(line_no - 1), test.end(),
                    [&](const std::string& l) { return l.find(it->exec) != std::string::npos; });
    EXPECT_TRUE(exec_follows) << it->name;
  }
}

class MysqlbinlogResult : public ::testing::TestWithParam<Case> {};

TEST_P(MysqlbinlogResult, TwinlogAgrees) {
  const Case& c = GetParam();
  const std::string path = kTestDir + "/" + c.binlog;
  ASSERT_TRUE(fs::exists(path)) << "install mariadb-test-data";
  if (c.compare == Compare::kNotComparable) {
    // The .result holds the refusal; nothing in it comes from the binlog.
    const std::string result = read_text_file(kTestDir + "/" + c.result_file);
    EXPECT_NE(result.find(c.anchor), std::string::npos);
    GTEST_SKIP() << c.note;
  }
  if (c.compare == Compare::kBothFail) {
    // The .test expects mysqlbinlog to exit 1 (`error 1;` before the exec); its
    // output went to a file, so the .result only has the echo. twinlog must fail
    // too, cleanly, naming an offset inside the file.
    const auto test = lines_of(read_text_file(kTestDir + "/" + c.test_file));
    const auto exec = std::find_if(test.begin(), test.end(), [&](const std::string& l) {
      return l.find(c.exec) != std::string::npos;
    });
    ASSERT_NE(exec, test.end());
    ASSERT_NE(exec, test.begin());
    EXPECT_EQ(trim(*(exec - 1)), "error 1;");
    EXPECT_NE(read_text_file(kTestDir + "/" + c.result_file).find(c.anchor), std::string::npos);
    const CliRun r = run_twinlog(c, path);
    EXPECT_EQ(r.code, 2) << r.err;
    const auto offset = error_offset(r.err);
    ASSERT_TRUE(offset) << r.err;
    EXPECT_LE(*offset, fs::file_size(path));
    return;
  }

  const CliRun r = run_twinlog(c, path);
  const auto events = json_lines(r.out);
  const auto details = engine_details(path);

  if (c.compare == Compare::kReplayedTable) {
    // .result: "select * from t1;", the column names, then one line per row.
    const auto result = lines_of(read_text_file(kTestDir + "/" + c.result_file));
    auto at = std::find(result.begin(), result.end(), c.anchor);
    ASSERT_NE(at, result.end());
    ASSERT_LT(at + 2, result.end());
    ASSERT_EQ(*(at + 1), "select * from t1;");
    const std::size_t columns =
        static_cast<std::size_t>(std::count((at + 2)->begin(), (at + 2)->end(), '\t')) + 1;
    std::vector<std::string> expected;
    for (auto it = at + 3; it != result.end() && it->rfind("====", 0) != 0; ++it)
      expected.push_back(*it);
    ASSERT_FALSE(expected.empty());
    // twinlog: replay the rows events of test.t1 (created empty by the binlog) on a multiset.
    EXPECT_EQ(r.code, 0) << r.err;
    std::vector<std::string> table;
    bool undecoded = false;
    std::map<uint64_t, std::string>
        table_ids;  // from the TABLE_MAP lines: a rows event may lack its table's name
    for (const json& e : events) {
      if (e["type_code"] == 19)
        table_ids[e["table_id"].get<uint64_t>()] =
            e["database"].get<std::string>() + "." + e["table"].get<std::string>();
      if (!e.contains("rows") || table_ids[e["table_id"].get<uint64_t>()] != "test.t1") continue;
      if (e["rows"].is_null()) {
        undecoded = true;
        continue;
      }
      auto image = [&](const json& values) {
        std::string line;
        for (const auto& v : values) {
          if (!line.empty()) line += "\t";
          line += v.is_null() ? "NULL" : v.is_string() ? v.get<std::string>() : v.dump();
        }
        EXPECT_EQ(values.size(), columns);
        return line;
      };
      for (const json& row : e["rows"]) {
        if (row.contains("before")) {
          auto old = std::find(table.begin(), table.end(), image(row["before"]));
          ASSERT_NE(old, table.end()) << "a row image removes a row the table does not have";
          table.erase(old);
        }
        if (row.contains("after")) table.push_back(image(row["after"]));
      }
    }
    if (!c.note.empty()) {
      // A known difference, kept visible: once twinlog decodes these rows, the
      // comparison below takes over and this note must go.
      EXPECT_TRUE(undecoded) << "twinlog now decodes these rows: drop the known-difference note of "
                             << c.name;
      GTEST_SKIP() << c.note;
    }
    EXPECT_FALSE(undecoded);
    std::sort(table.begin(), table.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(join(table), join(expected));
    return;
  }

  const auto block = find_block(c);
  ASSERT_TRUE(block) << "no mysqlbinlog output for '" << c.exec << "' after '" << c.anchor
                     << "' in " << c.result_file;
  const auto expected = mysqlbinlog_tokens(*block);
  ASSERT_FALSE(expected.empty());

  Style style;
  style.start_position = c.start_position;
  style.positions = c.compare == Compare::kHexdump || c.compare == Compare::kFailure;
  style.headers = c.compare != Compare::kStatements;
  style.masked = c.compare == Compare::kMaskedHeaders;
  style.hexdump = c.compare == Compare::kHexdump;
  auto got = twinlog_tokens(events, details, style);

  if (c.compare == Compare::kFailure) {
    // mysqlbinlog (which does not check CRC32 unless asked) stops at the event
    // it cannot read; twinlog stops at the same event: by its checksum by
    // default, by its broken body when told not to check.
    EXPECT_EQ(r.code, 2) << r.err;
    const auto offset = error_offset(r.err);
    ASSERT_TRUE(offset) << r.err;
    // The event that holds the reported offset, by the framing alone.
    const auto walk = walk_framing(path);
    ASSERT_FALSE(walk.offsets.empty());
    const auto holder = std::upper_bound(walk.offsets.begin(), walk.offsets.end(), *offset);
    ASSERT_NE(holder, walk.offsets.begin());
    const uint64_t event_at = *(holder - 1);
    const std::string bytes = read_text_file(path);
    auto byte = [&](uint64_t at) {
      return static_cast<uint64_t>(static_cast<unsigned char>(bytes.at(at)));
    };
    const uint64_t size = byte(event_at + 9) | byte(event_at + 10) << 8 |
                          byte(event_at + 11) << 16 | byte(event_at + 12) << 24;
    const uint64_t type = byte(event_at + 4);
    ASSERT_LT(*offset, event_at + size) << r.err;
    for (const json& e : events)
      EXPECT_LT(e["pos"].get<uint64_t>(), event_at) << "printed an event at or after the failure";
    got.push_back("failed event size=" + std::to_string(size) + " type=" + std::to_string(type));
    got.push_back("failed at " + std::to_string(event_at));
    const CliRun unchecked = run_twinlog(c, path, {"--no-verify-checksum"});
    EXPECT_EQ(unchecked.code, 2);
    const auto unchecked_offset = error_offset(unchecked.err);
    ASSERT_TRUE(unchecked_offset) << unchecked.err;
    EXPECT_GE(*unchecked_offset, event_at) << unchecked.err;
    EXPECT_LT(*unchecked_offset, event_at + size) << unchecked.err;
    EXPECT_EQ(json_lines(unchecked.out).size(), events.size())
        << "the unchecked run printed a different event set";
  } else {
    EXPECT_EQ(r.code, 0) << r.err;
  }
  EXPECT_EQ(join(got), join(expected))
      << "twinlog (left) and the .result (right) differ for " << c.exec;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Results, MysqlbinlogResult, ::testing::ValuesIn(cases()), case_name);

}  // namespace
}  // namespace twinlog::corpus
