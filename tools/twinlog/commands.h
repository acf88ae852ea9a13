// The subcommands of `twinlog`, one file each. Each takes its arguments (after the
// command name) and returns the exit code: 0 clean, 1 findings at or above the
// chosen severity, 2 usage or runtime error.
#pragma once

#include <string>
#include <vector>

namespace twinlog::cli {

using Args = std::vector<std::string>;

int run_decode(const Args& args);    // decode.cpp
int run_stats(const Args& args);     // stats.cpp
int run_capture(const Args& args);   // capture.cpp
int run_filters(const Args& args);   // filters.cpp
int run_loops(const Args& args);     // loops.cpp
int run_autoinc(const Args& args);   // autoinc.cpp
int run_diff(const Args& args);      // diff.cpp
int run_checksum(const Args& args);  // checksum.cpp
int run_validate(const Args& args);  // validate.cpp
int run_audit(const Args& args);     // audit.cpp

inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitError = 2;

}  // namespace twinlog::cli
