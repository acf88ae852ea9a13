#include "src/audit/audit_run.h"

#include <charconv>

#include "protocol/gtid_set.h"
#include "src/audit/timeline.h"
#include "src/checks/autoinc_check.h"
#include "src/checks/filter_check.h"
#include "src/checks/loop_check.h"

namespace twinlog::audit {
namespace {

std::string_view file_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::optional<uint64_t> sequence_of(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  uint64_t n = 0;
  const char* first = name.data() + dot + 1;
  const char* last = name.data() + name.size();
  const auto [end, ec] = std::from_chars(first, last, n);
  if (ec != std::errc() || end != last || first == last) return std::nullopt;
  return n;
}

template <class Items>
void append(std::vector<report::Finding>& out, Items&& items) {
  out.insert(out.end(), std::make_move_iterator(items.begin()),
             std::make_move_iterator(items.end()));
}

// One master's binlog, read once: every check of it sees each event.
class MasterPass {
 public:
  MasterPass(const AuditMaster& master, const AuditMaster& peer,
             checks::AutoIncrementCheck& autoinc, TimelineCollector& timeline, MasterRead& read)
      : master_(master),
        filters_(*master.config, *peer.config, master.name, peer.name),
        loops_(*master.config, *peer.config, master.name, peer.name),
        autoinc_(autoinc),
        timeline_(timeline),
        read_(read) {
    // The GTIDs read go on from the last audit's.
    if (master.from && !master.from->gtids.empty()) {
      if (auto set = protocol::GtidSet::parse(master.from->gtids)) gtids_ = std::move(*set);
    }
  }

  void run(const StreamOptions& options, const std::function<void(const StreamWarning&)>& warn) {
    EventStream stream(*master_.binlogs, options);
    stream.on_warning(warn);
    autoinc_.begin(master_.name);
    try {
      StreamEvent se;
      while (stream.next(se)) add(se);
    } catch (const std::exception& e) {  // SourceError, or a connection failure
      read_.error = e.what();
    }
    filters_.finish();
    loops_.finish();
    autoinc_.end();
    if (std::optional<TransactionSummary> open = transactions_.finish())
      timeline_.add(master_.name, *open);
    if (!gtids_.empty() && read_.end) read_.end->gtids = gtids_.to_string();
  }

  bool saw_foreign() const { return loops_.saw_foreign(); }

  std::vector<report::Finding> findings() const {
    std::vector<report::Finding> out = filters_.findings();
    append(out, loops_.findings());
    return out;
  }

 private:
  bool already_read(const StreamEvent& se) const {
    if (!master_.from) return false;
    const std::string_view name = file_name(*se.file);
    if (name == master_.from->file) return se.view->offset < master_.from->position;
    return binlog_file_before(name, master_.from->file);
  }

  void add(const StreamEvent& se) {
    if (already_read(se)) {
      ++read_.skipped_events;
      return;
    }
    ++read_.events;
    read_.bytes += se.view->raw.size();
    filters_.add(se);
    loops_.add(se);
    autoinc_.add(se);
    transactions_.add(se);
    if (const auto& t = transactions_.completed()) {
      ++read_.transactions;
      timeline_.add(master_.name, *t);
      if (t->complete) {
        read_.end = MasterMark{std::string(file_name(t->file)), t->end, {}};
        if (t->gtid) gtids_.add(*t->gtid);
      }
    }
  }

  const AuditMaster& master_;
  checks::FilterCheck filters_;
  checks::LoopCheck loops_;
  checks::AutoIncrementCheck& autoinc_;
  TimelineCollector& timeline_;
  MasterRead& read_;
  TransactionAssembler transactions_;
  protocol::GtidSet gtids_;
};

}  // namespace

bool binlog_file_before(std::string_view a, std::string_view b) {
  a = file_name(a);
  b = file_name(b);
  const auto na = sequence_of(a), nb = sequence_of(b);
  if (na && nb && *na != *nb) return *na < *nb;
  return a < b;
}

AuditResult run_audit(const AuditMaster& a, const AuditMaster& b, const StreamOptions& options,
                      const std::function<void(const StreamWarning&)>& warn) {
  AuditResult result;
  checks::AutoIncrementCheck autoinc(*a.config, *b.config);
  TimelineCollector timeline;
  const AuditMaster* masters[2] = {&a, &b};
  for (int i = 0; i < 2; ++i) {
    const AuditMaster& master = *masters[i];
    MasterRead& read = result.masters[i];
    read.name = master.name;
    if (!master.binlogs) continue;
    read.read = true;
    // The last audit's place is where this one starts, if nothing newer is read.
    read.end = master.from;
    MasterPass pass(master, *masters[1 - i], autoinc, timeline, read);
    pass.run(options, warn);
    append(result.findings, pass.findings());
    result.third_source = result.third_source || pass.saw_foreign();
  }
  append(result.findings, autoinc.findings());
  result.timeline = timeline.timeline();
  return result;
}

}  // namespace twinlog::audit
