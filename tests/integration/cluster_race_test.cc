// Two rectifyd nodes on one PostgreSQL database, in one process: a server over this test's store
// (node A, ServerTest's) and a second one over a second PostgresStore and Ledger on the same
// database (node B), as two processes on two machines would have. What one node writes the
// other reads at once; of clients racing on one task version through both nodes exactly one
// wins and every other gets ABORTED; a request_id retried on the other node is applied once.
// (With processes, SIGKILLs and the scheduler's failover: tests/cluster/.)
#include <stdlib.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "services/store/postgres/postgres_store.h"
#include "tests/support/race.h"
#include "tests/support/server_fixture.h"
#include "tests/support/test_server.h"

namespace rectify {
namespace {

using testing_support::Race;
using testing_support::Round;
using testing_support::ServerTest;

class ClusterRaceTest : public ServerTest {
 protected:
  void SetUp() override {
    setenv("RECTIFY_TEST_STORE", "postgres", 1);  // two nodes need a database they can share
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_EQ(backend_, testing_support::Backend::kPostgres);
    absl::StatusOr<std::unique_ptr<PostgresStore>> store = PostgresStore::Open(postgres_options_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_b_ = std::move(store).value();
    ledger_b_ = std::make_unique<Ledger>(store_b_.get(), clock_.get(), settings_);
    server_b_ = testing_support::StartTestServer(ledger_b_.get());
    ASSERT_NE(server_b_, nullptr);
    ledger_b_stub_ = v1::LedgerService::NewStub(testing_support::ChannelTo(*server_b_));
  }

  void TearDown() override {
    if (server_b_ != nullptr) server_b_->Shutdown(absl::Seconds(5));
    server_b_.reset();
    ledger_b_.reset();
    store_b_.reset();
    ServerTest::TearDown();
  }

  v1::Task GetOn(v1::LedgerService::Stub& node, int64_t id) {
    v1::GetTaskRequest req;
    req.set_id(id);
    v1::Task task;
    grpc::Status s = node.GetTask(Ctx().get(), req, &task);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return task;
  }

  std::unique_ptr<PostgresStore> store_b_;
  std::unique_ptr<Ledger> ledger_b_;
  std::unique_ptr<api::RunningServer> server_b_;
  std::unique_ptr<v1::LedgerService::Stub> ledger_b_stub_;
};

TEST_F(ClusterRaceTest, AWriteOnOneNodeIsReadOnTheOtherAtOnce) {
  const v1::Task task = SeedTask();  // through node A
  EXPECT_EQ(GetOn(*ledger_b_stub_, task.id()).version(), task.version());
  v1::ReportProgressResponse response;
  ASSERT_TRUE(Report(task.id(), "a-1", "已到联系点调研一次", &response).ok());
  const v1::Task on_b = GetOn(*ledger_b_stub_, task.id());
  EXPECT_EQ(on_b.version(), task.version() + 1);
  EXPECT_EQ(on_b.latest_progress(), "已到联系点调研一次");
}

TEST_F(ClusterRaceTest, ARetryOnTheOtherNodeIsAppliedOnceWithTheFirstAnswer) {
  const v1::Task task = SeedTask();
  v1::ReportProgressRequest req;
  req.set_request_id("retry-on-b");
  req.set_id(task.id());
  req.set_expected_version(task.version());
  req.set_text("第一季度调研已完成");
  req.set_percent(25);
  v1::ReportProgressResponse first, again;
  ASSERT_TRUE(ledger_stub_->ReportProgress(Ctx().get(), req, &first).ok());
  grpc::Status s = ledger_b_stub_->ReportProgress(Ctx().get(), req, &again);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  v1::TaskHistory history = History(task.id());
  EXPECT_EQ(history.progress_size(), 1);
  EXPECT_EQ(history.task().version(), task.version() + 1);
}

TEST_F(ClusterRaceTest, OfClientsRacingThroughBothNodesExactlyOneWinsEachVersion) {
  constexpr int kWriters = 6;
  constexpr int kRounds = 8;
  const v1::Task task = SeedTask();
  // One connection per writer, alternately to node A and node B.
  std::vector<std::unique_ptr<v1::LedgerService::Stub>> stubs;
  for (int w = 0; w < kWriters; ++w) {
    const api::RunningServer& node = w % 2 == 0 ? *server_ : *server_b_;
    grpc::ChannelArguments args;
    args.SetInt("rectify.test.writer", w);  // distinct arguments: a channel of its own
    std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
        testing_support::AddressOf(node), grpc::InsecureChannelCredentials(), args);
    ASSERT_TRUE(
        channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10)));
    stubs.push_back(v1::LedgerService::NewStub(channel));
  }
  for (int r = 0; r < kRounds; ++r) {
    const int64_t seen = task.version() + r;
    Round round = Race(kWriters, [&](int writer) {
      v1::ReportProgressRequest req;
      req.set_request_id(absl::StrCat("race-", r, "-", writer));
      req.set_id(task.id());
      req.set_expected_version(seen);
      req.set_text(absl::StrCat("第 ", r, " 轮，委员 ", writer));
      req.set_percent(r);
      v1::ReportProgressResponse resp;
      grpc::Status s = stubs[writer]->ReportProgress(Ctx().get(), req, &resp);
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
    });
    EXPECT_EQ(round.won, 1) << "round " << r;
    EXPECT_EQ(round.aborted, kWriters - 1) << "round " << r;
    EXPECT_EQ(round.other, 0) << round.first_other;
  }
  v1::TaskHistory history = History(task.id());
  EXPECT_EQ(history.task().version(), task.version() + kRounds);
  ASSERT_EQ(history.progress_size(), kRounds);
  for (int r = 0; r < kRounds; ++r) EXPECT_EQ(history.progress(r).percent(), r);
}

}  // namespace
}  // namespace rectify
