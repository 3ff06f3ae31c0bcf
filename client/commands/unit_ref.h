// Naming a unit the way people do: wherever the command line asks for a unit (--unit,
// --owner-unit, --parent, --subtree, `unit show|rename`) and in the owner-unit column of the
// drafts spreadsheet, a unit may be given by its id ("3"), its name ("第一支部") or its path
// ("机关党委/第一支部", or any tail of it such as "第一支部/第一党小组"). A name shared by two
// units is refused with the candidates listed, never guessed.
//
// Names are looked up in the units the caller's token can see (OrgService.ListUnits), so a unit
// outside the caller's subtree reads as missing, like an id would.
//
// Thread safety: the references collected while parsing live in a thread-local list, filled
// by AddUnitOption()'s options and emptied by ResolveUnitReferences(); one command line is
// parsed and run per thread at a time.
#ifndef RECTIFY_CLIENT_COMMANDS_UNIT_REF_H_
#define RECTIFY_CLIENT_COMMANDS_UNIT_REF_H_

#include <cstdint>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "client/commands/session.h"
#include "rectify/v1/org.pb.h"

namespace rectify::client {

// Adds option `name` ("--unit", or a positional such as "ID") taking a unit; the id lands in
// *id once RunCli resolves it (before the command runs). Returns the option for chaining.
CLI::Option* AddUnitOption(CLI::App* cmd, const std::string& name, int64_t* id,
                           const std::string& description);

// Forgets references left from an earlier parse (RunCli calls it before parsing).
void ClearUnitReferences();

// Resolves every unit named on the command line just parsed; kExitOk, or the exit code after
// printing why (4: no such unit, 2: ambiguous name).
int ResolveUnitReferences(Session& session);

// The units the caller can see, in tree order.
grpc::Status ListVisibleUnits(Session& session, std::vector<rectify::v1::OrgUnit>* units);

// Resolving against a known list of units, for the spreadsheet and the tests.
class UnitDirectory {
 public:
  explicit UnitDirectory(std::vector<rectify::v1::OrgUnit> units);

  // The id of the unit `text` names (id, name or path). NOT_FOUND when none matches (with
  // the nearest name, if any, as a hint), INVALID_ARGUMENT listing the candidates when several
  // do. Messages are "中文 / English".
  absl::StatusOr<int64_t> Resolve(const std::string& text) const;

  // "机关党委/第一支部" for the unit `id` ("" when unknown).
  std::string PathOf(int64_t id) const;
  // The unit's name ("" when unknown).
  std::string NameOf(int64_t id) const;
  // What names the unit `id` for a person and for Resolve(): its name when no other unit has
  // it, else its path; "" when unknown.
  std::string ReferenceTo(int64_t id) const;

 private:
  std::vector<rectify::v1::OrgUnit> units_;
};

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_UNIT_REF_H_
