#pragma once
// The instruments GIDS can run: every stored version, parsed once and kept in memory.
// Built-ins come from instruments/*.yaml; administrators upload new ones. A stored version
// never changes: a changed instrument is a new version beside the old one. Other instances
// on the same database may store versions too: a version that is asked for but not known
// here is read from the database, and the lists look there for versions they lack.

#include "domain/instrument.hpp"
#include "storage/database.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gids::web {

struct LibraryEntry {
    std::shared_ptr<const Instrument> instrument;
    storage::StoredInstrument stored;
};

class InstrumentLibrary {
  public:
    explicit InstrumentLibrary(storage::Database& db) : m_db(db) {}

    // Stores every built-in that is new, then loads all stored versions. Fails, naming the
    // file, when a built-in is broken or was changed without a new version number.
    Status load(const std::filesystem::path& builtin_dir);

    // Validates and stores an uploaded instrument; the error names the line that is wrong.
    Result<LibraryEntry> upload(const std::string& yaml, const std::string& file_name,
                                long long user_id);

    std::optional<LibraryEntry> get(const std::string& key, int version) const;
    std::optional<LibraryEntry> latest(const std::string& key) const;
    std::vector<LibraryEntry> versions(const std::string& key) const;
    // The newest version of every instrument, by title.
    std::vector<LibraryEntry> current() const;

  private:
    storage::Database& m_db;
    mutable std::mutex m_mutex;
    // key -> version -> entry; filled in from the database when another instance added one.
    mutable std::map<std::string, std::map<int, LibraryEntry>> m_entries;
    mutable long long m_count = 0; // entries in m_entries

    // Reads the versions stored by other instances since this one last looked.
    void catch_up() const;
    void keep(LibraryEntry entry) const; // with m_mutex held
};

} // namespace gids::web
