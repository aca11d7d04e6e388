#pragma once
// The application: one route table, the request pipeline (session, CSRF, tenant, security
// headers, metrics, log line) and the services handlers need.

#include "domain/accounts.hpp"
#include "storage/database.hpp"
#include "web/event_hub.hpp"
#include "web/http.hpp"
#include "web/instrument_library.hpp"
#include "web/live_events.hpp"
#include "web/metrics.hpp"
#include "web/page_cache.hpp"
#include "web/templates.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace gids::web {

struct AppOptions {
    std::filesystem::path root = "."; // holds templates/, locales/, assets/, node_modules/
    bool secure_cookies = false;
    long session_idle_seconds = 30 * 60;
    long session_max_seconds = 12 * 60 * 60;
    int login_max_failures = 5;
    std::string secret;     // server secret for invitation links (see crypto::derive_token)
    std::string public_url; // e.g. https://gids.gemeente.nl; else taken from the Host header
    std::size_t max_streams = 2000; // live streams; beyond this, screens poll
    long login_window_seconds = 15 * 60;
    // Addresses of reverse proxies (nginx) in front of GIDS. A request from one of them is
    // counted, for the login limits, as coming from the last address in X-Forwarded-For,
    // which the proxy sets; from anyone else that header is ignored.
    std::vector<std::string> trusted_proxies;
};

class App;

// Everything a handler gets: the request, who is asking, and the decoded form.
struct Context {
    Context(Request& r, App& a) : request(r), app(a) {}
    Request& request;
    App& app;
    std::string lang = "nl";
    std::optional<User> user;
    std::optional<Municipality> municipality; // the user's own municipality
    std::string session_hash;
    std::string csrf;
    Fields form;
    std::map<std::string, UploadedFile> files;
    std::vector<std::string> cookies; // Set-Cookie values to add
    std::string flash;                // key of a message shown once
    int refresh_seconds = 0;          // pages that follow a meeting without JavaScript

    std::string t(const std::string& key) const;
    // The page data every layout needs, plus `page`.
    Data base_data(const std::string& title) const;
};

// `api`: JSON API routes, which authenticate by header (personal API token or invitation
// token) instead of a session cookie, and so need no CSRF token.
enum class Access { anyone, user, admin, api };

using Handler = std::function<Response(Context&)>;

struct Route {
    std::string method;
    std::string pattern; // "/beheer/gemeenten/{id}"
    Access access;
    Handler handler;
    std::vector<std::string> segments;
};

class App {
  public:
    App(AppOptions options, storage::Database& db, InstrumentLibrary& library, Templates templates);

    Response handle(Request& request);
    Response error_page(unsigned status, const Request* request);

    storage::Database& db() { return m_db; }
    InstrumentLibrary& library() { return m_library; }
    const Templates& templates() const { return m_templates; }
    const AppOptions& options() const { return m_options; }
    Metrics& metrics() { return m_metrics; }
    PageCache& page_cache() { return m_page_cache; }
    EventHub& events() { return m_live.hub(); }
    // Stores a meeting event and hands it to every screen that follows the round, on every
    // instance, in the order of the events' numbers (see live_events.hpp).
    MeetingEvent publish(long long round_id, MeetingEventKind kind, const std::string& payload);
    // The same for an event that `store` writes (with other changes in its transaction).
    MeetingEvent publish_stored(const std::function<MeetingEvent()>& store);
    // Saves a participant's answers (item id, stored value); in a meeting round each one is
    // also an event for the screens. Every way of answering (pages, autosave, live, JSON
    // API) goes through here.
    void save_answers(const Assessment& round, long long participant_id,
                      const std::vector<std::pair<std::string, std::string>>& answers);
    // Adds a screen: sends it the events after `after_id`, then every new one, with nothing
    // lost or doubled in between.
    void follow(long long round_id, long long after_id, std::shared_ptr<StreamSink> sink);
    // Stops the threads that write to live streams. Called once the server has stopped and
    // before its connections are gone.
    void stop();

    // Renders a page inside the layout.
    Response page(Context& ctx, const std::string& name, const std::string& title, Data data,
                  unsigned status = 200);
    // The inner page rendered on its own (for caching), and a page around rendered content.
    std::string render_content(Context& ctx, const std::string& name, const std::string& title,
                               Data data);
    Response page_with_content(Context& ctx, const std::string& title, std::string content,
                               unsigned status = 200);
    Response error_for(Context& ctx, const Error& error);
    Response render_error(Context& ctx, unsigned status, const std::string& message = {});
    // A participant's invitation token and its link; the database keeps only the hash.
    std::string invitation_token(long long participant_id, int generation) const;
    std::string invitation_url(const Context& ctx, const std::string& token) const;
    std::string base_url(const Context& ctx) const;
    // For forms shown without a session (login, participants, joining a meeting): the CSRF
    // token is paired with a cookie of its own (double submit). Sets ctx.csrf.
    void anonymous_form_token(Context& ctx);
    // Starts a session for a user who just proved who they are.
    void start_session(Context& ctx, const User& user);
    void end_session(Context& ctx);
    void set_flash(Context& ctx, const std::string& key);

    void add(std::string method, std::string pattern, Access access, Handler handler);

    ~App();

  private:
    AppOptions m_options;
    storage::Database& m_db;
    InstrumentLibrary& m_library;
    Templates m_templates;
    Metrics m_metrics;
    PageCache m_page_cache;
    LiveEvents m_live;
    std::jthread m_pinger; // keeps live streams alive and notices closed ones
    std::vector<Route> m_routes;
    struct StaticFile {
        std::string content_type;
        std::string body;
        std::string etag;
    };
    std::map<std::string, StaticFile> m_static;

    void load_static();
    static std::string storage_hash_prefix(const std::string& body);
    Response dispatch(Context& ctx, std::string& route_name);
    void load_session(Context& ctx);
    bool check_csrf(Context& ctx);
    void add_security_headers(Response& r) const;
    void take_forwarded_address(Request& request) const;
};

// Route registration, one function per handler file.
void register_system_routes(App& app);
void register_auth_routes(App& app);
void register_admin_routes(App& app);
void register_dashboard_routes(App& app);
void register_instrument_routes(App& app);
void register_round_routes(App& app);
void register_participation_routes(App& app);
void register_action_routes(App& app);
void register_results_routes(App& app);
void register_export_routes(App& app);
void register_api_routes(App& app);
void register_meeting_routes(App& app);
void register_inspiration_routes(App& app);

// Helpers shared by handlers.
Data field_errors(const std::map<std::string, std::string>& errors);
std::string format_time(long long unix_seconds);
std::optional<long long> parse_id(const std::string& text);
std::string today(); // YYYY-MM-DD, local time

} // namespace gids::web
