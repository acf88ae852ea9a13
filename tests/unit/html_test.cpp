// The HTML page: verdict first, findings grouped by cause with their evidence,
// the timeline, everything escaped, nothing fetched from elsewhere; and the page
// as headless Chromium (Debian's chromium) lays it out.
#include "src/report/html.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/support/cli_run.h"

namespace twinlog::report {
namespace {

Finding finding(Severity s, std::string code, std::string message, uint32_t time,
                std::string server = "A") {
  Finding f;
  f.severity = s;
  f.code = std::move(code);
  f.message = std::move(message);
  Evidence e;
  e.server = std::move(server);
  e.file = "mysql-bin.000001";
  e.start = 664;
  e.end = 878;
  e.gtid = "0-1-3";
  e.origin_server_id = 1;
  e.time = time;
  e.table = "test.t";
  e.statement = "INSERT INTO t VALUES ('<b>')";
  f.evidence.push_back(std::move(e));
  f.action = "Compare test.t on both masters & repair it.";
  return f;
}

HtmlPage sample_page() {
  HtmlPage page;
  page.title = "twinlog audit: A <a.cnf> and B";
  page.facts = {"A: 2 binlog files, 1 234 transactions", "read at 2026-11-26 06:00:00 UTC"};
  page.findings = {
      finding(Severity::kInfo, "autoinc.gap", "1 ids of A's class", 1'700'000'100),
      finding(Severity::kError, "autoinc.collision", "both masters inserted id 1", 1'700'000'050,
              "B"),
      finding(Severity::kWarning, "config.filter_comma_list", "a comma list", 1'700'000'000),
      finding(Severity::kError, "loop.duplicate_transaction", "0-3-3 465 times", 1'700'000'020)};
  page.timeline.start = 1'700'000'000;
  page.timeline.bucket_seconds = 10;
  page.timeline.buckets = 12;
  page.timeline.series = {{"A", 1, {3, 0, 5, 1, 0, 0, 0, 2, 0, 0, 1, 0}},
                          {"A", 2, {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 4}},
                          {"B", 2, {0, 2, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0}}};
  return page;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(HtmlPage, VerdictFirstThenCausesInOrderThenTheTimeline) {
  std::string html;
  render_html(sample_page(), html);
  const auto verdict = html.find("Divergence or a fault found: 2 errors, 1 warnings, 1 info");
  const auto autoinc = html.find("<h2>Auto-increment</h2>");
  const auto loops = html.find("<h2>Replication loops</h2>");
  const auto config = html.find("<h2>Configuration</h2>");
  const auto timeline = html.find("<h2>Timeline</h2>");
  ASSERT_NE(verdict, std::string::npos) << html;
  EXPECT_LT(verdict, autoinc);
  EXPECT_LT(autoinc, loops);
  EXPECT_LT(loops, config);
  EXPECT_LT(config, timeline);
  // Within a cause, errors before info.
  EXPECT_LT(html.find("autoinc.collision"), html.find("autoinc.gap"));
  // Evidence as text shows it.
  EXPECT_NE(html.find("server A  mysql-bin.000001:664-878  gtid 0-1-3  server_id 1"),
            std::string::npos);
  // One chart per master, a bar per non-zero count, a line per evidence time.
  EXPECT_EQ(count(html, "<svg "), 2u);
  EXPECT_EQ(count(html, "<rect "), 11u);
  EXPECT_EQ(count(html, "<line "), 4u);
}

TEST(HtmlPage, EverythingIsEscapedAndNothingIsFetched) {
  std::string html;
  render_html(sample_page(), html);
  EXPECT_EQ(html.find("('<b>')"), std::string::npos);
  EXPECT_NE(html.find("INSERT INTO t VALUES (&#39;&lt;b&gt;&#39;)"), std::string::npos);
  EXPECT_NE(html.find("twinlog audit: A &lt;a.cnf&gt; and B"), std::string::npos);
  EXPECT_NE(html.find("both masters &amp; repair"), std::string::npos);
  for (const char* external : {"<script", "src=", "href=", "url(", "@import", "<link"}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
}

TEST(HtmlPage, HealthyAndEmpty) {
  HtmlPage page;
  page.title = "twinlog audit";
  std::string html;
  render_html(page, html);
  EXPECT_NE(html.find("class=\"verdict clean\" id=\"verdict\">Healthy: 0 errors"),
            std::string::npos);
  EXPECT_NE(html.find("<p>No findings.</p>"), std::string::npos);
  EXPECT_NE(html.find("<p>No transaction with a time was read.</p>"), std::string::npos);
}

// The sample page with its collision explained: a missing transaction whose
// cause is the skipped duplicate-key error.
HtmlPage explained_page() {
  HtmlPage page = sample_page();
  Finding missing = finding(Severity::kError, "diff.transaction_missing",
                            "a transaction of A's binlog is not in B's binlog", 1'700'000'050);
  Cause c;
  c.kind = CauseKind::kSkippedError;
  c.codes = {"config.slave_skip_errors", "autoinc.collision"};
  c.explanation = "B's replica skipped the <duplicate> key";
  Evidence setting;
  setting.server = "B";
  setting.option = "slave_skip_errors=1062";
  c.evidence = {setting};
  missing.cause = c;
  page.findings.push_back(missing);
  return page;
}

TEST(HtmlPage, ExplainedDivergencesComeFirstUnderTheirCause) {
  std::string plain, html;
  render_html(sample_page(), plain);
  render_html(explained_page(), html);
  // A page without a cause is as it was.
  EXPECT_EQ(plain.find("explanation"), std::string::npos);
  EXPECT_EQ(plain.find("cause-skipped_error"), std::string::npos);
  const auto section = html.find(
      "<section class=\"cause\" id=\"cause-skipped_error\"><h2>Caused by a skipped "
      "replication error</h2>");
  ASSERT_NE(section, std::string::npos) << html;
  EXPECT_LT(html.find("id=\"verdict\""), section);
  EXPECT_LT(section, html.find("<h2>Auto-increment</h2>"));
  EXPECT_NE(html.find("<div class=\"explanation\"><b>cause (skipped_error; shown by "
                      "config.slave_skip_errors, autoinc.collision):</b> B&#39;s replica "
                      "skipped the &lt;duplicate&gt; key</div><div class=\"evidence\">server "
                      "B\noption: slave_skip_errors=1062</div>"),
            std::string::npos)
      << html;
  // Shown once, under its cause, not again under the check that found it.
  EXPECT_EQ(count(html, "<span class=\"code\">diff.transaction_missing</span>"), 1u);
  EXPECT_EQ(html.find("<h2>Binlogs that disagree</h2>"), std::string::npos);
  EXPECT_NE(html.find(".explanation{"), std::string::npos);
}

// Debian's chromium, headless: the page as a browser builds it (the DOM after
// parsing) and a screenshot of its layout.
TEST(HtmlPage, ChromiumShowsTheVerdictTheFindingsAndTheCharts) {
  namespace fs = std::filesystem;
  std::string html;
  render_html(sample_page(), html);
  const std::string page = testing::write_temp_file("twinlog-html-test.html", html);
  const std::string shot = testing::temp_path("twinlog-html-test.png");
  fs::remove(shot);
  const std::string chromium =
      "chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
      "--no-first-run --user-data-dir=" +
      testing::temp_path("twinlog-html-chromium");
  auto dom = testing::run_shell(chromium + " --dump-dom file://" + page);
  ASSERT_EQ(dom.code, 0) << "is Debian's chromium installed (tools/lib/deps.sh)?";
  // The parser kept every element: the verdict first, the four findings, both charts.
  EXPECT_NE(dom.out.find("<div class=\"verdict error\" id=\"verdict\">Divergence or a fault "
                         "found: 2 errors, 1 warnings, 1 info</div>"),
            std::string::npos)
      << dom.out;
  EXPECT_EQ(count(dom.out, "<div class=\"finding "), 4u);
  EXPECT_EQ(count(dom.out, "<svg "), 2u);
  EXPECT_EQ(count(dom.out, "<script"), 0u);
  // An explained divergence: its cause's section, before the checks' own.
  const std::string explained = testing::write_temp_file("twinlog-html-explained.html", [] {
    std::string out;
    render_html(explained_page(), out);
    return out;
  }());
  auto cause_dom = testing::run_shell(chromium + " --dump-dom file://" + explained);
  ASSERT_EQ(cause_dom.code, 0);
  const auto section = cause_dom.out.find("id=\"cause-skipped_error\"");
  ASSERT_NE(section, std::string::npos) << cause_dom.out;
  EXPECT_LT(section, cause_dom.out.find("id=\"cause-autoinc\""));
  EXPECT_EQ(count(cause_dom.out, "<div class=\"finding "), 5u);
  EXPECT_EQ(count(cause_dom.out, "<div class=\"explanation\">"), 1u);
  fs::remove(explained);
  auto r = testing::run_shell(chromium + " --window-size=1200,1600 --screenshot=" + shot +
                              " file://" + page);
  ASSERT_EQ(r.code, 0);
  ASSERT_TRUE(fs::exists(shot));
  EXPECT_GT(fs::file_size(shot), 10'000u);  // a laid-out page, not a blank one
  fs::remove(shot);
  fs::remove(page);
}

}  // namespace
}  // namespace twinlog::report
