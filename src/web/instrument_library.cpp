#include "web/instrument_library.hpp"

#include "instruments/loader.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace gids::web {

namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The parsed instrument is what pages use; the YAML stays in the database only, so handing
// out an entry does not copy tens of kilobytes.
Result<LibraryEntry> parse_stored(storage::StoredInstrument stored) {
    auto instrument = load_instrument_text(stored.source_text, stored.key + ".yaml");
    if (!instrument)
        return fail(Error::internal("Opgeslagen instrument " + stored.key + " versie " +
                                    std::to_string(stored.version) +
                                    " is niet meer geldig: " + instrument.error().message));
    stored.source_text.clear();
    return LibraryEntry{std::make_shared<const Instrument>(std::move(*instrument)),
                        std::move(stored)};
}

} // namespace

Status InstrumentLibrary::load(const std::filesystem::path& builtin_dir) {
    std::error_code ec;
    if (std::filesystem::is_directory(builtin_dir, ec)) {
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(builtin_dir))
            if (entry.is_regular_file() && entry.path().extension() == ".yaml")
                files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            auto instrument = load_instrument_file(file);
            if (!instrument)
                return fail(instrument.error());
            const std::string text = read_file(file);
            auto stored = m_db.find_instrument(instrument->id, instrument->version);
            if (stored) {
                if (stored->source_text != text)
                    return fail(Error::conflict(
                        file.string() + ": dit instrument is gewijzigd, maar versie " +
                        std::to_string(instrument->version) +
                        " staat al in de database. Verhoog `version` in het bestand."));
                continue;
            }
            storage::StoredInstrument row{
                0, instrument->id, instrument->version, instrument->title.nl, text, "builtin", "",
                0};
            if (auto id = m_db.insert_instrument(row, std::nullopt, storage::now_seconds()); !id)
                return fail(id.error());
        }
    }
    std::vector<LibraryEntry> entries;
    for (auto& stored : m_db.list_instruments()) {
        auto entry = parse_stored(std::move(stored));
        if (!entry)
            return fail(entry.error());
        entries.push_back(std::move(*entry));
    }
    std::lock_guard lock(m_mutex);
    m_entries.clear();
    m_count = 0;
    for (auto& entry : entries)
        keep(std::move(entry));
    return {};
}

void InstrumentLibrary::keep(LibraryEntry entry) const {
    auto& slot = m_entries[entry.stored.key][entry.stored.version];
    if (!slot.instrument)
        ++m_count;
    slot = std::move(entry);
}

void InstrumentLibrary::catch_up() const {
    const long long stored = m_db.count_instruments();
    {
        std::lock_guard lock(m_mutex);
        if (stored == m_count)
            return;
    }
    for (auto& row : m_db.list_instruments()) {
        {
            std::lock_guard lock(m_mutex);
            auto k = m_entries.find(row.key);
            if (k != m_entries.end() && k->second.contains(row.version))
                continue;
        }
        // A version that does not parse here was refused where it was uploaded; it cannot
        // be, but if it were, it stays out of the lists rather than breaking them.
        if (auto entry = parse_stored(std::move(row))) {
            std::lock_guard lock(m_mutex);
            keep(std::move(*entry));
        }
    }
}

Result<LibraryEntry> InstrumentLibrary::upload(const std::string& yaml,
                                               const std::string& file_name, long long user_id) {
    auto instrument = load_instrument_text(yaml, file_name);
    if (!instrument)
        return fail(instrument.error());
    if (auto newest = latest(instrument->id);
        newest && newest->stored.version >= instrument->version)
        return fail(Error::conflict("Van ‘" + instrument->id + "’ bestaat al versie " +
                                    std::to_string(newest->stored.version) +
                                    ". Geef het nieuwe bestand versie " +
                                    std::to_string(newest->stored.version + 1) + " of hoger."));
    storage::StoredInstrument row{
        0, instrument->id, instrument->version, instrument->title.nl, yaml, "upload", "", 0};
    const long long now = storage::now_seconds();
    auto id = m_db.insert_instrument(row, user_id, now);
    if (!id)
        return fail(id.error());
    auto stored = m_db.find_instrument(instrument->id, instrument->version);
    if (!stored)
        return fail(Error::internal("Het instrument is opgeslagen maar niet teruggevonden."));
    stored->source_text.clear();
    LibraryEntry entry{std::make_shared<const Instrument>(std::move(*instrument)), *stored};
    std::lock_guard lock(m_mutex);
    keep(entry);
    return entry;
}

std::optional<LibraryEntry> InstrumentLibrary::get(const std::string& key, int version) const {
    {
        std::lock_guard lock(m_mutex);
        auto k = m_entries.find(key);
        if (k != m_entries.end())
            if (auto v = k->second.find(version); v != k->second.end())
                return v->second;
    }
    // A round of a version uploaded through another instance.
    auto stored = m_db.find_instrument(key, version);
    if (!stored)
        return std::nullopt;
    auto entry = parse_stored(std::move(*stored));
    if (!entry)
        return std::nullopt;
    std::lock_guard lock(m_mutex);
    keep(*entry);
    return *entry;
}

std::optional<LibraryEntry> InstrumentLibrary::latest(const std::string& key) const {
    catch_up();
    std::lock_guard lock(m_mutex);
    auto k = m_entries.find(key);
    if (k == m_entries.end() || k->second.empty())
        return std::nullopt;
    return k->second.rbegin()->second;
}

std::vector<LibraryEntry> InstrumentLibrary::versions(const std::string& key) const {
    catch_up();
    std::lock_guard lock(m_mutex);
    std::vector<LibraryEntry> out;
    if (auto k = m_entries.find(key); k != m_entries.end())
        for (auto it = k->second.rbegin(); it != k->second.rend(); ++it)
            out.push_back(it->second);
    return out;
}

std::vector<LibraryEntry> InstrumentLibrary::current() const {
    catch_up();
    std::vector<LibraryEntry> out;
    {
        std::lock_guard lock(m_mutex);
        for (const auto& [key, versions] : m_entries)
            if (!versions.empty())
                out.push_back(versions.rbegin()->second);
    }
    std::sort(out.begin(), out.end(), [](const LibraryEntry& a, const LibraryEntry& b) {
        return a.instrument->title.nl < b.instrument->title.nl;
    });
    return out;
}

} // namespace gids::web
