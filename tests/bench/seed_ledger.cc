// rectify-seed: fills a fresh database with a large ledger for the benchmark
// (tests/bench/bench.sh), and times scheduler passes on it. Seeding a million tasks over RPC would
// take most of an hour, so this writes through the domain (Ledger::CreateTask) straight into the
// store, many thousand tasks per transaction: the file is an ordinary ledger that rectifyd opens as
// usual, with the same rows, events and scheduler check times as tasks created over the API.
//
// The ledger: one root unit (集团党委) with 10 branches of 10 units each; one review per 10,000
// tasks, one problem per 10 tasks; tasks spread over the 100 leaf units. Three groups of tasks:
//   overdue  --overdue tasks (default 1000, whatever the ledger size, so that reports have the
//            same result on every ledger) due a few days ago: the overdue report lists them
//   hot      --hot_percent of the tasks, due in 20 days: the measured scheduler pass moves the
//            clock past that deadline, so they all cross it at once
//   the rest due 400 to 1000 days ahead: nothing happens to them in the passes
// Tasks are created with a clock 10 days in the past (a deadline may not be before "today").
//
// Then, in-process with a fake clock: a catch-up pass at the real now (the overdue group), the
// measured pass just after the hot group's deadline, and an idle pass at the same instant (no task
// due). Prints one JSON line per figure, e.g.
//   {"figure":"seed","tasks":1000000,"seconds":41.2,"rate":24271.8}
//   {"figure":"scheduler_pass","pass":"deadline
//   crossed","ledger":1000000,"tasks_checked":11000,...}
//
// Usage: rectify-seed --db PATH --tasks N [--overdue N] [--hot_percent P] [--batch N]
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/audit/audit_chain.h"
#include "services/common/civil.h"
#include "services/common/clock.h"
#include "services/common/status_macros.h"
#include "services/domain/ledger.h"
#include "services/scheduler/scheduler.h"
#include "services/store/sqlite/sqlite_store.h"

namespace rectify {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct SeedOptions {
  std::string db;
  int64_t tasks = 100000;
  int64_t overdue = 1000;
  double hot_percent = 1.0;
  int64_t batch = 10000;
};

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

class Seeder {
 public:
  // `store` is used for seeding only; the passes take theirs.
  Seeder(const SeedOptions& o, Store* store, FakeClock* clock)
      : o_(o), store_(store), clock_(clock), ledger_(store, clock, LedgerSettings()) {}

  absl::Status Run() {
    const absl::Time now = absl::Now();
    today_ = DayOf(now, ledger_.settings().time_zone);
    clock_->Set(now - absl::Hours(24 * 10));
    RETURN_IF_ERROR(CreateUnits());
    const auto start = SteadyClock::now();
    const int64_t hot = static_cast<int64_t>(o_.tasks * o_.hot_percent / 100.0);
    int64_t made = 0;
    while (made < o_.tasks) {
      const int64_t end = std::min(o_.tasks, made + o_.batch);
      RETURN_IF_ERROR(store_->Write([&](WriteTxn& tx) -> absl::Status {
        for (int64_t i = made; i < end; ++i) RETURN_IF_ERROR(CreateTask(tx, i, hot));
        return absl::OkStatus();
      }));
      made = end;
      if (made % 100000 == 0) std::fprintf(stderr, "rectify-seed: %lld tasks\n", (long long)made);
    }
    const double secs = SecondsSince(start);
    std::printf("{\"figure\":\"seed\",\"tasks\":%lld,\"seconds\":%.2f,\"rate\":%.1f}\n",
                static_cast<long long>(o_.tasks), secs, o_.tasks / secs);
    hot_deadline_ = today_ + 20;
    return absl::OkStatus();
  }

  // The catch-up, hot and idle passes described at the top.
  absl::Status TimePasses(Store* store) {
    Scheduler scheduler(store, clock_, ledger_.settings());
    clock_->Set(absl::Now());
    RETURN_IF_ERROR(TimePass(scheduler, "catch-up"));
    // One minute into the day after the hot deadline: the hot group is overdue now.
    clock_->Set(
        absl::FromCivil(absl::CivilSecond(hot_deadline_ + 1) + 60, ledger_.settings().time_zone));
    RETURN_IF_ERROR(TimePass(scheduler, "deadline crossed"));
    return TimePass(scheduler, "idle");
  }

 private:
  absl::Status TimePass(Scheduler& scheduler, const char* label) {
    const auto start = SteadyClock::now();
    ASSIGN_OR_RETURN(SchedulerPass pass, scheduler.RunPass());
    std::printf(
        "{\"figure\":\"scheduler_pass\",\"pass\":\"%s\",\"ledger\":%lld,\"tasks_checked\":%lld,"
        "\"flags_raised\":%lld,\"ms\":%.1f}\n",
        label, static_cast<long long>(o_.tasks), static_cast<long long>(pass.tasks_checked),
        static_cast<long long>(pass.flags_raised), SecondsSince(start) * 1000);
    return absl::OkStatus();
  }

  absl::Status CreateUnits() {
    const Actor actor = Actor::System();
    return store_->Write([&](WriteTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(OrgUnit root, ledger_.CreateUnit(tx, actor, 0, "集团党委"));
      root_ = root.id;
      for (int b = 0; b < 10; ++b) {
        ASSIGN_OR_RETURN(OrgUnit branch, ledger_.CreateUnit(tx, actor, root.id,
                                                            absl::StrCat("第", b + 1, "分公司")));
        for (int u = 0; u < 10; ++u) {
          ASSIGN_OR_RETURN(OrgUnit leaf, ledger_.CreateUnit(tx, actor, branch.id,
                                                            absl::StrCat("第", u + 1, "支部")));
          leaves_.push_back(leaf.id);
        }
      }
      return absl::OkStatus();
    });
  }

  absl::Status CreateTask(WriteTxn& tx, int64_t i, int64_t hot) {
    const Actor actor = Actor::System();
    if (i % 10000 == 0) {
      ASSIGN_OR_RETURN(
          Review review,
          ledger_.CreateReview(tx, actor, absl::StrCat("巡察反馈第", i / 10000 + 1, "批"), 1,
                               FormatDay(today_ - 30), root_, ""));
      review_ = review.id;
    }
    if (i % 10 == 0) {
      ASSIGN_OR_RETURN(
          Problem problem,
          ledger_.CreateProblem(tx, actor, review_, kAreas[(i / 10) % 4],
                                absl::StrCat("问题 #", i / 10 + 1, "：制度执行不到位"), {}));
      problem_ = problem.id;
    }
    NewTask in;
    in.problem_id = problem_;
    in.measure = absl::StrCat("整改措施 #", i + 1, "：建立台账，逐项销号");
    in.owner_unit_id = leaves_[static_cast<size_t>(i % static_cast<int64_t>(leaves_.size()))];
    in.owner_person = "张三";
    in.leader = "李四";
    // Spread the groups over the ledger rather than putting them at its start.
    const int64_t overdue_every = o_.overdue > 0 ? std::max<int64_t>(1, o_.tasks / o_.overdue) : 0;
    const int64_t hot_every = hot > 0 ? std::max<int64_t>(1, o_.tasks / hot) : 0;
    absl::CivilDay deadline;
    if (overdue_every > 0 && i % overdue_every == 0 && i / overdue_every < o_.overdue) {
      deadline = today_ - 5;  // created 10 days ago, due 5 days ago
    } else if (hot_every > 0 && i % hot_every == 1 % hot_every && i / hot_every < hot) {
      deadline = today_ + 20;
    } else {
      deadline = today_ + 400 + i % 600;
    }
    in.deadline = FormatDay(deadline);
    return ledger_.CreateTask(tx, actor, in).status();
  }

  static constexpr const char* kAreas[] = {"党的建设", "全面从严治党", "选人用人", "巡察整改"};

  const SeedOptions o_;
  Store* const store_;
  FakeClock* const clock_;
  Ledger ledger_;
  absl::CivilDay today_;
  absl::CivilDay hot_deadline_;
  Id root_ = 0;
  std::vector<Id> leaves_;
  Id review_ = 0;
  Id problem_ = 0;
};

bool ParseArgs(int argc, char** argv, SeedOptions* o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    bool ok = true;
    if (flag == "--db") {
      o->db = value;
    } else if (flag == "--tasks") {
      ok = absl::SimpleAtoi(value, &o->tasks) && o->tasks > 0;
    } else if (flag == "--overdue") {
      ok = absl::SimpleAtoi(value, &o->overdue) && o->overdue >= 0;
    } else if (flag == "--hot_percent") {
      ok = absl::SimpleAtod(value, &o->hot_percent) && o->hot_percent >= 0 && o->hot_percent <= 100;
    } else if (flag == "--batch") {
      ok = absl::SimpleAtoi(value, &o->batch) && o->batch > 0;
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "rectify-seed: bad %s %s\n", flag.c_str(), value.c_str());
      return false;
    }
  }
  return argc % 2 == 1 && !o->db.empty();
}

int Main(int argc, char** argv) {
  SeedOptions o;
  if (!ParseArgs(argc, argv, &o)) {
    std::fprintf(stderr,
                 "usage: rectify-seed --db PATH --tasks N [--overdue N] [--hot_percent P] "
                 "[--batch N]\n");
    return 2;
  }
  SqliteOptions options;
  options.path = o.db;
  // Bulk loading: the file is thrown away if this crashes, so no fsync per transaction.
  options.synchronous = SqliteOptions::Synchronous::kNormal;
  // A batch of 10,000 tasks dirties index pages all over the file: keep them in memory until
  // the commit instead of spilling them to the WAL one by one.
  options.writer_cache_kib = 512 << 10;
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options);
  if (!store.ok()) {
    std::fprintf(stderr, "rectify-seed: %s\n", std::string(store.status().message()).c_str());
    return 1;
  }
  FakeClock clock(absl::Now());
  // The audit chain starts on the empty ledger, as rectifyd's first start does; rectifyd refuses
  // to start one on a ledger that already has data. The seeded rows themselves bypass the audit
  // trail, so `rectify audit verify` reports them as rows without an entry.
  absl::Status s = audit::EnsureChain(**store, clock.Now());
  Seeder seeder(o, store->get(), &clock);
  if (s.ok()) s = seeder.Run();
  if (s.ok()) {
    // The passes are timed as rectifyd runs them: with an fsync at every commit.
    store->reset();
    options.synchronous = SqliteOptions::Synchronous::kFull;
    options.writer_cache_kib = SqliteOptions().writer_cache_kib;
    store = SqliteStore::Open(options);
    s = store.ok() ? seeder.TimePasses(store->get()) : store.status();
  }
  if (!s.ok()) {
    std::fprintf(stderr, "rectify-seed: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace rectify

int main(int argc, char** argv) { return rectify::Main(argc, argv); }
