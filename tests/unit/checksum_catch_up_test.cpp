// The statement with which a master waits for the other before a differing
// chunk is read again, per flavor, version and replication connection, and what
// its result means.
#include "src/checks/checksum_catch_up.h"

#include <gtest/gtest.h>

#include <tuple>

namespace twinlog::checks {
namespace {

const ServerFlavor kMariaDB = server_flavor("10.11.6-MariaDB-log");
const ServerFlavor kMySQL57 = server_flavor("5.7.44-log");
const ServerFlavor kMySQL8025 = server_flavor("8.0.25");
const ServerFlavor kMySQL8026 = server_flavor("8.0.26");
const ServerFlavor kMySQL84 = server_flavor("8.4.3");

OriginPosition origin(std::string gtids = "") {
  return {1, "mysql-bin.000003", "4711", std::move(gtids)};
}

TEST(ChecksumCatchUp, MariaDBByPosition) {
  const auto w = catch_up_wait(kMariaDB, 2, {"", 1, false}, origin("0-1-5"), 60);
  EXPECT_EQ(w.kind, WaitKind::kPosition);
  EXPECT_EQ(w.sql, "SELECT MASTER_POS_WAIT('mysql-bin.000003', 4711, 60)");
}

TEST(ChecksumCatchUp, MariaDBNamedConnection) {
  const auto w = catch_up_wait(kMariaDB, 2, {"from_a", 1, false}, origin(), 30);
  EXPECT_EQ(w.sql, "SELECT MASTER_POS_WAIT('mysql-bin.000003', 4711, 30, 'from_a')");
}

TEST(ChecksumCatchUp, MariaDBByGtid) {
  // The replica (server 2) waits for what server 1 (and a third, 3) wrote, not
  // for its own transactions that the origin applied and logged.
  const auto w =
      catch_up_wait(kMariaDB, 2, {"from_a", 1, true}, origin("1-1-20,2-2-7,0-1-3,0-2-9,0-3-2"), 60);
  EXPECT_EQ(w.kind, WaitKind::kMariaDBGtid);
  EXPECT_EQ(w.sql, "SELECT MASTER_GTID_WAIT('0-1-3,1-1-20', 60)");
  // Only its own transactions in the origin's binlog: nothing to wait for.
  EXPECT_EQ(catch_up_wait(kMariaDB, 2, {"", 1, true}, origin("2-2-7"), 60).kind,
            WaitKind::kNothing);
}

TEST(ChecksumCatchUp, MariaDBWaitPosition) {
  EXPECT_EQ(mariadb_wait_position("1-1-20,2-2-7,0-1-3,0-2-9", 2), "0-1-3,1-1-20");
  EXPECT_EQ(mariadb_wait_position("0-1-3,0-3-8,0-1-12", 2), "0-1-12");
  EXPECT_EQ(mariadb_wait_position("", 2), "");
  EXPECT_EQ(mariadb_wait_position("garbage,0-1-x,0-1-4", 2), "0-1-4");
}

TEST(ChecksumCatchUp, MySQLByPositionPerVersion) {
  EXPECT_EQ(catch_up_wait(kMySQL57, 2, {"", 1, false}, origin(), 60).sql,
            "SELECT MASTER_POS_WAIT('mysql-bin.000003', 4711, 60)");
  EXPECT_EQ(catch_up_wait(kMySQL8025, 2, {"ch_a", 1, false}, origin(), 60).sql,
            "SELECT MASTER_POS_WAIT('mysql-bin.000003', 4711, 60, 'ch_a')");
  EXPECT_EQ(catch_up_wait(kMySQL8026, 2, {"", 1, false}, origin(), 60).sql,
            "SELECT SOURCE_POS_WAIT('mysql-bin.000003', 4711, 60)");
  EXPECT_EQ(catch_up_wait(kMySQL84, 2, {"ch_a", 1, false}, origin(), 5).sql,
            "SELECT SOURCE_POS_WAIT('mysql-bin.000003', 4711, 5, 'ch_a')");
}

TEST(ChecksumCatchUp, MySQLByGtid) {
  const std::string executed = "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5";
  const auto w = catch_up_wait(kMySQL84, 2, {"", 1, true}, origin(executed), 60);
  EXPECT_EQ(w.kind, WaitKind::kMySQLGtid);
  EXPECT_EQ(w.sql, "SELECT WAIT_FOR_EXECUTED_GTID_SET('" + executed + "', 60)");
  // GTID_MODE off on the origin: by position.
  EXPECT_EQ(catch_up_wait(kMySQL84, 2, {"", 1, true}, origin(), 60).kind, WaitKind::kPosition);
}

TEST(ChecksumCatchUp, NoBinlogNothingToWaitFor) {
  EXPECT_EQ(catch_up_wait(kMariaDB, 2, {"", 1, false}, {1, "", "", ""}, 60).kind,
            WaitKind::kNothing);
}

TEST(ChecksumCatchUp, TimeoutZeroIsNoWaitOnEveryFlavor) {
  // The servers read 0 differently: MASTER_GTID_WAIT returns at once,
  // MASTER_POS_WAIT (MariaDB, MySQL) and WAIT_FOR_EXECUTED_GTID_SET (MySQL manual:
  // "the default timeout is 0 seconds, in which case the function always waits")
  // wait forever. twinlog's 0 does not wait on any.
  const std::string executed = "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5";
  for (const auto& [flavor, gtid, gtids] : {std::tuple{kMariaDB, true, std::string("0-1-5")},
                                            {kMariaDB, false, std::string()},
                                            {kMySQL57, false, std::string()},
                                            {kMySQL84, false, std::string()},
                                            {kMySQL84, true, executed}}) {
    EXPECT_EQ(catch_up_wait(flavor, 2, {"", 1, gtid}, origin(gtids), 0).kind, WaitKind::kNothing);
    EXPECT_NE(catch_up_wait(flavor, 2, {"", 1, gtid}, origin(gtids), 1).kind, WaitKind::kNothing);
  }
}

TEST(ChecksumCatchUp, OneDomainForBothMastersWaitsForTheOriginsOwnLast) {
  // Both masters write domain 0: the origin (1) logged its own 0-1-13, then the
  // replica's (2) 0-2-17, copied back. The replica waits for the origin's own
  // last one, not the domain's highest: MariaDB numbers a master's own
  // transaction after all it has logged, so the replica, applying the origin's
  // binlog in order, reaches 13 only by applying 0-1-13 (live proof:
  // checksum_catch_up_live_test.cpp).
  EXPECT_EQ(mariadb_wait_position("0-1-13,0-2-17", 2), "0-1-13");
  EXPECT_EQ(catch_up_wait(kMariaDB, 2, {"", 1, true}, origin("0-2-17,0-1-13"), 5).sql,
            "SELECT MASTER_GTID_WAIT('0-1-13', 5)");
}

TEST(ChecksumCatchUp, Results) {
  EXPECT_EQ(wait_failure(WaitKind::kPosition, "0"), "");
  EXPECT_EQ(wait_failure(WaitKind::kPosition, "17"), "");
  EXPECT_EQ(wait_failure(WaitKind::kPosition, "-1"), "timed out waiting");
  EXPECT_NE(wait_failure(WaitKind::kPosition, std::nullopt), "");
  EXPECT_EQ(wait_failure(WaitKind::kMariaDBGtid, "0"), "");
  EXPECT_EQ(wait_failure(WaitKind::kMariaDBGtid, "-1"), "timed out waiting");
  EXPECT_EQ(wait_failure(WaitKind::kMySQLGtid, "0"), "");
  EXPECT_EQ(wait_failure(WaitKind::kMySQLGtid, "1"), "timed out waiting");
  EXPECT_EQ(wait_failure(WaitKind::kNothing, std::nullopt), "");
}

}  // namespace
}  // namespace twinlog::checks
