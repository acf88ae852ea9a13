// `twinlog autoinc`'s findings from the two configurations alone: an increment
// below 2, offsets in one class, an offset above the increment, values outside
// 1..65535 (autoinc_config_findings, autoinc_check.h).
#include <algorithm>
#include <numeric>

#include "src/checks/autoinc_check.h"
#include "src/checks/autoinc_class.h"
#include "src/checks/setting_evidence.h"
#include "src/report/concat.h"

namespace twinlog::checks {

using report::Evidence;
using report::Finding;
using report::Severity;

std::string autoinc::class_text(uint64_t increment, uint64_t offset) {
  return "auto_increment_increment=" + std::to_string(increment) +
         ", auto_increment_offset=" + std::to_string(offset);
}

using autoinc::class_text;

namespace {

// The setting with its value: "auto_increment_offset=1".
Evidence setting_evidence(const std::string& server, const std::string& option, uint64_t value,
                          const config::SettingOrigin& origin) {
  return checks::setting_evidence(server, report::concat(option, "=", std::to_string(value)),
                                  origin);
}

}  // namespace

std::vector<Finding> autoinc_config_findings(const config::ServerConfig& a,
                                             const config::ServerConfig& b) {
  std::vector<Finding> out;
  const std::pair<const config::ServerConfig*, std::string> servers[] = {{&a, "A"}, {&b, "B"}};
  for (const auto& [c, name] : servers) {
    const auto& inc = c->auto_increment_increment;
    const auto& off = c->auto_increment_offset;
    for (const auto& n : c->notes) {
      // The note's message is "FILE:LINE: NAME = VALUE is outside ...".
      if (n.code != "config.value_adjusted" ||
          (n.message.find(": auto_increment_") == std::string::npos &&
           n.message.find(": auto-increment-") == std::string::npos)) {
        continue;
      }
      Finding f;
      f.severity = Severity::kWarning;
      f.code = "autoinc.out_of_range";
      f.message = name + ": " + n.message;
      Evidence e;
      e.server = name;
      e.option_source = n.origin.text();
      f.evidence.push_back(std::move(e));
      f.action = "Write a value within 1..65535.";
      out.push_back(std::move(f));
    }
    for (const auto* s : {&inc, &off}) {
      if (s->value >= 1 && s->value <= 65535) continue;
      const std::string option = s == &inc ? "auto_increment_increment" : "auto_increment_offset";
      Finding f;
      f.severity = Severity::kWarning;
      f.code = "autoinc.out_of_range";
      f.message = report::concat(name, "'s ", option, "=", std::to_string(s->value),
                                 " is outside 1..65535");
      f.evidence.push_back(setting_evidence(name, option, s->value, s->origin));
      f.action = "Write a value within 1..65535.";
      out.push_back(std::move(f));
    }
    if (inc.value < 2) {
      Finding f;
      f.severity = Severity::kError;
      f.code = "autoinc.increment_too_small";
      f.message = report::concat(name, "'s auto_increment_increment=", std::to_string(inc.value),
                                 " is below 2, the number of masters: ", name,
                                 " hands out every id, the other master's too");
      f.evidence.push_back(
          setting_evidence(name, "auto_increment_increment", inc.value, inc.origin));
      f.action =
          "Set auto_increment_increment=2 on both masters (or more, to leave room for "
          "another), with a distinct auto_increment_offset on each.";
      out.push_back(std::move(f));
    }
    if (off.value > inc.value) {
      Finding f;
      f.severity = Severity::kWarning;
      f.code = "autoinc.offset_above_increment";
      f.message = name + "'s auto_increment_offset=" + std::to_string(off.value) +
                  " is above its auto_increment_increment=" + std::to_string(inc.value) +
                  ": the server ignores such an offset";
      f.evidence.push_back(setting_evidence(name, "auto_increment_offset", off.value, off.origin));
      f.evidence.push_back(
          setting_evidence(name, "auto_increment_increment", inc.value, inc.origin));
      f.action = "Use an offset from 1 to the increment.";
      out.push_back(std::move(f));
    }
  }
  // Two classes (offset mod increment) share ids when the offsets agree modulo
  // the increments' greatest common divisor.
  const uint64_t ia = std::max<uint64_t>(a.auto_increment_increment.value, 1);
  const uint64_t ib = std::max<uint64_t>(b.auto_increment_increment.value, 1);
  const uint64_t g = std::gcd(ia, ib);
  const uint64_t oa = a.auto_increment_offset.value, ob = b.auto_increment_offset.value;
  if ((ia >= 2 || ib >= 2) && oa % g == ob % g) {
    Finding f;
    f.severity = Severity::kError;
    f.code = "autoinc.same_class";
    f.message = "A (" + class_text(ia, oa) + ") and B (" + class_text(ib, ob) +
                ") hand out the same ids: an insert on each can take one key, and replication "
                "stops with error 1062";
    f.evidence.push_back(
        setting_evidence("A", "auto_increment_offset", oa, a.auto_increment_offset.origin));
    f.evidence.push_back(
        setting_evidence("B", "auto_increment_offset", ob, b.auto_increment_offset.origin));
    f.evidence.push_back(
        setting_evidence("A", "auto_increment_increment", ia, a.auto_increment_increment.origin));
    f.evidence.push_back(
        setting_evidence("B", "auto_increment_increment", ib, b.auto_increment_increment.origin));
    f.action =
        "Give the masters one auto_increment_increment of at least 2 and distinct "
        "auto_increment_offset values (1 on A, 2 on B).";
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace twinlog::checks
