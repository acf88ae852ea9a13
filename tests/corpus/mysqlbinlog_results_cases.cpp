// The cases of mysqlbinlog_results_test.cpp: each .test exec whose mysqlbinlog
// output the .result records, with the twinlog options that ask the same, and
// the ones that cannot be compared with the reason.
#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "tests/corpus/mysqlbinlog_results.h"

namespace twinlog::corpus::mysqlbinlog_results {

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.test_file << ": " << c.exec;
}

namespace {

const std::string kMain = "main/mysqlbinlog";

}  // namespace

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

}  // namespace twinlog::corpus::mysqlbinlog_results
