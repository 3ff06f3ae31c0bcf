#include <string>

#include "client/output/format.h"
#include "client/output/json.h"
#include "client/output/report_view.h"
#include "client/output/task_view.h"
#include "client/output/views.h"
#include "gtest/gtest.h"
#include "services/common/civil.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

absl::TimeZone Shanghai() { return *LoadZone("Asia/Shanghai"); }

google::protobuf::Timestamp At(int64_t unix_seconds) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(unix_seconds);
  return ts;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(FormatTest, LabelsAreChineseByDefaultAndEnglishOnRequest) {
  EXPECT_EQ(StatusText(v1::OPEN, Lang::kZh), "待整改");
  EXPECT_EQ(StatusText(v1::SUBMITTED, Lang::kZh), "待验收");
  EXPECT_EQ(StatusText(v1::IN_PROGRESS, Lang::kEn), "in progress");
  EXPECT_EQ(LightText(v1::RED, Lang::kZh), "红灯");
  EXPECT_EQ(LightText(v1::YELLOW, Lang::kEn), "yellow");
  EXPECT_EQ(ReviewKindText(v1::ORGANIZATIONAL_LIFE_MEETING, Lang::kZh), "专题组织生活会");
  EXPECT_EQ(ExtensionStateText(v1::EXTENSION_PENDING, Lang::kZh), "待审批");
  EXPECT_EQ(ExtensionStateText(v1::EXTENSION_DENIED, Lang::kEn), "denied");
}

TEST(FormatTest, ADraftReadsAsADraftOnlyWhileItIsOpen) {
  v1::Task task;
  task.set_draft(true);
  task.set_status(v1::OPEN);
  EXPECT_EQ(TaskStatusText(task, Lang::kZh), "草稿（待分配）");
  // Cancelled, or withdrawn with its import: the draft flag stays, the status is what counts.
  task.set_status(v1::CANCELLED);
  EXPECT_EQ(TaskStatusText(task, Lang::kZh), "已撤销");
  EXPECT_EQ(TaskStatusText(task, Lang::kEn), "cancelled");
}

TEST(FormatTest, InstantsAreShownInTheOrganisationsZone) {
  // 2021-12-31T16:30:00Z is 2022-01-01 00:30 in Shanghai (UTC+8).
  EXPECT_EQ(FormatTimestamp(At(1640968200), Shanghai()), "2022-01-01 00:30");
  EXPECT_EQ(FormatTimestamp(At(1640968200), absl::UTCTimeZone()), "2021-12-31 16:30");
}

TEST(FormatTest, UnsetInstantsShowAsNothing) {
  EXPECT_EQ(FormatTimestamp(google::protobuf::Timestamp(), Shanghai()), "");
}

TEST(FormatTest, TaskWithoutDeadlineShowsItsCadence) {
  v1::Task task;
  task.set_cadence_days(30);
  EXPECT_EQ(DeadlineText(task, Lang::kZh), "长期坚持（每 30 天）");
  EXPECT_EQ(DeadlineText(task, Lang::kEn), "ongoing (every 30 days)");
  task.set_deadline("2021-12-31");
  EXPECT_EQ(DeadlineText(task, Lang::kZh), "2021-12-31");
}

TEST(FormatTest, SizesAreHumanReadable) {
  EXPECT_EQ(SizeText(532), "532 B");
  EXPECT_EQ(SizeText(12800), "12.5 KB");
  EXPECT_EQ(SizeText(3 * 1024 * 1024), "3.0 MB");
}

v1::Task SampleTask() {
  v1::Task task;
  task.set_id(12);
  task.set_problem_id(3);
  task.set_review_id(5);
  task.set_area("在联系服务群众方面");
  task.set_measure("每季度开展一次走访调研，建立联系群众长效机制，形成调研报告并报党委");
  task.set_owner_unit_id(7);
  task.set_owner_unit_name("机关第一支部");
  task.set_owner_person("张三");
  task.set_leader("李四");
  task.set_deadline("2021-12-31");
  task.set_status(v1::IN_PROGRESS);
  task.set_progress_percent(40);
  task.set_version(5);
  task.set_deadline_version(2);
  task.set_light(v1::RED);
  task.set_overdue(true);
  task.set_escalation_level(1);
  *task.mutable_create_time() = At(1640968200);
  return task;
}

TEST(TaskViewTest, ListShowsChineseLabelsAndCutsTheMeasure) {
  google::protobuf::RepeatedPtrField<v1::Task> tasks;
  *tasks.Add() = SampleTask();
  const std::string text = TaskListText(tasks, Lang::kZh);
  EXPECT_TRUE(Contains(text, "整改中"));
  EXPECT_TRUE(Contains(text, "红灯 逾期"));
  EXPECT_TRUE(Contains(text, "40%"));
  EXPECT_TRUE(Contains(text, "…"));
  EXPECT_FALSE(Contains(text, "形成调研报告并报党委"));
  EXPECT_TRUE(Contains(text, "共 1 项"));
}

TEST(TaskViewTest, ListIsEnglishWithLangEn) {
  google::protobuf::RepeatedPtrField<v1::Task> tasks;
  *tasks.Add() = SampleTask();
  const std::string text = TaskListText(tasks, Lang::kEn);
  EXPECT_TRUE(Contains(text, "in progress"));
  EXPECT_TRUE(Contains(text, "Deadline"));
  EXPECT_FALSE(Contains(text, "整改中"));
}

TEST(TaskViewTest, ADraftIsMarkedAsADraftNotAsOpen) {
  google::protobuf::RepeatedPtrField<v1::Task> tasks;
  v1::Task draft = SampleTask();
  draft.set_status(v1::OPEN);
  draft.set_draft(true);
  draft.clear_deadline();
  *tasks.Add() = draft;
  const std::string text = TaskListText(tasks, Lang::kZh);
  EXPECT_TRUE(Contains(text, "草稿（待分配）")) << text;
  EXPECT_FALSE(Contains(text, "待整改")) << text;
  EXPECT_TRUE(Contains(TaskListText(tasks, Lang::kEn), "draft (unassigned)"));
}

TEST(TaskViewTest, ShowPrintsEveryTextInFullWithHistory) {
  v1::TaskHistory history;
  *history.mutable_task() = SampleTask();
  history.mutable_problem()->set_id(3);
  history.mutable_problem()->set_text("深入基层调研不够");
  v1::ProgressReport* report = history.add_progress();
  report->set_id(4);
  report->set_reporter("张三");
  report->set_percent(40);
  report->set_text("已完成第一轮走访");
  *report->mutable_report_time() = At(1640968200);
  v1::Evidence* evidence = report->add_evidence();
  evidence->set_file_name("走访记录.pdf");
  evidence->set_media_type("application/pdf");
  evidence->set_size_bytes(12800);
  evidence->set_sha256(std::string(64, 'a'));
  v1::ExtensionRequest* ext = history.add_extensions();
  ext->set_id(2);
  ext->set_state(v1::EXTENSION_APPROVED);
  ext->set_old_deadline("2021-10-31");
  ext->set_requested_deadline("2021-12-31");
  ext->set_reason("涉及跨部门协调");
  ext->set_decided_by("王五");
  v1::Event* event = history.add_events();
  event->set_seq(17);
  event->set_kind(v1::EVENT_TRANSITION);
  event->set_from_status(v1::OPEN);
  event->set_to_status(v1::IN_PROGRESS);
  event->set_actor("张三");
  *event->mutable_event_time() = At(1640968200);

  const std::string text = TaskHistoryText(history, Lang::kZh, Shanghai());
  EXPECT_TRUE(Contains(text, "每季度开展一次走访调研，建立联系群众长效机制，形成调研报告并报党委"));
  EXPECT_TRUE(Contains(text, "#3 深入基层调研不够"));
  EXPECT_TRUE(Contains(text, "红灯，已逾期，一级督办"));
  EXPECT_TRUE(Contains(text, "2021-12-31（时限版本 2）"));
  EXPECT_TRUE(Contains(text, "2022-01-01 00:30"));
  EXPECT_TRUE(Contains(text, "进展反馈（1）"));
  EXPECT_TRUE(
      Contains(text, "走访记录.pdf  application/pdf  12.5 KB  sha256:" + std::string(64, 'a')));
  EXPECT_TRUE(Contains(text, "已批准  2021-10-31 → 2021-12-31"));
  EXPECT_TRUE(Contains(text, "王五"));
  EXPECT_TRUE(Contains(text, "待整改 → 整改中"));
  EXPECT_TRUE(Contains(text, "事件记录（1）"));
}

TEST(TaskViewTest, OverdueReportHasAHeadingPerUnitDaysOverdueAndATotal) {
  v1::OverdueReportResponse report;
  report.set_as_of("2022-01-05");
  report.set_total(3);
  v1::OverdueGroup* first = report.add_groups();
  first->set_unit_id(7);
  first->set_unit_name("机关第一支部");
  for (int days : {30, 4}) {
    v1::OverdueItem* item = first->add_items();
    *item->mutable_task() = SampleTask();
    item->set_days_overdue(days);
  }
  v1::OverdueGroup* second = report.add_groups();
  second->set_unit_id(8);
  second->set_unit_name("机关第二支部");
  *second->add_items()->mutable_task() = SampleTask();
  second->mutable_items(0)->set_days_overdue(1);

  const std::string text = OverdueReportText(report, Lang::kZh);
  EXPECT_TRUE(Contains(text, "截至 2022-01-05"));
  EXPECT_TRUE(Contains(text, "【机关第一支部】 #7，2 项"));
  EXPECT_TRUE(Contains(text, "【机关第二支部】 #8，1 项"));
  EXPECT_LT(text.find("机关第一支部"), text.find("机关第二支部"));
  EXPECT_TRUE(Contains(text, "逾期天数"));
  EXPECT_TRUE(Contains(text, "合计：3 项逾期，涉及 2 个单位"));
}

TEST(TaskViewTest, EmptyOverdueReportSaysSo) {
  v1::OverdueReportResponse report;
  report.set_as_of("2022-01-05");
  EXPECT_EQ(OverdueReportText(report, Lang::kZh), "截至 2022-01-05 没有逾期任务\n");
}

TEST(ViewsTest, UnitTreeIndentsNamesByDepth) {
  google::protobuf::RepeatedPtrField<v1::OrgUnit> units;
  v1::OrgUnit* root = units.Add();
  root->set_id(1);
  root->set_name("党委");
  v1::OrgUnit* branch = units.Add();
  branch->set_id(7);
  branch->set_name("机关第一支部");
  branch->set_parent_id(1);
  branch->set_depth(1);
  const std::string text = UnitListText(units, Lang::kZh);
  EXPECT_TRUE(Contains(text, "  党委"));  // after the ID column
  EXPECT_TRUE(Contains(text, "    机关第一支部"));
}

TEST(JsonTest, FieldNamesAreTheProtosAndDefaultsArePrinted) {
  v1::Task task;
  task.set_id(12);
  task.set_owner_person("张三");
  task.set_status(v1::OPEN);
  auto json = ToJson(task);
  ASSERT_TRUE(json.ok());
  EXPECT_TRUE(Contains(*json, "\"owner_person\": \"张三\""));
  EXPECT_TRUE(Contains(*json, "\"status\": \"OPEN\""));
  EXPECT_TRUE(Contains(*json, "\"progress_percent\": 0"));
  EXPECT_TRUE(Contains(*json, "\"overdue\": false"));
  EXPECT_EQ(json->back(), '\n');
}

}  // namespace
}  // namespace rectify::client
