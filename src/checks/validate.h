// `twinlog validate`: is the pair set up right? One answer per question a DBA
// asks right after setting up a pair (server ids, the binary log, durability,
// auto-increment, filters, GTID domains, replication running, the replication
// accounts), each pass / warn / fail with what was found, what it should be and
// why it matters.
//
// Each setting is checked once in the code base: the configuration findings that
// `twinlog filters`, `loops` and `autoinc` already produce (pair_findings,
// loop_config_findings, autoinc_config_findings) are run here and sorted under the
// check they answer; validate adds only the settings no other check looks at.
// A check's status is its worst finding's: an error fails it, a warning warns, no
// finding (or only info) passes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "src/config/server_config.h"
#include "src/report/finding.h"

namespace twinlog::checks {

enum class CheckStatus : uint8_t { kPass, kWarn, kFail };
std::string_view status_name(CheckStatus s);  // "pass", "warn", "fail"

struct ValidationCheck {
  std::string group;                      // "binary log", "replication", ...
  std::string name;                       // stable, dotted: "validate.log_bin"
  std::string title;                      // "log_bin on both masters"
  std::string found;                      // "A ON (master-a.cnf:7); B ON (master-b.cnf:7)"
  std::string expected;                   // "ON on both"
  std::string why;                        // what goes wrong otherwise
  std::vector<report::Finding> findings;  // what is wrong, if anything
  CheckStatus status() const;
  // Adds a finding (its evidence to be pushed by the caller).
  report::Finding& add(report::Severity severity, std::string code, std::string message,
                       std::string action);
};

struct Validation {
  std::vector<ValidationCheck> checks;
  // A check that was not run and why ("replication running: give --a and --b").
  std::vector<std::string> not_run;
  // Every check's findings, in check order.
  std::vector<report::Finding> findings() const;
};

// The checks the two configurations answer (option files or live variables; a
// live master's replica channels, when read, feed the loop findings too).
Validation validate_configs(const config::ServerConfig& a, const config::ServerConfig& b);

// "A 1 (master-a.cnf:6); B 2 (master-b.cnf:6)": each master's value of a setting
// and where it came from, as a check's `found` shows it.
template <class T, class Show>
std::string both_settings(const config::Setting<T>& a, const config::Setting<T>& b, Show show) {
  return "A " + show(a.value) + " (" + a.origin.text() + "); B " + show(b.value) + " (" +
         b.origin.text() + ")";
}

}  // namespace twinlog::checks
