// samples/deploy/ as written: the Prometheus alert rules checked by promtool and
// tested on the metrics real `twinlog audit --metrics` runs write; the systemd
// units checked by systemd-analyze verify and their hardening read against what
// the service writes; the Kubernetes CronJob read for what a nightly job needs.
// tests/live/deploy_live_test.cpp runs the service's ExecStart and the CronJob's
// command against a real pair.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/cli_run.h"
#include "tests/support/deploy_files.h"

namespace twinlog::testing {
namespace {

namespace fs = std::filesystem;

const std::string kDeploy = std::string(TWINLOG_SAMPLES_DIR) + "/deploy/";
const std::string kRules = kDeploy + "prometheus/twinlog.rules.yml";
const std::string kService = kDeploy + "systemd/twinlog-audit@.service";
const std::string kTimer = kDeploy + "systemd/twinlog-audit@.timer";
const std::string kCronJob = kDeploy + "kubernetes/twinlog-audit-cronjob.yaml";

bool have(const char* program) {
  return run_shell(std::string("command -v ") + program + " >/dev/null").code == 0;
}

fs::path fresh_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// The metrics file of `twinlog audit ARGS --metrics`, as its samples.
std::vector<PromSample> audit_metrics(const std::string& args, int expected_code) {
  const std::string file =
      (fs::temp_directory_path() / ("twinlog-deploy-" + std::to_string(::getpid()) + ".prom"))
          .string();
  auto r = run_twinlog("audit " + args + " --metrics " + file);
  EXPECT_EQ(r.code, expected_code) << r.out << r.err;
  auto samples = prom_samples(read_text_file(file));
  fs::remove(file);
  return samples;
}

TEST(DeployRules, PromtoolChecksTheRuleFile) {
  if (!have("promtool")) GTEST_SKIP() << "no promtool (Debian package prometheus)";
  auto r = run_shell("promtool check rules " + shell_words({kRules}) + " 2>&1");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("SUCCESS: 6 rules found"), std::string::npos) << r.out;
}

// The series of real audits: a collision (errors), the healthy pair (none), a run
// stopped by an unreadable option file (run_success 0), and the collision's
// again with its start time moved to promtool's clock (which starts at 0).
TEST(DeployRules, AlertsFireOnTheMetricsOfRealAudits) {
  if (!have("promtool")) GTEST_SKIP() << "no promtool (Debian package prometheus)";
  const auto collision = audit_metrics(scenario_pair_args("collision"), 1);
  const auto healthy = audit_metrics(scenario_pair_args("healthy"), 0);
  std::string unreadable = scenario_pair_args("healthy");
  unreadable.replace(unreadable.find("healthy/master-a.cnf"), 7, "missing");
  const auto failed = audit_metrics(unreadable, 2);
  auto stale = collision;
  int moved = 0;
  for (auto& s : stale) {
    if (s.series.rfind("twinlog_last_run_timestamp_seconds", 0) == 0) {
      s.value = "0";
      ++moved;
    }
  }
  ASSERT_EQ(moved, 1);
  // The alert's summary quotes the audit's own error count.
  std::string errors;
  for (const auto& s : collision)
    if (s.series.rfind("twinlog_findings_by_severity{", 0) == 0 &&
        s.series.find("severity=\"error\"") != std::string::npos)
      errors = s.value;
  ASSERT_FALSE(errors.empty());
  const std::string labels = "          - exp_labels: {command: audit, instance: 'db-host:9100', ";
  // An alert rule test item: `alertname` does not fire at `eval_time`.
  auto quiet = [](const std::string& eval_time, const std::string& alertname) {
    return "      - eval_time: " + eval_time + "\n        alertname: " + alertname +
           "\n        exp_alerts: []\n";
  };
  std::string groups = promtool_test_group(collision, R"(      - eval_time: 1h
        alertname: TwinlogFindingsError
        exp_alerts:
)" + labels + R"(job: node, severity: critical}
            exp_annotations:
              summary: "twinlog audit found )" + errors + R"( error(s) on db-host:9100"
              description: "The pair's masters differ or are set up so that they will: open the audit's page (PAIR.html beside its state file) for the findings and their causes."
)" + quiet("1h", "TwinlogAuditFailed") + quiet("30h", "TwinlogAuditNotRun") +
                                                          quiet("30h",
                                                                "TwinlogAuditMetricsMissing"));
  groups += promtool_test_group(
      healthy, quiet("1h", "TwinlogFindingsError") + quiet("1h", "TwinlogAuditFailed"));
  groups += promtool_test_group(failed, R"(      - eval_time: 1h
        alertname: TwinlogAuditFailed
        exp_alerts:
)" + labels + R"(job: node, severity: critical}
            exp_annotations:
              summary: "twinlog audit could not complete on db-host:9100"
              description: "The last twinlog audit stopped on an error (a master unreachable, a binlog unreadable, a bad option): its findings are incomplete. See the service's log (journalctl -u 'twinlog-audit@*') or the job's pod log."
)" + quiet("1h", "TwinlogFindingsError"));
  groups +=
      promtool_test_group(stale, quiet("25h", "TwinlogAuditNotRun") + R"(      - eval_time: 27h
        alertname: TwinlogAuditNotRun
        exp_alerts:
)" + labels + R"(job: node, severity: warning}
            exp_annotations:
              summary: "no twinlog audit for over a day on db-host:9100"
              description: "The last twinlog audit started 1d 3h 0m 0s ago: the timer or CronJob did not run it."
)");
  auto r = promtool_test_rules(kRules, groups, "twinlog-deploy-rules-test.yml");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("SUCCESS"), std::string::npos) << r.out;
}

// systemd-analyze verify reads the units inside a root holding the system's own
// units and an executable where ExecStart looks for twinlog; it names every key
// it cannot parse, so any output is a failure.
TEST(DeploySystemd, SystemdAnalyzeVerifiesTheServiceAndTheTimer) {
  if (!have("systemd-analyze")) GTEST_SKIP() << "no systemd-analyze (Debian package systemd)";
  const fs::path root = fresh_dir("twinlog-deploy-root");
  fs::create_directories(root / "etc/systemd/system");
  fs::create_directories(root / "usr/lib/systemd");
  fs::copy("/usr/lib/systemd/system", root / "usr/lib/systemd/system",
           fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  fs::copy(kService, root / "etc/systemd/system/");
  fs::copy(kTimer, root / "etc/systemd/system/");
  const auto words =
      split_command_line(unit_setting(read_unit_file(kService), "Service.ExecStart"));
  const fs::path binary = root / fs::path(words.at(0)).relative_path();
  fs::create_directories(binary.parent_path());
  fs::copy(TWINLOG_BINARY, binary);
  auto r = run_shell("systemd-analyze verify --root=" + shell_words({root.string()}) +
                     " twinlog-audit@pair1.service twinlog-audit@pair1.timer 2>&1");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out, "");
  fs::remove_all(root);
}

// The user the service runs as is the one the sysusers.d file creates
// (systemd-sysusers --dry-run creates nobody).
TEST(DeploySystemd, TheSysusersFileCreatesTheServicesUser) {
  if (!have("systemd-sysusers")) GTEST_SKIP() << "no systemd-sysusers (Debian package systemd)";
  const std::string user = unit_setting(read_unit_file(kService), "Service.User");
  auto r =
      run_shell("systemd-sysusers --dry-run " +
                shell_words({fs::absolute(kDeploy + "systemd/twinlog.sysusers.conf").string()}));
  EXPECT_EQ(r.code, 0) << r.err;
  if (run_shell("getent passwd " + user + " >/dev/null").code == 0) return;  // installed here
  EXPECT_NE(r.err.find("Creating user '" + user + "'"), std::string::npos) << r.err;
}

// Under ProtectSystem=strict the service may write only its StateDirectory and
// its ReadWritePaths: every file the audit writes must be in one of them.
TEST(DeploySystemd, TheServiceWritesOnlyWhereItsHardeningLetsIt) {
  const auto unit = read_unit_file(kService);
  EXPECT_EQ(unit_setting(unit, "Service.ProtectSystem"), "strict");
  EXPECT_EQ(unit_setting(unit, "Service.Type"), "oneshot");
  const std::string state = "/var/lib/" + unit_setting(unit, "Service.StateDirectory");
  const std::string writable = unit_setting(unit, "Service.ReadWritePaths");
  const auto words = split_command_line(unit_setting(unit, "Service.ExecStart"));
  ASSERT_GE(words.size(), 2u);
  EXPECT_EQ(words[1], "audit");
  int outputs = 0;
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] != "--state" && words[i] != "--html" && words[i] != "--metrics") continue;
    const std::string path = expand_unit_word(words[i + 1], {{'S', "/var/lib"}, {'i', "p"}}, {});
    EXPECT_TRUE(moved_path(path, state, "") != path || moved_path(path, writable, "") != path)
        << words[i] << " " << path << " is outside " << state << " and " << writable;
    ++outputs;
  }
  EXPECT_EQ(outputs, 3);
  // The credentials come through LoadCredential, read by --defaults-file.
  const auto credential = unit_setting(unit, "Service.LoadCredential");
  const std::string name = credential.substr(0, credential.find(':'));
  bool reads_it = false;
  for (const auto& w : words) reads_it = reads_it || w == "--defaults-file=%d/" + name;
  EXPECT_TRUE(reads_it) << "ExecStart does not read the credential " << name;
}

// The CronJob: never two runs at once, the state on a persistent volume, the
// credentials from a Secret as an option file, a writable place for every output.
TEST(DeployKubernetes, TheCronJobKeepsItsStateAndReadsItsSecret) {
  if (run_shell("python3 -c 'import yaml'").code != 0) GTEST_SKIP() << "no python3-yaml";
  const auto docs = yaml_documents(kCronJob);
  const nlohmann::json* cron = nullptr;
  for (const auto& d : docs) {
    if (d["kind"] == "CronJob") cron = &d;
  }
  ASSERT_NE(cron, nullptr);
  EXPECT_EQ((*cron)["apiVersion"], "batch/v1");
  EXPECT_EQ((*cron)["spec"]["concurrencyPolicy"], "Forbid");
  const auto& pod = (*cron)["spec"]["jobTemplate"]["spec"]["template"]["spec"];
  ASSERT_EQ(pod["containers"].size(), 1u);
  const auto& container = pod["containers"][0];
  std::map<std::string, nlohmann::json> volumes;
  for (const auto& v : pod["volumes"]) volumes[v["name"]] = v;
  std::map<std::string, std::string> mount_kind;  // mountPath -> "pvc" or "secret"
  for (const auto& m : container["volumeMounts"]) {
    const auto& v = volumes.at(m["name"]);
    if (v.contains("persistentVolumeClaim")) mount_kind[m["mountPath"]] = "pvc";
    if (v.contains("secret")) mount_kind[m["mountPath"]] = "secret";
  }
  auto kind_of = [&](const std::string& path) {
    for (const auto& [mount, kind] : mount_kind) {
      if (moved_path(path, mount, "") != path) return kind;
    }
    return std::string("none");
  };
  std::vector<std::string> words = container["command"];
  for (const auto& a : container["args"]) words.push_back(a);
  ASSERT_GE(words.size(), 2u);
  EXPECT_EQ(words[1], "audit");
  std::map<std::string, std::string> kinds;
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == "--state" || words[i] == "--html" || words[i] == "--metrics")
      kinds[words[i]] = kind_of(words[i + 1]);
    if (words[i].rfind("--defaults-file=", 0) == 0)
      kinds["--defaults-file"] = kind_of(words[i].substr(16));
  }
  EXPECT_EQ(kinds["--state"], "pvc");
  EXPECT_EQ(kinds["--html"], "pvc");
  EXPECT_EQ(kinds["--metrics"], "pvc");
  EXPECT_EQ(kinds["--defaults-file"], "secret");
}

}  // namespace
}  // namespace twinlog::testing
