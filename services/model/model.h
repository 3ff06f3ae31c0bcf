// The domain model of the rectification ledger (整改台账). Plain values: no gRPC, no SQL.
//
// Enum values equal the numbers of the matching enums in proto/rectify/v1/common.proto so that
// the API adapters convert with a range check and a cast.
#ifndef RECTIFY_SERVICES_MODEL_MODEL_H_
#define RECTIFY_SERVICES_MODEL_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"

namespace rectify {

using Id = int64_t;

// 整改状态.
enum class TaskStatus {
  kOpen = 1,        // 待整改
  kInProgress = 2,  // 整改中
  kSubmitted = 3,   // 待验收
  kClosed = 4,      // 已销号
  kOngoing = 5,     // 长期坚持
  kCancelled = 6,   // 已撤销
};
constexpr int kMaxTaskStatus = 6;

// 红黄绿灯. kNone for tasks that are done or withdrawn.
enum class WarningLight { kNone = 0, kGreen = 1, kYellow = 2, kRed = 3 };

enum class ReviewKind {
  kOrgLifeMeeting = 1,         // 专题组织生活会
  kDemocraticLifeMeeting = 2,  // 民主生活会
  kInspection = 3,             // 巡视/巡察
  kAudit = 4,                  // 审计
  kSpecialCheck = 5,           // 专项检查
  kOther = 6,                  // 其他
};
constexpr int kMaxReviewKind = 6;

// kWithdrawn (已撤回): closed without a decision because the task no longer needs it (closed
// out, cancelled, submitted, made long-term); it has no decider.
enum class ExtensionState { kPending = 1, kApproved = 2, kDenied = 3, kWithdrawn = 4 };

enum class EventKind {
  kCreated = 1,
  kTransition = 2,
  kProgress = 3,
  kExtensionRequested = 4,
  kExtensionDecided = 5,
  kFlagRaised = 6,
  kFlagCleared = 7,
  kUrged = 8,
  kUpdated = 9,
};

// Kinds of scheduler flags. A flag is raised at most once per (task, deadline version, kind).
enum class FlagKind {
  kDueSoon = 1,           // 临期: due within the warning window
  kBehindSchedule = 2,    // 滞后于序时进度
  kOverdue = 3,           // 逾期 (督办 level 1)
  kEscalated = 4,         // 逾期超过宽限期 (督办 level 2)
  kCheckpointMissed = 5,  // 长期坚持任务未按期报告
};

struct OrgUnit {
  Id id = 0;
  std::string name;
  Id parent_id = 0;  // 0 for the root
  // "/0000000001/0000000005/": zero-padded ids from the root down to this unit. Units never move,
  // so it is stable; a subtree is every path with this prefix.
  std::string path;
  int depth = 0;
  int64_t version = 1;
  absl::Time create_time;
};

struct Review {
  Id id = 0;
  std::string title;
  ReviewKind kind = ReviewKind::kOther;
  absl::CivilDay held_on;
  Id unit_id = 0;
  std::string source_document;
  // SHA-256 (lowercase hex) of the imported document's bytes; empty for a review registered by
  // hand. One unit cannot import the same content twice (see Ledger::ImportReview).
  std::string source_sha256;
  absl::Time create_time;
};

struct RootCause {
  Id id = 0;
  Id review_id = 0;
  std::string text;
};

struct Problem {
  Id id = 0;
  Id review_id = 0;
  std::string area;  // 方面
  std::string text;
  std::vector<Id> root_cause_ids;
  int seq = 0;
};

struct Task {
  Id id = 0;
  Id problem_id = 0;
  Id review_id = 0;
  std::string area;
  std::string measure;
  Id owner_unit_id = 0;
  std::string owner_path;  // the owner unit's path, for subtree queries
  std::string owner_person;
  std::string leader;
  absl::optional<absl::CivilDay> deadline;
  int cadence_days = 0;  // > 0 for long-term tasks
  TaskStatus status = TaskStatus::kOpen;
  int progress_percent = 0;
  int64_t version = 1;
  int64_t deadline_version = 1;
  WarningLight light = WarningLight::kGreen;
  int escalation_level = 0;
  std::string status_note;
  std::string latest_progress;
  absl::Time create_time;
  absl::Time update_time;
  absl::optional<absl::Time> close_time;
  // The civil day (organisation's zone) of close_time, kept so that the statistics can tell a
  // task closed on time (close_day <= deadline) in SQL.
  absl::optional<absl::CivilDay> close_day;
  absl::optional<absl::Time> last_report_time;
  // When a long-term task became ONGOING; its first checkpoint counts from here.
  absl::optional<absl::Time> ongoing_since;
  // For ONGOING tasks: the last day by which the next progress report is due (the civil day of
  // the last report, or of ongoing_since, plus cadence_days). Overdue from the day after.
  absl::optional<absl::CivilDay> checkpoint_due;
  // The next instant at which the scheduler must look at this task again (a deadline, a window
  // edge, a checkpoint); absent when nothing can change by time alone. Indexed.
  absl::optional<absl::Time> next_check_time;
  // A draft (草稿) made by importing a review report: OPEN, owned by the review's unit, with no
  // owner person and no deadline unless the document gave them (drafts.h), until
  // Ledger::AssignTask gives it an owner and a deadline.
  bool draft = false;
};

struct Evidence {
  Id id = 0;
  std::string file_name;
  std::string media_type;
  int64_t size_bytes = 0;
  std::string sha256_hex;
  std::string content;  // may be empty when not loaded
};

struct ProgressReport {
  Id id = 0;
  Id task_id = 0;
  std::string reporter;
  absl::Time report_time;
  std::string text;
  int percent = 0;
  std::vector<Evidence> evidence;
};

struct ExtensionRequest {
  Id id = 0;
  Id task_id = 0;
  absl::optional<absl::CivilDay> old_deadline;
  absl::CivilDay requested_deadline;
  std::string reason;
  std::string requested_by;
  // The unit of the principal who asked (0 for requests recorded before it was kept: read as
  // the task's owner unit). Nobody bound to it may decide the request.
  Id requester_unit_id = 0;
  absl::Time request_time;
  ExtensionState state = ExtensionState::kPending;
  std::string decided_by;
  absl::optional<absl::Time> decide_time;
  std::string decision_note;
};

struct Event {
  int64_t seq = 0;
  EventKind kind = EventKind::kCreated;
  Id task_id = 0;
  Id unit_id = 0;
  std::string unit_path;  // the unit's path, so that watchers of a subtree can filter
  std::string actor;
  absl::Time time;
  absl::optional<TaskStatus> from_status;
  absl::optional<TaskStatus> to_status;
  std::string detail;
};

// A raised scheduler flag (预警/督办).
struct Flag {
  Id task_id = 0;
  int64_t deadline_version = 0;
  FlagKind kind = FlagKind::kOverdue;
  absl::Time raised_time;
  absl::optional<absl::Time> cleared_time;
};

// Notifications (提醒、催办、督办通知). A notice is one message about one happening (a reminder
// before a deadline, a raised flag, an urge, a decision, a daily digest); it is written to the
// outbox in the same transaction as the change that caused it, under a key that makes it
// exactly-once, together with one delivery per channel that must carry it.
enum class NoticeTopic {
  kReminder = 1,           // 到期提醒: `days` before the deadline
  kDueSoon = 2,            // 临期 (yellow)
  kBehindSchedule = 3,     // 滞后于序时进度
  kOverdue = 4,            // 逾期 (督办 level 1)
  kEscalated = 5,          // 超期督办 (level 2): the parent unit and the supervisors too
  kCheckpointMissed = 6,   // 长期坚持任务未按期报告
  kUrged = 7,              // 催办
  kReturned = 8,           // 退回
  kClosed = 9,             // 销号
  kExtensionDecided = 10,  // 延期申请已决定
  kDigest = 11,            // 每日汇总
};
constexpr int kMaxNoticeTopic = 11;

struct Notice {
  Id id = 0;
  std::string key;  // unique: "flag/12/1/3", "remind/12/1/7", "event/881", "digest/5/2026-12-01"
  NoticeTopic topic = NoticeTopic::kReminder;
  bool urgent = false;  // urgent notices are sent in quiet hours too
  Id task_id = 0;       // 0 for a digest
  Id unit_id = 0;       // the owner unit (the digest's unit)
  std::string unit_name;
  std::string measure;  // the task's measure (a digest: empty)
  std::string person;   // the task's owner person
  absl::optional<absl::CivilDay> deadline;
  // Reminder: days before the deadline; overdue/escalated: days overdue; extension decided:
  // 1 approved, 0 denied.
  int days = 0;
  std::string actor;  // who urged, returned, accepted or decided
  std::string note;   // the urge's note, the return's reason, the decision's note
  // Digest: counts (overdue, due soon, waiting for verification) and up to a few lines each.
  int64_t overdue = 0;
  int64_t due_soon = 0;
  int64_t submitted = 0;
  std::vector<std::string> items;
  absl::Time create_time;
};

enum class ChannelKind { kWeCom = 1, kDingTalk = 2, kFeishu = 3, kEmail = 4 };
constexpr int kMaxChannelKind = 4;

// Where a unit's notices go. url and secret are secrets: they are never returned by the API,
// printed in logs or written to the audit trail; lists show them redacted.
struct NotifyChannel {
  Id id = 0;
  Id unit_id = 0;
  std::string unit_path;  // read with the unit
  ChannelKind kind = ChannelKind::kWeCom;
  std::string name;
  std::string url;     // robots: the webhook URL (carries the key); mail: smtp:// or smtps://
  std::string secret;  // DingTalk/Feishu signing secret, or the SMTP password
  std::string user;    // mail: SMTP user
  std::string from;    // mail: sender
  std::vector<std::string> to;  // mail: recipients
  // Also receives the level 2 escalations (超期督办) of every unit: the supervisors' office.
  bool supervision = false;
  bool enabled = true;
  std::string lang = "zh";  // "zh" or "en"
  int64_t version = 1;
  absl::Time create_time;
  // Health, kept by the dispatcher: failed sends in a row, and the last error (redacted).
  int consecutive_failures = 0;
  std::string last_error;
  absl::optional<absl::Time> last_success_time;
};

enum class DeliveryState { kPending = 1, kSent = 2, kFailed = 3 };

// One notice on one channel.
struct Delivery {
  Id notice_id = 0;
  Id channel_id = 0;
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  int parts_sent = 0;  // of a message split to fit the channel, the parts already delivered
  absl::Time next_attempt_time;
  std::string last_error;
  absl::optional<absl::Time> sent_time;
};

}  // namespace rectify

#endif  // RECTIFY_SERVICES_MODEL_MODEL_H_
