// EventService: the event stream (rectify watch). A watcher first gets every stored event after
// its after_seq, then each new one as it is committed, until it cancels.
//
// Each watch runs on one handler thread of the sync server for as long as it lasts, so their
// number is capped (Options::max_watchers, below the server's thread limit); the rest of the API
// keeps its threads. Between reads a watch sleeps on the EventFeed, which the ledger's change
// listener and the scheduler bump after every commit that may have appended events, and wakes at
// least every poll_interval to notice a cancelled call or a stopping server.
//
// Thread safety: safe to call concurrently; Stop() may be called from any thread.
#ifndef RECTIFY_SERVICES_API_EVENT_SERVICE_H_
#define RECTIFY_SERVICES_API_EVENT_SERVICE_H_

#include <atomic>
#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "rectify/v1/events.grpc.pb.h"
#include "services/api/service_context.h"
#include "services/app/reads.h"
#include "services/domain/event_feed.h"
#include "services/domain/ledger.h"

namespace rectify::api {

class EventServiceImpl final : public ServiceAdapter<v1::EventService> {
 public:
  struct Options {
    // Bumped when the event log may have grown; null: watchers look every poll_interval.
    EventFeed* feed = nullptr;
    // Longest sleep between two looks at the call and the server's state.
    absl::Duration poll_interval = absl::Seconds(1);
    // Concurrent watches at most; one more is RESOURCE_EXHAUSTED. Of these, one unit's tokens
    // hold at most a quarter (at least 1), and each level below the root leaves max_watchers / 8
    // (at least 1) more slots free for the levels above it: a branch cannot take every slot and
    // lock its committee out of the stream (docs/security.md).
    int max_watchers = 8;
    // Events read from the store at a time.
    int page_size = 500;
  };

  EventServiceImpl(const ServiceContext& context, Options options)
      : ServiceAdapter(context), reads_(*context.ledger), options_(options) {}
  EventServiceImpl(const EventServiceImpl&) = delete;
  EventServiceImpl& operator=(const EventServiceImpl&) = delete;

  grpc::Status WatchEvents(grpc::ServerContext* ctx, const v1::WatchEventsRequest* req,
                           grpc::ServerWriter<v1::Event>* writer) override;

  // Ends every watch (UNAVAILABLE: reconnect and resume) within one poll interval, and refuses
  // new ones. Called before the server shuts down, so that the shutdown does not wait for
  // watchers that would never finish by themselves.
  void Stop();

  // Watches open now (rectify_watches_open).
  int watchers() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // Takes a watcher slot for `actor`: OK, UNAVAILABLE when stopping, RESOURCE_EXHAUSTED when
  // its unit holds its share or its level's slots are taken.
  absl::Status Enter(const Actor& actor) ABSL_LOCKS_EXCLUDED(mu_);
  void Leave(const Actor& actor) ABSL_LOCKS_EXCLUDED(mu_);

  // Constant after construction.
  const app::LedgerReads reads_;
  const Options options_;

  std::atomic<bool> stopping_{false};
  mutable absl::Mutex mu_;
  int watchers_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<Id, int> watchers_by_unit_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_EVENT_SERVICE_H_
