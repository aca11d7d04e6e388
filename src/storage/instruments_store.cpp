// The instrument library: the YAML of every instrument version, built-in or uploaded.
#include "storage/database.hpp"
#include "storage/rows.hpp"

namespace gids::storage {

namespace {

const std::string columns = "i.id, i.key, i.version, i.title, i.source_text, i.origin, "
                            "COALESCE(u.email, ''), i.created_at FROM instruments i "
                            "LEFT JOIN users u ON u.id = i.uploaded_by";

StoredInstrument to_instrument(const soci::row& r) {
    return {as_int(r, 0),  as_text(r, 1), static_cast<int>(as_int(r, 2)),
            as_text(r, 3), as_text(r, 4), as_text(r, 5),
            as_text(r, 6), as_int(r, 7)};
}

} // namespace

std::vector<StoredInstrument> Database::list_instruments() {
    Lease sql(*this);
    std::vector<StoredInstrument> out;
    sql.each("SELECT " + columns + " ORDER BY i.key, i.version", {},
             [&](const soci::row& r) { out.push_back(to_instrument(r)); });
    return out;
}

std::optional<StoredInstrument> Database::find_instrument(const std::string& key, int version) {
    Lease sql(*this);
    std::optional<StoredInstrument> out;
    sql.each("SELECT " + columns + " WHERE i.key = :k AND i.version = :v",
             {key, static_cast<long long>(version)},
             [&](const soci::row& r) { out = to_instrument(r); });
    return out;
}

long long Database::count_instruments() {
    Lease sql(*this);
    long long n = 0;
    sql.each("SELECT COUNT(*) FROM instruments", {}, [&](const soci::row& r) { n = as_int(r, 0); });
    return n;
}

Result<long long> Database::insert_instrument(const StoredInstrument& in,
                                              std::optional<long long> uploaded_by, long long now) {
    Lease sql(*this);
    try {
        long long id = 0;
        sql.each("INSERT INTO instruments (key, version, title, source_text, origin, uploaded_by, "
                 "created_at) VALUES (:k, :v, :t, :s, :o, :u, :c) RETURNING id",
                 {in.key, static_cast<long long>(in.version), in.title, in.source_text, in.origin,
                  uploaded_by, now},
                 [&](const soci::row& r) { id = as_int(r, 0); });
        return id;
    } catch (const std::exception& e) {
        const std::string what = e.what();
        if (what.find("UNIQUE") != std::string::npos || what.find("duplicate") != std::string::npos)
            return fail(Error::conflict("Versie " + std::to_string(in.version) + " van ‘" + in.key +
                                        "’ bestaat al. Geef het bestand een hoger versienummer."));
        throw;
    }
}

} // namespace gids::storage
