// Where the last audit stopped in each master's binlog (--state FILE), so that a
// scheduled audit reads only what was written since. A small JSON document,
// replaced atomically (written beside, then renamed over it), so that a crash or
// a full disk never leaves half a state behind.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace twinlog::audit {

struct MasterMark {
  std::string file;       // binlog file name, without its folder
  uint64_t position = 0;  // just past the last complete transaction read
  std::string gtids;      // the GTIDs read up to there, as the server prints a set
  bool operator==(const MasterMark&) const = default;
};

struct AuditState {
  std::optional<MasterMark> a, b;
  uint64_t finished = 0;  // UTC seconds when the audit that wrote it ended
  bool operator==(const AuditState&) const = default;
};

// A missing file is the first audit: an empty state. A file that is not a state
// is an error naming the file and what is wrong (`error`), and nullopt.
std::optional<AuditState> read_audit_state(const std::string& path, std::string& error);

// False with `error` set when the file cannot be written.
bool write_audit_state(const std::string& path, const AuditState& state, std::string& error);

}  // namespace twinlog::audit
