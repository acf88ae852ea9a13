// The twinlog command line, run as a user runs it: exit codes, errors on stderr
// naming file and offset, output formats, stdin and .zst input.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "tests/support/cli_run.h"

namespace {

namespace fs = std::filesystem;

// The arguments of a run, from its parts, in one string (built by appending:
// a chain of + in a loop would make a temporary per part).
template <class... Parts>
std::string command_line(const Parts&... parts) {
  std::string out;
  ((out += parts), ...);
  return out;
}

using twinlog::testing::CliRun;
CliRun run(const std::string& args, const std::string& stdin_file = "") {
  return twinlog::testing::run_twinlog(args, stdin_file);
}

const std::string kSample = std::string(TWINLOG_SAMPLES_DIR) + "/binlogs/row-full/mysql-bin.000001";

TEST(Cli, HelpAndUnknownCommand) {
  EXPECT_EQ(run("--help").code, 0);
  CliRun r = run("frobnicate");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown command"), std::string::npos);
  EXPECT_EQ(run("decode --help").code, 0);
  EXPECT_EQ(run("decode --no-such-option x").code, 2);
  EXPECT_EQ(run("decode").code, 2);
  EXPECT_EQ(run("decode --format xml " + kSample).code, 2);
}

TEST(Cli, DecodeTextLooksLikeMysqlbinlog) {
  ASSERT_TRUE(fs::exists(kSample));
  CliRun r = run("decode " + kSample);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("# at 4\n"), std::string::npos);
  EXPECT_NE(r.out.find("Start: binlog v 4, server v 10.11"), std::string::npos);
  EXPECT_NE(r.out.find("### INSERT INTO `test`.`wl_"), std::string::npos);
}

TEST(Cli, DecodeJsonLinesAreValidJson) {
  CliRun r = run("decode --format jsonl " + kSample);
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  int n = 0, rows = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);  // throws on invalid JSON
    EXPECT_TRUE(j.contains("pos"));
    EXPECT_TRUE(j.contains("type"));
    if (j.contains("rows")) rows += static_cast<int>(j["rows"].size());
    ++n;
  }
  EXPECT_GT(n, 5);
  EXPECT_GT(rows, 0);
}

TEST(Cli, PositionsAndServerIdFilter) {
  CliRun all = run("decode --format jsonl " + kSample);
  CliRun later = run("decode --format jsonl --start-position 518 " + kSample);
  ASSERT_EQ(later.code, 0);
  std::istringstream lines(later.out);
  std::string line;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    if (j["type"] != "FORMAT_DESCRIPTION_EVENT") {
      EXPECT_GE(j["pos"].get<uint64_t>(), 500u);
    }
  }
  EXPECT_LT(later.out.size(), all.out.size());
  CliRun none = run("decode --format jsonl --server-id 99 " + kSample);
  // The format description and the ROTATE, which mariadb-binlog --server-id=99
  // shows whatever its server_id (it names the next file).
  EXPECT_EQ(std::count(none.out.begin(), none.out.end(), '\n'), 2);
}

// --database X keeps the statements whose default database is X and the
// transaction framing (GTID / START TRANSACTION, BEGIN, XID / COMMIT, ROLLBACK,
// SAVEPOINT), and drops every other statement, as mysqlbinlog --database does.
TEST(Cli, DatabaseFilterKeepsItsStatementsAndTheFraming) {
  const std::string sample =
      std::string(TWINLOG_SAMPLES_DIR) + "/binlogs/statement/mysql-bin.000001";
  ASSERT_TRUE(fs::exists(sample));
  auto events = [](const CliRun& r) {
    std::vector<nlohmann::json> out;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) out.push_back(nlohmann::json::parse(line));
    return out;
  };
  auto framing = [](const std::string& q) {
    std::string upper;
    for (char c : q.substr(0, 9))
      upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    return q == "BEGIN" || q == "COMMIT" || upper.rfind("ROLLBACK", 0) == 0 ||
           upper.rfind("SAVEPOINT", 0) == 0 || upper.rfind("XA ", 0) == 0;
  };
  const CliRun all = run("decode --format jsonl " + sample);
  ASSERT_EQ(all.code, 0) << all.err;
  const auto every = events(all);
  for (const std::string db : {"test", "nosuchdb"}) {
    const CliRun r = run(command_line("decode --format jsonl --database ", db, " ", sample));
    ASSERT_EQ(r.code, 0) << r.err;
    std::vector<uint64_t> expected, got;
    int statements = 0, frames = 0;
    for (const auto& e : every) {
      const bool query = e["type"] == "QUERY_EVENT";
      if (!query || e["database"] == db || framing(e["query"].get<std::string>()))
        expected.push_back(e["pos"]);
    }
    for (const auto& e : events(r)) {
      got.push_back(e["pos"]);
      if (e["type"] == "QUERY_EVENT" && !framing(e["query"].get<std::string>())) {
        EXPECT_EQ(e["database"], db) << e["query"];
        ++statements;
      }
      if (e["type"] == "MARIA_GTID_EVENT" || e["type"] == "XID_EVENT") ++frames;
    }
    EXPECT_EQ(got, expected) << "--database " << db;
    EXPECT_EQ(frames, 20) << "--database "
                          << db;  // 14 GTID, 6 XID: every transaction keeps its frame
    if (db == "test") {
      EXPECT_GT(statements, 20);
    } else {
      EXPECT_EQ(statements, 0);
      EXPECT_LT(got.size(), every.size());
    }
  }
}

// An ANNOTATE_ROWS event goes with its rows: under --database it is shown just
// before the first TABLE_MAP the filter keeps, and dropped with rows it drops.
TEST(Cli, DatabaseFilterShowsAnnotationsOnlyWithTheirRows) {
  auto types = [](const CliRun& r) {
    std::vector<std::string> out;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) out.push_back(nlohmann::json::parse(line)["type"]);
    return out;
  };
  const auto all = types(run("decode --format jsonl " + kSample));
  const auto kept = types(run("decode --format jsonl --database test " + kSample));
  const auto none = types(run("decode --format jsonl --database nosuchdb " + kSample));
  const auto annotations = [](const std::vector<std::string>& t) {
    return std::count(t.begin(), t.end(), "MARIA_ANNOTATE_ROWS_EVENT");
  };
  ASSERT_GT(annotations(all), 0);
  EXPECT_EQ(annotations(kept), annotations(all));
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (kept[i] == "MARIA_ANNOTATE_ROWS_EVENT") {
      ASSERT_LT(i + 1, kept.size());
      EXPECT_EQ(kept[i + 1], "TABLE_MAP_EVENT");
    }
  }
  EXPECT_EQ(annotations(none), 0);
  EXPECT_EQ(std::count(none.begin(), none.end(), "TABLE_MAP_EVENT"), 0);
}

TEST(Cli, StdinAndZstdGiveTheSameEvents) {
  CliRun plain = run("decode --format jsonl " + kSample);
  CliRun piped = run("decode --format jsonl -", kSample);
  ASSERT_EQ(piped.code, 0) << piped.err;
  const fs::path zst =
      fs::temp_directory_path() / ("twinlog-cli-" + std::to_string(::getpid()) + ".000001.zst");
  ASSERT_EQ(std::system(("zstd -q -f -o " + zst.string() + " " + kSample).c_str()), 0);
  CliRun packed = run("decode --format jsonl " + zst.string());
  fs::remove(zst);
  ASSERT_EQ(packed.code, 0) << packed.err;
  auto strip_file = [](const std::string& s) {
    std::string out;
    std::istringstream in(s);
    std::string line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line);
      j.erase("file");
      out += j.dump() + "\n";
    }
    return out;
  };
  EXPECT_EQ(strip_file(piped.out), strip_file(plain.out));
  EXPECT_EQ(strip_file(packed.out), strip_file(plain.out));
}

TEST(Cli, TruncatedFileKeepsOutputAndExitsTwo) {
  const fs::path cut =
      fs::temp_directory_path() / ("twinlog-cli-" + std::to_string(::getpid()) + ".cut");
  fs::copy_file(kSample, cut, fs::copy_options::overwrite_existing);
  fs::resize_file(cut, fs::file_size(kSample) - 7);
  CliRun r = run("decode " + cut.string());
  CliRun s = run("stats " + cut.string());
  fs::remove(cut);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(cut.string() + ": at offset "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("truncated event"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("# at 4\n"), std::string::npos);  // what came before stays printed
  // and ends as mariadb-binlog's text ends after a read error: its closing lines
  // (ROLLBACK included), nothing of the statement the error cut.
  EXPECT_TRUE(
      r.out.ends_with("DELIMITER ;\n# End of log file\nROLLBACK /* added by mysqlbinlog */;\n"
                      "/*!50003 SET COMPLETION_TYPE=@OLD_COMPLETION_TYPE*/;\n"
                      "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/;\n"))
      << r.out.substr(r.out.size() > 400 ? r.out.size() - 400 : 0);
  EXPECT_EQ(s.code, 2);
  EXPECT_NE(s.out.find("Events:"), std::string::npos);
}

TEST(Cli, ChecksumMismatchNamesTheEvent) {
  const fs::path bad =
      fs::temp_directory_path() / ("twinlog-cli-" + std::to_string(::getpid()) + ".crc");
  fs::copy_file(kSample, bad, fs::copy_options::overwrite_existing);
  {
    std::fstream f(bad, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(bad) - 10));
    f.put('\x5a');
  }
  CliRun strict = run("stats " + bad.string());
  CliRun lenient = run("stats --no-verify-checksum " + bad.string());
  fs::remove(bad);
  EXPECT_EQ(strict.code, 2);
  EXPECT_NE(strict.err.find("CRC32 mismatch"), std::string::npos) << strict.err;
  EXPECT_EQ(lenient.code, 0) << lenient.err;
}

// Bad numbers on the command line are usage errors (exit 2 with a message), not an
// abort (a time of 20 digits overflowed std::stoul) or a wrapped value (boost reads
// -5 into an unsigned option as 2^64 - 5).
TEST(Cli, OutOfRangeAndNegativeNumbersAreUsageErrors) {
  for (const std::string args : {"decode --start-datetime 99999999999999999999 ",
                                 "decode --stop-datetime 99999999999999999999 ",
                                 "stats --stop-datetime 99999999999999999999 "}) {
    CliRun r = run(args + kSample);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find("datetime wants"), std::string::npos) << args << r.err;
    EXPECT_TRUE(r.out.empty()) << args;
  }
  for (const std::string args : {"decode --start-position=-5 ", "decode --stop-position=-1 ",
                                 "stats --start-position=-5 ", "decode --server-id=-2 "}) {
    CliRun r = run(args + kSample);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_NE(r.err.find("is invalid: it is a number of 0 or more"), std::string::npos)
        << args << r.err;
    EXPECT_TRUE(r.out.empty()) << args;
  }
  EXPECT_EQ(run("decode --start-position=+4 " + kSample).code, 0);
}

// A .zst that breaks off names the binlog offset its bytes reached, not offset 0.
TEST(Cli, TruncatedZstdNamesTheOffsetReached) {
  const fs::path zst =
      fs::temp_directory_path() / ("twinlog-cli-" + std::to_string(::getpid()) + ".cut.zst");
  // Two frames, the first 64 KiB and the rest, the second cut short: the first
  // decompresses whole (a cut inside one frame could leave nothing decodable).
  const std::string shell = "head -c 65536 " + kSample + " | zstd -q -c > " + zst.string() +
                            " && tail -c +65537 " + kSample + " | zstd -q -c >> " + zst.string();
  ASSERT_EQ(std::system(shell.c_str()), 0);
  fs::resize_file(zst, fs::file_size(zst) - 100);
  CliRun r = run("decode --format jsonl " + zst.string());
  fs::remove(zst);
  EXPECT_EQ(r.code, 2);
  const std::string marker = zst.string() + ": at offset ";
  const std::size_t at = r.err.find(marker);
  ASSERT_NE(at, std::string::npos) << r.err;
  const uint64_t offset = std::stoull(r.err.substr(at + marker.size()));
  EXPECT_NE(r.err.find("zstd stream ends in the middle of a frame"), std::string::npos) << r.err;
  // Past every event printed before the break.
  uint64_t last_end = 0;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    last_end = j["pos"].get<uint64_t>() + j["size"].get<uint64_t>();
  }
  EXPECT_GT(last_end, 4u);
  EXPECT_GE(offset, 65536u) << r.err;
  EXPECT_GE(offset, last_end) << r.err;
}

uint64_t json_lines(const std::string& out) {
  return static_cast<uint64_t>(std::count(out.begin(), out.end(), '\n'));
}

// stats counts exactly the events decode prints for the same positions and times.
TEST(Cli, StatsHonoursPositionsAndTimesAsDecodeDoes) {
  CliRun all = run("stats --format json " + kSample);
  ASSERT_EQ(all.code, 0) << all.err;
  const uint64_t every = nlohmann::json::parse(all.out)["events"].get<uint64_t>();
  CliRun events = run("decode --format jsonl " + kSample);
  ASSERT_EQ(events.code, 0);
  uint64_t middle_time = 0;
  {
    std::vector<uint64_t> times;
    std::istringstream lines(events.out);
    std::string line;
    while (std::getline(lines, line)) times.push_back(nlohmann::json::parse(line)["timestamp"]);
    std::sort(times.begin(), times.end());
    middle_time = times[times.size() / 2];
  }
  const std::string until = " --stop-datetime " + std::to_string(middle_time) + " ";
  for (const std::string& options :
       {std::string("--start-position 518 "), std::string("--stop-position 2000 "),
        std::string("--start-position 518 --stop-position 2000 "), until}) {
    CliRun d = run(command_line("decode --format jsonl ", options, kSample));
    CliRun s = run(command_line("stats --format json ", options, kSample));
    ASSERT_EQ(d.code, 0) << options << d.err;
    ASSERT_EQ(s.code, 0) << options << s.err;
    const uint64_t counted = nlohmann::json::parse(s.out)["events"].get<uint64_t>();
    EXPECT_EQ(counted, json_lines(d.out)) << options;
    EXPECT_LT(counted, every) << options;
  }
}

// A stats run that read nothing before its error prints the error alone: no
// summary of zeros that would read as an empty binlog.
TEST(Cli, StatsThatReadNothingPrintsOnlyTheError) {
  const fs::path junk =
      fs::temp_directory_path() / ("twinlog-cli-" + std::to_string(::getpid()) + ".junk");
  {
    std::ofstream f(junk, std::ios::binary);
    f << "this is not a binlog";
  }
  for (const std::string format : {"text", "json"}) {
    for (const std::string& file : {junk.string(), std::string("/nonexistent/binlog.000001")}) {
      CliRun r = run(command_line("stats --format ", format, " ", file));
      EXPECT_EQ(r.code, 2) << file;
      EXPECT_TRUE(r.out.empty()) << file << ": " << r.out;
      EXPECT_NE(r.err.find(file + ": at offset 0: "), std::string::npos) << r.err;
      EXPECT_EQ(r.err.find("counts above"), std::string::npos) << r.err;
    }
  }
  fs::remove(junk);
}

TEST(Cli, StatsJsonCountsTransactionsPerOrigin) {
  CliRun r = run("stats --format json " + kSample);
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["events"].get<uint64_t>(), 5u);
  EXPECT_EQ(j["checksums_verified"].get<uint64_t>(), j["events"].get<uint64_t>());
  EXPECT_TRUE(j["origins"].contains("1"));
  EXPECT_GT(j["row_changes"].get<uint64_t>(), 0u);
}

}  // namespace

namespace {

// On real MariaDB binlogs every transaction starts with a GTID event: as many
// transactions as GTIDs, none incomplete.
TEST(Cli, StatsCountsOneTransactionPerMariadbGtid) {
  for (const char* variant : {"statement", "row-full", "row-gtid"}) {
    const std::string file =
        std::string(TWINLOG_SAMPLES_DIR) + "/binlogs/" + variant + "/mysql-bin.000001";
    CliRun r = run("stats --format json " + file);
    ASSERT_EQ(r.code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["transactions"], j["types"]["MARIA_GTID_EVENT"]["events"]) << variant;
    EXPECT_EQ(j["incomplete_transactions"], 0) << variant;
  }
}

}  // namespace
