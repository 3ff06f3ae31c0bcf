// Identity and permissions through a real server: tokens (missing, malformed, unknown,
// expired, revoked; shown once; hash only on disk), subtree filtering of lists, reports, exports
// and the event stream, and separation of duties.
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "rectify/v1/auth.grpc.pb.h"
#include "rectify/v1/events.grpc.pb.h"
#include "rectify/v1/reports.grpc.pb.h"
#include "services/auth/bootstrap.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

// Root 机关党委 (admin 张三) → 第一支部 (A) and 第二支部 (B), each with one task.
class AuthTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    tokens_ = v1::TokenService::NewStub(channel_);
    reports_ = v1::ReportService::NewStub(channel_);
    events_ = v1::EventService::NewStub(channel_);
    task_a_ = SeedTask();  // branch_ is 第一支部
    a_ = branch_;
    v1::CreateUnitRequest unit;
    unit.set_parent_id(root_.id);
    unit.set_name("第二支部");
    EXPECT_TRUE(org_->CreateUnit(Ctx().get(), unit, &b_).ok());
    v1::CreateTaskRequest task;
    task.set_problem_id(problem_.id());
    task.set_measure("第二支部的整改措施");
    task.set_owner_unit_id(b_.id());
    task.set_owner_person("王五");
    task.set_deadline("2021-12-05");
    EXPECT_TRUE(ledger_stub_->CreateTask(Ctx().get(), task, &task_b_).ok());
    branch_a_secret_ = IssueToken("一支部书记", Role::kBranch, a_.id());
  }

  grpc::Status GetTask(const std::string& secret, int64_t id, v1::Task* out = nullptr) {
    v1::GetTaskRequest req;
    req.set_id(id);
    v1::Task task;
    return ledger_stub_->GetTask(CtxAs(secret).get(), req, out != nullptr ? out : &task);
  }

  std::string DatabaseBytes() {
    std::string all;
    for (const std::string& file : {options_.path, options_.path + "-wal"}) {
      std::ifstream in(file, std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return all;
  }

  std::unique_ptr<v1::TokenService::Stub> tokens_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::EventService::Stub> events_;
  v1::OrgUnit a_, b_;
  v1::Task task_a_, task_b_;
  std::string branch_a_secret_;
};

TEST_F(AuthTest, CallWithoutTokenIsUnauthenticatedButHealthChecksStayOpen) {
  grpc::Status s = GetTask("", task_a_.id());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(s.error_message().find(" / "), std::string::npos);  // 中文 / English
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  grpc::ClientContext bare;
  EXPECT_TRUE(health->Check(&bare, req, &resp).ok());
}

TEST_F(AuthTest, MalformedAndUnknownTokensAreUnauthenticatedAndNeverEchoed) {
  for (const std::string& bad : {std::string("rfy_short"), std::string("not-even-close"),
                                 std::string("rfy_") + std::string(43, 'A')}) {
    grpc::Status s = GetTask(bad, task_a_.id());
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << bad;
    EXPECT_EQ(s.error_message().find(bad), std::string::npos);
  }
}

TEST_F(AuthTest, ExpiredTokenIsRefusedOnceTheClockPassesItsExpiry) {
  const std::string secret =
      IssueToken("临时督查", Role::kSupervisor, root_.id, clock_->Now() + absl::Hours(1));
  EXPECT_TRUE(GetTask(secret, task_a_.id()).ok());
  clock_->Advance(absl::Hours(1));
  EXPECT_EQ(GetTask(secret, task_a_.id()).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthTest, RevocationTakesEffectOnTheVeryNextCall) {
  v1::CreateTokenRequest create;
  create.set_name("纪委办");
  create.set_role(v1::SUPERVISOR);
  v1::CreateTokenResponse created;
  ASSERT_TRUE(tokens_->CreateToken(Ctx().get(), create, &created).ok());
  EXPECT_TRUE(GetTask(created.secret(), task_a_.id()).ok());
  v1::RevokeTokenRequest revoke;
  revoke.set_id(created.token().id());
  v1::ApiToken revoked;
  ASSERT_TRUE(tokens_->RevokeToken(Ctx().get(), revoke, &revoked).ok());
  EXPECT_TRUE(revoked.has_revoke_time());
  EXPECT_EQ(GetTask(created.secret(), task_a_.id()).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthTest, SecretIsShownOnceAndOnlyItsHashReachesTheDisk) {
  v1::CreateTokenRequest create;
  create.set_request_id("make-token-1");
  create.set_name("第一支部书记");
  create.set_role(v1::BRANCH);
  create.set_unit_id(a_.id());
  v1::CreateTokenResponse first, retry;
  ASSERT_TRUE(tokens_->CreateToken(Ctx().get(), create, &first).ok());
  ASSERT_THAT(first.secret(), ::testing::StartsWith("rfy_"));
  ASSERT_TRUE(tokens_->CreateToken(Ctx().get(), create, &retry).ok());
  EXPECT_EQ(retry.token().id(), first.token().id());
  EXPECT_EQ(retry.secret(), "");  // a retried request_id never shows the secret again
  EXPECT_EQ(DatabaseBytes().find(first.secret()), std::string::npos);
  EXPECT_EQ(DatabaseBytes().find(admin_secret_), std::string::npos);
  // The listing never carries a secret either.
  v1::ListTokensResponse list;
  ASSERT_TRUE(tokens_->ListTokens(Ctx().get(), v1::ListTokensRequest(), &list).ok());
  std::string bytes;
  list.SerializeToString(&bytes);
  EXPECT_EQ(bytes.find(first.secret()), std::string::npos);
  EXPECT_GE(list.tokens_size(), 3);
}

TEST_F(AuthTest, CommitteeCannotMintTokensOrSeeTokensOutsideItsSubtree) {
  const std::string sub = IssueToken("一支部党委", Role::kCommittee, a_.id());
  v1::CreateTokenRequest create;
  create.set_name("越权");
  create.set_role(v1::COMMITTEE);
  create.set_unit_id(root_.id);
  v1::CreateTokenResponse out;
  EXPECT_EQ(tokens_->CreateToken(CtxAs(sub).get(), create, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListTokensResponse list;
  ASSERT_TRUE(tokens_->ListTokens(CtxAs(sub).get(), v1::ListTokensRequest(), &list).ok());
  for (const v1::ApiToken& t : list.tokens()) EXPECT_EQ(t.unit_id(), a_.id()) << t.name();
}

TEST_F(AuthTest, TheActorRecordedIsTheTokensName) {
  v1::ApiToken me;
  ASSERT_TRUE(tokens_->WhoAmI(CtxAs(branch_a_secret_).get(), v1::WhoAmIRequest(), &me).ok());
  EXPECT_EQ(me.name(), "一支部书记");
  EXPECT_EQ(me.role(), v1::BRANCH);
  v1::StartTaskRequest start;
  start.set_id(task_a_.id());
  v1::Task started;
  ASSERT_TRUE(ledger_stub_->StartTask(CtxAs(branch_a_secret_).get(), start, &started).ok());
  EXPECT_EQ(History(task_a_.id()).events().rbegin()->actor(), "一支部书记");
}

TEST_F(AuthTest, BranchSeesNothingOfItsSiblingInListsReportsExportsOrEvents) {
  EXPECT_EQ(GetTask(branch_a_secret_, task_b_.id()).error_code(), grpc::StatusCode::NOT_FOUND);

  v1::ListTasksResponse tasks;
  ASSERT_TRUE(
      ledger_stub_->ListTasks(CtxAs(branch_a_secret_).get(), v1::ListTasksRequest(), &tasks).ok());
  ASSERT_EQ(tasks.tasks_size(), 1);
  EXPECT_EQ(tasks.tasks(0).id(), task_a_.id());

  v1::ListUnitsResponse units;
  ASSERT_TRUE(org_->ListUnits(CtxAs(branch_a_secret_).get(), v1::ListUnitsRequest(), &units).ok());
  ASSERT_EQ(units.units_size(), 1);
  EXPECT_EQ(units.units(0).id(), a_.id());

  v1::StatisticsResponse stats;
  ASSERT_TRUE(
      reports_->Statistics(CtxAs(branch_a_secret_).get(), v1::StatisticsRequest(), &stats).ok());
  EXPECT_EQ(stats.total().counts().total(), 1);

  v1::OverdueReportRequest overdue_req;
  overdue_req.set_as_of("2022-01-10");  // both tasks are overdue by then
  v1::OverdueReportResponse overdue;
  ASSERT_TRUE(reports_->OverdueReport(CtxAs(branch_a_secret_).get(), overdue_req, &overdue).ok());
  EXPECT_EQ(overdue.total(), 1);

  auto export_ctx = CtxAs(branch_a_secret_);
  auto reader = reports_->ExportLedger(export_ctx.get(), v1::ExportLedgerRequest());
  std::vector<int64_t> exported;
  v1::LedgerRow row;
  while (reader->Read(&row)) {
    if (row.has_task()) exported.push_back(row.task().id());
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_THAT(exported, ::testing::ElementsAre(task_a_.id()));

  auto watch_ctx = CtxAs(branch_a_secret_);
  watch_ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
  auto stream = events_->WatchEvents(watch_ctx.get(), v1::WatchEventsRequest());
  v1::Event event;
  int seen = 0;
  while (stream->Read(&event)) {
    ++seen;
    EXPECT_EQ(event.unit_id(), a_.id()) << event.ShortDebugString();
    EXPECT_NE(event.task_id(), task_b_.id());
  }
  EXPECT_GT(seen, 0);
  // Naming the sibling's unit reads like a unit that does not exist.
  v1::StatisticsRequest sibling;
  sibling.set_unit_id(b_.id());
  EXPECT_EQ(reports_->Statistics(CtxAs(branch_a_secret_).get(), sibling, &stats).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(AuthTest, OwnerUnitMayNeverCloseOutItsOwnTask) {
  // A committee token bound to the owner unit itself.
  const std::string own_committee = IssueToken("一支部委员会", Role::kCommittee, a_.id());
  v1::StartTaskRequest start;
  start.set_id(task_a_.id());
  v1::Task task;
  ASSERT_TRUE(ledger_stub_->StartTask(CtxAs(branch_a_secret_).get(), start, &task).ok());
  v1::SubmitTaskRequest submit;
  submit.set_id(task_a_.id());
  submit.set_summary("已完成");
  ASSERT_TRUE(ledger_stub_->SubmitTask(CtxAs(branch_a_secret_).get(), submit, &task).ok());
  v1::AcceptTaskRequest accept;
  accept.set_id(task_a_.id());
  grpc::Status s = ledger_stub_->AcceptTask(CtxAs(own_committee).get(), accept, &task);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("职责分离"), std::string::npos);
  // The committee above it may.
  EXPECT_TRUE(ledger_stub_->AcceptTask(Ctx().get(), accept, &task).ok());
  EXPECT_EQ(task.status(), v1::CLOSED);
}

TEST_F(AuthTest, ExtensionIsNeverDecidedByTheOneWhoAsked) {
  v1::RequestExtensionRequest ask;
  ask.set_id(task_a_.id());
  ask.set_requested_deadline("2022-03-31");
  ask.set_reason("需要更多时间");
  v1::ExtensionRequest asked;
  ASSERT_TRUE(ledger_stub_->RequestExtension(Ctx().get(), ask, &asked).ok());  // 张三 asks
  v1::DecideExtensionRequest decide;
  decide.set_extension_id(asked.id());
  decide.set_approve(true);
  v1::ExtensionRequest decided;
  grpc::Status s = ledger_stub_->DecideExtension(Ctx().get(), decide, &decided);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // The same name on another token is the same person.
  const std::string same_name = IssueToken("张三", Role::kCommittee, root_.id);
  EXPECT_EQ(ledger_stub_->DecideExtension(CtxAs(same_name).get(), decide, &decided).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Nor does another name on a token of the same unit: the root asked, so the root's committee
  // is a party, and the root's supervisor decides (docs/security.md).
  const std::string other = IssueToken("李书记", Role::kCommittee, root_.id);
  EXPECT_EQ(ledger_stub_->DecideExtension(CtxAs(other).get(), decide, &decided).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const std::string supervisor = IssueToken("纪委书记", Role::kSupervisor, root_.id);
  ASSERT_TRUE(ledger_stub_->DecideExtension(CtxAs(supervisor).get(), decide, &decided).ok());
  EXPECT_EQ(decided.decided_by(), "纪委书记");
}

TEST_F(AuthTest, SupervisorUrgesButNeverChangesAStatus) {
  const std::string supervisor = SupervisorToken();
  v1::UrgeTaskRequest urge;
  urge.set_id(task_a_.id());
  urge.set_note("请加快整改");
  v1::Event urged;
  ASSERT_TRUE(ledger_stub_->UrgeTask(CtxAs(supervisor).get(), urge, &urged).ok());
  EXPECT_EQ(urged.actor(), "纪委办");
  v1::CancelTaskRequest cancel;
  cancel.set_id(task_a_.id());
  cancel.set_reason("撤销");
  v1::Task task;
  grpc::Status s = ledger_stub_->CancelTask(CtxAs(supervisor).get(), cancel, &task);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find(" / "), std::string::npos);
}

class BootstrapTest : public testing_support::LedgerTest {};

TEST_F(BootstrapTest, FirstStartMakesRootAndOwnerOnlyTokenFileOnceAndNeverOverwrites) {
  const std::string file = dir_ + "/rectify-admin.token";
  auto first = auth::BootstrapAdmin(*ledger_, "机关党委", file);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->issued);
  EXPECT_TRUE(first->created_root);
  EXPECT_EQ(first->root.name, "机关党委");
  EXPECT_EQ(first->token.role, Role::kCommittee);
  struct stat st;
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string secret;
  std::ifstream(file) >> secret;
  auto actor = auth::Authenticate(*store_, clock_->Now(), "Bearer " + secret);
  ASSERT_TRUE(actor.ok()) << actor.status();
  EXPECT_EQ(actor->unit_id, first->root.id);
  // Tokens exist now: a second start does nothing, whatever the file.
  auto second = auth::BootstrapAdmin(*ledger_, "机关党委", dir_ + "/other.token");
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->issued);
}

TEST_F(BootstrapTest, AnExistingTokenFileIsNeverOverwritten) {
  const std::string file = dir_ + "/rectify-admin.token";
  std::ofstream(file) << "someone else's\n";
  auto outcome = auth::BootstrapAdmin(*ledger_, "党委", file);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kFailedPrecondition);
  std::string kept;
  std::getline(std::ifstream(file), kept);
  EXPECT_EQ(kept, "someone else's");
}

}  // namespace
}  // namespace rectify
