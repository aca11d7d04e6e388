// Logging in and out, and changing one's own password.
#include "storage/crypto.hpp"
#include "web/app.hpp"

namespace gids::web {

namespace {

std::string return_path(const std::string& path) {
    return is_safe_local_path(path) ? path : "/dashboard";
}

Response login_page(Context& ctx, const std::string& email, const std::string& error,
                    unsigned status = 200) {
    // Before login the CSRF token lives in its own cookie (double submit).
    ctx.app.anonymous_form_token(ctx);
    Data d;
    d.set("email", email);
    d.set("terug", ctx.request.query.get("terug").empty() ? ctx.form.get("terug")
                                                          : ctx.request.query.get("terug"));
    if (!error.empty())
        d.set("error", error);
    return ctx.app.page(ctx, "auth/login", ctx.t("login_title"), d, status);
}

} // namespace

void register_auth_routes(App& app) {
    app.add("GET", "/inloggen", Access::anyone, [](Context& ctx) {
        if (ctx.user)
            return Response::redirect("/dashboard");
        return login_page(ctx, "", "");
    });

    app.add("POST", "/inloggen", Access::anyone, [](Context& ctx) {
        auto& db = ctx.app.db();
        const auto& opts = ctx.app.options();
        const std::string email = normalise_email(ctx.form.get("email"));
        const std::string password = ctx.form.get("password");
        const std::string address = ctx.request.remote_address;
        const long long now = storage::now_seconds();
        const long long since = now - opts.login_window_seconds;
        if (email.size() > 254 || password.size() > 1024)
            return login_page(ctx, "", ctx.t("login_failed"), 400);
        if (db.count_login_failures_for_email(email, since) >= opts.login_max_failures ||
            db.count_login_failures_for_address(address, since) >= opts.login_max_failures)
            return login_page(ctx, email, ctx.t("login_throttled"), 429);
        auto user = db.find_user_by_email(email);
        // Verify against a hash even for unknown accounts, so timing does not tell who exists.
        static const std::string dummy = crypto::hash_password("gids-dummy-password");
        const std::string hash = user ? db.password_hash(user->id) : dummy;
        const bool ok = crypto::verify_password(hash, password) && user && !user->disabled;
        if (!ok) {
            db.record_login_failure(email, address, now);
            db.audit(user ? std::optional(user->id) : std::nullopt,
                     user ? user->municipality_id : std::nullopt, "inloggen_mislukt", email, now);
            return login_page(ctx, email, ctx.t("login_failed"), 401);
        }
        db.clear_login_failures(email);
        ctx.app.start_session(ctx, *user);
        db.audit(user->id, user->municipality_id, "ingelogd", "", now);
        return Response::redirect(return_path(ctx.form.get("terug")));
    });

    app.add("POST", "/uitloggen", Access::user, [](Context& ctx) {
        ctx.app.db().audit(ctx.user->id, ctx.user->municipality_id, "uitgelogd", "",
                           storage::now_seconds());
        ctx.app.end_session(ctx);
        ctx.app.set_flash(ctx, "logged_out");
        return Response::redirect("/inloggen");
    });

    app.add("GET", "/account/wachtwoord", Access::user, [](Context& ctx) {
        return ctx.app.page(ctx, "auth/password", ctx.t("password_title"), Data{});
    });

    app.add("POST", "/account/wachtwoord", Access::user, [](Context& ctx) {
        auto& db = ctx.app.db();
        const std::string current = ctx.form.get("current");
        const std::string next = ctx.form.get("password");
        const std::string repeat = ctx.form.get("repeat");
        std::map<std::string, std::string> errors;
        if (!crypto::verify_password(db.password_hash(ctx.user->id), current))
            errors["current"] = ctx.t("password_current_wrong");
        if (auto ok = check_new_password(next, ctx.user->email); !ok)
            errors["password"] = ok.error().fields.at("password");
        else if (next != repeat)
            errors["repeat"] = ctx.t("password_repeat_wrong");
        if (!errors.empty()) {
            Data d;
            d.set("errors", field_errors(errors));
            d.set("has_errors", true);
            return ctx.app.page(ctx, "auth/password", ctx.t("password_title"), d, 422);
        }
        (void)db.set_password_hash(ctx.user->id, crypto::hash_password(next));
        // Other sessions of this account end; this one continues with a fresh id.
        db.delete_user_sessions(ctx.user->id);
        ctx.session_hash.clear();
        ctx.app.start_session(ctx, *ctx.user);
        db.audit(ctx.user->id, ctx.user->municipality_id, "wachtwoord_gewijzigd", "",
                 storage::now_seconds());
        ctx.app.set_flash(ctx, "password_changed");
        return Response::redirect("/dashboard");
    });
}

} // namespace gids::web
