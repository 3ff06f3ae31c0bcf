#include "services/api/event_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/api/internal/handler.h"
#include "services/common/errors.h"

namespace rectify::api {

absl::Status EventServiceImpl::Enter(const Actor& actor) {
  absl::MutexLock lock(&mu_);
  if (stopping_.load()) {
    return absl::UnavailableError(
        "服务器正在停止，请稍后重连 / the server is shutting down; reconnect later");
  }
  const int max = options_.max_watchers;
  const int per_unit = std::max(1, max / 4);
  const int reserve = std::max(1, max / 8);
  // The root (or the server itself) is level 1; each level below leaves `reserve` more free.
  const int level = std::max<int>(1, static_cast<int>(actor.unit_path.size() / 11));
  const int usable = std::max(1, max - reserve * (level - 1));
  int& mine = watchers_by_unit_[actor.unit_id];
  if (mine >= per_unit) {
    if (mine == 0) watchers_by_unit_.erase(actor.unit_id);
    return absl::ResourceExhaustedError(
        absl::StrCat("本单位同时订阅事件的连接已达上限（", per_unit,
                     " 个），请先关闭不用的 rectify watch / this unit already holds ", per_unit,
                     " event watches, its share; close one it no longer needs"));
  }
  if (watchers_ >= std::min(max, usable)) {
    if (mine == 0) watchers_by_unit_.erase(actor.unit_id);
    return absl::ResourceExhaustedError(absl::StrCat(
        "同时订阅事件的客户端已达上限（", max,
        " 个，其中部分名额留给上级单位），请稍后重试 / too many event watchers (at most ", max,
        ", some kept for higher units); retry later"));
  }
  ++mine;
  ++watchers_;
  return absl::OkStatus();
}

void EventServiceImpl::Leave(const Actor& actor) {
  absl::MutexLock lock(&mu_);
  --watchers_;
  auto it = watchers_by_unit_.find(actor.unit_id);
  if (it != watchers_by_unit_.end() && --it->second <= 0) watchers_by_unit_.erase(it);
}

int EventServiceImpl::watchers() const {
  absl::MutexLock lock(&mu_);
  return watchers_;
}

void EventServiceImpl::Stop() {
  stopping_.store(true);
  if (options_.feed != nullptr) options_.feed->Notify();  // wake the sleepers now
}

grpc::Status EventServiceImpl::WatchEvents(grpc::ServerContext* ctx,
                                           const v1::WatchEventsRequest* req,
                                           grpc::ServerWriter<v1::Event>* writer) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    if (req->after_seq() < 0) {
      return InvalidField("after_seq", "不能为负数", "must not be negative");
    }
    if (req->from_now() && req->after_seq() != 0) {
      return InvalidField("from_now", "不能与 after_seq 同时使用",
                          "cannot be combined with after_seq");
    }
    // The caller's subtree unless it names a unit inside it: the stream never carries a
    // sibling's events.
    ASSIGN_OR_RETURN(const Id scope, reads_.Scope(actor, req->unit_id()));
    RETURN_IF_ERROR(Enter(actor));
    struct Exit {
      EventServiceImpl* self;
      const Actor& actor;
      ~Exit() { self->Leave(actor); }
    } exit{this, actor};

    int64_t after = req->after_seq();
    // Read the generation before the store: an event committed after the read bumps it, so
    // the wait below returns at once instead of missing that event.
    uint64_t generation = options_.feed != nullptr ? options_.feed->generation() : 0;
    // "From now": past the last event committed before the call (read after the generation, so
    // an event committed in between is either below this seq or wakes the wait below).
    if (req->from_now()) {
      ASSIGN_OR_RETURN(after, ledger_->LastEventSeq());
    }
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
