// What `gids migrate --from` decides without a database: which tables go, in which order,
// and how two copies of a table are compared (copy.hpp).
#include "storage/copy.hpp"
#include "storage/migrations.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstdint>
#include <sodium.h>

namespace gids::storage::copying {

struct TableDigest::State {
    crypto_generichash_state hash;
};

TableDigest::TableDigest() : m_state(std::make_unique<State>()) {
    crypto_generichash_init(&m_state->hash, nullptr, 0, crypto_generichash_BYTES);
}

TableDigest::~TableDigest() = default;
TableDigest::TableDigest(TableDigest&&) noexcept = default;
TableDigest& TableDigest::operator=(TableDigest&&) noexcept = default;

namespace {

void append_number(std::string& out, std::uint64_t n) {
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
}

// Every value carries its kind and, for text, its length, so that no two different rows
// give the same bytes ("ab","c" is not "a","bc"; NULL is not "" and 1 is not "1").
void append_cell(std::string& out, const Cell& cell) {
    if (std::holds_alternative<std::monostate>(cell)) {
        out.push_back('N');
    } else if (const auto* n = std::get_if<long long>(&cell)) {
        out.push_back('I');
        append_number(out, static_cast<std::uint64_t>(*n));
    } else if (const auto* d = std::get_if<double>(&cell)) {
        out.push_back('F');
        append_number(out, std::bit_cast<std::uint64_t>(*d));
    } else {
        const auto& text = std::get<std::string>(cell);
        out.push_back('S');
        append_number(out, text.size());
        out += text;
    }
}

} // namespace

void TableDigest::add_row(const std::vector<Cell>& row) {
    std::string bytes;
    for (const auto& cell : row)
        append_cell(bytes, cell);
    bytes.push_back('R');
    crypto_generichash_update(&m_state->hash, reinterpret_cast<const unsigned char*>(bytes.data()),
                              bytes.size());
    ++m_rows;
}

std::string TableDigest::hex() const {
    crypto_generichash_state copy = m_state->hash; // finishing consumes the state
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash_final(&copy, digest, sizeof digest);
    char out[crypto_generichash_BYTES * 2 + 1];
    sodium_bin2hex(out, sizeof out, digest, sizeof digest);
    return out;
}

Status same_rows(const std::string& table, const TableDigest& source, const TableDigest& target) {
    if (source.rows() != target.rows())
        return fail(Error::internal("Controle mislukt bij tabel " + table + ": " +
                                    std::to_string(source.rows()) + " rijen in SQLite, " +
                                    std::to_string(target.rows()) + " in PostgreSQL."));
    if (source.hex() != target.hex())
        return fail(Error::internal("Controle mislukt bij tabel " + table +
                                    ": de rijen in PostgreSQL wijken af van die in SQLite."));
    return {};
}

Result<std::vector<std::string>> order_by_foreign_keys(const std::vector<TableLinks>& tables) {
    std::vector<std::string> order;
    std::vector<bool> placed(tables.size(), false);
    const auto known = [&](const std::string& name) {
        return std::any_of(tables.begin(), tables.end(),
                           [&](const TableLinks& t) { return t.name == name; });
    };
    const auto is_placed = [&](const std::string& name) {
        return std::find(order.begin(), order.end(), name) != order.end();
    };
    while (order.size() < tables.size()) {
        bool progress = false;
        for (std::size_t i = 0; i < tables.size(); ++i) {
            if (placed[i])
                continue;
            const auto& t = tables[i];
            const bool ready =
                std::all_of(t.references.begin(), t.references.end(), [&](const std::string& r) {
                    return r == t.name || !known(r) || is_placed(r);
                });
            if (ready) {
                order.push_back(t.name);
                placed[i] = true;
                progress = true;
            }
        }
        if (!progress) {
            std::string names;
            for (std::size_t i = 0; i < tables.size(); ++i) {
                if (placed[i])
                    continue;
                if (!names.empty())
                    names.append(", ");
                names.append(tables[i].name);
            }
            return fail(Error::internal("Deze tabellen verwijzen in een kring naar elkaar, "
                                        "daarom is er geen volgorde om ze te kopiëren: " +
                                        names + "."));
        }
    }
    return order;
}

bool stays_behind(const std::string& name, const std::vector<std::string>& virtual_tables) {
    if (name.starts_with("sqlite_") || name == "schema_migrations")
        return true;
    return std::any_of(virtual_tables.begin(), virtual_tables.end(), [&](const std::string& v) {
        return name == v || name.starts_with(v + "_");
    });
}

std::set<std::string> tables_filled_by_migrations() {
    std::set<std::string> tables;
    for (const auto& m : migrations()) {
        for (const auto& statement : m.statements) {
            std::string s = engine_sql(statement, true);
            std::transform(s.begin(), s.end(), s.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            const auto start = s.find_first_not_of(" \t\r\n");
            if (start == std::string::npos || s.compare(start, 12, "insert into ") != 0)
                continue;
            const auto name_start = s.find_first_not_of(' ', start + 12);
            if (name_start == std::string::npos)
                continue;
            const auto name_end = s.find_first_of(" (", name_start);
            std::string name = s.substr(name_start, name_end - name_start);
            std::erase(name, '"');
            tables.insert(name);
        }
    }
    return tables;
}

std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (const char c : name) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        if (!out.empty())
            out.append(", ");
        out.append(quoted(name));
    }
    return out;
}

} // namespace gids::storage::copying
