// samples/deploy/ run against a real pair as written: the systemd service's
// ExecStart (its specifiers and EnvironmentFile variables expanded, the paths
// it writes moved into a temporary directory, the credential it loads put
// where %d points) twice, the second audit reading on from the first one's
// state; then the Kubernetes CronJob's command and args (the volume mounts
// moved the same way) on the pair with one replica stopped, and the alert
// rules tested on the metrics that run wrote.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/live/sandbox_pair.h"
#include "tests/support/cli_run.h"
#include "tests/support/deploy_files.h"

namespace twinlog::live {
namespace {

namespace fs = std::filesystem;
using testing::moved_path;
using testing::read_text_file;

const std::string kDeploy = std::string(TWINLOG_SOURCE_DIR) + "/samples/deploy/";

std::string address(const SandboxPair& pair, char server) {
  return "127.0.0.1:" + std::to_string(pair.port(server));
}

std::string sample_value(const std::string& metrics, const std::string& series) {
  for (const auto& s : testing::prom_samples(metrics)) {
    if (s.series == series) return s.value;
  }
  return "absent";
}

// The service's ExecStart for instance "pair1", run from `dir`: the files it
// writes under dir/state (for %S) and dir/textfile (for its ReadWritePaths).
std::vector<std::string> service_command(const SandboxPair& pair, const fs::path& dir) {
  const auto unit = testing::read_unit_file(kDeploy + "systemd/twinlog-audit@.service");
  // The variables of example.env, each pointed at the pair's master of its suffix.
  std::map<std::string, std::string> env;
  for (const auto& line : split_lines(read_text_file(kDeploy + "systemd/example.env"))) {
    if (line.empty() || line[0] == '#') continue;
    const std::string name = line.substr(0, line.find('='));
    env[name] = address(pair, name.back());
  }
  const auto credential = testing::unit_setting(unit, "Service.LoadCredential");
  fs::create_directories(dir / "credentials");
  std::ofstream(dir / "credentials" / credential.substr(0, credential.find(':')))
      << "[client]\nuser=root\n";
  fs::create_directories(dir / "state" / testing::unit_setting(unit, "Service.StateDirectory"));
  fs::create_directories(dir / "textfile");
  const std::map<char, std::string> spec = {
      {'i', "pair1"}, {'d', (dir / "credentials").string()}, {'S', (dir / "state").string()}};
  const std::string writable = testing::unit_setting(unit, "Service.ReadWritePaths");
  std::vector<std::string> words;
  for (const auto& w :
       testing::split_command_line(testing::unit_setting(unit, "Service.ExecStart"))) {
    words.push_back(
        moved_path(testing::expand_unit_word(w, spec, env), writable, (dir / "textfile").string()));
  }
  words.at(0) = TWINLOG_BINARY;
  return words;
}

// The CronJob's container command and args: --a and --b pointed at the pair, the
// mounts' paths moved under `dir` (the Secret's client.cnf written there).
std::vector<std::string> cronjob_command(const SandboxPair& pair, const fs::path& dir) {
  const auto docs = testing::yaml_documents(kDeploy + "kubernetes/twinlog-audit-cronjob.yaml");
  nlohmann::json pod;
  for (const auto& d : docs) {
    if (d["kind"] == "CronJob") pod = d["spec"]["jobTemplate"]["spec"]["template"]["spec"];
  }
  const auto& container = pod.at("containers").at(0);
  std::map<std::string, std::string> secret_volumes;
  for (const auto& v : pod["volumes"]) {
    if (v.contains("secret")) secret_volumes[v["name"]] = v["secret"]["secretName"];
  }
  std::vector<std::pair<std::string, fs::path>> mounts;
  for (const auto& m : container["volumeMounts"]) {
    const fs::path to = dir / m["name"].get<std::string>();
    fs::create_directories(to);
    if (secret_volumes.count(m["name"]))
      std::ofstream(to / "client.cnf") << "[client]\nuser=root\n";
    mounts.emplace_back(m["mountPath"], to);
  }
  std::vector<std::string> words = container["command"];
  for (const auto& a : container["args"]) words.push_back(a);
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (words[i - 1] == "--a") words[i] = address(pair, 'A');
    if (words[i - 1] == "--b") words[i] = address(pair, 'B');
    for (const auto& [from, to] : mounts) {
      const std::string option = words[i].substr(0, words[i].find('=') + 1);
      const std::string path = words[i].substr(option.size());
      if (moved_path(path, from, "") == path) continue;
      words[i] = option + moved_path(path, from, to.string());
      break;
    }
  }
  words.at(0) = TWINLOG_BINARY;
  return words;
}

TEST(DeployLive, TheServiceAndTheCronJobAuditARealPairAsWritten) {
  auto pair = SandboxPair::start();
  pair->sql('A',
            "USE test; CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20)); "
            "INSERT INTO t VALUES (1, 'a');");
  pair->wait_sync();
  const fs::path dir = fs::temp_directory_path() / ("twinlog-deploy-" + std::to_string(::getpid()));
  fs::remove_all(dir);

  const auto service = service_command(*pair, dir / "systemd");
  auto first = testing::run_shell(testing::shell_words(service));
  EXPECT_EQ(first.code, 0) << testing::shell_words(service) << "\n" << first.out << first.err;
  const fs::path state = dir / "systemd/state/twinlog/pair1.state";
  const fs::path metrics = dir / "systemd/textfile/twinlog-pair1.prom";
  EXPECT_TRUE(fs::exists(state));
  EXPECT_TRUE(fs::exists(dir / "systemd/state/twinlog/pair1.html"));
  ASSERT_TRUE(fs::exists(metrics));
  EXPECT_EQ(run_command("promtool check metrics < " + metrics.string() + " 2>&1").exit_code, 0);
  EXPECT_EQ(sample_value(read_text_file(metrics), "twinlog_run_success{command=\"audit\"}"), "1");
  EXPECT_EQ(sample_value(read_text_file(metrics),
                         "twinlog_replication_running{command=\"audit\",server=\"B\"}"),
            "1");
  pair->sql('B', "USE test; INSERT INTO t VALUES (2, 'b');");
  pair->wait_sync();
  auto second = testing::run_shell(testing::shell_words(service));
  EXPECT_EQ(second.code, 0) << second.out << second.err;
  EXPECT_NE(second.out.find("before the last audit's end skipped"), std::string::npos)
      << second.out;

  pair->sql('B', "STOP SLAVE");
  const auto job = cronjob_command(*pair, dir / "kubernetes");
  auto stopped = testing::run_shell(testing::shell_words(job));
  EXPECT_EQ(stopped.code, 1) << testing::shell_words(job) << "\n" << stopped.out << stopped.err;
  const fs::path job_metrics = dir / "kubernetes/state/twinlog-pair1.prom";
  ASSERT_TRUE(fs::exists(job_metrics)) << testing::shell_words(job);
  EXPECT_TRUE(fs::exists(dir / "kubernetes/state/pair1.state"));
  auto samples = testing::prom_samples(read_text_file(job_metrics));
  EXPECT_EQ(sample_value(read_text_file(job_metrics),
                         "twinlog_replication_running{command=\"audit\",server=\"B\"}"),
            "0");
  // The lag the pair had (none over the threshold), then A's set to 10 minutes.
  auto lagging = samples;
  for (auto& s : lagging) {
    if (s.series == "twinlog_replication_lag_seconds{command=\"audit\",server=\"A\"}")
      s.value = "600";
  }
  const std::string labels =
      "          - exp_labels: {command: audit, instance: 'db-host:9100', job: node, ";
  std::string groups = testing::promtool_test_group(samples, R"(      - eval_time: 1h
        alertname: TwinlogReplicationNotRunning
        exp_alerts:
)" + labels + R"(server: B, severity: critical}
            exp_annotations:
              summary: "replication into master B is not running"
              description: "At the last twinlog audit, master B's channel from its peer did not have both threads running (Slave_IO_Running / Slave_SQL_Running)."
      - eval_time: 1h
        alertname: TwinlogReplicationLagHigh
        exp_alerts: []
)");
  groups += testing::promtool_test_group(lagging, R"(      - eval_time: 1h
        alertname: TwinlogReplicationLagHigh
        exp_alerts:
)" + labels + R"(server: A, severity: warning}
            exp_annotations:
              summary: "master A was 600 s behind its peer"
              description: "Seconds_Behind_Master of master A's channel from its peer, at the last twinlog audit, was over 5 minutes."
)");
  auto rules = testing::promtool_test_rules(kDeploy + "prometheus/twinlog.rules.yml", groups,
                                            "twinlog-deploy-live-rules-test.yml");
  EXPECT_EQ(rules.code, 0) << rules.out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace twinlog::live
