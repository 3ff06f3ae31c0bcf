// Event watches are limited per unit and leave room for the units above (docs/security.md): one
// branch cannot take every slot and lock its committee out of the stream.
#include <memory>
#include <vector>

#include "rectify/v1/events.grpc.pb.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

class WatchLimitsTest : public ServerTest {
 protected:
  struct Watch {
    std::unique_ptr<grpc::ClientContext> ctx;
    std::unique_ptr<grpc::ClientReader<v1::Event>> reader;
  };
  void SetUp() override {
    ServerTest::SetUp();
    events_ = v1::EventService::NewStub(channel_);
    SeedTask();  // the problem the tasks below hang on
  }
  void TearDown() override {
    for (Watch& w : open_) {
      w.ctx->TryCancel();
      w.reader->Finish();
    }
    open_.clear();
    ServerTest::TearDown();
  }
  // A unit under `parent` with one task (so that its watch has an event to show), and a token.
  std::string UnitWithTask(int64_t parent, const std::string& name, Role role) {
    v1::CreateUnitRequest unit_req;
    unit_req.set_parent_id(parent);
    unit_req.set_name(name);
    v1::OrgUnit unit;
    EXPECT_TRUE(org_->CreateUnit(Ctx().get(), unit_req, &unit).ok());
    v1::CreateTaskRequest task_req;
    task_req.set_problem_id(problem_.id());
    task_req.set_measure(name + "整改");
    task_req.set_owner_unit_id(unit.id());
    task_req.set_owner_person("王五");
    task_req.set_deadline("2021-12-31");
    v1::Task task;
    EXPECT_TRUE(ledger_stub_->CreateTask(Ctx().get(), task_req, &task).ok());
    last_unit_ = unit.id();
    return IssueToken(name + "书记", role, unit.id());
  }
  // Opens a watch; OK when it got a slot (it delivered an event), the refusal otherwise.
  grpc::Status Open(const std::string& secret) {
    Watch w;
    w.ctx = CtxAs(secret);
    w.reader = events_->WatchEvents(w.ctx.get(), v1::WatchEventsRequest());
    v1::Event event;
    if (w.reader->Read(&event)) {
      open_.push_back(std::move(w));
      return grpc::Status::OK;
    }
    return w.reader->Finish();
  }
  std::unique_ptr<v1::EventService::Stub> events_;
  std::vector<Watch> open_;
  int64_t last_unit_ = 0;
};

TEST_F(WatchLimitsTest, OneUnitHoldsAtMostItsShare) {
  // Default: 8 watches, a quarter (2) per unit.
  const std::string branch = UnitWithTask(branch_.id(), "第一党小组", Role::kBranch);
  ASSERT_TRUE(Open(branch).ok());
  ASSERT_TRUE(Open(branch).ok());
  grpc::Status third = Open(branch);
  EXPECT_EQ(third.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << third.error_message();
  // A second token of the same unit shares the unit's share.
  const std::string minted = IssueToken("组织委员", Role::kBranch, last_unit_);
  EXPECT_EQ(Open(minted).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(WatchLimitsTest, BranchesCannotLockTheCommitteeOutOfTheStream) {
  // Three levels: 机关党委 → 第一支部 (branch_) → 党小组. Units at level 3 may fill 6 of the 8
  // slots, level 2 seven, the root all eight.
  std::vector<std::string> groups;
  for (const char* name : {"第一党小组", "第二党小组", "第三党小组", "第四党小组"}) {
    groups.push_back(UnitWithTask(branch_.id(), name, Role::kBranch));
  }
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Open(groups[i]).ok()) << i;
    ASSERT_TRUE(Open(groups[i]).ok()) << i;
  }
  grpc::Status full = Open(groups[3]);
  EXPECT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << full.error_message();
  const std::string branch_committee = IssueToken("支部委员会", Role::kCommittee, branch_.id());
  grpc::Status middle = Open(branch_committee);
  EXPECT_TRUE(middle.ok()) << middle.error_message();
  grpc::Status root = Open(admin_secret_);
  EXPECT_TRUE(root.ok()) << root.error_message();
}

}  // namespace
}  // namespace rectify
