// What `gids migrate --from` decides without PostgreSQL: the checksum that compares a table
// on both sides, the order of the tables, and which tables stay behind. The copy itself is
// tested against a real PostgreSQL in tests/http/pg_copy.test.mjs.
#include "storage/copy.hpp"
#include "storage/copy_source.hpp"
#include "storage/crypto.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace gids;
using namespace gids::storage::copying;

namespace {

std::string digest_of(const std::vector<std::vector<Cell>>& rows) {
    TableDigest digest;
    for (const auto& row : rows)
        digest.add_row(row);
    return digest.hex();
}

} // namespace

TEST(TableDigestTest, SameRowsGiveTheSameDigest) {
    ASSERT_TRUE(crypto::init());
    const std::vector<std::vector<Cell>> rows = {
        {1LL, std::string("Gemeente Alpha"), Cell{}},
        {2LL, std::string("Gemeente Bèta €"), 2.5},
    };
    EXPECT_EQ(digest_of(rows), digest_of(rows));
    EXPECT_EQ(digest_of(rows).size(), 64u);
}

TEST(TableDigestTest, TellsApartValuesThatLookAlike) {
    ASSERT_TRUE(crypto::init());
    const std::vector<std::pair<std::string, std::pair<std::vector<Cell>, std::vector<Cell>>>>
        cases = {
            {"NULL and empty text", {{Cell{}}, {std::string()}}},
            {"NULL and zero", {{Cell{}}, {0LL}}},
            {"a number and its text", {{1LL}, {std::string("1")}}},
            {"a whole and a floating number", {{1LL}, {1.0}}},
            {"text split differently",
             {{std::string("ab"), std::string("c")}, {std::string("a"), std::string("bc")}}},
            {"a zero byte and its end", {{std::string("A\0B", 3)}, {std::string("A")}}},
            {"zero and minus zero", {{0.0}, {-0.0}}},
        };
    for (const auto& [label, rows] : cases)
        EXPECT_NE(digest_of({rows.first}), digest_of({rows.second})) << label;
}

TEST(TableDigestTest, DependsOnTheOrderAndTheNumberOfRows) {
    ASSERT_TRUE(crypto::init());
    const std::vector<Cell> a = {1LL, std::string("a")};
    const std::vector<Cell> b = {2LL, std::string("b")};
    EXPECT_NE(digest_of({a, b}), digest_of({b, a}));
    EXPECT_NE(digest_of({a}), digest_of({a, a}));
    EXPECT_NE(digest_of({}), digest_of({{}})); // no rows, and one row without columns
}

TEST(TableDigestTest, SameRowsNamesTheTableAndTheCounts) {
    ASSERT_TRUE(crypto::init());
    TableDigest source;
    TableDigest target;
    source.add_row({1LL, std::string("x")});
    target.add_row({1LL, std::string("x")});
    EXPECT_TRUE(same_rows("users", source, target).has_value());

    source.add_row({2LL, std::string("y")});
    const auto fewer = same_rows("users", source, target);
    ASSERT_FALSE(fewer.has_value());
    EXPECT_EQ(fewer.error().message,
              "Controle mislukt bij tabel users: 2 rijen in SQLite, 1 in PostgreSQL.");

    target.add_row({2LL, std::string("z")});
    const auto other = same_rows("answers", source, target);
    ASSERT_FALSE(other.has_value());
    EXPECT_EQ(other.error().message,
              "Controle mislukt bij tabel answers: de rijen in PostgreSQL wijken af van die in "
              "SQLite.");
}

TEST(CopyOrderTest, PutsEveryTableAfterTheTablesItRefersTo) {
    const std::vector<TableLinks> tables = {
        {"actions", {"assessments", "municipalities", "actions"}},
        {"answers", {"participants"}},
        {"assessments", {"municipalities", "users", "assessments"}},
        {"municipalities", {}},
        {"participants", {"assessments"}},
        {"users", {"municipalities"}},
    };
    const auto order = order_by_foreign_keys(tables);
    ASSERT_TRUE(order.has_value());
    ASSERT_EQ(order->size(), tables.size());
    const auto at = [&](const std::string& name) {
        return std::find(order->begin(), order->end(), name) - order->begin();
    };
    for (const auto& t : tables)
        for (const auto& r : t.references)
            if (r != t.name) {
                EXPECT_LT(at(r), at(t.name)) << t.name << " refers to " << r;
            }
}

TEST(CopyOrderTest, IgnoresReferencesToTablesThatAreNotCopied) {
    const auto order = order_by_foreign_keys({{"examples", {"examples_fts"}}});
    ASSERT_TRUE(order.has_value());
    EXPECT_EQ(*order, std::vector<std::string>{"examples"});
}

TEST(CopyOrderTest, RefusesTablesThatReferToEachOtherInACircle) {
    const auto order = order_by_foreign_keys({{"a", {"b"}}, {"b", {"c"}}, {"c", {"a"}}, {"d", {}}});
    ASSERT_FALSE(order.has_value());
    EXPECT_NE(order.error().message.find("a, b, c"), std::string::npos) << order.error().message;
}

TEST(CopyTablesTest, LeavesSqliteOnlyTablesAndTheBookkeepingBehind) {
    const std::vector<std::string> virtual_tables = {"examples_fts"};
    for (const std::string name :
         {"sqlite_sequence", "sqlite_stat1", "sqlite_stat4", "examples_fts", "examples_fts_data",
          "examples_fts_idx", "examples_fts_config", "schema_migrations"})
        EXPECT_TRUE(stays_behind(name, virtual_tables)) << name;
    for (const std::string name : {"examples", "example_tags", "example_revision", "users"})
        EXPECT_FALSE(stays_behind(name, virtual_tables)) << name;
}

TEST(CopyTablesTest, KnowsTheTablesMigrationsFillThemselves) {
    EXPECT_EQ(tables_filled_by_migrations(), std::set<std::string>{"example_revision"});
}

TEST(CopyTablesTest, QuotesNames) {
    EXPECT_EQ(quoted("users"), "\"users\"");
    EXPECT_EQ(quoted("a\"b"), "\"a\"\"b\"");
}

// The tables of the real schema, as the copy finds them in a migrated SQLite file.
TEST(CopyTablesTest, FindsEveryTableOfTheSchemaInASqliteFile) {
    ASSERT_TRUE(crypto::init());
    const auto dir =
        std::filesystem::temp_directory_path() / ("gids-copy-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        auto db = storage::Database::open("sqlite:" + (dir / "gids.db").string(), 1);
        ASSERT_TRUE(db.has_value());
        ASSERT_TRUE((*db)->migrate().has_value());
    }
    auto file = storage::SourceFile::open(dir / "gids.db");
    ASSERT_TRUE(file.has_value());
    EXPECT_TRUE(file->check_version(storage::migrations().back().version).has_value());
    const auto tables = file->tables();
    ASSERT_TRUE(tables.has_value());
    std::vector<std::string> names;
    for (const auto& t : *tables)
        names.push_back(t.name);
    for (const std::string name : {"municipalities", "users", "assessments", "answers", "actions",
                                   "examples", "example_tags", "example_revision", "round_events"})
        EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
    for (const auto& name : names)
        EXPECT_FALSE(name.starts_with("examples_fts") || name.starts_with("sqlite_") ||
                     name == "schema_migrations")
            << name;
    const auto answers = std::find_if(tables->begin(), tables->end(),
                                      [](const auto& t) { return t.name == "answers"; });
    EXPECT_EQ(answers->key, (std::vector<std::string>{"participant_id", "item_id"}));
    EXPECT_EQ(answers->references, std::vector<std::string>{"participants"});
    std::filesystem::remove_all(dir);
}
