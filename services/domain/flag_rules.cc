#include "services/domain/flag_rules.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/civil.h"
#include "services/common/labels.h"
#include "services/common/status_macros.h"
#include "services/domain/notices.h"

namespace rectify {
namespace {

void Consider(absl::optional<absl::Time>& next, absl::Time candidate, absl::Time now) {
  if (candidate <= now) return;
  if (!next.has_value() || candidate < *next) next = candidate;
}

// Flags of an overdue task (or a missed checkpoint): level 1 at once, level 2 after the grace
// period, which brings the owner's parent unit in.
void AddOverdue(TaskEvaluation& e, FlagKind kind, absl::Time overdue_from, absl::Time now,
                const LedgerSettings& settings) {
  e.overdue = true;
  e.light = WarningLight::kRed;
  e.flags.push_back(kind);
  e.escalation_level = 1;
  const absl::Time escalate_at = overdue_from + settings.grace_period;
  if (now >= escalate_at) {
    e.escalation_level = 2;
    e.flags.push_back(FlagKind::kEscalated);
  } else {
    Consider(e.next_check_time, escalate_at, now);
  }
}

// "上级单位“机关党委”（编号 1）介入督办", or, for a task owned by a root unit, that there is no
// unit above it.
absl::StatusOr<std::string> ParentUnitPhrase(ReadTxn& tx, Id owner_unit_id) {
  ASSIGN_OR_RETURN(OrgUnit owner, tx.GetUnit(owner_unit_id));
  if (owner.parent_id == 0) return std::string("责任单位已是最上级单位，由其直接督办");
  ASSIGN_OR_RETURN(OrgUnit parent, tx.GetUnit(owner.parent_id));
  return absl::StrCat("上级单位“", parent.name, "”（编号 ", parent.id, "）介入督办");
}

NoticeTopic NoticeTopicOf(FlagKind flag) {
  switch (flag) {
    case FlagKind::kDueSoon:
      return NoticeTopic::kDueSoon;
    case FlagKind::kBehindSchedule:
      return NoticeTopic::kBehindSchedule;
    case FlagKind::kOverdue:
      return NoticeTopic::kOverdue;
    case FlagKind::kEscalated:
      return NoticeTopic::kEscalated;
    case FlagKind::kCheckpointMissed:
      return NoticeTopic::kCheckpointMissed;
  }
  return NoticeTopic::kOverdue;
}

}  // namespace

TaskEvaluation EvaluateTask(const Task& task, absl::Time now, const LedgerSettings& settings) {
  TaskEvaluation e;
  switch (task.status) {
    case TaskStatus::kClosed:
    case TaskStatus::kCancelled:
      return e;  // no light: done or withdrawn
    case TaskStatus::kSubmitted:
      e.light = WarningLight::kGreen;  // the owner's part is done; waiting for the committee
      return e;
    case TaskStatus::kOngoing: {
      e.light = WarningLight::kGreen;
      if (!task.checkpoint_due.has_value()) return e;
      const absl::Time missed_from = OverdueFrom(*task.checkpoint_due, settings.time_zone);
      if (now >= missed_from) {
        AddOverdue(e, FlagKind::kCheckpointMissed, missed_from, now, settings);
      } else {
        Consider(e.next_check_time, missed_from, now);
      }
      return e;
    }
    case TaskStatus::kOpen:
    case TaskStatus::kInProgress:
      break;
  }
  e.light = WarningLight::kGreen;
  if (!task.deadline.has_value()) return e;
  const absl::Time overdue_from = OverdueFrom(*task.deadline, settings.time_zone);
  if (now >= overdue_from) {
    AddOverdue(e, FlagKind::kOverdue, overdue_from, now, settings);
    return e;
  }
  Consider(e.next_check_time, overdue_from, now);

  const absl::Time due_soon_from = overdue_from - settings.warning_window;
  if (now >= due_soon_from) {
    e.light = WarningLight::kYellow;
    e.flags.push_back(FlagKind::kDueSoon);
  } else {
    Consider(e.next_check_time, due_soon_from, now);
  }

  // 序时进度: behind when (elapsed share - progress) exceeds the threshold. The share grows with
  // time, so the moment it crosses progress + threshold is known in advance.
  const absl::Duration span = overdue_from - task.create_time;
  const int trigger_points = task.progress_percent + settings.behind_schedule_points;
  if (span > absl::ZeroDuration() && trigger_points < 100) {
    const absl::Time behind_from = task.create_time + span * trigger_points / 100;
    if (now > behind_from) {
      e.light = WarningLight::kYellow;
      e.flags.push_back(FlagKind::kBehindSchedule);
    } else {
      // Strictly after: at behind_from the gap equals the threshold, not more.
      Consider(e.next_check_time, behind_from + absl::Microseconds(1), now);
    }
  }
  return e;
}

bool IsOverdue(const Task& task, absl::Time now, const LedgerSettings& settings) {
  return EvaluateTask(task, now, settings).overdue;
}

absl::StatusOr<ReconcileResult> ReconcileTask(WriteTxn& tx, Task& task, absl::Time now,
                                              const LedgerSettings& settings) {
  const TaskEvaluation e = EvaluateTask(task, now, settings);
  ReconcileResult result;

  auto append = [&](EventKind kind, FlagKind flag) -> absl::Status {
    std::string detail = FlagKindLabel(static_cast<int>(flag));
    if (kind == EventKind::kFlagRaised && flag == FlagKind::kEscalated) {
      // Level 2 (督办) brings the owner's parent unit in: say which, so that its watchers know
      // the task is now theirs to press.
      ASSIGN_OR_RETURN(std::string parent, ParentUnitPhrase(tx, task.owner_unit_id));
      absl::StrAppend(&detail, "：逾期超过宽限期，", parent);
    }
    Event ev;
    ev.kind = kind;
    ev.task_id = task.id;
    ev.unit_id = task.owner_unit_id;
    ev.unit_path = task.owner_path;
    ev.actor = "system";
    ev.time = now;
    ev.detail = std::move(detail);
    RETURN_IF_ERROR(tx.AppendEvent(ev));
    if (kind == EventKind::kFlagRaised) {
      // Every raised flag is news for the owner unit (an escalation for the units above too).
      int days = 0;
      const absl::optional<absl::CivilDay> due =
          flag == FlagKind::kCheckpointMissed ? task.checkpoint_due : task.deadline;
      if (due.has_value()) {
        const absl::CivilDay today = DayOf(now, settings.time_zone);
        days = static_cast<int>(flag == FlagKind::kDueSoon ? *due - today : today - *due);
      }
      RETURN_IF_ERROR(EnqueueTaskNotice(tx, NoticeTopicOf(flag), task, ev, days, ""));
    }
    return absl::OkStatus();
  };

  for (FlagKind kind : e.flags) {
    Flag flag{task.id, task.deadline_version, kind, now, absl::nullopt};
    ASSIGN_OR_RETURN(bool inserted, tx.InsertFlag(flag));
    if (inserted) {
      ++result.raised;
      RETURN_IF_ERROR(append(EventKind::kFlagRaised, kind));
    }
  }
  ASSIGN_OR_RETURN(std::vector<Flag> stored, tx.ListFlags(task.id));
  for (const Flag& flag : stored) {
    if (flag.cleared_time.has_value()) continue;
    const bool holds = flag.deadline_version == task.deadline_version &&
                       std::find(e.flags.begin(), e.flags.end(), flag.kind) != e.flags.end();
    if (holds) continue;
    ASSIGN_OR_RETURN(bool cleared, tx.ClearFlag(task.id, flag.deadline_version, flag.kind, now));
    if (cleared) {
      ++result.cleared;
      RETURN_IF_ERROR(append(EventKind::kFlagCleared, flag.kind));
    }
  }

  if (task.light != e.light || task.escalation_level != e.escalation_level ||
      task.next_check_time != e.next_check_time) {
    task.light = e.light;
    task.escalation_level = e.escalation_level;
    task.next_check_time = e.next_check_time;
    RETURN_IF_ERROR(tx.UpdateTask(task));
  }
  return result;
}

}  // namespace rectify
