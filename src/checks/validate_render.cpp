#include "src/checks/validate_render.h"

#include "src/print/json_writer.h"

namespace twinlog::checks {
namespace {

std::string_view colour_of(CheckStatus s) {
  switch (s) {
    case CheckStatus::kFail:
      return "\x1b[1;31m";
    case CheckStatus::kWarn:
      return "\x1b[1;33m";
    case CheckStatus::kPass:
      break;
  }
  return "\x1b[1;32m";
}

// The findings as `render_text` prints them, each line indented under its check,
// without render_text's own summary line (the validation has one for all).
void append_findings_text(const std::vector<report::Finding>& findings, std::string& out,
                          bool colour) {
  std::string text;
  report::render_text(findings, text, colour);
  text.pop_back();  // the summary line's newline
  text.erase(text.rfind('\n') + 1);
  std::size_t from = 0;
  while (from < text.size()) {
    const std::size_t end = text.find('\n', from);
    out.append("      ").append(text, from, end + 1 - from);
    from = end + 1;
  }
}

void append_check_json(const ValidationCheck& c, std::string& out) {
  JsonObject o(out);
  o.str("kind", "check").str("group", c.group).str("name", c.name).str("title", c.title);
  o.str("status", status_name(c.status())).str("found", c.found).str("expected", c.expected);
  o.str("why", c.why);
  std::string& codes = o.raw("codes");
  codes.push_back('[');
  for (std::size_t i = 0; i < c.findings.size(); ++i) {
    if (i) codes.push_back(',');
    append_json_string(codes, c.findings[i].code);
  }
  codes.push_back(']');
  o.close();
}

void render_text(const Validation& v, std::string& out, bool colour) {
  std::string group;
  uint64_t counts[3] = {0, 0, 0};
  for (const auto& c : v.checks) {
    if (c.group != group) {
      group = c.group;
      out += group + "\n";
    }
    const CheckStatus s = c.status();
    ++counts[static_cast<int>(s)];
    out += "  ";
    if (colour) out += colour_of(s);
    out += status_name(s);
    if (colour) out += "\x1b[0m";
    out += "  " + c.title + ": " + c.found + "\n";
    if (s != CheckStatus::kPass) {
      out += "      should be: " + c.expected + "\n";
      out += "      why: " + c.why + "\n";
    }
    // A passing check's findings are notes (info), worth reading all the same.
    if (!c.findings.empty()) append_findings_text(c.findings, out, colour);
  }
  for (const auto& n : v.not_run) out += "not run: " + n + "\n";
  const report::Summary sum = report::summarize(v.findings());
  out += std::to_string(v.checks.size()) + " checks: " + std::to_string(counts[0]) + " pass, " +
         std::to_string(counts[1]) + " warn, " + std::to_string(counts[2]) + " fail (" +
         std::to_string(sum.error) + " errors, " + std::to_string(sum.warning) + " warnings, " +
         std::to_string(sum.info) + " info)\n";
}

}  // namespace

void render_validation(const Validation& v, report::Format format, std::string& out, bool colour) {
  switch (format) {
    case report::Format::kText:
      render_text(v, out, colour);
      return;
    case report::Format::kJsonLines:
      for (const auto& c : v.checks) {
        append_check_json(c, out);
        out.push_back('\n');
        report::render_json_lines(c.findings, out);
      }
      return;
    case report::Format::kJson:
      break;
  }
  // The findings document every check command prints, with the checks first.
  std::string checks = "{\"checks\":[";
  for (std::size_t i = 0; i < v.checks.size(); ++i) {
    if (i) checks.push_back(',');
    append_check_json(v.checks[i], checks);
  }
  checks += "],";
  std::string document;
  report::render_json(v.findings(), document);
  out += checks;
  out.append(document, 1);
}

}  // namespace twinlog::checks
