// Findings rendered for people and for programs:
//   text  - grouped by severity (errors first), each finding with its evidence and
//           what to do, then a one-line summary; colour only when asked (a terminal);
//   jsonl - one JSON object per finding, one per line;
//   json  - one document: {"findings": [...], "summary": {...}}.
// The objects follow src/report/finding.schema.json.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/report/finding.h"

namespace twinlog::report {

enum class Format : uint8_t { kText, kJsonLines, kJson };
std::optional<Format> parse_format(std::string_view text);  // text, jsonl, json

void render_text(const std::vector<Finding>& findings, std::string& out, bool colour);
void render_json_lines(const std::vector<Finding>& findings, std::string& out);
// A command's own members of the json document (name, raw JSON value), written
// before the findings: its totals. finding.schema.json's document names each.
using DocumentMembers = std::vector<std::pair<std::string_view, std::string>>;
void render_json(const std::vector<Finding>& findings, std::string& out,
                 const DocumentMembers& members = {});
void render(const std::vector<Finding>& findings, Format format, std::string& out, bool colour,
            const DocumentMembers& members = {});

// An evidence's place as text shows it, without its statement and option:
// "server A  mysql-bin.000002:1234-1456  gtid 0-1-24  server_id 1  <time> UTC  test.t".
std::string evidence_line(const Evidence& e);

// A cause's first words as text and the page show them:
// "cause (skipped_error; shown by config.slave_skip_errors, autoinc.collision)".
std::string cause_heading(const Cause& cause);
// The cause under a finding in text: its heading and explanation, then its evidence.
void append_cause_text(const Cause& cause, std::string& out);

// One finding as a JSON object (no newline).
void append_finding_json(const Finding& finding, std::string& out);
// The summary object of the json document: {"error":N,"warning":N,"info":N}.
void append_summary_json(const Summary& summary, std::string& out);

}  // namespace twinlog::report
