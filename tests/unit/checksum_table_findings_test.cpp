// `twinlog checksum` reads no binlogs: its findings of rows and tables that
// differ say that `twinlog audit --checksum` names their cause, in text and in
// JSON; a finding that is no difference (a table without a key) does not.
#include "src/checks/checksum_table_findings.h"

#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "src/checks/checksum_compare.h"
#include "src/checks/checksum_values.h"
#include "src/report/render.h"

namespace twinlog::checks {
namespace {

constexpr const char* kPointer =
    "Why it differs: `twinlog audit --checksum` reads both masters' binlogs as well and names the "
    "cause (a skipped error, a filtered statement, a write made with sql_log_bin=0, ...).";

std::string row(std::initializer_list<std::string> values) {
  std::string out;
  for (const auto& v : values) append_value(out, std::string_view(v));
  return out;
}

std::vector<report::Finding> findings() {
  ChecksumTable t;
  t.database = "test";
  t.table = "orders";
  t.key = {"id"};
  const std::vector<ValueColumn> columns{{"id", ValueKind::kDecimal}, {"s", ValueKind::kText}};
  auto out = row_findings(
      t, columns, "all rows",
      compare_rows({row({"1", "a"}), row({"2", "b"})}, {row({"1", "x"}), row({"3", "c"})}, {0}));
  ChecksumTable nokey;
  nokey.database = "test";
  nokey.table = "nokey";
  const auto copies = row({"5", "y"});
  auto counted =
      row_findings(nokey, columns, "whole", compare_rows({copies}, {copies, copies}, {}));
  out.insert(out.end(), counted.begin(), counted.end());
  out.push_back(table_only_on({"test", "only_b"}, "B", "A"));
  out.push_back(no_key(nokey));
  return out;
}

TEST(ChecksumTableFindings, DifferencesPointToTheAuditForTheirCause) {
  auto f = findings();
  ASSERT_EQ(f.size(), 6u);
  const std::vector<std::string> before{f[0].action, f[5].action};
  point_to_audit_for_cause(f);
  const std::vector<std::string> codes{"checksum.row_differs",   "checksum.row_missing",
                                       "checksum.row_missing",   "checksum.row_count_differs",
                                       "checksum.table_only_on", "checksum.no_key"};
  for (std::size_t i = 0; i < f.size(); ++i) {
    EXPECT_EQ(f[i].code, codes[i]);
    const bool pointed = f[i].action.size() > std::strlen(kPointer) &&
                         f[i].action.ends_with(std::string(" ") + kPointer);
    EXPECT_EQ(pointed, i < 5) << f[i].action;
  }
  // Appended: the repair statements before it are unchanged.
  EXPECT_EQ(f[0].action, before[0] + " " + kPointer);
  EXPECT_EQ(f[5].action, before[1]);

  std::string text;
  report::render_text(f, text, false);
  std::size_t in_text = 0;
  for (std::size_t at = text.find(kPointer); at != std::string::npos;
       at = text.find(kPointer, at + 1))
    ++in_text;
  EXPECT_EQ(in_text, 5u) << text;

  std::string json;
  report::render(f, report::Format::kJson, json, false);
  const auto doc = nlohmann::json::parse(json);
  std::size_t in_json = 0;
  for (const auto& finding : doc["findings"]) {
    const std::string action = finding["action"];
    if (action.ends_with(kPointer)) ++in_json;
  }
  EXPECT_EQ(in_json, 5u) << json;
}

}  // namespace
}  // namespace twinlog::checks
