// unit create | list | rename | show: the org tree (OrgService).
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "client/commands/commands.h"
#include "client/commands/paging.h"
#include "client/commands/unit_ref.h"
#include "client/commands/validators.h"
#include "client/output/views.h"
#include "client/rpc/exit_codes.h"
#include "client/rpc/request_id.h"
#include "rectify/v1/org.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

struct UnitCreateOptions {
  std::string name;
  int64_t parent_id = 0;
};

struct UnitListOptions {
  int64_t subtree_of = 0;
};

struct UnitRenameOptions {
  int64_t id = 0;
  std::string name;
  int64_t expected_version = 0;
};

struct UnitShowOptions {
  int64_t id = 0;
};

int UnitCreate(Session& s, const UnitCreateOptions& o) {
  v1::CreateUnitRequest request;
  request.set_request_id(NewRequestId());
  request.set_parent_id(o.parent_id);
  request.set_name(o.name);
  v1::OrgUnit unit;
  auto status =
      s.Call([&](grpc::ClientContext* c) { return s.rpc().org().CreateUnit(c, request, &unit); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(unit, [&] { return UnitLine(unit, s.lang()); });
}

// The names of the parents that are not in `listed` (a subtree's top unit has its parent
// outside the list), looked up one by one; a parent the caller cannot see stays unnamed.
UnitNames ParentNames(Session& s, const v1::ListUnitsResponse& listed) {
  std::set<int64_t> ids;
  for (const v1::OrgUnit& unit : listed.units()) ids.insert(unit.id());
  UnitNames names;
  for (const v1::OrgUnit& unit : listed.units()) {
    const int64_t parent = unit.parent_id();
    if (parent == 0 || ids.count(parent) > 0 || names.count(parent) > 0) continue;
    v1::GetUnitRequest request;
    request.set_id(parent);
    v1::OrgUnit found;
    const grpc::Status status =
        s.Call([&](grpc::ClientContext* c) { return s.rpc().org().GetUnit(c, request, &found); });
    if (status.ok()) names[parent] = found.name();
  }
  return names;
}

int UnitList(Session& s, const UnitListOptions& o) {
  v1::ListUnitsRequest request;
  request.set_subtree_of(o.subtree_of);
  request.set_page_size(1000);
  // The tree is small and a partial tree misleads, so every page is fetched.
  v1::ListUnitsResponse all;
  auto status = FetchAllPages(
      s, request,
      [&](grpc::ClientContext* c, const v1::ListUnitsRequest& r, v1::ListUnitsResponse* page) {
        return s.rpc().org().ListUnits(c, r, page);
      },
      [](const v1::ListUnitsResponse& page, v1::ListUnitsResponse* into) {
        into->mutable_units()->MergeFrom(page.units());
      },
      &all);
  if (!status.ok()) return s.Fail(status);
  return s.Show(all, [&] { return UnitListText(all.units(), s.lang(), ParentNames(s, all)); });
}

int UnitRename(Session& s, const UnitRenameOptions& o) {
  v1::RenameUnitRequest request;
  request.set_request_id(NewRequestId());
  request.set_id(o.id);
  request.set_name(o.name);
  request.set_expected_version(o.expected_version);
  v1::OrgUnit unit;
  auto status =
      s.Call([&](grpc::ClientContext* c) { return s.rpc().org().RenameUnit(c, request, &unit); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(unit, [&] { return UnitLine(unit, s.lang()); });
}

// Names of the units on `unit`'s path, root first; empty if any of them cannot be read (the
// page then shows ids, which is still correct).
std::vector<std::string> PathNames(Session& s, const v1::OrgUnit& unit) {
  std::vector<std::string> names;
  for (int64_t id : unit.path()) {
    if (id == unit.id()) {
      names.push_back(unit.name());
      continue;
    }
    v1::GetUnitRequest request;
    request.set_id(id);
    v1::OrgUnit ancestor;
    auto status = s.Call(
        [&](grpc::ClientContext* c) { return s.rpc().org().GetUnit(c, request, &ancestor); });
    if (!status.ok()) return {};
    names.push_back(ancestor.name());
  }
  return names;
}

int UnitShow(Session& s, const UnitShowOptions& o) {
  v1::GetUnitRequest request;
  request.set_id(o.id);
  v1::OrgUnit unit;
  auto status =
      s.Call([&](grpc::ClientContext* c) { return s.rpc().org().GetUnit(c, request, &unit); });
  if (!status.ok()) return s.Fail(status);
  // The ancestors are looked up only for people; the JSON carries the ids in `path`.
  return s.Show(unit, [&] { return UnitDetailText(unit, PathNames(s, unit), s.lang(), s.zone()); });
}

}  // namespace

void AddUnitCommands(CLI::App& app, Action* action) {
  CLI::App* unit = app.add_subcommand("unit", "组织单位 / organisation units");
  unit->require_subcommand(1);
  unit->footer(Examples({"rectify unit list"}));

  {
    auto o = std::make_shared<UnitCreateOptions>();
    CLI::App* cmd = unit->add_subcommand(
        "create",
        "新建单位；不带 --parent 时新建根单位 / create a unit (the root without --parent)");
    cmd->add_option("NAME", o->name, "单位名称 / unit name")->required()->check(Utf8Validator());
    AddUnitOption(cmd, "--parent", &o->parent_id, "上级单位 / parent unit");
    cmd->footer(Examples({"rectify unit create 机关第一支部 --parent 1"}));
    OnRun(cmd, action, [o](Session& s) { return UnitCreate(s, *o); });
  }
  {
    auto o = std::make_shared<UnitListOptions>();
    CLI::App* cmd = unit->add_subcommand("list", "列出单位（树形）/ list units as a tree");
    AddUnitOption(cmd, "--subtree", &o->subtree_of,
                  "只列此单位及其下级 / only this unit's subtree");
    cmd->footer(Examples({"rectify unit list --subtree 3"}));
    OnRun(cmd, action, [o](Session& s) { return UnitList(s, *o); });
  }
  {
    auto o = std::make_shared<UnitRenameOptions>();
    CLI::App* cmd = unit->add_subcommand("rename", "单位改名 / rename a unit");
    AddUnitOption(cmd, "UNIT", &o->id, "单位 / unit")->required();
    cmd->add_option("NAME", o->name, "新名称 / new name")->required()->check(Utf8Validator());
    AddExpectVersion(cmd, &o->expected_version);
    cmd->footer(Examples({"rectify unit rename 7 机关第二支部 --expect-version 1"}));
    OnRun(cmd, action, [o](Session& s) { return UnitRename(s, *o); });
  }
  {
    auto o = std::make_shared<UnitShowOptions>();
    CLI::App* cmd = unit->add_subcommand("show", "查看单位 / show a unit");
    AddUnitOption(cmd, "UNIT", &o->id, "单位 / unit")->required();
    cmd->footer(Examples({"rectify unit show 7"}));
    OnRun(cmd, action, [o](Session& s) { return UnitShow(s, *o); });
  }
}

}  // namespace rectify::client
