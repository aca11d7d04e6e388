#pragma once
// The SQLite side of `gids migrate --from` (copy.hpp): the file, read-only, its tables as its
// own catalogue describes them, and their rows in key order with each value as stored.

#include "storage/copy.hpp"

#include <functional>
#include <memory>

struct sqlite3;

namespace gids::storage {

struct SourceTable {
    std::string name;
    std::vector<std::string> columns;
    std::vector<std::string> key;        // the primary key, or every column without one
    std::vector<std::string> references; // tables its foreign keys point to
};

class SourceFile {
  public:
    // Opens the file read-only in one read transaction: what is copied and what is checked
    // afterwards are the same snapshot, also while a server keeps writing to the file.
    static Result<SourceFile> open(const std::filesystem::path& path);

    // Refuses a file that is not a GIDS database or is at another schema version.
    Status check_version(int latest);
    // The tables to copy, by name.
    Result<std::vector<SourceTable>> tables();
    // Calls on_row for every row in key order; stops at the first failure.
    Status each_row(const SourceTable& table,
                    const std::function<Status(const std::vector<copying::Cell>&)>& on_row);

  private:
    struct Close {
        void operator()(sqlite3* db) const;
    };
    SourceFile(std::unique_ptr<sqlite3, Close> db, std::filesystem::path path);
    std::unique_ptr<sqlite3, Close> m_db;
    std::filesystem::path m_path;
};

} // namespace gids::storage
