#include "services/api/event_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/api/handler.h"
#include "services/common/errors.h"

namespace rectify::api {

bool EventServiceImpl::Enter() {
  absl::MutexLock lock(&mu_);
  if (stopping_.load() || watchers_ >= options_.max_watchers) return false;
  ++watchers_;
  return true;
}

void EventServiceImpl::Leave() {
  absl::MutexLock lock(&mu_);
  --watchers_;
}

void EventServiceImpl::Stop() {
  stopping_.store(true);
  if (options_.feed != nullptr) options_.feed->Notify();  // wake the sleepers now
}

grpc::Status EventServiceImpl::WatchEvents(grpc::ServerContext* ctx,
                                           const v1::WatchEventsRequest* req,
                                           grpc::ServerWriter<v1::Event>* writer) {
  return Handle(ctx, [&](const Actor& actor) -> absl::Status {
    if (req->after_seq() < 0) {
      return InvalidField("after_seq", "不能为负数", "must not be negative");
    }
    // The caller's subtree unless it names a unit inside it: the stream never carries a
    // sibling's events.
    ASSIGN_OR_RETURN(const Id scope, ScopeUnit(*ledger_, actor, req->unit_id()));
    if (!Enter()) {
      if (stopping_.load()) {
        return absl::UnavailableError(
            "服务器正在停止，请稍后重连 / the server is shutting down; "
            "reconnect later");
      }
      return absl::ResourceExhaustedError(
          absl::StrCat("同时订阅事件的客户端已达上限（", options_.max_watchers,
                       " 个），请稍后重试 / too many event watchers (at most ",
                       options_.max_watchers, "); retry later"));
    }
    struct Exit {
      EventServiceImpl* self;
      ~Exit() { self->Leave(); }
    } exit{this};

    int64_t after = req->after_seq();
    // Read the generation before the store: an event committed after the read bumps it, so
    // the wait below returns at once instead of missing that event.
    uint64_t generation = options_.feed != nullptr ? options_.feed->generation() : 0;
    while (true) {
      if (stopping_.load()) {
        return absl::UnavailableError(absl::StrCat("服务器正在停止，请重连并从序号 ", after,
                                                   " 之后继续 / the server is shutting down; "
                                                   "reconnect and resume after seq ",
                                                   after));
      }
      if (ctx->IsCancelled()) {
        return absl::CancelledError("客户端已取消 / cancelled by the client");
      }
      ASSIGN_OR_RETURN(std::vector<Event> events,
                       ledger_->ListEventsAfter(scope, after, options_.page_size));
      for (const Event& event : events) {
        v1::Event out;
        ToProto(event, &out);
        if (!writer->Write(out)) {
          return absl::CancelledError("客户端已断开 / the client went away");
        }
        after = event.seq;
      }
      if (static_cast<int>(events.size()) == options_.page_size) continue;  // more stored
      if (options_.feed != nullptr) {
        generation = options_.feed->WaitForChange(generation, options_.poll_interval);
      } else {
        absl::SleepFor(options_.poll_interval);
      }
    }
  });
}

}  // namespace rectify::api
