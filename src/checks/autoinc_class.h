// An auto-increment class (the ids with id mod increment == offset mod increment),
// as the autoinc findings test and write it. Shared by the files of
// AutoIncrementCheck (autoinc_check.cpp reads the binlogs, autoinc_findings.cpp
// judges the keys) and autoinc_config.cpp (the two configurations).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace twinlog::checks::autoinc {

// How much of a statement or a replica's error text a finding keeps.
constexpr std::size_t kTextKept = 200;

// "auto_increment_increment=2, auto_increment_offset=1".
std::string class_text(uint64_t increment, uint64_t offset);

// An increment of 0 or 1 hands out every id.
inline bool in_class(uint64_t id, uint64_t increment, uint64_t offset) {
  return increment <= 1 || id % increment == offset % increment;
}

}  // namespace twinlog::checks::autoinc
