// Ledger: importing a review report (检视剖析材料) as a review with its root causes, problems and
// one draft task per problem, in the caller's single write transaction.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/civil.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/domain/flag_rules.h"
#include "services/domain/ledger.h"
#include "services/domain/limits.h"

namespace rectify {
namespace {

// Units looked through for an owner named in the document; a branch has far fewer.
constexpr int kMaxOwnerLookupUnits = 5000;

bool IsSha256Hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

// "第 12 行：" for an item's error, so that the committee can find it in the document.
std::string AtLine(int line) { return line > 0 ? absl::StrCat("第 ", line, " 行：") : ""; }
std::string AtLineEn(int line) { return line > 0 ? absl::StrCat("line ", line, ": ") : ""; }

// Checks every item's text before anything is written, and reports all bad items at once: a
// document with three over-long problems should be fixed in one round, not three.
absl::Status CheckItems(const ReviewImport& in) {
  std::vector<std::string> errors;
  auto check = [&](absl::string_view what_zh, absl::string_view what_en, absl::string_view field,
                   const std::string& text, size_t max_chars, int line, bool multiline) {
    absl::Status s = CheckText(field, text, 1, max_chars, multiline);
    if (!s.ok()) {
      errors.push_back(
          absl::StrCat(AtLine(line), what_zh, " — ", AtLineEn(line), what_en, ": ", s.message()));
    }
  };
  for (const ImportCause& cause : in.causes) {
    check("根源", "root cause", "causes.text", cause.text, limits::kLongText, cause.line, true);
  }
  for (const ImportProblem& problem : in.problems) {
    check("方面", "area", "problems.area", problem.area, limits::kArea, problem.line, false);
    check("问题", "problem", "problems.text", problem.text, limits::kLongText, problem.line, true);
    if (!problem.owner_person.empty()) {
      check("责任人", "owner person", "problems.owner_person", problem.owner_person,
            limits::kPersonName, problem.line, false);
    }
    if (!problem.measure.empty()) {
      check("整改措施", "measure", "problems.measure", problem.measure, limits::kLongText,
            problem.line, true);
    }
  }
  if (errors.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("document: 材料中有 ", errors.size(),
                   " 处内容不能导入，请修改后重试 / document: ", errors.size(),
                   " items cannot be imported; fix them and retry\n", absl::StrJoin(errors, "\n")));
}

absl::Status CheckImport(const ReviewImport& in) {
  if (in.problems.empty()) {
    return InvalidField("document", "材料中没有可导入的问题",
                        "the document has no problem to import");
  }
  if (!IsSha256Hex(in.source_sha256)) {
    return InvalidField("source_sha256", "须为 64 位小写十六进制的 SHA-256",
                        "must be a SHA-256 in 64 lowercase hex digits");
  }
  RETURN_IF_ERROR(CheckText("default_owner_person", in.default_owner_person, 0, limits::kPersonName,
                            /*multiline=*/false));
  RETURN_IF_ERROR(
      CheckText("default_leader", in.default_leader, 0, limits::kPersonName, /*multiline=*/false));
  return CheckItems(in);
}

}  // namespace

absl::StatusOr<ImportedReview> Ledger::ImportReview(WriteTxn& tx, const Actor& actor,
                                                    const ReviewImport& in) const {
  RETURN_IF_ERROR(CheckImport(in));
  if (in.unit_id <= 0) return InvalidField("unit_id", "必须是正整数编号", "must be a positive id");
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(in.unit_id));
  // Beyond request_id: the same content imported again for the same unit (another file name,
  // another day, another person) would double every problem and task. Refuse and name the review.
  ASSIGN_OR_RETURN(absl::optional<Review> earlier,
                   tx.FindReviewBySource(unit.id, in.source_sha256));
  if (earlier.has_value()) {
    return absl::AlreadyExistsError(absl::StrCat("该材料已导入为检视 ", earlier->id, "（",
                                                 earlier->title, "），未重复创建 / this document ",
                                                 "was already imported as review ", earlier->id,
                                                 " (", earlier->title, "); nothing was created"));
  }
  const std::string held_on = in.held_on.empty() ? FormatDay(Today()) : in.held_on;
  ImportedReview out;
  ASSIGN_OR_RETURN(out.review, CreateReview(tx, actor, in.title, in.kind, held_on, unit.id,
                                            in.source_document, in.source_sha256));
  for (const ImportCause& cause : in.causes) {
    ASSIGN_OR_RETURN(RootCause stored, CreateRootCause(tx, actor, out.review.id, cause.text));
    out.causes.push_back(std::move(stored));
  }
  const absl::Time now = Now();
  // Owners named in the document, by name, among the units of the review unit's subtree: a
  // name that is there exactly once is that unit; a missing or ambiguous one leaves the draft
  // with the review's unit for the committee to assign.
  ASSIGN_OR_RETURN(const std::vector<OrgUnit> subtree,
                   tx.ListUnits(unit.path, "", kMaxOwnerLookupUnits));
  auto owner_named = [&](const std::string& name) -> const OrgUnit* {
    const OrgUnit* found = nullptr;
    for (const OrgUnit& u : subtree) {
      if (u.name != name) continue;
      if (found != nullptr) return nullptr;
      found = &u;
    }
    return found;
  };
  const absl::CivilDay today = Today();
  for (const ImportProblem& problem : in.problems) {
    // root_cause_ids stay empty: reports do not say which cause explains which problem, and
    // linking every cause to every problem would only add noise. The committee links them.
    ASSIGN_OR_RETURN(Problem stored,
                     CreateProblem(tx, actor, out.review.id, problem.area, problem.text, {}));
    Task task;
    task.problem_id = stored.id;
    task.review_id = out.review.id;
    task.area = stored.area;
    task.measure = problem.measure.empty() ? problem.text : problem.measure;
    task.owner_unit_id = unit.id;
    task.owner_path = unit.path;
    if (const OrgUnit* owner = owner_named(problem.owner_unit_name); owner != nullptr) {
      task.owner_unit_id = owner->id;
      task.owner_path = owner->path;
    }
    task.owner_person =
        problem.owner_person.empty() ? in.default_owner_person : problem.owner_person;
    if (!problem.deadline.empty()) {
      // A past deadline is the document's history, not a plan: the committee sets a new one.
      absl::StatusOr<absl::CivilDay> day = ParseDay("deadline", problem.deadline);
      if (day.ok() && *day >= today) task.deadline = *day;
    }
    task.leader = in.default_leader;
    task.status = TaskStatus::kOpen;
    task.draft = true;
    task.light = WarningLight::kGreen;
    task.create_time = now;
    task.update_time = now;
    RETURN_IF_ERROR(tx.InsertTask(task));
    RETURN_IF_ERROR(
        AppendTaskEvent(tx, actor, task, EventKind::kCreated,
                        absl::StrCat("从材料导入草稿任务（检视 ", out.review.id, "，问题 ",
                                     stored.seq, "），待指定责任人和整改时限"),
                        now, absl::nullopt, task.status));
    // A draft has no deadline, so this finds nothing to flag; it keeps every task's stored
    // light and next check consistent with EvaluateTask, however it was made.
    RETURN_IF_ERROR(ReconcileTask(tx, task, now, settings_).status());
    out.problems.push_back(std::move(stored));
    out.tasks.push_back(std::move(task));
  }
  return out;
}

absl::StatusOr<absl::optional<Review>> Ledger::FindImportedReview(
    Id unit_id, const std::string& source_sha256) const {
  if (unit_id <= 0) return InvalidField("unit_id", "必须是正整数编号", "must be a positive id");
  absl::optional<Review> found;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(found, tx.FindReviewBySource(unit_id, source_sha256));
    return absl::OkStatus();
  }));
  return found;
}

}  // namespace rectify
