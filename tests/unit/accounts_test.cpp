#include "domain/accounts.hpp"

#include <gtest/gtest.h>

using namespace gids;

TEST(PasswordPolicyTest, RefusesShortCommonAndEmailPasswords) {
    struct Case {
        const char* password;
        bool ok;
    };
    const Case cases[] = {
        {"kort", false},          {"elf tekens!", false},
        {"wachtwoord123", false}, {"WACHTWOORD123", false},
        {"password1234", false},  {"petra@alpha.gids.nl", false},
        {"twaalf tekens", true},  {"paarse fiets op het dak", true},
        {"ëëëëëëëëëëëë", true}, // 12 characters, 24 bytes
    };
    for (const auto& c : cases) {
        auto result = check_new_password(c.password, "petra@alpha.gids.nl");
        EXPECT_EQ(result.has_value(), c.ok) << "password: " << c.password;
        if (!result) {
            EXPECT_FALSE(result.error().fields.at("password").empty()) << c.password;
        }
    }
}

TEST(PasswordPolicyTest, CountsCharactersNotBytes) {
    EXPECT_FALSE(check_new_password("ëëëëëëëëëëë", "").has_value()); // 11 characters
}

TEST(MunicipalityValidationTest, TrimsAndNormalisesInput) {
    auto m = validate_municipality({"  Gemeente Alpha ", "gm0363", " Regio Noord "});
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->name, "Gemeente Alpha");
    EXPECT_EQ(m->cbs_code, "GM0363");
    EXPECT_EQ(m->region, "Regio Noord");
}

TEST(MunicipalityValidationTest, GivesDutchMessagesPerField) {
    auto m = validate_municipality({"", "XX12", std::string(101, 'r')});
    ASSERT_FALSE(m.has_value());
    EXPECT_EQ(m.error().fields.at("name"), "Vul de naam van de gemeente in.");
    EXPECT_TRUE(m.error().fields.contains("cbs_code"));
    EXPECT_TRUE(m.error().fields.contains("region"));
}

TEST(UserValidationTest, RequiresAValidEmailAndAMunicipalityForCoordinators) {
    auto u = validate_new_user({" Petra@Alpha.GIDS.nl ", "Petra", Role::coordinator, 3});
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->email, "petra@alpha.gids.nl");
    for (const char* bad : {"", "petra", "petra@", "@alpha.nl", "pe tra@alpha.nl", "a@b@c.nl"}) {
        auto r = validate_new_user({bad, "", Role::coordinator, 3});
        EXPECT_FALSE(r.has_value()) << "email: " << bad;
    }
    auto none = validate_new_user({"x@y.nl", "", Role::coordinator, std::nullopt});
    ASSERT_FALSE(none.has_value());
    EXPECT_TRUE(none.error().fields.contains("municipality_id"));
}

TEST(TenantTest, CoordinatorsSeeOnlyTheirOwnMunicipality) {
    User coordinator;
    coordinator.role = Role::coordinator;
    coordinator.municipality_id = 7;
    EXPECT_TRUE(check_tenant(coordinator, 7).has_value());
    auto other = check_tenant(coordinator, 8);
    ASSERT_FALSE(other.has_value());
    EXPECT_EQ(other.error().kind, ErrorKind::not_found);
}

TEST(TenantTest, CoordinatorWithoutMunicipalitySeesNothing) {
    User coordinator;
    coordinator.role = Role::coordinator;
    EXPECT_FALSE(check_tenant(coordinator, 1).has_value());
}

TEST(TenantTest, AdministratorsSeeEveryMunicipality) {
    User admin;
    admin.role = Role::admin;
    EXPECT_TRUE(check_tenant(admin, 1).has_value());
    EXPECT_TRUE(check_tenant(admin, 99).has_value());
    EXPECT_TRUE(require_admin(admin).has_value());
}

TEST(TenantTest, CoordinatorsAreNoAdministrators) {
    User coordinator;
    coordinator.role = Role::coordinator;
    auto r = require_admin(coordinator);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, ErrorKind::forbidden);
}
