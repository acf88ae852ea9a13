#include "src/audit/audit_state.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "src/print/json_writer.h"
#include "src/report/metrics.h"

namespace twinlog::audit {
namespace {

constexpr int kVersion = 1;

std::optional<MasterMark> mark_from(const nlohmann::json& j, const char* name, std::string& error) {
  if (!j.contains(name) || j[name].is_null()) return std::nullopt;
  const nlohmann::json& m = j[name];
  if (!m.is_object() || !m.contains("file") || !m["file"].is_string() || !m.contains("position") ||
      !m["position"].is_number_unsigned() || !m.contains("gtids") || !m["gtids"].is_string()) {
    error = std::string("master ") + name +
            ": expected {\"file\": string, \"position\": unsigned integer, \"gtids\": string}";
    return std::nullopt;
  }
  return MasterMark{m["file"].get<std::string>(), m["position"].get<uint64_t>(),
                    m["gtids"].get<std::string>()};
}

void append_mark(JsonObject& doc, const char* name, const std::optional<MasterMark>& mark) {
  std::string& v = doc.raw(name);
  if (!mark) {
    v += "null";
    return;
  }
  JsonObject o(v);
  o.str("file", mark->file).num("position", mark->position).str("gtids", mark->gtids);
  o.close();
}

}  // namespace

std::optional<AuditState> read_audit_state(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) return AuditState{};  // the first audit
    error = path + ": cannot read: " + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    error = path + ": not a twinlog audit state (not a JSON object)";
    return std::nullopt;
  }
  if (!j.contains("twinlog_audit_state") || j["twinlog_audit_state"] != kVersion) {
    error = path + ": not a twinlog audit state of version " + std::to_string(kVersion) +
            " (no \"twinlog_audit_state\": " + std::to_string(kVersion) + ")";
    return std::nullopt;
  }
  AuditState state;
  std::string why;
  state.a = mark_from(j, "a", why);
  if (why.empty()) state.b = mark_from(j, "b", why);
  if (!why.empty()) {
    error = path + ": " + why;
    return std::nullopt;
  }
  if (j.contains("finished") && j["finished"].is_number_unsigned()) {
    state.finished = j["finished"].get<uint64_t>();
  }
  return state;
}

bool write_audit_state(const std::string& path, const AuditState& state, std::string& error) {
  std::string text;
  JsonObject doc(text);
  doc.num("twinlog_audit_state", kVersion);
  append_mark(doc, "a", state.a);
  append_mark(doc, "b", state.b);
  doc.num("finished", state.finished);
  doc.close();
  text.push_back('\n');
  try {
    report::write_file_atomically(path, text);
  } catch (const std::system_error& e) {
    error = e.what();
    return false;
  }
  return true;
}

}  // namespace twinlog::audit
