#include "src/report/finding.h"

#include <algorithm>
#include <utility>

namespace twinlog::report {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      break;
  }
  return "error";
}

std::optional<Severity> parse_severity(std::string_view text) {
  for (Severity s : {Severity::kInfo, Severity::kWarning, Severity::kError}) {
    if (severity_name(s) == text) return s;
  }
  return std::nullopt;
}

Finding& add_finding(std::vector<Finding>& out, Severity severity, std::string code,
                     std::string message, std::string action) {
  Finding& f = out.emplace_back();
  f.severity = severity;
  f.code = std::move(code);
  f.message = std::move(message);
  f.action = std::move(action);
  return f;
}

std::string_view cause_kind_name(CauseKind k) {
  switch (k) {
    case CauseKind::kFilteredStatement:
      return "filtered_statement";
    case CauseKind::kSkippedError:
      return "skipped_error";
    case CauseKind::kCollision:
      return "collision";
    case CauseKind::kLoop:
      return "loop";
    case CauseKind::kUnloggedWrite:
      return "unlogged_write";
    case CauseKind::kUnexplained:
      break;
  }
  return "unexplained";
}

bool Evidence::empty() const {
  return server.empty() && file.empty() && !start && !end && gtid.empty() && !origin_server_id &&
         !time && table.empty() && statement.empty() && option.empty() && option_source.empty();
}

Summary summarize(const std::vector<Finding>& findings) {
  Summary s;
  for (const auto& f : findings) {
    switch (f.severity) {
      case Severity::kInfo:
        ++s.info;
        break;
      case Severity::kWarning:
        ++s.warning;
        break;
      case Severity::kError:
        ++s.error;
        break;
    }
  }
  return s;
}

int exit_code_for(const std::vector<Finding>& findings, Severity fail_on) {
  bool failing = std::any_of(findings.begin(), findings.end(),
                             [fail_on](const Finding& f) { return f.severity >= fail_on; });
  return failing ? kExitFindings : kExitClean;
}

}  // namespace twinlog::report
