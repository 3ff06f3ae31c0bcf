#include "services/domain/notices.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/civil.h"
#include "services/common/status_macros.h"

namespace rectify {
namespace {

constexpr int kPlanBatch = 500;
constexpr char kReminderMark[] = "reminders_planned_through";
constexpr char kDigestMark[] = "digests_planned_through";

// The task's fields every task notice carries.
absl::StatusOr<Notice> TaskNotice(ReadTxn& tx, NoticeTopic topic, const Task& task,
                                  absl::Time now) {
  Notice n;
  n.topic = topic;
  n.urgent = IsUrgent(topic);
  n.task_id = task.id;
  n.unit_id = task.owner_unit_id;
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(task.owner_unit_id));
  n.unit_name = unit.name;
  n.measure = task.measure;
  n.person = task.owner_person;
  n.deadline = task.deadline;
  n.create_time = now;
  return n;
}

// Tasks of a query, every page.
absl::StatusOr<std::vector<Task>> AllTasks(ReadTxn& tx, TaskQuery query, size_t cap) {
  std::vector<Task> out;
  query.limit = kPlanBatch;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<Task> page, tx.ListTasks(query));
    for (Task& t : page) {
      if (out.size() >= cap) return out;
      out.push_back(std::move(t));
    }
    if (static_cast<int>(page.size()) < query.limit) return out;
    query.after_id = out.back().id;
    query.after_deadline = out.back().deadline;
  }
}

std::string DigestItem(char category, const Task& task, const std::string& unit) {
  return absl::StrCat(std::string(1, category), "\t", task.id, "\t",
                      task.deadline ? FormatDay(*task.deadline) : "", "\t", unit, "\t",
                      task.measure);
}

absl::StatusOr<bool> MarkReached(ReadTxn& tx, const char* mark, absl::CivilDay today) {
  ASSIGN_OR_RETURN(absl::optional<std::string> done, tx.GetNotifyMark(mark));
  return done.has_value() && *done >= FormatDay(today);
}

}  // namespace

bool IsUrgent(NoticeTopic topic) {
  return topic == NoticeTopic::kUrged || topic == NoticeTopic::kOverdue ||
         topic == NoticeTopic::kEscalated;
}

absl::Status EnqueueTaskNotice(WriteTxn& tx, NoticeTopic topic, const Task& task, const Event& ev,
                               int days, const std::string& note) {
  ASSIGN_OR_RETURN(Notice n, TaskNotice(tx, topic, task, ev.time));
  n.key = absl::StrCat("event/", ev.seq);
  n.days = days;
  n.actor = ev.actor;
  n.note = note;
  std::vector<Id> units = {task.owner_unit_id};
  bool supervision = false;
  if (topic == NoticeTopic::kEscalated) {
    ASSIGN_OR_RETURN(OrgUnit owner, tx.GetUnit(task.owner_unit_id));
    if (owner.parent_id != 0) units.push_back(owner.parent_id);
    supervision = true;
  }
  return tx.EnqueueNotice(n, units, supervision).status();
}

absl::StatusOr<int> PlanReminders(WriteTxn& tx, absl::CivilDay today,
                                  const std::vector<int>& lead_days, absl::Time now) {
  int written = 0;
  for (int lead : lead_days) {
    if (lead <= 0) continue;
    TaskQuery query;
    query.statuses = {TaskStatus::kOpen, TaskStatus::kInProgress};
    query.deadline_from = today + lead;
    query.deadline_to = today + lead;
    ASSIGN_OR_RETURN(std::vector<Task> tasks, AllTasks(tx, query, SIZE_MAX));
    for (const Task& task : tasks) {
      if (task.draft) continue;
      ASSIGN_OR_RETURN(Notice n, TaskNotice(tx, NoticeTopic::kReminder, task, now));
      n.key = absl::StrCat("remind/", task.id, "/", task.deadline_version, "/", lead);
      n.days = lead;
      ASSIGN_OR_RETURN(bool fresh, tx.EnqueueNotice(n, {task.owner_unit_id}, false));
      written += fresh ? 1 : 0;
    }
  }
  return written;
}

absl::StatusOr<int> PlanDigests(WriteTxn& tx, absl::CivilDay today, absl::Time now,
                                const LedgerSettings& settings) {
  ASSIGN_OR_RETURN(std::vector<NotifyChannel> channels, tx.ListChannels(""));
  std::vector<Id> units;
  for (const NotifyChannel& c : channels) {
    if (c.enabled) units.push_back(c.unit_id);
  }
  std::sort(units.begin(), units.end());
  units.erase(std::unique(units.begin(), units.end()), units.end());
  const int window_days = std::max<int64_t>(0, absl::ToInt64Hours(settings.warning_window) / 24);
  std::map<Id, std::string> unit_names;
  auto unit_name = [&](Id id) -> absl::StatusOr<std::string> {
    auto it = unit_names.find(id);
    if (it != unit_names.end()) return it->second;
    ASSIGN_OR_RETURN(OrgUnit u, tx.GetUnit(id));
    unit_names[id] = u.name;
    return u.name;
  };
  int written = 0;
  for (Id unit_id : units) {
    ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(unit_id));
    Notice n;
    n.topic = NoticeTopic::kDigest;
    n.key = absl::StrCat("digest/", unit.id, "/", FormatDay(today));
    n.unit_id = unit.id;
    n.unit_name = unit.name;
    n.create_time = now;
    n.note = FormatDay(today);
    // Counts from the kept count tables; the first few of each from the task index.
    ASSIGN_OR_RETURN(std::vector<KeyedTaskCounts> counts,
                     tx.CountTasks(unit.path, TaskCountKey::kOwnerPath, today));
    for (const KeyedTaskCounts& k : counts) {
      n.overdue += k.counts.overdue;
      n.submitted += k.counts.submitted;
    }
    TaskQuery due;
    due.subtree_path = unit.path;
    due.statuses = {TaskStatus::kOpen, TaskStatus::kInProgress};
    due.deadline_from = today;
    due.deadline_to = today + window_days;
    ASSIGN_OR_RETURN(std::vector<Task> due_soon, AllTasks(tx, due, 10000));
    n.due_soon = static_cast<int64_t>(due_soon.size());
    if (n.overdue + n.due_soon + n.submitted == 0) continue;  // nothing to say

    TaskQuery overdue;
    overdue.subtree_path = unit.path;
    overdue.overdue_as_of = today;
    overdue.limit = kDigestItemsPerCategory;
    ASSIGN_OR_RETURN(std::vector<Task> late, tx.ListTasks(overdue));
    TaskQuery waiting;
    waiting.subtree_path = unit.path;
    waiting.statuses = {TaskStatus::kSubmitted};
    waiting.limit = kDigestItemsPerCategory;
    ASSIGN_OR_RETURN(std::vector<Task> submitted, tx.ListTasks(waiting));
    auto add = [&](char category, const std::vector<Task>& tasks) -> absl::Status {
      for (size_t i = 0; i < tasks.size() && i < kDigestItemsPerCategory; ++i) {
        ASSIGN_OR_RETURN(std::string name, unit_name(tasks[i].owner_unit_id));
        n.items.push_back(DigestItem(category, tasks[i], name));
      }
      return absl::OkStatus();
    };
    RETURN_IF_ERROR(add('O', late));
    RETURN_IF_ERROR(add('D', due_soon));
    RETURN_IF_ERROR(add('S', submitted));
    ASSIGN_OR_RETURN(bool fresh, tx.EnqueueNotice(n, {unit.id}, false));
    written += fresh ? 1 : 0;
  }
  return written;
}

absl::StatusOr<bool> PlanningDue(ReadTxn& tx, absl::Time now, const NoticePlan& plan,
                                 const LedgerSettings& settings) {
  const absl::CivilDay today = DayOf(now, settings.time_zone);
  ASSIGN_OR_RETURN(bool reminded, MarkReached(tx, kReminderMark, today));
  if (!reminded) return true;
  if (plan.digest_at < absl::ZeroDuration() ||
      now < StartOfDay(today, settings.time_zone) + plan.digest_at) {
    return false;
  }
  ASSIGN_OR_RETURN(bool digested, MarkReached(tx, kDigestMark, today));
  return !digested;
}

absl::StatusOr<int> PlanNotices(WriteTxn& tx, absl::Time now, const NoticePlan& plan,
                                const LedgerSettings& settings) {
  const absl::CivilDay today = DayOf(now, settings.time_zone);
  int written = 0;
  ASSIGN_OR_RETURN(bool reminded, MarkReached(tx, kReminderMark, today));
  if (!reminded) {
    ASSIGN_OR_RETURN(int n, PlanReminders(tx, today, plan.lead_days, now));
    written += n;
    RETURN_IF_ERROR(tx.SetNotifyMark(kReminderMark, FormatDay(today)));
  }
  if (plan.digest_at >= absl::ZeroDuration() &&
      now >= StartOfDay(today, settings.time_zone) + plan.digest_at) {
    ASSIGN_OR_RETURN(bool digested, MarkReached(tx, kDigestMark, today));
    if (!digested) {
      ASSIGN_OR_RETURN(int n, PlanDigests(tx, today, now, settings));
      written += n;
      RETURN_IF_ERROR(tx.SetNotifyMark(kDigestMark, FormatDay(today)));
    }
  }
  return written;
}

}  // namespace rectify
