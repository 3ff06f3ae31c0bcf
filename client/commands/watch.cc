// watch: the event stream (EventService.WatchEvents), one line per event as it happens. When the
// stream breaks (the server restarts, the network drops) it reconnects and resumes after the
// last sequence number it printed, so nothing is missed and nothing is printed twice.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "client/commands/commands.h"
#include "client/commands/unit_ref.h"
#include "client/commands/validators.h"
#include "client/output/format.h"
#include "client/output/json.h"
#include "client/output/ledger_view.h"
#include "client/rpc/exit_codes.h"
#include "rectify/v1/events.grpc.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

// Reconnecting: the first wait, its growth, and its cap.
constexpr absl::Duration kFirstBackoff = absl::Milliseconds(500);
constexpr absl::Duration kMaxBackoff = absl::Seconds(10);
// A stream that broke without delivering anything and within this time is a failed attempt;
// after this many in a row (about a minute of trying) the server is taken to be gone.
constexpr absl::Duration kHealthyStream = absl::Seconds(5);
constexpr int kMaxFailedAttempts = 8;

struct WatchOptions {
  int64_t unit_id = 0;
  int64_t after_seq = 0;
  int64_t limit = 0;
};

// Answers that no reconnect will change.
bool IsFinal(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::UNIMPLEMENTED:
      return true;
    default:
      return false;
  }
}

int Watch(Session& s, const WatchOptions& o) {
  int64_t after = o.after_seq;
  int64_t printed = 0;
  int failed_attempts = 0;
  absl::Duration backoff = kFirstBackoff;
  while (true) {
    v1::WatchEventsRequest request;
    request.set_unit_id(o.unit_id);
    request.set_after_seq(after);
    std::unique_ptr<grpc::ClientContext> context = s.rpc().NewContext();
    context->set_deadline(std::chrono::system_clock::time_point::max());  // until cancelled
    const absl::Time started = absl::Now();
    std::unique_ptr<grpc::ClientReader<v1::Event>> reader =
        s.rpc().events().WatchEvents(context.get(), request);
    bool progressed = false;
    bool done = false;
    v1::Event event;
    while (!done && reader->Read(&event)) {
      if (event.seq() <= after) continue;  // never print an event twice, whatever the server does
      if (s.json()) {
        auto line = ToJsonLine(event);
        if (!line.ok()) return s.FailUsage(std::string(line.status().message()));
        s.out() << *line << std::flush;
      } else {
        s.out() << EventLine(event, s.lang(), s.zone()) << std::flush;
      }
      after = event.seq();
      progressed = true;
      done = o.limit > 0 && ++printed >= o.limit;
    }
    if (done) {
      context->TryCancel();
      reader->Finish();
      return kExitOk;
    }
    const grpc::Status status = reader->Finish();
    if (IsFinal(status.error_code())) return s.Fail(status);
    if (progressed || absl::Now() - started >= kHealthyStream) {
      failed_attempts = 0;
      backoff = kFirstBackoff;
    } else if (++failed_attempts >= kMaxFailedAttempts) {
      return s.Fail(status);
    }
    const double wait = absl::ToDoubleSeconds(backoff);
    s.Note(s.lang() == Lang::kZh
               ? absl::StrFormat("连接中断，%.1f 秒后重连，从序号 %d 之后继续：%s", wait, after,
                                 status.error_message())
               : absl::StrFormat("stream broken; reconnecting in %.1f s, resuming after seq %d: %s",
                                 wait, after, status.error_message()));
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

}  // namespace

void AddWatchCommands(CLI::App& app, Action* action) {
  auto o = std::make_shared<WatchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "watch",
      "实时查看事件（断线自动重连，不丢不重）/ follow events as they happen, reconnecting "
      "without gaps or repeats");
  AddUnitOption(cmd, "--unit", &o->unit_id, "只看此单位及其下级的事件 / only this unit's subtree");
  cmd->add_option("--after", o->after_seq,
                  "从此序号之后开始（默认 0：从头）/ start after this sequence number (0: from "
                  "the beginning)")
      ->type_name("SEQ")
      ->check(WholeNumberValidator(0, kNoLimit));
  cmd->add_option("--limit", o->limit,
                  "收到这么多事件后退出（默认 0：一直看）/ exit after this many events (0: "
                  "never)")
      ->type_name("N")
      ->check(WholeNumberValidator(0, kNoLimit));
  cmd->footer(
      "每行：时间、序号、事件、任务、操作人、说明；--json 时每行一个 JSON 对象。\n"
      "/ One line per event: time, seq, kind, task, actor, detail; with --json one JSON object "
      "per line.\n\n" +
      Examples({"rectify watch --unit 3", "rectify watch --after 1200 --json"}));
  OnRun(cmd, action, [o](Session& s) { return Watch(s, *o); });
}

}  // namespace rectify::client
