// The Prometheus text a run's metrics render to, checked by the format's own
// linter (promtool check metrics, Debian package prometheus), and the atomic
// write that the node exporter's textfile collector needs.
#include "src/report/metrics.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "tests/support/cli_run.h"

namespace twinlog {
namespace {

namespace fs = std::filesystem;
using report::RunMetrics;

report::Finding finding(report::Severity severity, const std::string& code) {
  report::Finding f;
  f.severity = severity;
  f.code = code;
  f.message = "m";
  return f;
}

RunMetrics sample_run() {
  RunMetrics run;
  run.command = "validate";
  run.findings = {finding(report::Severity::kWarning, "config.filter_comma_list"),
                  finding(report::Severity::kWarning, "config.filter_comma_list"),
                  finding(report::Severity::kError, "replication.sql_not_running")};
  run.replication = {{"A", true, 0}, {"B", false, std::nullopt}};
  run.started = 1764136800.25;
  run.duration = 0.1;
  run.success = true;
  return run;
}

// promtool's verdict on `text`: its exit code, with its output.
std::pair<int, std::string> promtool(const std::string& text) {
  const std::string file = testing::write_temp_file("twinlog-metrics-test.prom", text);
  const std::string out_file = file + ".out";
  const int rc =
      std::system(("promtool check metrics < " + file + " > " + out_file + " 2>&1").c_str());
  std::ifstream in(out_file);
  std::string out{std::istreambuf_iterator<char>(in), {}};
  fs::remove(file);
  fs::remove(out_file);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

TEST(Metrics, ARunRendersToTheTextFormat) {
  const std::string text = report::render_metrics(sample_run());
  EXPECT_NE(text.find("# TYPE twinlog_findings gauge\n"
                      "twinlog_findings{command=\"validate\",code=\"config.filter_comma_list\","
                      "severity=\"warning\"} 2\n"
                      "twinlog_findings{command=\"validate\",code=\"replication.sql_not_running\","
                      "severity=\"error\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("twinlog_findings_by_severity{command=\"validate\",severity=\"info\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("twinlog_replication_running{command=\"validate\",server=\"B\"} 0\n"),
            std::string::npos);
  // B's lag is unknown (a stopped thread): no sample rather than a made-up 0.
  EXPECT_NE(text.find("twinlog_replication_lag_seconds{command=\"validate\",server=\"A\"} 0\n"),
            std::string::npos);
  EXPECT_EQ(text.find("twinlog_replication_lag_seconds{command=\"validate\",server=\"B\"}"),
            std::string::npos);
  EXPECT_NE(text.find("twinlog_last_run_timestamp_seconds{command=\"validate\"} 1764136800.25\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("twinlog_run_duration_seconds{command=\"validate\"} 0.1\n"),
            std::string::npos);
  EXPECT_EQ(text.find("twinlog_rows_checked"), std::string::npos);
}

TEST(Metrics, PromtoolAcceptsWhatIsRendered) {
  auto [rc, out] = promtool(report::render_metrics(sample_run()));
  EXPECT_EQ(rc, 0) << out;
  RunMetrics audit = sample_run();
  audit.command = "audit \"nightly\"\\";  // a label value that needs escaping
  audit.rows_checked = 12345;
  audit.bytes_checked = 1u << 30;
  audit.success = false;
  std::tie(rc, out) = promtool(report::render_metrics(audit));
  EXPECT_EQ(rc, 0) << out;
  // The linter does fail: a counter without _total is refused.
  std::tie(rc, out) = promtool("# HELP x_bytes b\n# TYPE x_bytes counter\nx_bytes 1\n");
  EXPECT_NE(rc, 0) << out;
}

TEST(Metrics, TheFileIsReplacedWhole) {
  const fs::path dir = fs::temp_directory_path() / ("twinlog-metrics-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "twinlog.prom").string();
  report::write_file_atomically(path, "old\n");
  report::write_file_atomically(path, "new\n");
  std::ifstream in(path);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "new\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(Metrics, AFileThatCannotBeWrittenThrowsNamingIt) {
  try {
    report::write_file_atomically("/nonexistent-dir/twinlog.prom", "x\n");
    FAIL() << "no exception";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/twinlog.prom.tmp."), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace twinlog
