// crash_load: a concurrent write load for the crash test (crash_test.sh). Each worker owns one
// task and sends progress reports on it (with the expected_version it knows) and, now and then,
// creates a unit; every write has a fixed request_id, and every acknowledgement is journalled
// (crash_journal.h) before the next write starts. rectifyd is SIGKILLed under it again and
// again: a write that fails with UNAVAILABLE or DEADLINE_EXCEEDED is either retried with the
// client's retry (client/rpc/retry.h, same request_id) until it is answered, or, by chance,
// abandoned unacknowledged, as a user who gives up would. A retried write must never be refused
// as stale: that would mean it was applied twice. Runs until SIGTERM, then prints its totals.
//
// Several nodes (the cluster test, tests/cluster/cluster_crash_test.sh): --server a,b,c. Every
// attempt goes to the next node, round robin, so the first attempts of a worker's writes spread
// over all nodes and a write cut off by a killed node is retried, same request_id, on another.
// With --events FILE a follower watches the event stream meanwhile, hopping from node to node
// (EventFollower below), and records every event it receives for crash_verify.
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
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "client/rpc/retry.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "rectify/v1/events.grpc.pb.h"
#include "rectify/v1/ledger.grpc.pb.h"
#include "rectify/v1/org.grpc.pb.h"
#include "tests/crash/crash_journal.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051",
          "rectifyd address, or the nodes of a cluster, comma-separated (each attempt goes to "
          "the next one)");
ABSL_FLAG(std::string, journal, "crash-journal.txt", "where acknowledgements are written");
ABSL_FLAG(int, workers, 4, "concurrent writers");
ABSL_FLAG(int, abandon_percent, 25,
          "chance (percent) that a write cut off by a crash is abandoned instead of retried");
ABSL_FLAG(std::string, events, "",
          "when set, follow the event stream meanwhile, hopping between the servers, and write "
          "every event received to this file");

namespace rectify::crash {
namespace {

namespace v1 = rectify::v1;
using client::CallWithRetry;
using client::RetryPolicy;

// The load's link to one rectifyd: the client's retry, but quicker than the CLI's on both levels
// (gRPC's redial and the retry backoff), so that the load keeps writing between kills that come
// every half second instead of waiting out a CLI's patient backoff.
class Connection {
 public:
  explicit Connection(const std::string& address) : address_(address) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 20);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 200);
    channel_ = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
    org_ = v1::OrgService::NewStub(channel_);
    ledger_ = v1::LedgerService::NewStub(channel_);
    events_ = v1::EventService::NewStub(channel_);
  }
  const std::string& address() const { return address_; }
  v1::OrgService::Stub& org() const { return *org_; }
  v1::LedgerService::Stub& ledger() const { return *ledger_; }
  v1::EventService::Stub& events() const { return *events_; }
  // A short deadline: a call to a killed server fails fast and is retried.
  std::unique_ptr<grpc::ClientContext> NewContext(
      absl::Duration deadline = absl::Seconds(3)) const {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
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
  const std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::OrgService::Stub> org_;
  std::unique_ptr<v1::LedgerService::Stub> ledger_;
  std::unique_ptr<v1::EventService::Stub> events_;
};

// The servers the load writes to: one rectifyd, or the nodes of a cluster that behave as one.
// Constant after construction; shared by every thread.
class Cluster {
 public:
  explicit Cluster(const std::string& addresses) {
    for (absl::string_view address : absl::StrSplit(addresses, ',', absl::SkipWhitespace())) {
      nodes_.push_back(std::make_unique<Connection>(std::string(address)));
    }
  }
  size_t size() const { return nodes_.size(); }
  const Connection& node(size_t i) const { return *nodes_[i % nodes_.size()]; }

 private:
  std::vector<std::unique_ptr<Connection>> nodes_;
};

// One thread's place in the round robin: every attempt, first or retry, takes the next node.
// With one server it is always that server, as before.
class Cursor {
 public:
  Cursor(const Cluster& cluster, size_t start) : cluster_(cluster), next_(start) {}
  // The node for the next attempt.
  const Connection& Take() { return cluster_.node(next_++); }
  // The node the next Take will give, to redial it while waiting.
  const Connection& Peek() const { return cluster_.node(next_); }

 private:
  const Cluster& cluster_;
  size_t next_;
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

// Sends the same request until it gets an answer (anything but UNAVAILABLE/DEADLINE_EXCEEDED/
// CANCELLED): rounds of the client's retry, as a user would run the command again with the same
// request. `call(conn, ctx)` sends it to `conn`; each attempt goes to the cursor's next node.
template <typename Call>
grpc::Status UntilAnswered(Cursor& cursor, Call call) {
  client::RetryHooks hooks;
  hooks.sleep = [&cursor](absl::Duration pause) { cursor.Peek().PauseBeforeRetry(pause); };
  for (;;) {
    grpc::Status s = CallWithRetry(
        Connection::Policy(),
        [&](int) {
          const Connection& conn = cursor.Take();
          auto ctx = conn.NewContext();
          return call(conn, ctx.get());
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

bool SeedLedger(Cursor& cursor, int workers, Seed* seed) {
  // rectifyd's first start made the root with the admin token: the first unit in tree order.
  v1::ListUnitsRequest root_req;
  root_req.set_page_size(1);
  v1::ListUnitsResponse roots;
  v1::OrgUnit root, branch;
  if (!Check(
          UntilAnswered(cursor, [&](const Connection& conn,
                                    auto* c) { return conn.org().ListUnits(c, root_req, &roots); }),
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
  if (!Check(UntilAnswered(cursor,
                           [&](const Connection& conn, auto* c) {
                             return conn.org().CreateUnit(c, branch_req, &branch);
                           }),
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
  if (!Check(UntilAnswered(cursor,
                           [&](const Connection& conn, auto* c) {
                             return conn.ledger().CreateReview(c, review_req, &review);
                           }),
             "review")) {
    return false;
  }
  v1::CreateProblemRequest problem_req;
  problem_req.set_request_id("seed-problem");
  problem_req.set_review_id(review.id());
  problem_req.set_area("在联系服务群众方面");
  problem_req.set_text("调研指导还不够深入");
  v1::Problem problem;
  if (!Check(UntilAnswered(cursor,
                           [&](const Connection& conn, auto* c) {
                             return conn.ledger().CreateProblem(c, problem_req, &problem);
                           }),
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
    if (!Check(UntilAnswered(cursor,
                             [&](const Connection& conn, auto* c) {
                               return conn.ledger().CreateTask(c, task_req, &task);
                             }),
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
  int64_t retried_elsewhere = 0;  // writes cut off on one node, then retried on the others
  int64_t fanned_out = 0;         // writes sent to every node at once
};

class Worker {
 public:
  Worker(const Cluster& cluster, Journal& journal, int index, int64_t root_id, v1::Task task)
      : cluster_(cluster),
        cursor_(cluster, static_cast<size_t>(index)),
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
  // late commit would make the next write's expected_version stale. `call(conn, ctx, out)` sends
  // the request to `conn`. With `fan_out` (several nodes) the first attempt goes to every node at
  // once instead: the same request_id racing itself across the cluster.
  template <typename Response, typename Call>
  bool Send(const std::string& op, Call call, bool fan_out, Response* resp, grpc::Status* status) {
    const bool racing = fan_out && cluster_.size() > 1;
    if (racing) {
      *status = FanOut(op, call, resp);
    } else {
      const Connection& conn = cursor_.Take();
      auto ctx = conn.NewContext();
      *status = call(conn, ctx.get(), resp);
    }
    if (!client::IsRetryable(status->error_code())) return true;
    if (!racing && status->error_code() == grpc::StatusCode::UNAVAILABLE &&
        std::uniform_int_distribution<int>(0, 99)(random_) < absl::GetFlag(FLAGS_abandon_percent)) {
      journal_.Line(absl::StrCat("X ", op));
      ++totals_.abandoned;
      if (cluster_.size() > 1) {
        // On PostgreSQL the killed node's database session outlives the node by a moment: a
        // COMMIT it had already sent may still be applied. Reading the task before that settles
        // would take a stale version and make the next write fail as a false alarm.
        absl::SleepFor(kSettle);
      }
      return false;
    }
    if (cluster_.size() > 1) ++totals_.retried_elsewhere;
    *status = UntilAnswered(cursor_, [&](const Connection& conn, grpc::ClientContext* c) {
      return call(conn, c, resp);
    });
    return true;
  }

  // Sends one request to every node at the same moment. The cluster must apply it once and give
  // every node's caller the same answer: the first one's, or the stored one. Returns that answer
  // (or, when no node answered, the first node's status, to retry). Different answers are
  // journalled as "E <op> fan-out <the two answers>" (an E line, crash_journal.h).
  template <typename Response, typename Call>
  grpc::Status FanOut(const std::string& op, Call call, Response* resp) {
    const size_t n = cluster_.size();
    std::vector<Response> answers(n);
    std::vector<grpc::Status> statuses(n);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        const Connection& conn = cluster_.node(i);
        auto ctx = conn.NewContext();
        statuses[i] = call(conn, ctx.get(), &answers[i]);
      });
    }
    for (std::thread& t : threads) t.join();
    ++totals_.fanned_out;
    size_t first = n;
    std::string differ;
    for (size_t i = 0; i < n; ++i) {
      if (client::IsRetryable(statuses[i].error_code())) continue;
      if (first == n) {
        first = i;
      } else if (statuses[i].error_code() != statuses[first].error_code() ||
                 !google::protobuf::util::MessageDifferencer::Equals(answers[i], answers[first])) {
        differ = absl::StrCat(
            cluster_.node(first).address(), " answered ", statuses[first].error_code(), " ",
            statuses[first].error_message(), " {", answers[first].ShortDebugString(), "}, ",
            cluster_.node(i).address(), " answered ", statuses[i].error_code(), " ",
            statuses[i].error_message(), " {", answers[i].ShortDebugString(), "}");
      }
    }
    if (first == n) return statuses[0];
    if (!differ.empty()) {
      journal_.Line(absl::StrCat("E ", op,
                                 " fan-out 同一请求同时发往各节点，答复不同 / sent to every node "
                                 "at once, answered differently: ",
                                 differ));
      ++totals_.errors;
    }
    *resp = answers[first];
    return statuses[first];
  }

  // Every tenth write races itself across the nodes (FanOut).
  static bool FanOutOp(int n) { return n % 10 == 3; }

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
            op,
            [&req](const Connection& conn, grpc::ClientContext* c,
                   v1::ReportProgressResponse* out) {
              return conn.ledger().ReportProgress(c, req, out);
            },
            FanOutOp(n), &resp, &s)) {
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
            op,
            [&req](const Connection& conn, grpc::ClientContext* c, v1::OrgUnit* out) {
              return conn.org().CreateUnit(c, req, out);
            },
            FanOutOp(n), &unit, &s))
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
    grpc::Status s = UntilAnswered(cursor_, [&](const Connection& conn, auto* c) {
      return conn.ledger().GetTask(c, req, &task);
    });
    if (s.ok()) expected_ = task.version();
  }

  static constexpr absl::Duration kSettle = absl::Milliseconds(300);

  const Cluster& cluster_;
  Cursor cursor_;
  Journal& journal_;
  const int index_;
  const int64_t root_id_;
  const v1::Task task_;
  int64_t expected_;
  std::mt19937 random_;
  Totals totals_;
};

// Follows the event stream from the beginning as `rectify watch` does, except that it never stays
// on one node: each stream goes to the next node and lasts at most kHop (or until that node is
// killed under it), and the next one resumes after the last seq received, on another node. So
// every few seconds a watcher moves between nodes, mid-stream, while they are being killed.
// Writes one line per event, "<seq> <kind> <task_id> <unit_id> <detail, C-escaped>", for
// crash_verify to compare with the database, and a line "! <what>" for anything it must never
// see (an event out of order or twice). After Finish() it goes on until a stream that started
// after the writes stopped finds nothing new, so the record ends with the last event.
class EventFollower {
 public:
  EventFollower(const Cluster& cluster, const std::string& path) : cluster_(cluster), out_(path) {}

  bool ok() const { return out_.ok(); }

  void Run() {
    Cursor cursor(cluster_, 1);  // the first stream on the second node
    absl::Time gave_up = absl::InfiniteFuture();
    for (;;) {
      const bool after_stop = finishing_.load();
      if (after_stop && gave_up == absl::InfiniteFuture()) gave_up = absl::Now() + kCatchUp;
      if (absl::Now() > gave_up) {
        out_.Line("! 写入停止后未能在限时内追上事件流 / did not catch up with the stream in time");
        ++anomalies_;
        return;
      }
      const Connection& conn = cursor.Take();
      v1::WatchEventsRequest req;
      req.set_after_seq(last_seq_);
      auto ctx = conn.NewContext(kHop);
      std::unique_ptr<grpc::ClientReader<v1::Event>> reader =
          conn.events().WatchEvents(ctx.get(), req);
      int64_t received = 0;
      v1::Event e;
      while (reader->Read(&e)) {
        if (e.seq() <= last_seq_) {
          out_.Line(absl::StrCat("! ", conn.address(), " 在序号 ", last_seq_, " 之后又发来序号 ",
                                 e.seq(), " / sent seq ", e.seq(), " after seq ", last_seq_));
          ++anomalies_;
          continue;
        }
        out_.Line(absl::StrCat(e.seq(), " ", e.kind(), " ", e.task_id(), " ", e.unit_id(), " ",
                               absl::Utf8SafeCEscape(e.detail())));
        last_seq_ = e.seq();
        ++received;
      }
      const grpc::Status s = reader->Finish();
      ++streams_;
      events_ += received;
      if (s.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
        ++broken_;  // cut off: a killed or stopping node, or one not up yet
        if (received == 0) cursor.Peek().PauseBeforeRetry(absl::Milliseconds(100));
      } else if (after_stop && received == 0) {
        return;  // a whole stream after the writes stopped brought nothing new: caught up
      }
    }
  }

  // The writes have stopped: catch up and return.
  void Finish() { finishing_.store(true); }

  int64_t events() const { return events_; }
  int64_t streams() const { return streams_; }
  int64_t broken() const { return broken_; }
  int64_t anomalies() const { return anomalies_; }

 private:
  static constexpr absl::Duration kHop = absl::Milliseconds(1500);
  static constexpr absl::Duration kCatchUp = absl::Seconds(30);

  const Cluster& cluster_;
  Journal out_;
  std::atomic<bool> finishing_{false};
  int64_t last_seq_ = 0;
  int64_t events_ = 0, streams_ = 0, broken_ = 0, anomalies_ = 0;
};

int Main() {
  const int workers = absl::GetFlag(FLAGS_workers);
  Journal journal(absl::GetFlag(FLAGS_journal));
  if (!journal.ok() || workers < 1) {
    std::cerr << "crash_load: cannot write the journal, or --workers < 1\n";
    return 2;
  }
  Cluster cluster(absl::GetFlag(FLAGS_server));
  if (cluster.size() == 0) {
    std::cerr << "crash_load: --server names no server\n";
    return 2;
  }
  std::unique_ptr<EventFollower> follower;
  std::thread follower_thread;
  if (!absl::GetFlag(FLAGS_events).empty()) {
    follower = std::make_unique<EventFollower>(cluster, absl::GetFlag(FLAGS_events));
    if (!follower->ok()) {
      std::cerr << "crash_load: cannot write --events\n";
      return 2;
    }
    follower_thread = std::thread([&follower] { follower->Run(); });
  }
  Seed seed;
  Cursor seed_cursor(cluster, 0);
  if (!SeedLedger(seed_cursor, workers, &seed)) {
    if (follower != nullptr) {
      follower->Finish();
      follower_thread.join();
    }
    return 1;
  }
  journal.Line(absl::StrCat("R ", seed.root_id));
  for (int w = 0; w < workers; ++w) journal.Line(absl::StrCat("T ", w, " ", seed.tasks[w].id()));

  std::vector<std::unique_ptr<Worker>> pool;
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    pool.push_back(std::make_unique<Worker>(cluster, journal, w, seed.root_id, seed.tasks[w]));
  }
  for (auto& worker : pool) threads.emplace_back([&worker] { worker->Run(); });
  for (std::thread& t : threads) t.join();
  if (follower != nullptr) {
    follower->Finish();
    follower_thread.join();
  }

  Totals all;
  for (const auto& worker : pool) {
    all.progress += worker->totals().progress;
    all.units += worker->totals().units;
    all.abandoned += worker->totals().abandoned;
    all.errors += worker->totals().errors;
    all.retried_elsewhere += worker->totals().retried_elsewhere;
    all.fanned_out += worker->totals().fanned_out;
  }
  std::cout << "crash_load: acknowledged " << all.progress << " progress reports and " << all.units
            << " units; abandoned " << all.abandoned << " writes unacknowledged; wrong answers "
            << all.errors << "\n";
  if (cluster.size() > 1) {
    std::cout << "crash_load: " << cluster.size() << " nodes, round robin; "
              << all.retried_elsewhere << " writes cut off on one node were retried on the others; "
              << all.fanned_out
              << " were sent to every node at once (same request_id), each applied once with "
                 "one answer for all\n";
  }
  if (follower != nullptr) {
    std::cout << "crash_load: the event follower received " << follower->events() << " events in "
              << follower->streams() << " streams, each resumed on the next node ("
              << follower->broken() << " cut off by a kill or a node not up yet); anomalies "
              << follower->anomalies() << "\n";
  }
  return all.errors == 0 && (follower == nullptr || follower->anomalies() == 0) ? 0 : 1;
}

}  // namespace
}  // namespace rectify::crash

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::signal(SIGTERM, rectify::crash::OnStopSignal);
  std::signal(SIGINT, rectify::crash::OnStopSignal);
  return rectify::crash::Main();
}
