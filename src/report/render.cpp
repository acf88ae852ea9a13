#include "src/report/render.h"

#include <algorithm>

#include "src/print/event_printer.h"
#include "src/print/json_writer.h"

namespace twinlog::report {
namespace {

constexpr Severity kBySeverity[] = {Severity::kError, Severity::kWarning, Severity::kInfo};

std::string_view colour_of(Severity s) {
  switch (s) {
    case Severity::kError:
      return "\x1b[1;31m";
    case Severity::kWarning:
      return "\x1b[1;33m";
    case Severity::kInfo:
      break;
  }
  return "\x1b[1;36m";
}

std::string plural(uint64_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

void append_evidence_json(const Evidence& e, std::string& out) {
  JsonObject o(out);
  if (!e.server.empty()) o.str("server", e.server);
  if (!e.file.empty()) o.str("file", e.file);
  if (e.start) o.num("start", *e.start);
  if (e.end) o.num("end", *e.end);
  if (!e.gtid.empty()) o.str("gtid", e.gtid);
  if (e.origin_server_id) o.num("origin_server_id", *e.origin_server_id);
  if (e.time) o.num("time", *e.time);
  if (!e.table.empty()) o.str("table", e.table);
  if (!e.statement.empty()) o.str("statement", e.statement);
  if (!e.option.empty()) o.str("option", e.option);
  if (!e.option_source.empty()) o.str("option_source", e.option_source);
  o.close();
}

void append_evidence_list_json(const std::vector<Evidence>& list, std::string& out) {
  out.push_back('[');
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out.push_back(',');
    append_evidence_json(list[i], out);
  }
  out.push_back(']');
}

void append_cause_json(const Cause& c, std::string& out) {
  JsonObject o(out);
  o.str("kind", cause_kind_name(c.kind));
  std::string& codes = o.raw("codes");
  codes.push_back('[');
  for (std::size_t i = 0; i < c.codes.size(); ++i) {
    if (i) codes.push_back(',');
    append_json_string(codes, c.codes[i]);
  }
  codes.push_back(']');
  o.str("explanation", c.explanation);
  append_evidence_list_json(c.evidence, o.raw("evidence"));
  o.close();
}

// Evidence as text shows it: its place, then its statement and option, each line
// after `indent`.
void append_evidence_text(const Evidence& e, std::string_view indent, std::string& out) {
  std::string line = evidence_line(e);
  if (!line.empty()) out.append(indent).append(line).append("\n");
  if (!e.statement.empty())
    out.append(indent).append("statement: ").append(e.statement).append("\n");
  if (!e.option.empty()) {
    out.append(indent).append("option: ").append(e.option);
    if (!e.option_source.empty()) out.append(" (").append(e.option_source).append(")");
    out.append("\n");
  }
}

}  // namespace

void append_summary_json(const Summary& s, std::string& out) {
  JsonObject o(out);
  o.num("error", s.error).num("warning", s.warning).num("info", s.info);
  o.close();
}

std::string evidence_line(const Evidence& e) {
  std::string line;
  auto add = [&line](const std::string& part) {
    if (part.empty()) return;
    if (!line.empty()) line += "  ";
    line += part;
  };
  add(e.server.empty() ? std::string() : "server " + e.server);
  std::string place = e.file;
  if (e.start) place.append(":").append(std::to_string(*e.start));
  if (e.end) place.append("-").append(std::to_string(*e.end));
  add(place);
  add(e.gtid.empty() ? std::string() : "gtid " + e.gtid);
  add(e.origin_server_id ? "server_id " + std::to_string(*e.origin_server_id) : std::string());
  add(e.time ? format_datetime_utc(*e.time) + " UTC" : std::string());
  add(e.table);
  return line;
}

std::optional<Format> parse_format(std::string_view text) {
  if (text == "text") return Format::kText;
  if (text == "jsonl") return Format::kJsonLines;
  if (text == "json") return Format::kJson;
  return std::nullopt;
}

void append_finding_json(const Finding& f, std::string& out) {
  JsonObject o(out);
  o.str("severity", severity_name(f.severity)).str("code", f.code).str("message", f.message);
  append_evidence_list_json(f.evidence, o.raw("evidence"));
  if (!f.action.empty()) o.str("action", f.action);
  if (f.cause) append_cause_json(*f.cause, o.raw("cause"));
  o.close();
}

std::string cause_heading(const Cause& c) {
  std::string out("cause (");
  out.append(cause_kind_name(c.kind));
  for (std::size_t i = 0; i < c.codes.size(); ++i)
    out.append(i ? ", " : "; shown by ").append(c.codes[i]);
  out.append(")");
  return out;
}

void append_cause_text(const Cause& c, std::string& out) {
  out.append("        ").append(cause_heading(c)).append(": ").append(c.explanation).append("\n");
  for (const auto& e : c.evidence) append_evidence_text(e, "          ", out);
}

void render_text(const std::vector<Finding>& findings, std::string& out, bool colour) {
  for (Severity s : kBySeverity) {
    for (const auto& f : findings) {
      if (f.severity != s) continue;
      std::string name(severity_name(s));
      name.resize(7, ' ');
      if (colour) out += colour_of(s);
      out += name;
      if (colour) out += "\x1b[0m";
      out += " " + f.code + ": " + f.message + "\n";
      for (const auto& e : f.evidence) append_evidence_text(e, "        ", out);
      if (f.cause) append_cause_text(*f.cause, out);
      if (!f.action.empty()) out += "        what to do: " + f.action + "\n";
    }
  }
  Summary sum = summarize(findings);
  if (findings.empty()) {
    out += "no findings\n";
  } else {
    out += plural(sum.error, "error") + ", " + plural(sum.warning, "warning") + ", " +
           std::to_string(sum.info) + " info\n";
  }
}

void render_json_lines(const std::vector<Finding>& findings, std::string& out) {
  for (const auto& f : findings) {
    append_finding_json(f, out);
    out.push_back('\n');
  }
}

void render_json(const std::vector<Finding>& findings, std::string& out,
                 const DocumentMembers& members) {
  JsonObject doc(out);
  for (const auto& [name, value] : members) doc.raw(name).append(value);
  std::string& list = doc.raw("findings");
  list.push_back('[');
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (i) list.push_back(',');
    append_finding_json(findings[i], list);
  }
  list.push_back(']');
  append_summary_json(summarize(findings), doc.raw("summary"));
  doc.close();
  out.push_back('\n');
}

void render(const std::vector<Finding>& findings, Format format, std::string& out, bool colour,
            const DocumentMembers& members) {
  switch (format) {
    case Format::kText:
      render_text(findings, out, colour);
      return;
    case Format::kJsonLines:
      render_json_lines(findings, out);
      return;
    case Format::kJson:
      render_json(findings, out, members);
      return;
  }
}

}  // namespace twinlog::report
