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
#include "tests/corpus/mysqlbinlog_results.h"

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

using namespace mysqlbinlog_results;  // NOLINT(google-build-using-namespace)
namespace fs = std::filesystem;
using nlohmann::json;

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
  for (const auto& line : text_lines(out)) events.push_back(json::parse(line));
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
    const auto test = text_lines(read_text_file(kTestDir + "/" + it->test_file));
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
    const auto test = text_lines(read_text_file(kTestDir + "/" + c.test_file));
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
    const auto result = text_lines(read_text_file(kTestDir + "/" + c.result_file));
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
