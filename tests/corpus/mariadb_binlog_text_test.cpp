// decode's text, line by line, against what mariadb-binlog prints for the same
// file with the same settings: every line, comments included, on the samples and
// on every binlog of mariadb-test-data that mariadb-binlog reads. Twice per file:
// mariadb-binlog's default (--base64-output=auto: BINLOG statements that replay)
// and --base64-output=decode-rows -vv (the rows as commented pseudo-SQL).
//
// The differences twinlog keeps on purpose, each line pair allowed only by one of
// these (same_line below); anything else fails:
// 1. Row comments name the column when the table map carries its name
//    (binlog_row_metadata=FULL): `/* id LONGINT meta=0 ...` for `/* LONGINT meta=0`.
// 2. A SET value is printed as the set's bit value (b'0000010010011011'), where
//    mariadb-binlog prints the stored bytes in storage order (b'1001101100000100').
// 3. An integer whose signedness the table map gives is printed once, as that
//    type reads it; mariadb-binlog prints both readings, `-1 (4294967295)`.
// 4. MySQL's GTID events (Gtid, Anonymous_Gtid, Previous_gtids), which
//    mariadb-binlog prints as `Ignorable` with `# Ignorable event type 34 (...)`,
//    are printed as MySQL's mysqlbinlog prints them (`Anonymous_GTID
//    last_committed=0 sequence_number=1` and `SET @@SESSION.GTID_NEXT= ...`), so
//    that a replay into a MySQL server keeps their GTIDs.
// 5. A LOAD DATA replayed from the binlog (Execute_load_query, and MySQL 4.x's
//    Exec_load) is printed as the server ran it, `LOAD DATA INFILE 'file' INTO
//    ...`: mariadb-binlog writes the file's blocks to SQL_LOAD_MB-<id>-<n> or
//    <file>-<id>-<n> in its --local-load directory (a new name each run) and
//    prints `LOAD DATA LOCAL INFILE` of that file; twinlog writes no files.
//
// A file whose reading stops at a bad event (truncated, or encrypted: twinlog
// has no key) is compared up to there: mariadb-binlog prints "ERROR: ..." on
// stderr, its closing lines, and exits 0; twinlog prints the same text, the error
// with file and offset on stderr, and exits non-zero (kStopsWithError below).
//
// Every file mariadb-binlog reads is compared in every mode; none is skipped.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "src/print/event_printer.h"
#include "src/print/event_selection.h"
#include "src/stream/event_stream.h"
#include "tests/corpus/corpus_support.h"

namespace twinlog::corpus {
namespace {

namespace fs = std::filesystem;

const std::string kTestData = TWINLOG_MARIADB_TEST_DIR;
const std::string kSamples = TWINLOG_SAMPLES_DIR;

bool is_binlog(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && static_cast<unsigned char>(magic[0]) == 0xfe && magic[1] == 'b' &&
         magic[2] == 'i' && magic[3] == 'n';
}

std::vector<std::string> binlogs() {
  std::vector<std::string> files;
  for (const std::string& root : {kSamples, kTestData}) {
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      const std::string path = e.path().string();
      if (!e.is_regular_file()) continue;
      if (root == kTestData && path.find("/std_data/") == std::string::npos) continue;
      if (is_binlog(e.path())) files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct ToolRun {
  std::string out;
  int status = 0;
};

ToolRun mariadb_binlog(const std::string& options, const std::string& path) {
  // A LOAD DATA event makes mariadb-binlog write its data to a file (SQL_LOAD_MB-*,
  // <file>-<id>-<n>): into a directory of this test's own, removed after, not /tmp.
  const fs::path load_dir = fs::temp_directory_path() /
                            std::string("twinlog-corpus-load-").append(std::to_string(::getpid()));
  fs::create_directories(load_dir);
  // Both masters of a pair write GTID domain 0: mariadb-binlog refuses their
  // non-monotonic sequence numbers unless told not to be strict.
  const std::string cmd =
      std::string("TZ=UTC mariadb-binlog --no-defaults --skip-gtid-strict-mode --local-load='")
          .append(load_dir.string())
          .append("' ")
          .append(options)
          .append(" '")
          .append(path)
          .append("' 2>/dev/null");
  ToolRun r;
  FILE* p = ::popen(cmd.c_str(), "r");
  std::array<char, 65536> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  r.status = ::pclose(p);
  fs::remove_all(load_dir);
  return r;
}

// Files whose reading stops at a bad event, mariadb-binlog's too, and what
// twinlog's error must say.
struct StopsWithError {
  const char* file;
  const char* error;
};
const StopsWithError kStopsWithError[] = {
    {"std_data/binlog_before_20574.bin", "at offset 296: the binlog is encrypted from here on"},
    {"std_data/bug11747416_32228_binlog.000001",
     "at offset 316: truncated event: header says 65567 bytes"},
};

const StopsWithError* stops_with_error(const std::string& path) {
  for (const StopsWithError& s : kStopsWithError) {
    if (path.ends_with(std::string("/") + s.file)) return &s;
  }
  return nullptr;
}

// decode's text through the engine, as `twinlog decode` prints it; only the
// events of `database` when given (decode's --database). A read error is
// rethrown after the text decode prints then, in `error`'s what(), when `error`.
std::string twinlog_text(const std::string& path, TextOptions options,
                         std::optional<std::string> database = std::nullopt,
                         std::string* error = nullptr) {
  StreamOptions stream_options;
  stream_options.verify_checksum = false;
  EventStream stream = EventStream::from_files({path}, stream_options);
  SelectionRules rules;
  rules.first_file = rules.last_file = path;
  rules.database = std::move(database);
  SelectedPrinter printer(EventSelection(std::move(rules)),
                          EventPrinter(OutputFormat::kText, options));
  std::string out;
  StreamEvent se;
  try {
    while (stream.next(se) && printer.print(se, out)) {
    }
  } catch (const SourceError& e) {
    if (!error) throw;
    *error = e.what();
    printer.finish_after_error(out);
    return out;
  }
  printer.finish(out);
  return out;
}

// Whether twinlog's line says what mariadb-binlog's does, allowing only the
// deliberate differences listed at the top.
bool same_line(const std::string& theirs, const std::string& ours) {
  if (theirs == ours) return true;
  // 4. MySQL's GTID events: the header's description, then the line after it
  // (none for an empty Previous_gtids or under --skip-gtids).
  if (theirs.ends_with("\tIgnorable")) {
    const std::string head = theirs.substr(0, theirs.size() - 9);
    return ours.starts_with(head + "Previous-GTIDs") || ours.starts_with(head + "GTID\t") ||
           ours.starts_with(head + "Anonymous_GTID\t");
  }
  if (theirs.starts_with("# Ignorable event type 3") && theirs.find("(MySQL ") != std::string::npos)
    return ours.starts_with("# ") || ours.starts_with("SET @@SESSION.GTID_NEXT= ");
  // 5. LOAD DATA of a file mariadb-binlog wrote
  if (theirs.starts_with("LOAD DATA LOCAL INFILE '") && ours.starts_with("LOAD DATA ")) {
    const std::size_t ti = theirs.find("' INTO "), oi = ours.find("' INTO ");
    return ti != std::string::npos && oi != std::string::npos &&
           theirs.substr(ti) == ours.substr(oi);
  }
  if (theirs.rfind("###   @", 0) != 0 || ours.rfind("###   @", 0) != 0) return false;
  const std::size_t tc = theirs.rfind(" /* "), oc = ours.rfind(" /* ");
  const std::size_t tm = theirs.rfind(" meta="), om = ours.rfind(" meta=");
  std::string their_value = theirs.substr(0, tc), our_value = ours.substr(0, oc);
  if (tc != std::string::npos || oc != std::string::npos) {
    if (tc == std::string::npos || oc == std::string::npos || tm == std::string::npos ||
        om == std::string::npos)
      return false;
    // 1. the column's name before its type
    const std::string their_type = theirs.substr(tc + 4, tm - tc - 4);
    const std::string our_type = ours.substr(oc + 4, om - oc - 4);
    if (our_type != their_type && !our_type.ends_with(" " + their_type)) return false;
    if (theirs.substr(tm) != ours.substr(om)) return false;
    if (their_value == our_value) return true;
  }
  std::smatch m;
  // 2. SET bits
  static const std::regex bitset(R"((###   @\d+=)b'([01]+)')");
  if (theirs.find(" SET(") != std::string::npos && std::regex_match(their_value, m, bitset))
    return our_value == m[1].str() + "b'" + set_bits_as_value(m[2].str()) + "'";
  // 3. both readings of an integer
  static const std::regex both(R"((###   @\d+=)(-?\d+) \((\d+)\))");
  if (std::regex_match(their_value, m, both))
    return our_value == m[1].str() + m[2].str() || our_value == m[1].str() + m[3].str();
  return false;
}

struct Mode {
  const char* name;
  const char* mariadb_options;
  TextOptions twinlog;
  // --skip-gtids, which mariadb-binlog 10.11 does not take: its text less the
  // lines that set the GTID (gtid_domain_id, server_id, gtid_seq_no).
  bool without_gtid_lines = false;
};

TextOptions rewriting() {
  TextOptions o{Base64Output::kAuto, 2};
  o.rewrite_db = {{"test", "renamed"}, {"mysqltest", "renamed_too"}};
  return o;
}

TextOptions skipping_gtids() {
  TextOptions o{Base64Output::kAuto, 0};
  o.skip_gtids = true;
  return o;
}

std::string without_gtid_lines(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("/*M!100001 SET @@session.gtid_domain_id=") ||
        line.starts_with("/*M!100001 SET @@session.server_id=") ||
        line.starts_with("/*M!100001 SET @@session.gtid_seq_no=") ||
        line.starts_with("# Ignorable event type 33 (MySQL Gtid)") ||
        line.starts_with("# Ignorable event type 34 (MySQL Anonymous_Gtid)"))
      continue;
    out.append(line) += '\n';
  }
  return out;
}

const Mode kModes[] = {
    {"auto", "", {Base64Output::kAuto, 0}},
    {"decode-rows -vv", "--base64-output=decode-rows -vv", {Base64Output::kDecodeRows, 2}},
    {"hexdump", "--hexdump --base64-output=decode-rows -vv", {Base64Output::kDecodeRows, 2, true}},
    {"short-form", "--short-form", {Base64Output::kAuto, 0, false, true}},
    {"print-table-metadata",
     "--print-table-metadata --base64-output=decode-rows",
     {Base64Output::kDecodeRows, 0, false, false, true}},
    {"rewrite-db", "--rewrite-db='test->renamed' --rewrite-db='mysqltest->renamed_too' -vv",
     rewriting()},
    {"skip-gtids", "", skipping_gtids(), true},
};

class MariadbBinlogText : public ::testing::TestWithParam<std::string> {};

TEST(MariadbBinlogTextPresence, FilesAreThere) {
  ASSERT_TRUE(fs::exists(kTestData)) << "install mariadb-test-data";
  EXPECT_GE(binlogs().size(), 40u);
}

TEST_P(MariadbBinlogText, EveryLineAsMariadbBinlogPrintsIt) {
  const std::string path = GetParam();
  for (const Mode& mode : kModes) {
    ToolRun theirs = mariadb_binlog(mode.mariadb_options, path);
    if (theirs.status != 0) {
      // A file mariadb-binlog does not read at all is skipped; one it fails in
      // one mode only (--print-table-metadata crashes on MySQL 5.1's table maps)
      // is compared in the others.
      if (&mode == &kModes[0]) GTEST_SKIP() << "mariadb-binlog does not read " << path;
      std::cout << "[ NO MODEL ] " << mode.name << ": mariadb-binlog fails (" << theirs.status
                << ")\n";
      continue;
    }
    if (mode.without_gtid_lines) theirs.out = without_gtid_lines(theirs.out);
    std::string ours, error;
    try {
      ours = twinlog_text(path, mode.twinlog, std::nullopt, &error);
    } catch (const SourceError& e) {
      FAIL() << mode.name << ": mariadb-binlog reads it, twinlog stops: " << e.what();
    }
    if (const StopsWithError* s = stops_with_error(path)) {
      EXPECT_NE(error.find(path + ": " + s->error), std::string::npos) << error;
    } else if (!error.empty()) {
      FAIL() << mode.name << ": mariadb-binlog reads it, twinlog stops: " << error;
    }
    const auto a = text_lines(theirs.out), b = text_lines(ours);
    int mismatches = 0;
    for (std::size_t i = 0; i < std::max(a.size(), b.size()) && mismatches < 3; ++i) {
      const std::string x = i < a.size() ? a[i] : "<none>", y = i < b.size() ? b[i] : "<none>";
      if (!same_line(x, y)) {
        ++mismatches;
        ADD_FAILURE() << mode.name << ", line " << i + 1
                      << "\n  mariadb-binlog: " << x.substr(0, 300)
                      << "\n  twinlog:        " << y.substr(0, 300);
      }
    }
  }
}

// --database (mariadb-binlog's -d) on the samples, with and without
// --rewrite-db: the events left out leave their `# at` line, ANNOTATE_ROWS go
// with their rows, and the database is selected by the binlog's names.
TEST(MariadbBinlogDatabase, EveryLineAsMariadbBinlogPrintsIt) {
  struct Case {
    const char* database;
    const char* mariadb_options;
    TextOptions twinlog;
  };
  const Case cases[] = {
      {"test", "", {Base64Output::kAuto, 0}},
      {"other", "--base64-output=decode-rows -vv", {Base64Output::kDecodeRows, 2}},
      {"nosuch", "", {Base64Output::kAuto, 0}},
      {"test", "--rewrite-db='test->renamed' -vv", rewriting()},
      {"renamed", "--rewrite-db='test->renamed'", rewriting()},
  };
  int files = 0;
  for (const std::string& path : binlogs()) {
    if (!path.starts_with(kSamples)) continue;
    ++files;
    for (const Case& c : cases) {
      const ToolRun theirs =
          mariadb_binlog(std::string(c.mariadb_options) + " -d " + c.database, path);
      ASSERT_EQ(theirs.status, 0) << path;
      const auto a = text_lines(theirs.out);
      const auto b = text_lines(twinlog_text(path, c.twinlog, c.database));
      int mismatches = 0;
      for (std::size_t i = 0; i < std::max(a.size(), b.size()) && mismatches < 3; ++i) {
        const std::string x = i < a.size() ? a[i] : "<none>", y = i < b.size() ? b[i] : "<none>";
        if (!same_line(x, y)) {
          ++mismatches;
          ADD_FAILURE() << path << " -d " << c.database << " " << c.mariadb_options << ", line "
                        << i + 1 << "\n  mariadb-binlog: " << x.substr(0, 300)
                        << "\n  twinlog:        " << y.substr(0, 300);
        }
      }
    }
  }
  EXPECT_GE(files, 10);
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = info.param.starts_with(kSamples) ? "samples" + info.param.substr(kSamples.size())
                                                   : info.param.substr(kTestData.size() + 1);
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(Files, MariadbBinlogText, ::testing::ValuesIn(binlogs()), test_name);

}  // namespace
}  // namespace twinlog::corpus
