// Ledger: urging a task (催办/督办) and reading the event log for watchers.
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/labels.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/domain/ledger.h"
#include "services/domain/limits.h"
#include "services/domain/notices.h"

namespace rectify {

absl::StatusOr<Event> Ledger::UrgeTask(WriteTxn& tx, const Actor& actor, Id id,
                                       const std::string& note) const {
  if (id <= 0) return InvalidField("id", "必须是正整数编号", "must be a positive id");
  RETURN_IF_ERROR(CheckText("note", note, 1, limits::kReason));
  ASSIGN_OR_RETURN(Task task, tx.GetTask(id));
  if (task.status == TaskStatus::kClosed || task.status == TaskStatus::kCancelled) {
    const int status = static_cast<int>(task.status);
    return absl::FailedPreconditionError(
        absl::StrCat("任务 ", id, " 状态为“", TaskStatusLabel(status), "”，不能催办 / task ", id,
                     " is ", TaskStatusLabel(status, Lang::kEn), "; it cannot be urged"));
  }
  // An urge is addressed to the owner: the event carries the owner unit's path, so that the
  // owner's watchers (and every unit above it) see it. The task itself is left as it is, so an
  // urge never makes the owner's expected_version stale.
  Event event;
  event.kind = EventKind::kUrged;
  event.task_id = task.id;
  event.unit_id = task.owner_unit_id;
  event.unit_path = task.owner_path;
  event.actor = actor.name;
  event.time = Now();
  event.detail = note;
  RETURN_IF_ERROR(tx.AppendEvent(event));
  RETURN_IF_ERROR(EnqueueTaskNotice(tx, NoticeTopic::kUrged, task, event, 0, note));
  return event;
}

absl::StatusOr<std::vector<Event>> Ledger::ListEventsAfter(Id unit_id, int64_t after_seq,
                                                           int limit) const {
  if (after_seq < 0) return InvalidField("after_seq", "不能为负数", "must not be negative");
  ASSIGN_OR_RETURN(const int page, EffectivePageSize(limit, limits::kDefaultPageSize));
  std::vector<Event> events;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::string path, SubtreePath(tx, unit_id));
    ASSIGN_OR_RETURN(events, tx.ListEventsAfter(after_seq, path, page));
    return absl::OkStatus();
  }));
  return events;
}

absl::StatusOr<int64_t> Ledger::LastEventSeq() const {
  int64_t seq = 0;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(seq, tx.LastEventSeq());
    return absl::OkStatus();
  }));
  return seq;
}

}  // namespace rectify
