// Notification channels (通知渠道) as the application layer serves them: every change and read
// with its reach rule (a channel belongs to a unit; outside the caller's subtree it reads as
// missing), the field rules (services/domain/channels.h) and the optimistic version check.
//
// Thread safety: const methods over the caller's transaction.
#ifndef RECTIFY_SERVICES_APP_CHANNELS_H_
#define RECTIFY_SERVICES_APP_CHANNELS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/optional.h"
#include "services/model/actor.h"
#include "services/model/model.h"
#include "services/store/store.h"

namespace rectify::app {

// The fields an update sets; an absent one is left as it is.
struct ChannelPatch {
  absl::optional<std::string> name;
  absl::optional<std::string> url;
  absl::optional<std::string> secret;
  absl::optional<std::string> user;
  absl::optional<std::string> from;
  absl::optional<std::vector<std::string>> to;
  absl::optional<bool> supervision;
  absl::optional<std::string> lang;
  absl::optional<bool> enabled;
};

// The channel `id`, when its unit lies in the actor's subtree; INVALID_ARGUMENT for id <= 0,
// NOT_FOUND alike for a missing one and one outside.
absl::StatusOr<NotifyChannel> ChannelInReach(ReadTxn& tx, const Actor& actor, Id id);

// A new channel of `unit_id` (0: the actor's own unit), the unit in reach and the fields valid.
absl::StatusOr<NotifyChannel> CreateChannel(WriteTxn& tx, const Actor& actor, Id unit_id,
                                            NotifyChannel channel);
// Applies `patch` (ABORTED when expected_version is set and stale); a new address, secret, user,
// or a channel switched on again starts with a clean failure count.
absl::StatusOr<NotifyChannel> UpdateChannel(WriteTxn& tx, const Actor& actor, Id id,
                                            int64_t expected_version, const ChannelPatch& patch);
// Removes the channel; returns it as it was.
absl::StatusOr<NotifyChannel> DeleteChannel(WriteTxn& tx, const Actor& actor, Id id);
// Records the outcome of a test message: a success clears the failure count (given-up
// deliveries are tried again), a failure counts like any other. A channel deleted meanwhile is
// left alone.
absl::Status RecordChannelTest(WriteTxn& tx, Id id, bool delivered, const std::string& detail,
                               absl::Time now);
// The unit a channel list or status covers (0: the actor's own), in reach.
absl::StatusOr<OrgUnit> ChannelScope(ReadTxn& tx, const Actor& actor, Id unit_id);

}  // namespace rectify::app

#endif  // RECTIFY_SERVICES_APP_CHANNELS_H_
