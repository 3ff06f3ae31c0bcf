#include "services/http/static_assets.h"

#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/sha256.h"
#include "services/http/gateway.h"

namespace rectify::http {
namespace {

// Shown at / when the build embedded no services/web/index.html.
constexpr char kFallbackIndex[] =
    "<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>Rectify</title>"
    "</head><body><p>网页端未随此版本构建 / this build has no web console pages. "
    "API: POST /api/&lt;Service&gt;/&lt;Method&gt;</p></body></html>\n";

struct Served {
  const EmbeddedAsset* asset;
  std::string etag;
};

// Assets by URL path, each with an ETag from its content (computed once).
const std::map<std::string, Served, std::less<>>& Assets() {
  static const auto* const assets = [] {
    auto* map = new std::map<std::string, Served, std::less<>>();
    for (const EmbeddedAsset* a = kEmbeddedAssets; a->url_path != nullptr; ++a) {
      const absl::string_view bytes(reinterpret_cast<const char*>(a->data), a->size);
      (*map)[a->url_path] = Served{a, absl::StrCat("\"", Sha256Hex(bytes).substr(0, 20), "\"")};
    }
    return map;
  }();
  return *assets;
}

void Serve(const Served& served, bool vendor, const httplib::Request& req, httplib::Response& res) {
  // Our own files change with every build under the same name: revalidate each time (a 304 costs
  // a round trip, not the bytes). Debian's files change only with the package: a day is fine.
  res.set_header("Cache-Control", vendor ? "public, max-age=86400" : "no-cache");
  res.set_header("ETag", served.etag);
  if (req.get_header_value("If-None-Match") == served.etag) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(reinterpret_cast<const char*>(served.asset->data), served.asset->size,
                  ContentTypeOf(served.asset->url_path));
}

}  // namespace

const char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const EmbeddedAsset* FindAsset(absl::string_view url_path) {
  const auto& assets = Assets();
  auto it = assets.find(url_path);
  return it == assets.end() ? nullptr : it->second.asset;
}

const char* ContentTypeOf(absl::string_view path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (absl::EndsWith(path, ext)) return type;
  }
  return "application/octet-stream";
}

void AddStaticRoutes(httplib::Server& server) {
  server.Get("/", [](const httplib::Request& req, httplib::Response& res) {
    const auto& assets = Assets();
    auto it = assets.find("/static/index.html");
    if (it == assets.end()) {
      res.set_header("Cache-Control", "no-cache");
      res.set_content(kFallbackIndex, "text/html; charset=utf-8");
      return;
    }
    Serve(it->second, false, req, res);
  });
  server.Get(R"(/static/(.+))", [](const httplib::Request& req, httplib::Response& res) {
    const auto& assets = Assets();
    auto it = assets.find(req.path);
    if (it == assets.end()) {
      res.status = 404;
      res.set_content("not found\n", "text/plain; charset=utf-8");
      return;
    }
    Serve(it->second, absl::StartsWith(req.path, "/static/vendor/"), req, res);
  });
}

}  // namespace rectify::http
