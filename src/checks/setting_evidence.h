// A finding's evidence that quotes a setting: the server, the option as it reads,
// and where its value came from (a file line, a live variable, the default).
// Shared by every check's configuration findings.
#pragma once

#include <string>

#include "src/config/server_config.h"
#include "src/report/finding.h"

namespace twinlog::checks {

inline report::Evidence setting_evidence(const std::string& server, std::string option,
                                         const config::SettingOrigin& origin) {
  report::Evidence e;
  e.server = server;
  e.option = std::move(option);
  e.option_source = origin.text();
  return e;
}

}  // namespace twinlog::checks
