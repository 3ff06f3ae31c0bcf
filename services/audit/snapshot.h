// What an audit entry records of the objects a change touched: the audit trail's own, versioned
// snapshot format, independent of any API message, so that an API change never changes what was
// audited.
//
// Format 2 (written since this version): `before` and `after` each hold one compact JSON object
//   {"v":2,"task/12":{"progress_percent":30,"version":7}}
// naming each target and, under it, only the fields that changed, `before` with their old
// values and `after` with their new ones (a field added or removed, or a whole object created
// or deleted, appears on one side only). A target whose fields did not change does not appear:
// {"v":2} on both sides says the change left the targets as they were. Field names are the
// domain's (services/model/model.h); values are numbers, strings, null, days "2021-12-31",
// instants RFC 3339 in UTC ("2026-12-01T00:55:13.123456Z"), task status as its machine name
// ("IN_PROGRESS"), lights "none"/"green"/"yellow"/"red". A task's next_check_time is left out:
// it is the scheduler's bookkeeping (row_state.h leaves it out of the row digest too).
//
// Format 1 (entries written before): `before` and `after` were whole objects as the v1 API's
// JSON (no "v" key). They are kept as they are: the chain hashes the texts, so both formats
// verify alike, and SnapshotFormat tells a reader which one it holds.
//
// Thread safety: stateless functions and a value type; use one Snapshot per transaction.
#ifndef RECTIFY_SERVICES_AUDIT_SNAPSHOT_H_
#define RECTIFY_SERVICES_AUDIT_SNAPSHOT_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/model/model.h"

namespace rectify::audit {

// Field name -> JSON value text, for one object; ordered by name.
using Fields = std::map<std::string, std::string>;

Fields TaskFields(const Task& task);
Fields UnitFields(const OrgUnit& unit);

// The states of some named objects ("task/12", "unit/3"); an object that does not exist (not yet
// created, or deleted) is simply absent.
class Snapshot {
 public:
  void Add(const Task& task);
  void Add(const OrgUnit& unit);
  bool empty() const { return objects_.empty(); }
  const std::map<std::string, Fields>& objects() const { return objects_; }

 private:
  std::map<std::string, Fields> objects_;
};

// The `before` and `after` texts (format 2) of a change from `before` to `after`.
struct ChangeText {
  std::string before;
  std::string after;
};
ChangeText DescribeChange(const Snapshot& before, const Snapshot& after);

// 2 for a format-2 text (a JSON object whose first key is "v" with value 2), 1 otherwise (the
// v1 API JSON of older entries, or the free-form JSON of system entries).
int SnapshotFormat(absl::string_view text);

// `text` as a JSON string literal, quotes included.
std::string JsonString(absl::string_view text);

}  // namespace rectify::audit

#endif  // RECTIFY_SERVICES_AUDIT_SNAPSHOT_H_
