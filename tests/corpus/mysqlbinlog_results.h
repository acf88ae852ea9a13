// The pieces of mysqlbinlog_results_test.cpp that stand apart from twinlog's
// side: the cases (mysqlbinlog_results_cases.cpp), and the mariadb-test-data
// files read for mysqlbinlog's side, reduced to token lines
// (mysqlbinlog_results_expected.cpp). The test file's opening comment says what
// is compared and how.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace twinlog::corpus::mysqlbinlog_results {

inline const std::string kTestDir = TWINLOG_MARIADB_TEST_DIR;
inline const std::string kMap =
    std::string(TWINLOG_SHARED_DIR) + "/corpus/mariadb-test-data-map.tsv";

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
void PrintTo(const Case& c, std::ostream* os);

std::vector<Case> cases();

// ------------------------------------------------------------------ files

std::string trim(const std::string& s);

struct MapRow {
  std::string binlog;     // relative to the mysql-test directory
  std::string test_line;  // "main/mysqlbinlog.test:490"
  std::string result_file;
  std::string line;
};

// The map's rows that hold mysqlbinlog output for a std_data binlog.
std::vector<MapRow> mysqlbinlog_rows();

struct Block {
  std::vector<std::string> lines;   // from kBlockStart to kBlockEnd, or to the last ERROR: line
  std::vector<std::string> errors;  // "ERROR: ..." lines that ended it
};

// The mysqlbinlog output block of the .result that belongs to the case's exec.
std::optional<Block> find_block(const Case& c);

// ------------------------------------------------------------------ mysqlbinlog's side

// "%y%m%d %H:%M:%S" in UTC, as mysqlbinlog's event headers write a timestamp.
std::string format_time(uint64_t t);

// The token lines of one mysqlbinlog output block.
std::vector<std::string> mysqlbinlog_tokens(const Block& block);

}  // namespace twinlog::corpus::mysqlbinlog_results
