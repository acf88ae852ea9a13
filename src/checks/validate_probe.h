// `twinlog validate --probe`: the one time twinlog writes, and only when asked.
// A marker row goes into a table of a database both masters replicate to each
// other (the filters decide which, as the servers would), on A and then on B, and
// the time until the other master shows it is measured; then the row is removed,
// again until the other master no longer shows it. The table (twinlog_probe) is
// created if missing and kept: empty, for the next probe.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "src/checks/validate.h"
#include "src/config/server_config.h"
#include "src/server/connection.h"

namespace twinlog::checks {

inline constexpr const char* kProbeTable = "twinlog_probe";

// The database the probe writes to: the first of the masters' do-db names,
// "test" and "twinlog" that each master logs and the other applies (neither
// renaming it), or nullopt.
std::optional<std::string> probe_database(const config::ServerConfig& a,
                                          const config::ServerConfig& b);

// Runs the probe through `a` and `b` (connections to the two masters, able to
// write) and returns its check ("probe" group). A row not seen on the other side
// within `timeout` fails it.
ValidationCheck run_probe(Connection& a, Connection& b, const config::ServerConfig& a_config,
                          const config::ServerConfig& b_config, std::chrono::milliseconds timeout);

}  // namespace twinlog::checks
