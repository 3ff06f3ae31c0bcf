#include "services/auth/bootstrap.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/audit/audit_chain.h"
#include "services/auth/tokens.h"
#include "services/common/status_macros.h"

namespace rectify::auth {
namespace {

absl::Status WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::UnavailableError(
          absl::StrCat("写入令牌文件失败 / cannot write the token file: ", std::strerror(errno)));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    return absl::UnavailableError(
        absl::StrCat("令牌文件落盘失败 / cannot sync the token file: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

// Creates the token file, owner-only and never over an existing file (it may be someone's token).
absl::StatusOr<int> CreateTokenFile(const std::string& token_file, absl::string_view exists_zh,
                                    absl::string_view exists_en) {
  const int fd = ::open(token_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return absl::FailedPreconditionError(absl::StrCat("令牌文件 ", token_file, " 已存在",
                                                        exists_zh, " / the token file ", token_file,
                                                        " exists", exists_en));
    }
    return absl::UnavailableError(absl::StrCat("无法创建令牌文件 ", token_file,
                                               " / cannot create the token file ", token_file, ": ",
                                               std::strerror(errno)));
  }
  ::fchmod(fd, 0600);  // whatever the umask
  return fd;
}

}  // namespace

absl::StatusOr<BootstrapOutcome> BootstrapAdmin(const Ledger& ledger, const std::string& root_name,
                                                const std::string& token_file) {
  BootstrapOutcome outcome;
  auto count_tokens = [&]() -> absl::StatusOr<int64_t> {
    int64_t tokens = 0;
    RETURN_IF_ERROR(ledger.store()->Read([&](ReadTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(tokens, tx.CountTokens());
      return absl::OkStatus();
    }));
    return tokens;
  };
  ASSIGN_OR_RETURN(int64_t tokens, count_tokens());
  if (tokens > 0) return outcome;

  absl::StatusOr<int> created =
      CreateTokenFile(token_file, "，但数据库中没有任何令牌；请移走该文件后重启",
                      " but the database holds no token; move the file away and restart");
  // Several nodes starting together on one empty PostgreSQL database with one token file: the
  // node that made the file is issuing the token; the others wait a while for its commit.
  for (int i = 0; i < 50 && created.status().code() == absl::StatusCode::kFailedPrecondition; ++i) {
    absl::SleepFor(absl::Milliseconds(200));
    ASSIGN_OR_RETURN(tokens, count_tokens());
    if (tokens > 0) return outcome;
  }
  if (!created.ok()) return created.status();
  const int fd = *created;
  bool someone_else = false;
  absl::Status status = ledger.store()->Write([&](WriteTxn& tx) -> absl::Status {
    // Counted again under the write lock: another node on the same database may have issued
    // the first token since the read above (into a token file of its own).
    ASSIGN_OR_RETURN(int64_t now_tokens, tx.CountTokens());
    if (now_tokens > 0) {
      someone_else = true;
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(int64_t roots, tx.CountRoots());
    if (roots == 0) {
      ASSIGN_OR_RETURN(outcome.root, ledger.CreateUnit(tx, Actor::System(), 0, root_name));
      outcome.created_root = true;
    } else {
      ASSIGN_OR_RETURN(std::vector<OrgUnit> units, tx.ListUnits("", "", 1));
      outcome.root = units.front();
    }
    TokenSpec spec;
    spec.name = "管理员";
    spec.role = Role::kCommittee;
    spec.unit_id = outcome.root.id;
    ASSIGN_OR_RETURN(IssuedToken issued, MintToken(tx, spec, Actor::System().name, ledger.Now()));
    outcome.token = issued.token;
    // Written before the commit: if the write fails, the token is rolled back with it.
    return WriteAll(fd, issued.secret + "\n");
  });
  ::close(fd);
  if (!status.ok() || someone_else) {
    ::unlink(token_file.c_str());
    if (!status.ok()) return status;
    return BootstrapOutcome();
  }
  outcome.issued = true;
  if (outcome.created_root) ledger.NotifyChanged();
  return outcome;
}

absl::StatusOr<ApiToken> MintAdminToken(const Ledger& ledger, const std::string& token_file,
                                        const std::string& operator_name) {
  ASSIGN_OR_RETURN(const int fd,
                   CreateTokenFile(token_file, "，请换一个文件名", "; name another file"));
  ApiToken minted;
  absl::Status status = ledger.store()->Write([&](WriteTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<OrgUnit> units, tx.ListUnits("", "", 1));
    if (units.empty()) {
      return absl::FailedPreconditionError(
          "数据库中还没有根单位：首次启动 rectifyd 会自动生成管理员令牌 / the database has no "
          "root unit yet: the first start of rectifyd makes the admin token");
    }
    const absl::Time now = ledger.Now();
    TokenSpec spec;
    spec.name = "管理员（恢复）";
    spec.role = Role::kCommittee;
    spec.unit_id = units.front().id;
    ASSIGN_OR_RETURN(IssuedToken issued, MintToken(tx, spec, Actor::System().name, now));
    minted = issued.token;
    AuditEntry entry;
    entry.time = now;
    entry.actor = operator_name;
    entry.token_id = 0;
    entry.method = "MintAdminToken";
    entry.target = absl::StrCat("token/", minted.id);
    entry.request = absl::StrCat("{\"token_file\":\"", absl::CHexEscape(token_file), "\"}");
    entry.after = absl::StrCat("{\"id\":", minted.id, ",\"name\":\"", minted.name,
                               "\",\"role\":\"committee\",\"unit_id\":", minted.unit_id, "}");
    RETURN_IF_ERROR(audit::Append(tx, std::move(entry)).status());
    return WriteAll(fd, issued.secret + "\n");
  });
  ::close(fd);
  if (!status.ok()) {
    ::unlink(token_file.c_str());
    return status;
  }
  return minted;
}

}  // namespace rectify::auth
