#include "cli/demo.hpp"

#include "cli/demo_rounds.hpp"
#include "storage/crypto.hpp"

#include <filesystem>

namespace gids::cli {

namespace {

Status ensure_user(storage::Database& db, const DemoLogin& login, Role role,
                   std::optional<long long> municipality, const std::string& name) {
    if (db.find_user_by_email(login.email))
        return {};
    NewUser user{login.email, name, role, municipality};
    auto id = db.create_user(user, crypto::hash_password(login.password), storage::now_seconds());
    if (!id)
        return fail(id.error());
    return {};
}

} // namespace

std::string default_secret_file(const std::string& db_url) {
    if (db_url.starts_with("sqlite:"))
        return (std::filesystem::path(db_url.substr(7)).parent_path() / "gids-secret.key").string();
    return "var/gids-secret.key";
}

Status create_demo(storage::Database& db, const web::InstrumentLibrary& library,
                   const std::string& secret) {
    long long municipality_id = 0;
    if (auto m = db.find_municipality_by_name(demo_municipality)) {
        municipality_id = m->id;
    } else {
        auto id = db.create_municipality({demo_municipality, "GM9999", "Regio Voorbeeld"},
                                         storage::now_seconds());
        if (!id)
            return fail(id.error());
        municipality_id = *id;
        db.audit(std::nullopt, municipality_id, "gemeente_aangemaakt", demo_municipality,
                 storage::now_seconds());
    }
    if (auto ok = ensure_user(db, demo_admin, Role::admin, std::nullopt, "Beheerder Demo"); !ok)
        return ok;
    if (auto ok =
            ensure_user(db, demo_coordinator, Role::coordinator, municipality_id, "Petra de Vries");
        !ok)
        return ok;
    if (!db.list_assessments(municipality_id).empty())
        return {};
    auto tool = library.latest("gesprekstool-armoede-gezondheid");
    if (!tool)
        return {};
    auto coordinator = db.find_user_by_email(demo_coordinator.email);
    return create_demo_rounds(db, municipality_id, *tool, coordinator ? coordinator->id : 0,
                              secret);
}

} // namespace gids::cli
