#include "services/app/channels.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/app/access.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/domain/channels.h"

namespace rectify::app {

absl::StatusOr<NotifyChannel> ChannelInReach(ReadTxn& tx, const Actor& actor, Id id) {
  if (id <= 0) return InvalidField("id", "必须是正整数编号", "must be a positive id");
  absl::StatusOr<NotifyChannel> c = tx.GetChannel(id);
  if (c.ok() && !absl::StartsWith(c->unit_path, actor.unit_path)) {
    return NotFound("通知渠道", "channel", id);
  }
  return c;
}

absl::StatusOr<NotifyChannel> CreateChannel(WriteTxn& tx, const Actor& actor, Id unit_id,
                                            NotifyChannel channel) {
  RETURN_IF_ERROR(ValidateChannel(channel));
  ASSIGN_OR_RETURN(OrgUnit unit, UnitInReach(tx, actor, unit_id == 0 ? actor.unit_id : unit_id));
  channel.unit_id = unit.id;
  channel.unit_path = unit.path;
  RETURN_IF_ERROR(tx.InsertChannel(channel));
  return channel;
}

absl::StatusOr<NotifyChannel> UpdateChannel(WriteTxn& tx, const Actor& actor, Id id,
                                            int64_t expected_version, const ChannelPatch& patch) {
  if (expected_version < 0) {
    return InvalidField("expected_version", "不能为负数", "must not be negative");
  }
  ASSIGN_OR_RETURN(NotifyChannel c, ChannelInReach(tx, actor, id));
  if (expected_version != 0 && expected_version != c.version) {
    return absl::AbortedError(absl::StrCat(
        "通知渠道 ", c.id, " 已被他人修改（当前版本 ", c.version, "），请刷新后重试 / channel ",
        c.id, " was changed by someone else (version ", c.version, "); reload and retry"));
  }
  if (patch.name) c.name = *patch.name;
  if (patch.url) c.url = *patch.url;
  if (patch.secret) c.secret = *patch.secret;
  if (patch.user) c.user = *patch.user;
  if (patch.from) c.from = *patch.from;
  if (patch.to) c.to = *patch.to;
  if (patch.supervision) c.supervision = *patch.supervision;
  if (patch.lang) c.lang = *patch.lang;
  if (patch.enabled) c.enabled = *patch.enabled;
  RETURN_IF_ERROR(ValidateChannel(c));
  // A changed address or secret, or a channel switched on again, deserves fresh tries.
  if (patch.url || patch.secret || patch.user || patch.enabled) c.consecutive_failures = 0;
  ++c.version;
  RETURN_IF_ERROR(tx.UpdateChannel(c));
  return c;
}

absl::StatusOr<NotifyChannel> DeleteChannel(WriteTxn& tx, const Actor& actor, Id id) {
  ASSIGN_OR_RETURN(NotifyChannel c, ChannelInReach(tx, actor, id));
  RETURN_IF_ERROR(tx.DeleteChannel(c.id));
  return c;
}

absl::Status RecordChannelTest(WriteTxn& tx, Id id, bool delivered, const std::string& detail,
                               absl::Time now) {
  absl::StatusOr<NotifyChannel> c = tx.GetChannel(id);
  if (absl::IsNotFound(c.status())) return absl::OkStatus();
  RETURN_IF_ERROR(c.status());
  if (delivered) {
    c->consecutive_failures = 0;
    c->last_success_time = now;
    c->last_error.clear();
  } else {
    ++c->consecutive_failures;
    c->last_error = detail;
  }
  return tx.UpdateChannel(*c);
}

absl::StatusOr<OrgUnit> ChannelScope(ReadTxn& tx, const Actor& actor, Id unit_id) {
  ASSIGN_OR_RETURN(Id scope, ScopeUnit(tx, actor, unit_id));
  return tx.GetUnit(scope);
}

}  // namespace rectify::app
