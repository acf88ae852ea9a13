// The pure pieces of the live reader: binlog name order, replica server_id choice,
// ssl-mode names, error classification and the option-file chain.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "src/server/connection.h"
#include "src/server/option_files.h"
#include "src/source/live_source.h"

namespace twinlog {
namespace {

TEST(BinlogNames, OrderBySequenceNumberNotText) {
  EXPECT_LT(compare_binlog_names("mysql-bin.000009", "mysql-bin.000010"), 0);
  EXPECT_GT(compare_binlog_names("mysql-bin.1000000", "mysql-bin.999999"), 0);
  EXPECT_EQ(compare_binlog_names("mysql-bin.000001", "mysql-bin.000001"), 0);
  EXPECT_LT(compare_positions({"b.000002", 900}, {"b.000003", 4}), 0);
  EXPECT_GT(compare_positions({"b.000003", 900}, {"b.000003", 4}), 0);
  EXPECT_EQ(compare_positions({"b.000003", 4}, {"b.000003", 4}), 0);
}

TEST(ReplicaServerId, ChosenIdAvoidsEveryTakenOne) {
  std::set<uint32_t> taken{1, 2, 3};
  for (uint64_t seed = 0; seed < 1000; ++seed) {
    uint32_t id = choose_replica_server_id(taken, seed);
    EXPECT_FALSE(taken.contains(id));
    EXPECT_NE(id, 0u);
  }
  // Taking the id a seed would give moves it on, deterministically.
  uint32_t first = choose_replica_server_id({}, 42);
  taken.insert(first);
  uint32_t second = choose_replica_server_id(taken, 42);
  EXPECT_NE(second, first);
  EXPECT_EQ(second, choose_replica_server_id(taken, 42));
}

TEST(ReplicaServerId, DifferentSeedsSpreadOut) {
  std::set<uint32_t> seen;
  for (uint64_t seed = 0; seed < 100; ++seed) seen.insert(choose_replica_server_id({}, seed));
  EXPECT_GT(seen.size(), 95u);
}

TEST(ReplicaServerId, ExplicitClashIsRefusedWithTheReason) {
  TakenServerIds taken;
  taken.ids = {1, 2, 77};
  taken.reasons = {"server_id 1 is the server's own (a:1)",
                   "server_id 2 is a replica of it (SHOW SLAVE HOSTS: b)",
                   "server_id 77 was named as a server of the pair"};
  EXPECT_EQ(check_replica_server_id(5000, taken), "");
  std::string why = check_replica_server_id(2, taken);
  EXPECT_NE(why.find("clashes"), std::string::npos);
  EXPECT_NE(why.find("SHOW SLAVE HOSTS: b"), std::string::npos);
  EXPECT_EQ(why.find("server's own"), std::string::npos);
  EXPECT_NE(check_replica_server_id(1, taken).find("server's own"), std::string::npos);
  EXPECT_NE(check_replica_server_id(0, taken), "");
}

TEST(SslMode, NamesParseCaseInsensitively) {
  EXPECT_EQ(parse_ssl_mode("DISABLED"), SslMode::kDisabled);
  EXPECT_EQ(parse_ssl_mode("preferred"), SslMode::kPreferred);
  EXPECT_EQ(parse_ssl_mode("Required"), SslMode::kRequired);
  EXPECT_EQ(parse_ssl_mode("verify_ca"), SslMode::kVerifyCa);
  EXPECT_EQ(parse_ssl_mode("VERIFY_IDENTITY"), SslMode::kVerifyIdentity);
  EXPECT_FALSE(parse_ssl_mode("VERIFY"));
  EXPECT_FALSE(parse_ssl_mode(""));
  EXPECT_EQ(ssl_mode_name(SslMode::kVerifyCa), "VERIFY_CA");
}

TEST(ConnectErrors, EachCauseHasItsOwnKindAndWords) {
  EXPECT_EQ(classify_error(1045), FailureKind::kAccessDenied);
  EXPECT_EQ(classify_error(1227), FailureKind::kPrivileges);
  EXPECT_EQ(classify_error(2026), FailureKind::kTls);
  EXPECT_EQ(classify_error(2003), FailureKind::kUnreachable);
  EXPECT_EQ(classify_error(2002), FailureKind::kUnreachable);
  EXPECT_EQ(classify_error(2013), FailureKind::kLost);
  EXPECT_EQ(classify_error(1927), FailureKind::kLost);
  EXPECT_EQ(classify_error(1236), FailureKind::kServer);

  auto denied = describe_connect_error(1045, "Access denied for user 'x'@'h' (using password: YES)",
                                       "127.0.0.1:3306", "x");
  EXPECT_EQ(denied.kind(), FailureKind::kAccessDenied);
  EXPECT_NE(std::string(denied.what()).find("wrong user or password"), std::string::npos);
  EXPECT_NE(std::string(denied.what()).find("127.0.0.1:3306"), std::string::npos);
  auto priv = describe_connect_error(1227, "Access denied; you need REPLICATION SLAVE", "h:1", "x");
  EXPECT_NE(std::string(priv.what()).find("lacks a privilege"), std::string::npos);
  auto tls = describe_connect_error(2026, "SSL connection error", "h:1", "x");
  EXPECT_NE(std::string(tls.what()).find("TLS"), std::string::npos);
  auto down = describe_connect_error(2003, "Can't connect", "h:1", "x");
  EXPECT_NE(std::string(down.what()).find("cannot reach h:1"), std::string::npos);
}

TEST(OptionFiles, ExtraFileGoesAfterGlobalFilesAndBeforeTheUsersOwn) {
  namespace fs = std::filesystem;
  fs::path home = fs::temp_directory_path() / ("twinlog-home-" + std::to_string(getpid()));
  fs::create_directories(home);
  std::ofstream(home / ".my.cnf") << "[client]\nuser=me\n";
  std::string old_home = getenv("HOME") ? getenv("HOME") : "";
  setenv("HOME", home.c_str(), 1);
  auto chain = option_file_chain("/x/extra.cnf");
  setenv("HOME", old_home.c_str(), 1);
  fs::remove_all(home);
  ASSERT_GE(chain.size(), 2u);
  EXPECT_EQ(chain[chain.size() - 2], "/x/extra.cnf");
  EXPECT_EQ(chain.back(), (home / ".my.cnf").string());
  for (std::size_t i = 0; i + 2 < chain.size(); ++i)
    EXPECT_TRUE(chain[i].starts_with("/etc/") || chain[i].find("my.cnf") != std::string::npos);
}

// Numbers the server sends as text (server ids, positions) were read with
// std::stoul, which let std::invalid_argument / out_of_range escape; they are
// SourceErrors naming the server, the statement and the value.
TEST(ServerNumber, TextThatIsNotANumberNamesServerStatementAndValue) {
  EXPECT_EQ(server_number("42", UINT32_MAX, "db1:3306", "SHOW SLAVE HOSTS", "server_id"), 42u);
  EXPECT_EQ(server_number("18446744073709551615", UINT64_MAX, "db1:3306", "SHOW MASTER STATUS",
                          "Position"),
            UINT64_MAX);
  for (const char* bad : {"", "abc", "12x", "-1", " 7", "4294967296", "99999999999999999999"}) {
    try {
      server_number(bad, UINT32_MAX, "db1:3306", "SHOW SLAVE HOSTS", "server_id");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const SourceError& e) {
      std::string what = e.what();
      EXPECT_NE(what.find("db1:3306"), std::string::npos) << what;
      EXPECT_NE(what.find("SHOW SLAVE HOSTS"), std::string::npos) << what;
      EXPECT_NE(what.find("'" + std::string(bad) + "'"), std::string::npos) << what;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "'" << bad << "' threw " << typeid(e).name() << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace twinlog
