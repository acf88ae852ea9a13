#include "src/report/html.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <string_view>

#include "src/print/event_printer.h"
#include "src/report/concat.h"
#include "src/report/render.h"

namespace twinlog::report {
namespace {

constexpr Severity kBySeverity[] = {Severity::kError, Severity::kWarning, Severity::kInfo};

void escape(std::string_view text, std::string& out) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
}

std::string escaped(std::string_view text) {
  std::string out;
  escape(text, out);
  return out;
}

// The section a finding without a cause goes in, from its code's first part.
struct CheckSection {
  std::string_view prefix, heading, why;
};
constexpr std::array<CheckSection, 7> kCauses{{
    {"checksum", "Rows that differ between the masters",
     "the tables themselves, compared chunk by chunk"},
    {"diff", "Binlogs that disagree", "a transaction one master logged and the other did not"},
    {"autoinc", "Auto-increment", "the same key taken on both masters, or ids outside a class"},
    {"loop", "Replication loops", "transactions that come back, or a third source"},
    {"filter", "Replication filters", "what each master's filters do to the other's writes"},
    {"validate", "Set-up", "settings and replication state of the pair"},
    {"config", "Configuration", "the two masters' option files or variables"},
}};

// The explanation's causes (Finding::cause), whose sections come first: a
// divergence is shown under what caused it, not under the check that found it.
struct Explained {
  CauseKind kind;
  std::string_view heading, why;
};
constexpr std::array<Explained, 6> kExplained{{
    {CauseKind::kSkippedError, "Caused by a skipped replication error",
     "slave_skip_errors let a replica drop a whole rows event and still say Yes"},
    {CauseKind::kCollision, "Caused by an auto-increment collision",
     "both masters took the same key"},
    {CauseKind::kFilteredStatement, "Caused by replication filters",
     "a statement skipped or applied by its default database, not by the table it changes"},
    {CauseKind::kLoop, "Caused by a replication loop",
     "transactions that came back round, or a third server's"},
    {CauseKind::kUnloggedWrite, "Changes that never reached a binlog",
     "the binlogs agree and the tables do not"},
    {CauseKind::kUnexplained, "Divergences no evidence explains",
     "nothing in the binlogs read accounts for them"},
}};

// Added to the style only when a finding has a cause, so that a page without one
// stays as it was.
constexpr std::string_view kExplainedStyle =
    ".explanation{margin:.4em 0 .2em 0;padding:.2em .5em;background:#eef3fb}\n";

std::string_view cause_of(std::string_view code) {
  const std::string_view prefix = code.substr(0, code.find('.'));
  for (const CheckSection& c : kCauses) {
    if (c.prefix == prefix) return c.prefix;
  }
  return "other";
}

constexpr std::string_view kStyle = R"(
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:70em;
padding:0 1em;color:#1d1d1f}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}
.facts{color:#555;margin:0;padding-left:1.2em}
.verdict{font-size:1.3em;font-weight:600;padding:.6em 1em;border-radius:6px;margin:1em 0}
.verdict.error{background:#fde2e1;color:#8a1c17}.verdict.warning{background:#fff4d6;color:#7a5200}
.verdict.clean{background:#e3f6e5;color:#1d5e27}
.finding{border-left:5px solid #999;padding:.3em .8em;margin:.8em 0;background:#fafafa}
.finding.error{border-color:#c62828}.finding.warning{border-color:#e0a100}.finding.info{border-color:#1e88e5}
.sev{font-weight:600;text-transform:uppercase;font-size:.8em;margin-right:.5em}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;color:#444}
.evidence{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;margin:.3em 0 .3em 1em;
white-space:pre-wrap;word-break:break-all}
.action{margin:.3em 0 .2em 0}.why{color:#666;font-size:.9em;margin-top:-.4em}
table.counts{border-collapse:collapse}table.counts td,table.counts th{padding:.2em .8em;text-align:right}
svg text{font:12px system-ui,sans-serif}
)";

// Colours of the origins' bars, in the order the origins are first met.
constexpr std::array<std::string_view, 6> kPalette{"#1e88e5", "#43a047", "#8e24aa",
                                                   "#f4511e", "#6d4c41", "#00897b"};

std::string_view mark_colour(Severity s) {
  switch (s) {
    case Severity::kError:
      return "#c62828";
    case Severity::kWarning:
      return "#e0a100";
    case Severity::kInfo:
      break;
  }
  return "#1e88e5";
}

void append_evidence(const Evidence& e, std::string& out) {
  std::string text = evidence_line(e);
  if (!e.statement.empty())
    text.append(text.empty() ? "" : "\n").append("statement: ").append(e.statement);
  if (!e.option.empty()) {
    text.append(text.empty() ? "" : "\n").append("option: ").append(e.option);
    if (!e.option_source.empty()) text += " (" + e.option_source + ")";
  }
  if (text.empty()) return;
  out += "<div class=\"evidence\">";
  escape(text, out);
  out += "</div>";
}

void append_finding(const Finding& f, std::string& out) {
  out += "<div class=\"finding ";
  out += severity_name(f.severity);  // "error", "warning", "info": the CSS classes
  out += "\"><div><span class=\"sev\">";
  out += severity_name(f.severity);
  out += "</span><span class=\"code\">";
  escape(f.code, out);
  out += "</span> ";
  escape(f.message, out);
  out += "</div>";
  for (const Evidence& e : f.evidence) append_evidence(e, out);
  if (f.cause) {
    out += "<div class=\"explanation\"><b>";
    escape(cause_heading(*f.cause), out);
    out += ":</b> ";
    escape(f.cause->explanation, out);
    out += "</div>";
    for (const Evidence& e : f.cause->evidence) append_evidence(e, out);
  }
  if (!f.action.empty()) {
    out += "<div class=\"action\"><b>What to do:</b> ";
    escape(f.action, out);
    out += "</div>";
  }
  out += "</div>\n";
}

// One chart per master: stacked bars of transactions per origin, and a line
// at each moment a finding's evidence points at.
void append_timeline(const Timeline& t, const std::vector<Finding>& findings, std::string& out) {
  out += "<h2>Timeline</h2>\n";
  if (t.bucket_seconds == 0 || t.buckets == 0) {
    out += "<p>No transaction with a time was read.</p>\n";
    return;
  }
  std::map<uint32_t, std::string_view> colour;  // by origin server_id
  for (const TimelineSeries& s : t.series) {
    if (!colour.count(s.origin_server_id)) {
      colour[s.origin_server_id] = kPalette[colour.size() % kPalette.size()];
    }
  }
  const uint32_t end = t.start + static_cast<uint32_t>(t.buckets) * t.bucket_seconds;
  out += concat("<p>Transactions per origin server_id, ", std::to_string(t.bucket_seconds),
                " s per bar, from ", escaped(format_datetime_utc(t.start)), " to ",
                escaped(format_datetime_utc(end)), " UTC. Lines mark the findings.</p>\n<p>");
  for (const auto& [id, c] : colour) {
    out += "<span style=\"color:";
    out += c;
    out += concat("\">&#9632;</span> server_id ", std::to_string(id), " &nbsp; ");
  }
  out += "</p>\n";
  constexpr double kWidth = 900, kHeight = 120, kLeft = 40;
  for (std::string_view master : {"A", "B"}) {
    std::vector<uint64_t> total(t.buckets, 0);
    bool any = false;
    for (const TimelineSeries& s : t.series) {
      if (s.master != master) continue;
      any = true;
      for (std::size_t i = 0; i < t.buckets && i < s.counts.size(); ++i) total[i] += s.counts[i];
    }
    if (!any) continue;
    const uint64_t peak = std::max<uint64_t>(1, *std::max_element(total.begin(), total.end()));
    const double bar = kWidth / static_cast<double>(t.buckets);
    char buf[160];
    out +=
        concat("<svg role=\"img\" width=\"", std::to_string(static_cast<int>(kLeft + kWidth + 10)),
               "\" height=\"", std::to_string(static_cast<int>(kHeight + 30)),
               "\" aria-label=\"master ", master, "'s binlog\">");
    out += concat("<text x=\"0\" y=\"14\">", master, "</text>");
    out += concat("<text x=\"0\" y=\"", std::to_string(static_cast<int>(kHeight)), "\">0</text>");
    out += concat("<text x=\"0\" y=\"30\">", std::to_string(peak), "</text>");
    std::vector<double> base(t.buckets, 0);
    for (const TimelineSeries& s : t.series) {
      if (s.master != master) continue;
      for (std::size_t i = 0; i < t.buckets && i < s.counts.size(); ++i) {
        if (s.counts[i] == 0) continue;
        const double h =
            kHeight * 0.8 * static_cast<double>(s.counts[i]) / static_cast<double>(peak);
        std::snprintf(
            buf, sizeof buf, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"",
            kLeft + bar * static_cast<double>(i), kHeight - base[i] - h, std::max(bar - 1, 1.0), h);
        out += buf;
        out += colour[s.origin_server_id];
        out += concat("\"><title>server_id ", std::to_string(s.origin_server_id), ": ",
                      std::to_string(s.counts[i]), " transactions</title></rect>");
        base[i] += h;
      }
    }
    for (const Finding& f : findings) {
      for (const Evidence& e : f.evidence) {
        if (!e.time || e.server != master || *e.time < t.start || *e.time > end) continue;
        const double x = kLeft + kWidth * static_cast<double>(*e.time - t.start) /
                                     static_cast<double>(end - t.start);
        std::snprintf(buf, sizeof buf,
                      "<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"", x, x,
                      kHeight);
        out += buf;
        out += mark_colour(f.severity);
        out += "\" stroke-width=\"2\"><title>";
        escape(f.code, out);
        out += ": ";
        escape(f.message, out);
        out += "</title></line>";
      }
    }
    out += "</svg>\n";
  }
}

// One section of the page: the findings `in` it, errors first, under its heading;
// nothing when none is.
template <class In>
void append_section(const std::vector<Finding>& findings, std::string_view id,
                    std::string_view heading, std::string_view why, std::string& out, In in) {
  bool opened = false;
  for (Severity s : kBySeverity) {
    for (const Finding& f : findings) {
      if (f.severity != s || !in(f)) continue;
      if (!opened) {
        out += concat("<section class=\"cause\" id=\"cause-", id, "\"><h2>", heading,
                      "</h2><p class=\"why\">", why, "</p>\n");
        opened = true;
      }
      append_finding(f, out);
    }
  }
  if (opened) out += "</section>\n";
}

}  // namespace

std::string verdict_of(const Summary& s) {
  if (s.error > 0) return "Divergence or a fault found";
  if (s.warning > 0) return "Warnings to look at";
  return "Healthy";
}

void render_html(const HtmlPage& page, std::string& out) {
  const Summary sum = summarize(page.findings);
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>";
  escape(page.title, out);
  out += "</title><style>";
  out += kStyle;
  if (std::any_of(page.findings.begin(), page.findings.end(),
                  [](const Finding& f) { return f.cause.has_value(); })) {
    out += kExplainedStyle;
  }
  out += "</style></head><body>\n<h1>";
  escape(page.title, out);
  out += "</h1>\n<ul class=\"facts\">";
  for (const std::string& fact : page.facts) {
    out += "<li>";
    escape(fact, out);
    out += "</li>";
  }
  out += "</ul>\n<div class=\"verdict ";
  out += sum.error ? "error" : sum.warning ? "warning" : "clean";
  out += "\" id=\"verdict\">";
  escape(verdict_of(sum), out);
  out += concat(": ", std::to_string(sum.error), " errors, ", std::to_string(sum.warning),
                " warnings, ", std::to_string(sum.info), " info</div>\n");

  for (const Explained& cause : kExplained) {
    append_section(page.findings, cause_kind_name(cause.kind), cause.heading, cause.why, out,
                   [&](const Finding& f) { return f.cause && f.cause->kind == cause.kind; });
  }
  for (const CheckSection& cause : kCauses) {
    append_section(page.findings, cause.prefix, cause.heading, cause.why, out,
                   [&](const Finding& f) { return !f.cause && cause_of(f.code) == cause.prefix; });
  }
  bool other = false;
  for (const Finding& f : page.findings) {
    if (f.cause || cause_of(f.code) != "other") continue;
    if (!other) out += "<section class=\"cause\" id=\"cause-other\"><h2>Other</h2>\n";
    other = true;
    append_finding(f, out);
  }
  if (other) out += "</section>\n";
  if (page.findings.empty()) out += "<p>No findings.</p>\n";
  append_timeline(page.timeline, page.findings, out);
  out += "</body></html>\n";
}

}  // namespace twinlog::report
