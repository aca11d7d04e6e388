#pragma once
// Municipalities (tenants), accounts and the rules on their input.

#include "domain/error.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace gids {

enum class Role { admin, coordinator };

std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view text);

struct Municipality {
    long long id = 0;
    std::string name;
    std::string cbs_code; // "GM0363"
    std::string region;
    bool has_logo = false;
    long long created_at = 0;
};

struct MunicipalityInput {
    std::string name;
    std::string cbs_code;
    std::string region;
};

struct User {
    long long id = 0;
    std::string email;
    std::string name;
    Role role = Role::coordinator;
    std::optional<long long> municipality_id;
    bool disabled = false;
    long long created_at = 0;
};

struct NewUser {
    std::string email;
    std::string name;
    Role role = Role::coordinator;
    std::optional<long long> municipality_id;
};

struct AuditEntry {
    long long id = 0;
    long long at = 0;
    std::optional<long long> user_id;
    std::string user_email;
    std::optional<long long> municipality_id;
    std::string municipality_name;
    std::string action;
    std::string detail;
};

// Trims and checks; the returned input is what gets stored.
Result<MunicipalityInput> validate_municipality(MunicipalityInput input);
Result<NewUser> validate_new_user(NewUser input);
std::string normalise_email(std::string_view email);
bool looks_like_email(std::string_view email);

// At least 12 characters, at most 256, not one of the most common passwords, not the e-mail
// address itself (OWASP ASVS 2.1).
Status check_new_password(std::string_view password, std::string_view email);

// The one place that decides whether a user may see a municipality's data. A coordinator of
// another municipality gets "not found", so that the existence of data does not leak.
Status check_tenant(const User& user, long long municipality_id);
Status require_admin(const User& user);

std::string trim_copy(std::string_view text);

} // namespace gids
