// What a live master's replica channels tell the checks, on real sandbox pairs:
// both replicas stopped with error 1062 by tools/scenarios/collision.sh, each tied
// by `twinlog autoinc` to the other master's colliding transaction; and a third
// server feeding A plus IGNORE_SERVER_IDS naming B on A's channel, found by
// `twinlog loops` from SHOW ALL SLAVES STATUS.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/live/sandbox_pair.h"
#include "tests/support/cli_run.h"

namespace twinlog::live {
namespace {

std::vector<nlohmann::json> findings_of(const std::string& command, const SandboxPair& pair,
                                        int& code) {
  auto r =
      testing::run_twinlog(command + " --format jsonl --a " + shell_quote(pair.socket('A')) +
                           " --b " + shell_quote(pair.socket('B')) + " --user root --no-defaults");
  code = r.code;
  EXPECT_TRUE(r.code == 0 || r.code == 1) << r.err;
  std::vector<nlohmann::json> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

std::vector<nlohmann::json> with_code(const std::vector<nlohmann::json>& findings,
                                      const std::string& code) {
  std::vector<nlohmann::json> out;
  for (const auto& f : findings)
    if (f["code"] == code) out.push_back(f);
  return out;
}

TEST(ReplicaStatusLive, BothReplicasStoppedWith1062AreTiedToTheCollidingTransactions) {
  auto pair = SandboxPair::scenario("collision");
  int code = -1;
  const auto findings = findings_of("autoinc", *pair, code);
  EXPECT_EQ(code, 1);
  const auto collisions = with_code(findings, "autoinc.collision");
  ASSERT_EQ(collisions.size(), 1u);
  const auto& collided = collisions[0]["evidence"];  // A's transaction, then B's
  ASSERT_EQ(collided.size(), 2u);

  const auto stops = with_code(findings, "autoinc.replica_stopped_1062");
  ASSERT_EQ(stops.size(), 2u);
  for (const auto& stop : stops) {
    const std::string replica = stop["evidence"][0]["server"];
    const char master = replica == "A" ? 'B' : 'A';
    const auto& theirs = collided[master == 'A' ? 0 : 1];
    EXPECT_EQ(stop["severity"], "error");
    // The stop as the replica shows it: the master's file and position, the error.
    EXPECT_EQ(stop["evidence"][0]["file"], pair->slave_field(replica[0], "Relay_Master_Log_File"));
    EXPECT_EQ(std::to_string(stop["evidence"][0]["start"].get<uint64_t>()),
              pair->slave_field(replica[0], "Exec_Master_Log_Pos"));
    EXPECT_NE(stop["evidence"][0]["statement"].get<std::string>().find("Duplicate entry"),
              std::string::npos);
    // Tied to the master's transaction of the collision.
    const std::string message = stop["message"];
    EXPECT_NE(message.find(std::string("on ") + master + "'s transaction " +
                           theirs["gtid"].get<std::string>() +
                           " that inserted test.t id 1, which " + replica + " had inserted too"),
              std::string::npos)
        << message;
    ASSERT_EQ(stop["evidence"].size(), 3u);
    EXPECT_EQ(stop["evidence"][1]["server"], std::string(1, master));
    EXPECT_EQ(stop["evidence"][1]["gtid"], theirs["gtid"]);
    EXPECT_EQ(stop["evidence"][1]["start"], theirs["start"]);
    EXPECT_EQ(stop["evidence"][1]["start"], stop["evidence"][0]["start"]);
    EXPECT_EQ(stop["evidence"][2]["server"], replica);
  }
}

TEST(ReplicaStatusLive, AThirdSourceAndIgnoreServerIdsNamingThePeer) {
  auto pair = SandboxPair::start({"--with-c"});
  int code = -1;
  // The healthy pair's channels (each master fed by the other) give neither.
  auto findings = findings_of("loops", *pair, code);
  EXPECT_TRUE(with_code(findings, "loop.third_source").empty());
  EXPECT_TRUE(with_code(findings, "loop.ignore_server_ids").empty());

  pair->sandbox_or_throw("connect A C c");
  // Master_Server_Id shows once the channel's IO thread has connected.
  for (int i = 0; i < 30 && with_code(findings, "loop.third_source").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    findings = findings_of("loops", *pair, code);
  }
  const auto third = with_code(findings, "loop.third_source");
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0]["severity"], "warning");
  EXPECT_NE(third[0]["message"].get<std::string>().find(
                "A's replica channel 'c' replicates from server id 3"),
            std::string::npos)
      << third[0]["message"];
  EXPECT_EQ(third[0]["evidence"][0]["origin_server_id"], 3);

  pair->sql('A', "STOP SLAVE ''");
  pair->sql('A', "CHANGE MASTER '' TO IGNORE_SERVER_IDS=(2)");
  pair->sql('A', "START SLAVE ''");
  findings = findings_of("loops", *pair, code);
  EXPECT_EQ(code, 1);
  const auto ignored = with_code(findings, "loop.ignore_server_ids");
  ASSERT_EQ(ignored.size(), 1u);
  EXPECT_EQ(ignored[0]["severity"], "error");
  EXPECT_NE(ignored[0]["message"].get<std::string>().find(
                "A's replica channel '' has IGNORE_SERVER_IDS naming B's server id (2)"),
            std::string::npos)
      << ignored[0]["message"];
  EXPECT_EQ(ignored[0]["evidence"][0]["option"], "IGNORE_SERVER_IDS=(2)");
}

}  // namespace
}  // namespace twinlog::live
