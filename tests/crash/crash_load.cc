// crash_load: a concurrent write load for the crash test (crash_test.sh). Each worker owns one
// task and sends progress reports on it (with the expected_version it knows) and, now and then,
// creates a unit; every write has a fixed request_id, and every acknowledgement is journalled
// (crash_journal.h) before the next write starts. rectifyd is SIGKILLed under it again and
// again: a write that fails with UNAVAILABLE or DEADLINE_EXCEEDED is either retried with the
// client's retry (client/rpc/retry.h, same request_id) until it is answered, or, by chance,
// abandoned unacknowledged, as a user who gives up would. A retried write must never be refused
// as stale: that would mean it was applied twice. Runs until SIGTERM, then prints its totals.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/rpc/retry.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "rectify/v1/ledger.grpc.pb.h"
#include "rectify/v1/org.grpc.pb.h"
#include "tests/crash/crash_journal.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "rectifyd address");
ABSL_FLAG(std::string, journal, "crash-journal.txt", "where acknowledgements are written");
ABSL_FLAG(int, workers, 4, "concurrent writers");
ABSL_FLAG(int, abandon_percent, 25,
          "chance (percent) that a write cut off by a crash is abandoned instead of retried");

namespace rectify::crash {
namespace {

namespace v1 = rectify::v1;
using client::CallWithRetry;
using client::RetryPolicy;

// The load's link to rectifyd: the client's retry, but quicker than the CLI's on both levels
// (gRPC's redial and the retry backoff), so that the load keeps writing between kills that come
// every half second instead of waiting out a CLI's patient backoff.
class Connection {
 public:
  explicit Connection(const std::string& address) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 20);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 200);
    channel_ = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
    org_ = v1::OrgService::NewStub(channel_);
    ledger_ = v1::LedgerService::NewStub(channel_);
  }
  v1::OrgService::Stub& org() const { return *org_; }
  v1::LedgerService::Stub& ledger() const { return *ledger_; }
  // A short deadline: a call to a killed server fails fast and is retried.
  std::unique_ptr<grpc::ClientContext> NewContext() const {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
    // The admin token rectifyd wrote on its first start (crash_test.sh exports it).
    if (const char* token = std::getenv("RECTIFY_TOKEN"); token != nullptr && *token != '\0') {
      ctx->AddMetadata("authorization", std::string("Bearer ") + token);
    }
    return ctx;
  }
  // As client::Connection::PauseBeforeRetry: redial during the pause, return once connected.
  void PauseBeforeRetry(absl::Duration pause) const {
    if (channel_->GetState(/*try_to_connect=*/true) == GRPC_CHANNEL_READY) {
      absl::SleepFor(pause);
      return;
    }
    channel_->WaitForConnected(absl::ToChronoTime(absl::Now() + pause));
  }
  static RetryPolicy Policy() {
    RetryPolicy policy;
    policy.max_attempts = 20;
    policy.initial_backoff = absl::Milliseconds(20);
    policy.max_backoff = absl::Milliseconds(250);
    policy.total_budget = absl::Seconds(30);
    return policy;
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::OrgService::Stub> org_;
  std::unique_ptr<v1::LedgerService::Stub> ledger_;
};

std::atomic<bool> g_stop{false};  // lock-free: safe to set from a signal handler

void OnStopSignal(int) { g_stop.store(true); }

class Journal {
 public:
  explicit Journal(const std::string& path) : file_(std::fopen(path.c_str(), "a")) {}
  ~Journal() {
    if (file_ != nullptr) std::fclose(file_);
  }
  bool ok() const { return file_ != nullptr; }
  // Written and flushed before the caller goes on: a line is never lost to the load's own exit.
  void Line(const std::string& line) {
    std::lock_guard<std::mutex> lock(mu_);
    std::fputs(line.c_str(), file_);
    std::fputc('\n', file_);
    std::fflush(file_);
  }

 private:
  std::mutex mu_;
  FILE* const file_;
};

// Sends the same request until it gets an answer (anything but UNAVAILABLE/DEADLINE_EXCEEDED):
// rounds of the client's retry, as a user would run the command again with the same request.
template <typename Call>
grpc::Status UntilAnswered(const Connection& conn, Call call) {
  client::RetryHooks hooks;
  hooks.sleep = [&conn](absl::Duration pause) { conn.PauseBeforeRetry(pause); };
  for (;;) {
    grpc::Status s = CallWithRetry(
        Connection::Policy(),
        [&](int) {
          auto ctx = conn.NewContext();
          return call(ctx.get());
        },
        {}, hooks);
    if (!client::IsRetryable(s.error_code())) return s;
  }
}

// Seeds what the workers write to, idempotently (fixed request_ids): a kill during seeding is
// survived like any other.
struct Seed {
  int64_t root_id = 0;
  std::vector<v1::Task> tasks;
};

bool Check(const grpc::Status& s, const char* what) {
  if (s.ok()) return true;
  std::cerr << "crash_load: " << what << ": " << s.error_code() << " " << s.error_message() << "\n";
  return false;
}

bool SeedLedger(const Connection& conn, int workers, Seed* seed) {
  // rectifyd's first start made the root with the admin token: the first unit in tree order.
  v1::ListUnitsRequest root_req;
  root_req.set_page_size(1);
  v1::ListUnitsResponse roots;
  v1::OrgUnit root, branch;
  if (!Check(
          UntilAnswered(conn, [&](auto* c) { return conn.org().ListUnits(c, root_req, &roots); }),
          "root")) {
    return false;
  }
  if (roots.units().empty())
    return Check(grpc::Status(grpc::StatusCode::NOT_FOUND, "no root"), "root");
  root = roots.units(0);
  v1::CreateUnitRequest branch_req;
  branch_req.set_request_id("seed-branch");
  branch_req.set_parent_id(root.id());
  branch_req.set_name("第一支部");
  if (!Check(UntilAnswered(conn,
                           [&](auto* c) { return conn.org().CreateUnit(c, branch_req, &branch); }),
             "branch")) {
    return false;
  }
  v1::CreateReviewRequest review_req;
  review_req.set_request_id("seed-review");
  review_req.set_title("崩溃测试专题组织生活会");
  review_req.set_kind(v1::ORGANIZATIONAL_LIFE_MEETING);
  review_req.set_held_on("2021-11-30");
  review_req.set_unit_id(root.id());
  v1::Review review;
  if (!Check(UntilAnswered(
                 conn, [&](auto* c) { return conn.ledger().CreateReview(c, review_req, &review); }),
             "review")) {
    return false;
  }
  v1::CreateProblemRequest problem_req;
  problem_req.set_request_id("seed-problem");
  problem_req.set_review_id(review.id());
  problem_req.set_area("在联系服务群众方面");
  problem_req.set_text("调研指导还不够深入");
  v1::Problem problem;
  if (!Check(
          UntilAnswered(
              conn, [&](auto* c) { return conn.ledger().CreateProblem(c, problem_req, &problem); }),
          "problem")) {
    return false;
  }
  seed->root_id = root.id();
  for (int w = 0; w < workers; ++w) {
    v1::CreateTaskRequest task_req;
    task_req.set_request_id(absl::StrCat("seed-task-", w));
    task_req.set_problem_id(problem.id());
    task_req.set_measure(absl::StrCat("崩溃测试任务 ", w));
    task_req.set_owner_unit_id(branch.id());
    task_req.set_owner_person("张三");
    task_req.set_deadline("2099-12-31");
    v1::Task task;
    if (!Check(UntilAnswered(conn,
                             [&](auto* c) { return conn.ledger().CreateTask(c, task_req, &task); }),
               "task")) {
      return false;
    }
    seed->tasks.push_back(task);
  }
  return true;
}

struct Totals {
  int64_t progress = 0;
  int64_t units = 0;
  int64_t abandoned = 0;
  int64_t errors = 0;
};

class Worker {
 public:
  Worker(const Connection& conn, Journal& journal, int index, int64_t root_id, v1::Task task)
      : conn_(conn),
        journal_(journal),
        index_(index),
        root_id_(root_id),
        task_(std::move(task)),
        expected_(task_.version()),
        random_(std::random_device{}()) {}

  void Run() {
    for (int n = 0; !g_stop.load(); ++n) {
      if (n % 8 == 7) {
        CreateUnit(n);
      } else {
        ReportProgress(n);
      }
    }
  }

  const Totals& totals() const { return totals_; }

 private:
  // One first attempt; if it is cut off, abandon it (sometimes) or retry it until answered.
  // Only UNAVAILABLE (the server died under it) is ever abandoned: then nothing of the write can
  // still commit later. After DEADLINE_EXCEEDED the server may still be working on it, and a
  // late commit would make the next write's expected_version stale.
  template <typename Call>
  bool Send(const std::string& op, Call call, grpc::Status* status) {
    {
      auto ctx = conn_.NewContext();
      *status = call(ctx.get());
    }
    if (!client::IsRetryable(status->error_code())) return true;
    if (status->error_code() == grpc::StatusCode::UNAVAILABLE &&
        std::uniform_int_distribution<int>(0, 99)(random_) < absl::GetFlag(FLAGS_abandon_percent)) {
      journal_.Line(absl::StrCat("X ", op));
      ++totals_.abandoned;
      return false;
    }
    *status = UntilAnswered(conn_, call);
    return true;
  }

  void Unexpected(const std::string& op, const grpc::Status& s) {
    journal_.Line(absl::StrCat("E ", op, " ", s.error_code(), " ", s.error_message()));
    ++totals_.errors;
  }

  void ReportProgress(int n) {
    const std::string op = absl::StrCat("p", index_, "-", n);
    v1::ReportProgressRequest req;
    req.set_request_id(op);
    req.set_id(task_.id());
    req.set_expected_version(expected_);
    req.set_text(ProgressText(op));
    req.set_percent(ProgressPercent(n));
    v1::ReportProgressResponse resp;
    grpc::Status s;
    if (!Send(
            op, [&](auto* c) { return conn_.ledger().ReportProgress(c, req, &resp); }, &s)) {
      RefreshVersion();  // it may or may not have been applied
      return;
    }
    if (!s.ok()) {
      Unexpected(op, s);
      RefreshVersion();
      return;
    }
    journal_.Line(absl::StrCat("P ", op, " ", task_.id(), " ", expected_, " ", req.percent(), " ",
                               resp.report().id(), " ", resp.task().version()));
    expected_ = resp.task().version();
    ++totals_.progress;
  }

  void CreateUnit(int n) {
    const std::string op = absl::StrCat("u", index_, "-", n);
    v1::CreateUnitRequest req;
    req.set_request_id(op);
    req.set_parent_id(root_id_);
    req.set_name(op);
    v1::OrgUnit unit;
    grpc::Status s;
    if (!Send(
            op, [&](auto* c) { return conn_.org().CreateUnit(c, req, &unit); }, &s))
      return;
    if (!s.ok()) {
      Unexpected(op, s);
      return;
    }
    journal_.Line(absl::StrCat("U ", op, " ", root_id_, " ", unit.id()));
    ++totals_.units;
  }

  void RefreshVersion() {
    v1::GetTaskRequest req;
    req.set_id(task_.id());
    v1::Task task;
    grpc::Status s =
        UntilAnswered(conn_, [&](auto* c) { return conn_.ledger().GetTask(c, req, &task); });
    if (s.ok()) expected_ = task.version();
  }

  const Connection& conn_;
  Journal& journal_;
  const int index_;
  const int64_t root_id_;
  const v1::Task task_;
  int64_t expected_;
  std::mt19937 random_;
  Totals totals_;
};

int Main() {
  const int workers = absl::GetFlag(FLAGS_workers);
  Journal journal(absl::GetFlag(FLAGS_journal));
  if (!journal.ok() || workers < 1) {
    std::cerr << "crash_load: cannot write the journal, or --workers < 1\n";
    return 2;
  }
  Connection conn(absl::GetFlag(FLAGS_server));
  Seed seed;
  if (!SeedLedger(conn, workers, &seed)) return 1;
  journal.Line(absl::StrCat("R ", seed.root_id));
  for (int w = 0; w < workers; ++w) journal.Line(absl::StrCat("T ", w, " ", seed.tasks[w].id()));

  std::vector<std::unique_ptr<Worker>> pool;
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    pool.push_back(std::make_unique<Worker>(conn, journal, w, seed.root_id, seed.tasks[w]));
  }
  for (auto& worker : pool) threads.emplace_back([&worker] { worker->Run(); });
  for (std::thread& t : threads) t.join();

  Totals all;
  for (const auto& worker : pool) {
    all.progress += worker->totals().progress;
    all.units += worker->totals().units;
    all.abandoned += worker->totals().abandoned;
    all.errors += worker->totals().errors;
  }
  std::cout << "crash_load: acknowledged " << all.progress << " progress reports and " << all.units
            << " units; abandoned " << all.abandoned << " writes unacknowledged; wrong answers "
            << all.errors << "\n";
  return all.errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace rectify::crash

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::signal(SIGTERM, rectify::crash::OnStopSignal);
  std::signal(SIGINT, rectify::crash::OnStopSignal);
  return rectify::crash::Main();
}
