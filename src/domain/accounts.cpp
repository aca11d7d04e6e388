#include "domain/accounts.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace gids {

namespace {

// Passwords of 12 characters or more that top the published breach lists, plus the Dutch
// ones people reach for first. Shorter ones are refused by length already.
constexpr std::array<std::string_view, 60> common_passwords = {
    "123456789012",   "1234567890123",  "12345678901234",       "123456123456",   "111111111111",
    "000000000000",   "123123123123",   "abcdefghijkl",         "qwertyuiopas",   "qwertyuiop123",
    "qwertyuiopasdf", "1q2w3e4r5t6y",   "1qaz2wsx3edc",         "zaq12wsxcde3",   "password1234",
    "password12345",  "password123456", "passwordpassword",     "Password1234",   "Password123!",
    "Password1234!",  "iloveyou1234",   "welcome12345",         "welcome123456",  "letmein12345",
    "administrator",  "administrator1", "changeme1234",         "football1234",   "baseball1234",
    "sunshine1234",   "princess1234",   "starwars1234",         "computer1234",   "superman1234",
    "trustno11234",   "wachtwoord12",   "wachtwoord123",        "wachtwoord1234", "Wachtwoord123",
    "Wachtwoord123!", "Wachtwoord1234", "wachtwoordwachtwoord", "welkom123456",   "Welkom123456",
    "welkomwelkom",   "Welkom01welkom", "gemeente1234",         "Gemeente1234",   "gemeente12345",
    "Gemeente2026!",  "Gemeente2027!",  "zomer2026zomer",       "voorjaar2026",   "najaar202612",
    "amsterdam1234",  "rotterdam1234",  "nederland1234",        "Nederland123!",  "geheimgeheim",
};

bool valid_cbs_code(std::string_view code) {
    if (code.size() != 6 || code.substr(0, 2) != "GM")
        return false;
    return std::all_of(code.begin() + 2, code.end(),
                       [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::size_t utf8_length(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

std::string_view role_name(Role role) {
    return role == Role::admin ? "admin" : "coordinator";
}

std::optional<Role> parse_role(std::string_view text) {
    if (text == "admin")
        return Role::admin;
    if (text == "coordinator")
        return Role::coordinator;
    return std::nullopt;
}

std::string trim_copy(std::string_view text) {
    auto is_space = [](unsigned char c) { return std::isspace(c) != 0; };
    while (!text.empty() && is_space(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && is_space(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return std::string(text);
}

Result<MunicipalityInput> validate_municipality(MunicipalityInput input) {
    input.name = trim_copy(input.name);
    input.cbs_code = trim_copy(input.cbs_code);
    std::transform(input.cbs_code.begin(), input.cbs_code.end(), input.cbs_code.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    input.region = trim_copy(input.region);
    std::map<std::string, std::string> errors;
    if (input.name.empty())
        errors["name"] = "Vul de naam van de gemeente in.";
    else if (utf8_length(input.name) > 100)
        errors["name"] = "De naam mag hoogstens 100 tekens lang zijn.";
    if (!input.cbs_code.empty() && !valid_cbs_code(input.cbs_code))
        errors["cbs_code"] = "Een CBS-code is GM gevolgd door vier cijfers, bijvoorbeeld GM0363.";
    if (utf8_length(input.region) > 100)
        errors["region"] = "De regio mag hoogstens 100 tekens lang zijn.";
    if (!errors.empty())
        return fail(Error::invalid("Controleer de velden hieronder.", std::move(errors)));
    return input;
}

std::string normalise_email(std::string_view email) {
    return lower(trim_copy(email));
}

bool looks_like_email(std::string_view email) {
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= email.size())
        return false;
    if (email.find('@', at + 1) != std::string_view::npos)
        return false;
    const auto domain = email.substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size())
        return false;
    return std::none_of(email.begin(), email.end(), [](unsigned char c) {
        return std::isspace(c) != 0 || c < 0x20 || c == '<' || c == '>' || c == '"';
    });
}

Result<NewUser> validate_new_user(NewUser input) {
    input.email = normalise_email(input.email);
    input.name = trim_copy(input.name);
    std::map<std::string, std::string> errors;
    if (input.email.empty())
        errors["email"] = "Vul een e-mailadres in.";
    else if (input.email.size() > 254 || !looks_like_email(input.email))
        errors["email"] = "Dit is geen geldig e-mailadres. Voorbeeld: naam@gemeente.nl.";
    if (utf8_length(input.name) > 100)
        errors["name"] = "De naam mag hoogstens 100 tekens lang zijn.";
    if (input.role == Role::coordinator && !input.municipality_id)
        errors["municipality_id"] = "Kies de gemeente van deze coördinator.";
    if (!errors.empty())
        return fail(Error::invalid("Controleer de velden hieronder.", std::move(errors)));
    return input;
}

Status check_new_password(std::string_view password, std::string_view email) {
    auto refuse = [](std::string msg) { return fail(Error::invalid(msg, {{"password", msg}})); };
    if (utf8_length(password) < 12)
        return refuse("Kies een wachtwoord van minstens 12 tekens.");
    if (password.size() > 256)
        return refuse("Kies een wachtwoord van hoogstens 256 tekens.");
    const std::string lowered = lower(password);
    for (auto common : common_passwords)
        if (lower(common) == lowered)
            return refuse("Dit wachtwoord wordt veel gebruikt en is makkelijk te raden. Kies "
                          "een ander wachtwoord.");
    if (!email.empty() && lowered == normalise_email(email))
        return refuse("Gebruik niet uw e-mailadres als wachtwoord.");
    return {};
}

Status check_tenant(const User& user, long long municipality_id) {
    if (user.role == Role::admin)
        return {};
    if (user.municipality_id && *user.municipality_id == municipality_id)
        return {};
    return fail(Error::not_found());
}

Status require_admin(const User& user) {
    if (user.role == Role::admin)
        return {};
    return fail(Error::forbidden("Deze pagina is alleen voor beheerders."));
}

} // namespace gids
