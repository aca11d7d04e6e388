#include "storage/crypto.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "test_database.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

using namespace gids;
using storage::Database;

namespace {

// A fresh database per test (a file, removed afterwards, or a PostgreSQL database).
class StorageTest : public ::testing::Test {
  protected:
    std::filesystem::path m_dir;
    std::string m_url;

    void SetUp() override {
        ASSERT_TRUE(crypto::init());
        m_dir = std::filesystem::temp_directory_path() /
                ("gids-storage-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
        m_url = gids::test_db::fresh_database_url(m_dir);
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }

    std::unique_ptr<Database> open_migrated() {
        auto db = Database::open(m_url, 2);
        EXPECT_TRUE(db.has_value());
        EXPECT_TRUE((*db)->migrate().has_value());
        return std::move(*db);
    }
};

} // namespace

TEST_F(StorageTest, MigratesAnEmptyDatabaseToTheLatestVersion) {
    auto db = open_migrated();
    EXPECT_EQ(db->schema_version(), db->latest_schema_version());
    EXPECT_TRUE(db->ping());
}

TEST_F(StorageTest, MigratingAnExistingDatabaseKeepsItsRows) {
    {
        auto db = open_migrated();
        ASSERT_TRUE(db->create_municipality({"Gemeente Alpha", "GM0001", ""}, 1).has_value());
    }
    auto db = open_migrated();
    EXPECT_EQ(db->schema_version(), db->latest_schema_version());
    ASSERT_EQ(db->list_municipalities().size(), 1u);
    EXPECT_EQ(db->list_municipalities()[0].name, "Gemeente Alpha");
}

TEST_F(StorageTest, RefusesUnknownDatabaseUrls) {
    auto db = Database::open("mysql://x", 1);
    ASSERT_FALSE(db.has_value());
    EXPECT_NE(db.error().message.find("sqlite:"), std::string::npos);
}

TEST_F(StorageTest, RefusesDuplicateMunicipalitiesAndEmails) {
    auto db = open_migrated();
    auto a = db->create_municipality({"Gemeente Alpha", "", ""}, 1);
    ASSERT_TRUE(a.has_value());
    auto again = db->create_municipality({"Gemeente Alpha", "", ""}, 1);
    ASSERT_FALSE(again.has_value());
    EXPECT_TRUE(again.error().fields.contains("name"));
    NewUser u{"a@alpha.nl", "A", Role::coordinator, *a};
    ASSERT_TRUE(db->create_user(u, "hash", 1).has_value());
    auto dup = db->create_user(u, "hash", 1);
    ASSERT_FALSE(dup.has_value());
    EXPECT_TRUE(dup.error().fields.contains("email"));
}

TEST_F(StorageTest, SessionsAreFoundByTheirHashAndEndWithTheUser) {
    auto db = open_migrated();
    auto m = db->create_municipality({"Gemeente Alpha", "", ""}, 1);
    auto u = db->create_user({"a@alpha.nl", "A", Role::coordinator, *m}, "hash", 1);
    ASSERT_TRUE(u.has_value());
    db->create_session("h1", *u, "csrf1", 100);
    auto s = db->find_session("h1");
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->user_id, *u);
    EXPECT_EQ(s->csrf, "csrf1");
    EXPECT_FALSE(db->find_session("h2").has_value());
    ASSERT_TRUE(db->set_user_disabled(*u, true).has_value());
    EXPECT_FALSE(db->find_session("h1").has_value());
}

TEST_F(StorageTest, CountsLoginFailuresWithinTheWindow) {
    auto db = open_migrated();
    for (int i = 0; i < 3; ++i)
        db->record_login_failure("a@alpha.nl", "10.0.0.1", 100 + i);
    db->record_login_failure("a@alpha.nl", "10.0.0.1", 10);
    EXPECT_EQ(db->count_login_failures_for_email("a@alpha.nl", 50), 3);
    EXPECT_EQ(db->count_login_failures_for_address("10.0.0.1", 0), 4);
    db->clear_login_failures("a@alpha.nl");
    EXPECT_EQ(db->count_login_failures_for_email("a@alpha.nl", 0), 0);
}

TEST_F(StorageTest, AuditLogFiltersByMunicipality) {
    auto db = open_migrated();
    auto a = db->create_municipality({"Gemeente Alpha", "", ""}, 1);
    auto b = db->create_municipality({"Gemeente Beta", "", ""}, 1);
    db->audit(std::nullopt, *a, "gemeente_aangemaakt", "Alpha", 1);
    db->audit(std::nullopt, *b, "gemeente_aangemaakt", "Beta", 2);
    EXPECT_EQ(db->count_audit(), 2);
    auto only_a = db->list_audit(10, 0, *a);
    ASSERT_EQ(only_a.size(), 1u);
    EXPECT_EQ(only_a[0].municipality_name, "Gemeente Alpha");
}

TEST_F(StorageTest, KeepsBinaryLogosIntact) {
    auto db = open_migrated();
    auto a = db->create_municipality({"Gemeente Alpha", "", ""}, 1);
    const std::string png("\x89PNG\r\n\x1a\n\0\x01\x02", 11);
    ASSERT_TRUE(db->set_logo(*a, {"image/png", png}).has_value());
    auto logo = db->logo(*a);
    ASSERT_TRUE(logo.has_value());
    EXPECT_EQ(logo->data, png);
    EXPECT_TRUE(db->find_municipality(*a)->has_logo);
}

TEST_F(StorageTest, BackupHoldsTheSameRows) {
    if (gids::test_db::on_postgresql())
        GTEST_SKIP() << "A PostgreSQL database is backed up with pg_dump (tests/http).";
    auto db = open_migrated();
    ASSERT_TRUE(db->create_municipality({"Gemeente Alpha", "", ""}, 1).has_value());
    const auto copy = m_dir / "kopie.db";
    ASSERT_TRUE(db->backup_to(copy).has_value());
    auto restored = Database::open("sqlite:" + copy.string(), 1);
    ASSERT_TRUE(restored.has_value());
    ASSERT_EQ((*restored)->list_municipalities().size(), 1u);
    EXPECT_EQ((*restored)->schema_version(), db->latest_schema_version());
}

TEST(MigrationsTest, FillInEngineSpecificWords) {
    EXPECT_EQ(storage::engine_sql("id {{pk}}", false), "id INTEGER PRIMARY KEY AUTOINCREMENT");
    EXPECT_EQ(storage::engine_sql("id {{pk}}", true), "id BIGSERIAL PRIMARY KEY");
}

TEST(MigrationsTest, VersionsAreIncreasing) {
    int last = 0;
    for (const auto& m : storage::migrations()) {
        EXPECT_GT(m.version, last) << m.name;
        last = m.version;
    }
}
