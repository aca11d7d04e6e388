#include "cli/demo.hpp"

#include "storage/crypto.hpp"

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

Status create_demo(storage::Database& db) {
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
    return ensure_user(db, demo_coordinator, Role::coordinator, municipality_id, "Petra de Vries");
}

} // namespace gids::cli
