#include "client/commands/unit_ref.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/commands/cli_errors.h"
#include "client/commands/paging.h"
#include "client/commands/validators.h"
#include "client/rpc/exit_codes.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

struct PendingUnit {
  std::string option;
  std::string text;
  int64_t* id;
};

std::vector<PendingUnit>& Pending() {
  thread_local std::vector<PendingUnit> pending;
  return pending;
}

bool ReadId(absl::string_view text, int64_t* id) {
  if (text.empty() || text.size() > 18) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return absl::SimpleAtoi(text, id) && *id > 0;
}

// "机关党委 / 第一支部", "机关党委／第一支部" -> {"机关党委", "第一支部"}.
std::vector<std::string> PathParts(const std::string& text) {
  const std::string unified = absl::StrReplaceAll(text, {{"／", "/"}, {"＞", "/"}, {">", "/"}});
  std::vector<std::string> parts;
  for (absl::string_view part : absl::StrSplit(unified, '/')) {
    part = absl::StripAsciiWhitespace(part);
    if (!part.empty()) parts.emplace_back(part);
  }
  return parts;
}

}  // namespace

CLI::Option* AddUnitOption(CLI::App* cmd, const std::string& name, int64_t* id,
                           const std::string& description) {
  CLI::Option* option = cmd->add_option_function<std::string>(
      name,
      [name, id](const std::string& text) {
        if (ReadId(text, id)) return;
        Pending().push_back({name, text, id});
      },
      description + "（编号、名称或路径 / id, name or path）");
  option->type_name("UNIT")->check(Utf8Validator());
  return option;
}

void ClearUnitReferences() { Pending().clear(); }

grpc::Status ListVisibleUnits(Session& s, std::vector<v1::OrgUnit>* units) {
  v1::ListUnitsRequest request;
  request.set_page_size(1000);
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
  if (!status.ok()) return status;
  units->assign(all.units().begin(), all.units().end());
  return grpc::Status::OK;
}

int ResolveUnitReferences(Session& s) {
  std::vector<PendingUnit> pending = std::move(Pending());
  Pending().clear();
  if (pending.empty()) return kExitOk;
  std::vector<v1::OrgUnit> units;
  auto status = ListVisibleUnits(s, &units);
  if (!status.ok()) return s.Fail(status);
  const UnitDirectory directory(std::move(units));
  for (const PendingUnit& ref : pending) {
    absl::StatusOr<int64_t> id = directory.Resolve(ref.text);
    if (!id.ok()) {
      s.err() << (s.lang() == Lang::kEn ? "error: " : "错误: ") << ref.option << ": "
              << PickLang(id.status().message(), s.lang()) << "\n";
      return id.status().code() == absl::StatusCode::kNotFound ? kExitNotFound : kExitUsage;
    }
    *ref.id = *id;
  }
  return kExitOk;
}

UnitDirectory::UnitDirectory(std::vector<v1::OrgUnit> units) : units_(std::move(units)) {}

std::string UnitDirectory::NameOf(int64_t id) const {
  for (const v1::OrgUnit& u : units_) {
    if (u.id() == id) return u.name();
  }
  return "";
}

std::string UnitDirectory::ReferenceTo(int64_t id) const {
  const std::string name = NameOf(id);
  if (name.empty()) return "";
  const absl::StatusOr<int64_t> by_name = Resolve(name);
  return by_name.ok() && *by_name == id ? name : PathOf(id);
}

std::string UnitDirectory::PathOf(int64_t id) const {
  for (const v1::OrgUnit& u : units_) {
    if (u.id() != id) continue;
    std::vector<std::string> names;
    for (int64_t step : u.path()) {
      const std::string name = NameOf(step);
      if (!name.empty()) names.push_back(name);  // ancestors above the caller's reach are unseen
    }
    return absl::StrJoin(names, "/");
  }
  return "";
}

absl::StatusOr<int64_t> UnitDirectory::Resolve(const std::string& raw) const {
  const std::string text(absl::StripAsciiWhitespace(raw));
  int64_t id = 0;
  if (ReadId(text, &id)) return id;
  const std::vector<std::string> wanted = PathParts(text);
  std::vector<const v1::OrgUnit*> matches;
  for (const v1::OrgUnit& u : units_) {
    const std::vector<std::string> path = absl::StrSplit(PathOf(u.id()), '/');
    if (wanted.empty() || wanted.size() > path.size()) continue;
    if (std::equal(wanted.rbegin(), wanted.rend(), path.rbegin())) matches.push_back(&u);
  }
  if (matches.size() == 1) return matches.front()->id();
  if (matches.empty()) {
    std::vector<std::string> names;
    for (const v1::OrgUnit& u : units_) names.push_back(u.name());
    const std::string nearest = wanted.empty() ? "" : Nearest(wanted.back(), names);
    std::string zh = absl::StrCat("没有名为“", text, "”的单位（rectify unit list 可查看）");
    std::string en = absl::StrCat("no unit named \"", text, "\" (see rectify unit list)");
    if (!nearest.empty()) {
      absl::StrAppend(&zh, "，您是不是要输入 ", nearest, "？");
      absl::StrAppend(&en, "; did you mean ", nearest, "?");
    }
    return absl::NotFoundError(absl::StrCat(zh, " / ", en));
  }
  std::vector<std::string> candidates;
  for (const v1::OrgUnit* u : matches) {
    candidates.push_back(absl::StrCat(PathOf(u->id()), "（", u->id(), "）"));
  }
  const std::string list = absl::StrJoin(candidates, "、");
  return absl::InvalidArgumentError(absl::StrCat(
      "有 ", matches.size(), " 个单位名为“", text, "”：", list, "，请写路径或编号 / ",
      matches.size(), " units are named \"", text, "\": ", list, "; give the path or the id"));
}

}  // namespace rectify::client
