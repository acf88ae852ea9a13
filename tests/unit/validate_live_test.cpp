// The live checks of `twinlog validate` judged on what a live pair shows (replica
// status rows, SHOW GRANTS lines), without servers: tests/live/validate_live_test
// makes each mistake on a real pair.
#include "src/checks/validate_live.h"

#include <gtest/gtest.h>

namespace twinlog {
namespace {

using checks::Account;
using checks::CheckStatus;
using checks::LiveMaster;
using config::ReplicaChannel;
using config::ServerConfig;

ServerConfig master(uint64_t id, uint32_t peer_id, uint32_t peer_port) {
  ServerConfig c;
  c.server_id.value = id;
  ReplicaChannel ch;
  ch.master_server_id = peer_id;
  ch.master_host = "127.0.0.1";
  ch.master_port = peer_port;
  ch.master_user = "repl";
  ch.io_running = "Yes";
  ch.sql_running = "Yes";
  ch.seconds_behind_master = 0;
  ch.relay_master_log_file = "mysql-bin.000001";
  ch.exec_master_log_pos = 1000;
  ch.source = "SHOW ALL SLAVES STATUS";
  c.replica_channels.push_back(ch);
  return c;
}

LiveMaster live(const std::string& name, uint32_t port, std::vector<Account> accounts) {
  LiveMaster m;
  m.name = name;
  m.target = "127.0.0.1:" + std::to_string(port);
  m.binlog_file = "mysql-bin.000001";
  m.binlog_position = 1000;
  m.accounts = std::move(accounts);
  return m;
}

Account repl(const std::string& user, const std::string& host, const std::string& privileges) {
  return {user,
          host,
          {"GRANT " + privileges + " ON *.* TO `" + user + "`@`" + host +
           "` IDENTIFIED BY PASSWORD '*A424E797037BF97C19A2E88CF7891C5C2038C039'"}};
}

struct Pair {
  ServerConfig a = master(1, 2, 3307), b = master(2, 1, 3306);
  std::vector<Account> a_accounts{repl("repl", "127.0.0.1", "REPLICATION SLAVE")};
  std::vector<Account> b_accounts{repl("repl", "127.0.0.1", "REPLICATION SLAVE")};
  checks::Validation run() const {
    checks::Validation v;
    checks::add_live_checks(v, a, live("A", 3306, a_accounts), b, live("B", 3307, b_accounts));
    return v;
  }
};

const checks::ValidationCheck& check(const checks::Validation& v, const std::string& name) {
  for (const auto& c : v.checks) {
    if (c.name == name) return c;
  }
  throw std::runtime_error("no check " + name);
}

TEST(ValidateLive, AHealthyPairPassesEveryCheck) {
  const auto v = Pair().run();
  ASSERT_EQ(v.checks.size(), 6u);
  for (const auto& c : v.checks) EXPECT_EQ(c.status(), CheckStatus::kPass) << c.name;
  EXPECT_EQ(check(v, "validate.replication_b_to_a").found,
            "channel '' from 127.0.0.1:3307 as 'repl': IO Yes, SQL Yes, 0 s behind; executed B's "
            "mysql-bin.000001:1000, B's binlog ends at mysql-bin.000001:1000 (caught up)");
  EXPECT_EQ(check(v, "validate.replication_user").found,
            "A: 'repl'@'127.0.0.1'; B: 'repl'@'127.0.0.1'");
}

TEST(ValidateLive, AStoppedSqlThreadFailsWithItsErrorAndPosition) {
  Pair p;
  auto& ch = p.b.replica_channels[0];
  ch.sql_running = "No";
  ch.last_sql_errno = 1062;
  ch.last_sql_error = "Duplicate entry '3' for key 'PRIMARY'";
  ch.seconds_behind_master.reset();
  const auto v = p.run();
  const auto& c = check(v, "validate.replication_a_to_b");
  EXPECT_EQ(c.status(), CheckStatus::kFail);
  ASSERT_EQ(c.findings.size(), 1u);
  EXPECT_EQ(c.findings[0].code, "replication.sql_not_running");
  EXPECT_EQ(c.findings[0].evidence[0].server, "B");
  EXPECT_EQ(c.findings[0].evidence[0].start, 1000u);
  EXPECT_EQ(c.findings[0].evidence[0].statement,
            "Last_SQL_Error 1062: Duplicate entry '3' for key 'PRIMARY'");
  EXPECT_EQ(check(v, "validate.replication_b_to_a").status(), CheckStatus::kPass);
}

TEST(ValidateLive, NoChannelFromThePeerFails) {
  Pair p;
  p.a.replica_channels.clear();
  const auto v = p.run();
  EXPECT_EQ(check(v, "validate.replication_b_to_a").findings.at(0).code,
            "replication.not_configured");
}

TEST(ValidateLive, LagAboveFiveMinutesWarns) {
  Pair p;
  p.a.replica_channels[0].seconds_behind_master = 900;
  EXPECT_EQ(check(p.run(), "validate.replication_b_to_a").findings.at(0).code, "replication.lag");
}

TEST(ValidateLive, TheRunbooksAccountsAreEachReported) {
  Pair p;
  // 'root@192.168.204.128' quoted as one string, FILE granted, reachable from '%'.
  p.a_accounts.push_back(repl("repl@127.0.0.1", "%", "REPLICATION SLAVE"));
  p.b_accounts = {repl("repl", "%", "REPLICATION SLAVE, FILE")};
  const auto v = p.run();
  const auto& name = check(v, "validate.user_name_holds_host");
  EXPECT_EQ(name.status(), CheckStatus::kFail);
  ASSERT_EQ(name.findings.size(), 1u);
  EXPECT_NE(name.findings[0].message.find(
                "an account named 'repl@127.0.0.1' at host '%': quoted as one string"),
            std::string::npos)
      << name.findings[0].message;
  const auto& privileges = check(v, "validate.user_privileges");
  ASSERT_EQ(privileges.findings.size(), 1u);
  EXPECT_EQ(privileges.findings[0].evidence[0].server, "B");
  EXPECT_NE(privileges.findings[0].message.find("REPLICATION SLAVE: FILE (FILE reads"),
            std::string::npos);
  // B's 'repl'@'%' and A's 'repl@127.0.0.1'@'%'.
  EXPECT_EQ(check(v, "validate.user_any_host").findings.size(), 2u);
  EXPECT_EQ(check(v, "validate.replication_user").status(), CheckStatus::kPass);
}

TEST(ValidateLive, AMissingOrPowerlessReplicationAccountFails) {
  Pair p;
  p.a_accounts.clear();
  p.b_accounts = {repl("repl", "127.0.0.1", "SELECT")};
  const auto v = p.run();
  const auto& user = check(v, "validate.replication_user");
  ASSERT_EQ(user.findings.size(), 2u);
  EXPECT_EQ(user.findings[0].code, "user.missing");
  EXPECT_EQ(user.findings[1].code, "user.no_replication_slave");
}

TEST(ValidateLive, AccountsThatCannotBeReadWarnAndSaySo) {
  Pair p;
  p.b_accounts.clear();
  checks::Validation v;
  LiveMaster b = live("B", 3307, {});
  b.accounts_error = "SELECT command denied to user 'twinlog'@'localhost' for table `mysql`.`user`";
  checks::add_live_checks(v, p.a, live("A", 3306, p.a_accounts), p.b, b);
  const auto& user = check(v, "validate.replication_user");
  EXPECT_EQ(user.status(), CheckStatus::kWarn);
  ASSERT_EQ(user.findings.size(), 1u);
  EXPECT_EQ(user.findings[0].code, "user.accounts_unreadable");
  EXPECT_EQ(user.found, "A: 'repl'@'127.0.0.1'; B: accounts not readable");
}

TEST(ValidateLive, GrantedPrivilegesOfAGrantLine) {
  EXPECT_EQ(checks::granted_privileges(
                "GRANT REPLICATION SLAVE, FILE ON *.* TO `replication`@`192.168.1.110`"),
            (std::vector<std::string>{"REPLICATION SLAVE", "FILE"}));
  EXPECT_EQ(checks::granted_privileges("GRANT SELECT (a, b), INSERT ON `test`.`t` TO `u`@`%`"),
            (std::vector<std::string>{"SELECT", "INSERT"}));
  EXPECT_TRUE(checks::granted_privileges("GRANT `role1` TO `u`@`%`").empty());
}

}  // namespace
}  // namespace twinlog
