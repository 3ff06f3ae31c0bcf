// rectify-bench: a load generator for rectifyd. Keeps N calls in flight over a few channels with
// gRPC's async API, for a fixed time, and prints one JSON line of figures:
//   {"mode":"progress","concurrency":64,"calls":51234,"errors":0,"seconds":10.0,
//    "rate":5123.4,"p50_ms":11.9,"p99_ms":25.1}
//
// Modes:
//   health      the cheapest RPC the server has (grpc.health.v1 Check): the ceiling of the stack
//   progress    durable progress reports (ReportProgress) spread over --tasks task ids
//   create      task creation, one RPC per task, under --problem and --unit
//   overdue     the overdue report (OverdueReport) of --unit (0: all), --calls times, one at a time
//   statistics  the statistics roll-up (Statistics by unit) of --unit, --calls times
//   export      the full ledger export (ExportLedger stream) once: rows and rows per second
//   http-progress  the same durable progress reports as `progress`, over the HTTP/JSON gateway
//               (POST /api/rectify.v1.LedgerService/ReportProgress, --http HOST:PORT): one
//               keep-alive connection per call in flight, as browsers and scripts do
//   seed        a ledger to report progress on, over RPC (for a database rectify-seed cannot
//               write, such as PostgreSQL): a unit under --unit, a review, a problem, then --calls
//               tasks (CreateTask, --concurrency at a time); prints the tasks' id range as
//               {"mode":"seed","tasks":..,"first_task":..,"last_task":..,"seconds":..,"rate":..}
// The last three print {"mode":..,"calls":..,"p50_ms":..,"p99_ms":..,"items":..} (items: rows of
// the answer) and, for export, "rows" and "rows_per_s".
//
// With --rate R, calls start R times a second (open loop, at most --concurrency in flight) instead
// of keeping --concurrency in flight: latency at a given load (the p99 target at half the peak).
// With --text_chars N, progress texts are exactly N characters (the storage figure uses 30).
// With --token_file, every call carries `authorization: Bearer <token>` (the file's first line).
// With --server A:1,B:2,C:3 (several rectifyd nodes on one PostgreSQL database) the load spreads
// evenly over the nodes: each channel connects to one node, the channels take the nodes in turn
// (--channels is rounded up to a multiple of the nodes), and calls take the channels in turn. The
// report modes and seed use the first node.
//
// Usage: rectify-bench --server 127.0.0.1:50051 --mode progress --concurrency 64 --seconds 10
//                      --tasks 1-1000 [--token_file rectify-admin.token]
#include <grpcpp/create_channel.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "rectify/v1/ledger.grpc.pb.h"
#include "rectify/v1/org.grpc.pb.h"
#include "rectify/v1/reports.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string server = "127.0.0.1:50051";  // HOST:PORT, or several: A:1,B:2,C:3
  std::string mode = "progress";
  int concurrency = 8;
  int channels = 4;
  double seconds = 5;
  int64_t first_task = 1;
  int64_t last_task = 1;
  int64_t problem = 1;
  int64_t unit = 1;
  std::string run_id = "bench";
  int calls = 5;
  double rate = 0;     // calls started per second (open loop); 0: closed loop
  std::string token;   // empty: no authorization metadata
  std::string http;    // HOST:PORT of the HTTP gateway (http-progress)
  int text_chars = 0;  // > 0: progress texts of exactly this many characters
};

// The text of progress report `n`: "压力测试进展 #n", or with --text_chars exactly that many
// characters (code points), "#n " then Chinese, as a typical short report reads.
std::string ProgressText(const Options& o, int64_t n) {
  if (o.text_chars <= 0) return absl::StrCat("压力测试进展 #", n);
  static const char* const kFill[] = {"已", "到", "联", "系", "点", "调", "研", "并",
                                      "形", "成", "整", "改", "台", "账", "记", "录"};
  std::string text = absl::StrCat("#", n, " ");
  int chars = static_cast<int>(text.size());  // ASCII so far: one byte a character
  for (int i = 0; chars < o.text_chars; ++i, ++chars) text += kFill[i % 16];
  return text;
}

// Metadata every call carries: the actor name for servers that read it, and the token.
void AddMetadata(const Options& o, grpc::ClientContext* ctx) {
  ctx->AddMetadata("x-rectify-actor", "bench");
  if (!o.token.empty()) ctx->AddMetadata("authorization", "Bearer " + o.token);
}

// The nodes of --server: "A:1,B:2,C:3" is three.
std::vector<std::string> Servers(const Options& o) {
  return absl::StrSplit(o.server, ',', absl::SkipWhitespace());
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0.0;
  return sorted[static_cast<size_t>(p * (sorted.size() - 1))];
}

// overdue, statistics, export: calls one after another on one channel (sync API: these are few,
// long calls, so the client's cost does not matter).
int RunReports(const Options& o) {
  auto channel = grpc::CreateChannel(Servers(o)[0], grpc::InsecureChannelCredentials());
  auto reports = rectify::v1::ReportService::NewStub(channel);
  std::vector<double> ms;
  int64_t items = 0;
  int64_t errors = 0;
  const int calls = o.mode == "export" ? 1 : o.calls;
  for (int i = 0; i < calls; ++i) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(30));
    AddMetadata(o, &ctx);
    const auto start = Clock::now();
    grpc::Status status;
    if (o.mode == "overdue") {
      rectify::v1::OverdueReportRequest req;
      req.set_unit_id(o.unit);
      rectify::v1::OverdueReportResponse resp;
      status = reports->OverdueReport(&ctx, req, &resp);
      items = resp.total();
    } else if (o.mode == "statistics") {
      rectify::v1::StatisticsRequest req;
      req.set_unit_id(o.unit);
      req.set_by(rectify::v1::STATISTICS_BY_UNIT);
      rectify::v1::StatisticsResponse resp;
      status = reports->Statistics(&ctx, req, &resp);
      items = resp.rows_size();
    } else {
      rectify::v1::ExportLedgerRequest req;
      req.set_unit_id(o.unit);
      auto reader = reports->ExportLedger(&ctx, req);
      rectify::v1::LedgerRow row;
      items = 0;
      while (reader->Read(&row)) ++items;
      status = reader->Finish();
    }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (!status.ok()) {
      ++errors;
      std::fprintf(stderr, "rectify-bench: %s\n", status.error_message().c_str());
    }
  }
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  std::printf(
      "{\"mode\":\"%s\",\"unit\":%lld,\"calls\":%d,\"errors\":%lld,\"items\":%lld,"
      "\"p50_ms\":%.2f,\"p99_ms\":%.2f",
      o.mode.c_str(), static_cast<long long>(o.unit), calls, static_cast<long long>(errors),
      static_cast<long long>(items), Percentile(sorted, 0.5), Percentile(sorted, 0.99));
  if (o.mode == "export") {
    std::printf(",\"rows\":%lld,\"seconds\":%.2f,\"rows_per_s\":%.1f",
                static_cast<long long>(items), ms[0] / 1000, items / (ms[0] / 1000));
  }
  std::printf("}\n");
  return errors > 0 ? 1 : 0;
}

// One call in flight: its state lives until its completion comes back on the queue.
struct Call {
  Clock::time_point start;
  grpc::ClientContext ctx;
  grpc::Status status;
  grpc::health::v1::HealthCheckResponse health;
  rectify::v1::ReportProgressResponse progress;
  rectify::v1::Task task;
  std::unique_ptr<grpc::ClientAsyncResponseReader<grpc::health::v1::HealthCheckResponse>>
      health_rpc;
  std::unique_ptr<grpc::ClientAsyncResponseReader<rectify::v1::ReportProgressResponse>>
      progress_rpc;
  std::unique_ptr<grpc::ClientAsyncResponseReader<rectify::v1::Task>> task_rpc;
};

class Bench {
 public:
  explicit Bench(const Options& o) : o_(o) {
    const std::vector<std::string> servers = Servers(o);
    const int nodes = static_cast<int>(servers.size());
    const int channels = (o.channels + nodes - 1) / nodes * nodes;
    for (int i = 0; i < channels; ++i) {
      grpc::ChannelArguments args;
      args.SetInt("grpc.channel_id", i);  // distinct channels, not one shared subchannel
      auto channel =
          grpc::CreateCustomChannel(servers[i % nodes], grpc::InsecureChannelCredentials(), args);
      health_.push_back(grpc::health::v1::Health::NewStub(channel));
      ledger_.push_back(rectify::v1::LedgerService::NewStub(channel));
    }
  }

  int Run() {
    const Clock::time_point begin = Clock::now();
    end_ = begin + std::chrono::microseconds(static_cast<int64_t>(o_.seconds * 1e6));
    // Closed loop: --concurrency calls always in flight. Open loop (--rate): calls start on a
    // fixed schedule whatever the answers do, at most --concurrency in flight, so that latency
    // is measured at a given load rather than at saturation.
    const bool paced = o_.rate > 0;
    const auto interval = std::chrono::nanoseconds(paced ? static_cast<int64_t>(1e9 / o_.rate) : 0);
    Clock::time_point next_start = begin;
    if (!paced) {
      for (int i = 0; i < o_.concurrency; ++i) Start();
    }
    void* tag;
    bool ok;
    for (;;) {
      if (paced) {
        if (Clock::now() >= end_ && in_flight_ == 0) break;
        const auto wait = Clock::now() < end_ ? next_start : end_ + std::chrono::seconds(60);
        const auto got =
            cq_.AsyncNext(&tag, &ok, std::chrono::system_clock::now() + (wait - Clock::now()));
        if (got == grpc::CompletionQueue::TIMEOUT) {
          if (Clock::now() >= end_) continue;
          if (in_flight_ < o_.concurrency) {
            Start();
          } else {
            ++skipped_;  // the server is behind: the schedule's call is dropped, and counted
          }
          next_start += interval;
          continue;
        }
        if (got != grpc::CompletionQueue::GOT_EVENT) break;
      } else {
        if (in_flight_ == 0 || !cq_.Next(&tag, &ok)) break;
      }
      std::unique_ptr<Call> call(static_cast<Call*>(tag));
      --in_flight_;
      const auto now = Clock::now();
      if (call->status.ok()) {
        latencies_us_.push_back(
            std::chrono::duration_cast<std::chrono::microseconds>(now - call->start).count());
      } else {
        ++errors_;
        if (errors_ <= 3) {
          std::fprintf(stderr, "rectify-bench: %s\n", call->status.error_message().c_str());
        }
      }
      if (!paced && now < end_) Start();
    }
    const double secs =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - begin).count() / 1e6;
    std::sort(latencies_us_.begin(), latencies_us_.end());
    auto pct = [&](double p) {
      if (latencies_us_.empty()) return 0.0;
      size_t i = static_cast<size_t>(p * (latencies_us_.size() - 1));
      return latencies_us_[i] / 1000.0;
    };
    std::printf(
        "{\"mode\":\"%s\",\"concurrency\":%d,\"calls\":%zu,\"errors\":%lld,\"seconds\":%.2f,"
        "\"rate\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"offered_rate\":%.1f,\"skipped\":%lld}\n",
        o_.mode.c_str(), o_.concurrency, latencies_us_.size(), static_cast<long long>(errors_),
        secs, latencies_us_.size() / secs, pct(0.50), pct(0.99), o_.rate,
        static_cast<long long>(skipped_));
    return errors_ > 0 && latencies_us_.empty() ? 1 : 0;
  }

 private:
  void Start() {
    auto* call = new Call;
    call->start = Clock::now();
    call->ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    AddMetadata(o_, &call->ctx);
    const size_t ch = static_cast<size_t>(seq_) % ledger_.size();
    const int64_t n = seq_++;
    if (o_.mode == "health") {
      grpc::health::v1::HealthCheckRequest req;
      call->health_rpc = health_[ch]->PrepareAsyncCheck(&call->ctx, req, &cq_);
      call->health_rpc->StartCall();
      call->health_rpc->Finish(&call->health, &call->status, call);
    } else if (o_.mode == "progress") {
      rectify::v1::ReportProgressRequest req;
      req.set_request_id(absl::StrCat(o_.run_id, "-p-", n));
      req.set_id(o_.first_task + n % (o_.last_task - o_.first_task + 1));
      req.set_text(ProgressText(o_, n));
      req.set_percent(static_cast<int>(n % 100));
      call->progress_rpc = ledger_[ch]->PrepareAsyncReportProgress(&call->ctx, req, &cq_);
      call->progress_rpc->StartCall();
      call->progress_rpc->Finish(&call->progress, &call->status, call);
    } else {
      rectify::v1::CreateTaskRequest req;
      req.set_request_id(absl::StrCat(o_.run_id, "-c-", n));
      req.set_problem_id(o_.problem);
      req.set_measure(absl::StrCat("压力测试整改措施 #", n));
      req.set_owner_unit_id(o_.unit);
      req.set_owner_person("张三");
      req.set_deadline("2099-12-31");
      call->task_rpc = ledger_[ch]->PrepareAsyncCreateTask(&call->ctx, req, &cq_);
      call->task_rpc->StartCall();
      call->task_rpc->Finish(&call->task, &call->status, call);
    }
    ++in_flight_;
  }

  const Options o_;
  grpc::CompletionQueue cq_;
  std::vector<std::unique_ptr<grpc::health::v1::Health::Stub>> health_;
  std::vector<std::unique_ptr<rectify::v1::LedgerService::Stub>> ledger_;
  Clock::time_point end_;
  int64_t seq_ = 0;
  int64_t in_flight_ = 0;
  int64_t errors_ = 0;
  int64_t skipped_ = 0;
  std::vector<int64_t> latencies_us_;
};

// http-progress: --concurrency threads, each with its own keep-alive connection, each posting
// reports one after another (closed loop) until the time is up.
int RunHttpProgress(const Options& o) {
  const size_t colon = o.http.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(o.http.substr(colon + 1), &port)) {
    std::fprintf(stderr, "rectify-bench: --http must be HOST:PORT\n");
    return 2;
  }
  const std::string host = o.http.substr(0, colon);
  const Clock::time_point begin = Clock::now();
  const Clock::time_point end =
      begin + std::chrono::microseconds(static_cast<int64_t>(o.seconds * 1e6));
  std::atomic<int64_t> seq{0};
  std::atomic<int64_t> errors{0};
  std::vector<std::vector<int64_t>> latencies(o.concurrency);
  std::vector<std::thread> threads;
  for (int t = 0; t < o.concurrency; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client client(host, port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);  // as browsers do
      client.set_read_timeout(30, 0);
      httplib::Headers headers;
      if (!o.token.empty()) headers.emplace("Authorization", "Bearer " + o.token);
      while (Clock::now() < end) {
        const int64_t n = seq++;
        const std::string body =
            absl::StrCat("{\"requestId\":\"", o.run_id, "-h-", n, "\",\"id\":\"",
                         o.first_task + n % (o.last_task - o.first_task + 1),
                         "\",\"text\":\"压力测试进展 #", n, "\",\"percent\":", n % 100, "}");
        const Clock::time_point start = Clock::now();
        httplib::Result res = client.Post("/api/rectify.v1.LedgerService/ReportProgress", headers,
                                          body, "application/json");
        if (res && res->status == 200) {
          latencies[t].push_back(
              std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
        } else if (++errors <= 3) {
          std::fprintf(stderr, "rectify-bench: HTTP %d %s\n", res ? res->status : 0,
                       res ? res->body.c_str() : httplib::to_string(res.error()).c_str());
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double secs =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - begin).count() / 1e6;
  std::vector<int64_t> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[static_cast<size_t>(p * (all.size() - 1))] / 1000.0;
  };
  std::printf(
      "{\"mode\":\"http-progress\",\"concurrency\":%d,\"calls\":%zu,\"errors\":%lld,"
      "\"seconds\":%.2f,\"rate\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"offered_rate\":0.0,"
      "\"skipped\":0}\n",
      o.concurrency, all.size(), static_cast<long long>(errors.load()), secs, all.size() / secs,
      pct(0.50), pct(0.99));
  return errors > 0 && all.empty() ? 1 : 0;
}

// seed: a unit, a review and a problem, then --calls tasks of that problem owned by the unit,
// created by --concurrency threads (synchronous calls: this prepares a run, it is not measured).
int RunSeed(const Options& o) {
  auto channel = grpc::CreateChannel(Servers(o)[0], grpc::InsecureChannelCredentials());
  auto org = rectify::v1::OrgService::NewStub(channel);
  auto ledger = rectify::v1::LedgerService::NewStub(channel);
  auto fail = [](const char* what, const grpc::Status& status) {
    std::fprintf(stderr, "rectify-bench: seed: %s: %s\n", what, status.error_message().c_str());
    return 1;
  };
  auto context = [&o](grpc::ClientContext* ctx) {
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    AddMetadata(o, ctx);
  };
  const Clock::time_point begin = Clock::now();
  rectify::v1::OrgUnit unit;
  {
    grpc::ClientContext ctx;
    context(&ctx);
    rectify::v1::CreateUnitRequest req;
    req.set_request_id(absl::StrCat(o.run_id, "-unit"));
    req.set_parent_id(o.unit);
    req.set_name("压力测试支部");
    const grpc::Status status = org->CreateUnit(&ctx, req, &unit);
    if (!status.ok()) return fail("CreateUnit", status);
  }
  rectify::v1::Review review;
  {
    grpc::ClientContext ctx;
    context(&ctx);
    rectify::v1::CreateReviewRequest req;
    req.set_request_id(absl::StrCat(o.run_id, "-review"));
    req.set_title("压力测试专题组织生活会");
    req.set_kind(rectify::v1::ORGANIZATIONAL_LIFE_MEETING);
    req.set_held_on("2021-12-20");
    req.set_unit_id(o.unit);
    const grpc::Status status = ledger->CreateReview(&ctx, req, &review);
    if (!status.ok()) return fail("CreateReview", status);
  }
  rectify::v1::Problem problem;
  {
    grpc::ClientContext ctx;
    context(&ctx);
    rectify::v1::CreateProblemRequest req;
    req.set_request_id(absl::StrCat(o.run_id, "-problem"));
    req.set_review_id(review.id());
    req.set_area("在联系服务群众方面");
    req.set_text("调研指导还不够深入");
    const grpc::Status status = ledger->CreateProblem(&ctx, req, &problem);
    if (!status.ok()) return fail("CreateProblem", status);
  }
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> errors{0};
  std::vector<std::vector<int64_t>> ids(o.concurrency);
  std::vector<std::thread> threads;
  for (int t = 0; t < o.concurrency; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t n = next++; n < o.calls; n = next++) {
        grpc::ClientContext ctx;
        context(&ctx);
        rectify::v1::CreateTaskRequest req;
        req.set_request_id(absl::StrCat(o.run_id, "-task-", n));
        req.set_problem_id(problem.id());
        req.set_measure(absl::StrCat("压力测试整改措施 #", n));
        req.set_owner_unit_id(unit.id());
        req.set_owner_person("张三");
        req.set_deadline("2099-12-31");
        rectify::v1::Task task;
        const grpc::Status status = ledger->CreateTask(&ctx, req, &task);
        if (status.ok()) {
          ids[t].push_back(task.id());
        } else if (++errors <= 3) {
          fail("CreateTask", status);
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double secs =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - begin).count() / 1e6;
  std::vector<int64_t> all;
  for (const auto& l : ids) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  // The progress modes take an id range (--tasks A-B): every id in it must be one of these tasks.
  const bool contiguous =
      !all.empty() && all.back() - all.front() + 1 == static_cast<int64_t>(all.size());
  if (errors > 0 || !contiguous) {
    std::fprintf(stderr, "rectify-bench: seed: %lld errors, %zu tasks%s\n",
                 static_cast<long long>(errors.load()), all.size(),
                 contiguous ? "" : ", ids not contiguous");
    return 1;
  }
  std::printf(
      "{\"mode\":\"seed\",\"unit\":%lld,\"problem\":%lld,\"tasks\":%zu,\"first_task\":%lld,"
      "\"last_task\":%lld,\"seconds\":%.2f,\"rate\":%.1f}\n",
      static_cast<long long>(unit.id()), static_cast<long long>(problem.id()), all.size(),
      static_cast<long long>(all.front()), static_cast<long long>(all.back()), secs,
      all.size() / secs);
  return 0;
}

bool ParseArgs(int argc, char** argv, Options* o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    bool ok = true;
    if (flag == "--server") {
      o->server = value;
      ok = !Servers(*o).empty();
    } else if (flag == "--http") {
      o->http = value;
    } else if (flag == "--mode") {
      o->mode = value;
      ok = value == "health" || value == "progress" || value == "create" || value == "overdue" ||
           value == "statistics" || value == "export" || value == "http-progress" ||
           value == "seed";
    } else if (flag == "--concurrency") {
      ok = absl::SimpleAtoi(value, &o->concurrency) && o->concurrency > 0;
    } else if (flag == "--channels") {
      ok = absl::SimpleAtoi(value, &o->channels) && o->channels > 0;
    } else if (flag == "--seconds") {
      ok = absl::SimpleAtod(value, &o->seconds) && o->seconds > 0;
    } else if (flag == "--tasks") {
      std::vector<std::string> range = absl::StrSplit(value, '-');
      ok = range.size() == 2 && absl::SimpleAtoi(range[0], &o->first_task) &&
           absl::SimpleAtoi(range[1], &o->last_task) && o->first_task <= o->last_task;
    } else if (flag == "--problem") {
      ok = absl::SimpleAtoi(value, &o->problem);
    } else if (flag == "--unit") {
      ok = absl::SimpleAtoi(value, &o->unit);
    } else if (flag == "--run-id") {
      o->run_id = value;
    } else if (flag == "--rate") {
      ok = absl::SimpleAtod(value, &o->rate) && o->rate >= 0;
    } else if (flag == "--text_chars") {
      ok = absl::SimpleAtoi(value, &o->text_chars) && o->text_chars >= 0 && o->text_chars < 10000;
    } else if (flag == "--calls") {
      ok = absl::SimpleAtoi(value, &o->calls) && o->calls > 0;
    } else if (flag == "--token_file") {
      std::ifstream in(value);
      ok = static_cast<bool>(std::getline(in, o->token)) && !o->token.empty();
      while (!o->token.empty() && (o->token.back() == '\r' || o->token.back() == ' ')) {
        o->token.pop_back();
      }
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "rectify-bench: bad %s %s\n", flag.c_str(), value.c_str());
      return false;
    }
  }
  return argc % 2 == 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, &o)) {
    std::fprintf(stderr,
                 "usage: rectify-bench --server HOST:PORT[,HOST:PORT...] "
                 "--mode health|progress|create|overdue|statistics|export|http-progress|seed "
                 "[--concurrency N] [--channels N] [--seconds S] [--tasks A-B] [--problem ID] "
                 "[--unit ID] [--run-id ID] [--calls N] [--rate R] [--token_file FILE] "
                 "[--http HOST:PORT] [--text_chars N]\n");
    return 2;
  }
  if (o.mode == "overdue" || o.mode == "statistics" || o.mode == "export") return RunReports(o);
  if (o.mode == "http-progress") return RunHttpProgress(o);
  if (o.mode == "seed") return RunSeed(o);
  return Bench(o).Run();
}
