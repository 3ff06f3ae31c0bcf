#include "services/paperwork/zip_archive.h"

#include <zip.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace rectify::paperwork {
namespace {

absl::Status ZipError(const char* what, zip_error_t* error) {
  return absl::InternalError(
      absl::StrCat("生成压缩包失败 / zip ", what, " failed: ", zip_error_strerror(error)));
}

// Reads a whole (closed) source into a string.
absl::StatusOr<std::string> SourceBytes(zip_source_t* source) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(source, &st) != 0 || (st.valid & ZIP_STAT_SIZE) == 0) {
    return ZipError("stat", zip_source_error(source));
  }
  if (zip_source_open(source) != 0) return ZipError("open", zip_source_error(source));
  std::string bytes(st.size, '\0');
  const zip_int64_t n = zip_source_read(source, bytes.data(), bytes.size());
  zip_source_close(source);
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) {
    return ZipError("read", zip_source_error(source));
  }
  return bytes;
}

}  // namespace

absl::StatusOr<std::string> WriteZip(const std::vector<ZipMember>& members) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr) return ZipError("buffer", &error);
  // The archive takes a reference; keep ours so the bytes outlive zip_close.
  zip_source_keep(buffer);
  std::unique_ptr<zip_source_t, decltype(&zip_source_free)> hold(buffer, zip_source_free);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr) return ZipError("open", &error);
  for (const ZipMember& member : members) {
    zip_source_t* data = zip_source_buffer(archive, member.second.data(), member.second.size(), 0);
    if (data == nullptr ||
        zip_file_add(archive, member.first.c_str(), data, ZIP_FL_ENC_UTF_8) < 0) {
      if (data != nullptr) zip_source_free(data);
      absl::Status status = ZipError("add", zip_get_error(archive));
      zip_discard(archive);
      return status;
    }
  }
  if (zip_close(archive) != 0) {
    absl::Status status = ZipError("close", zip_get_error(archive));
    zip_discard(archive);
    return status;
  }
  return SourceBytes(buffer);
}

absl::StatusOr<std::string> ReadZipMember(absl::string_view bytes, const std::string& name,
                                          size_t max_bytes) {
  const absl::Status not_zip = absl::InvalidArgumentError(
      "文件不是有效的 .xlsx（zip）文件 / the file is not a valid .xlsx (zip) file");
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) return not_zip;
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    zip_source_free(source);
    return not_zip;
  }
  std::unique_ptr<zip_t, decltype(&zip_discard)> hold(archive, zip_discard);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(archive, name.c_str(), 0, &st) != 0) {
    return absl::NotFoundError(absl::StrCat("压缩包中没有 ", name, " / no ", name, " in the file"));
  }
  if ((st.valid & ZIP_STAT_SIZE) == 0 || st.size > max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(name, " 过大 / ", name, " is too large"));
  }
  zip_file_t* file = zip_fopen(archive, name.c_str(), 0);
  if (file == nullptr) return not_zip;
  std::string out(st.size, '\0');
  const zip_int64_t n = zip_fread(file, out.data(), out.size());
  zip_fclose(file);
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) return not_zip;
  return out;
}

}  // namespace rectify::paperwork
