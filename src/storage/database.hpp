#pragma once
// The storage layer: a pool of SOCI sessions on SQLite or PostgreSQL. All SQL of GIDS
// lives under src/storage/, every value bound, never glued into the statement.

#include "domain/accounts.hpp"
#include "domain/assessment.hpp"
#include "domain/error.hpp"
#include "domain/example.hpp"
#include "domain/meeting.hpp"
#include "storage/statements.hpp"

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class connection_pool;
class session;
} // namespace soci

namespace gids::storage {

enum class Engine { sqlite, postgresql };

class RoundListener; // postgresql/round_listener.hpp
struct RoundListenerHandlers;

struct SessionRecord {
    long long user_id = 0;
    std::string csrf;
    long long created_at = 0;
    long long last_seen_at = 0;
};

struct StoredInstrument {
    long long id = 0;
    std::string key;
    int version = 0;
    std::string title;
    std::string source_text; // the YAML as uploaded or read from instruments/
    std::string origin;      // "builtin" or "upload"
    std::string uploaded_by; // e-mail, empty for built-ins
    long long created_at = 0;
};

struct Logo {
    std::string content_type;
    std::string data;
};

// Practice examples (inspiration), see examples_store.cpp.
struct StoredExample {
    long long id = 0;
    Example example;
    ExampleOrigin origin = ExampleOrigin::source;
    ExampleStatus status = ExampleStatus::submitted;
    std::string reject_reason;
    std::optional<long long> submitted_by;
    std::optional<long long> municipality_id; // of a submission
    long long created_at = 0;
    long long updated_at = 0;
    std::optional<long long> published_at;
};

// An empty value means "any".
struct ExampleFilters {
    std::string theme;        // A-F
    std::string track;        // a track id
    std::string principle;    // 1-9
    std::string municipality; // as stored
    std::string target_group; // as stored
    bool any() const {
        return !theme.empty() || !track.empty() || !principle.empty() || !municipality.empty() ||
               !target_group.empty();
    }
};

inline constexpr std::size_t max_search_words = 12;

struct ExampleQuery {
    std::string text; // as typed: any text at all is a valid query
    ExampleFilters filters;
    bool any_word = false; // one of the words suffices; else all must occur
    long long limit = 20;
    long long offset = 0;
};

// In marked texts every matched word stands between these two characters, which no stored
// text contains (see without_control_characters).
inline constexpr char match_open = '\x01';
inline constexpr char match_close = '\x02';

struct ExampleHit {
    // A search hit holds only what a list shows (no summary, no lists but the themes);
    // browsing gives whole examples.
    StoredExample stored;
    std::string title_marked; // empty when browsing
    std::string snippet_marked;
    std::string municipality_marked;
    std::string organisations_marked;
};

struct ExampleResults {
    std::vector<std::string> words; // the words searched for, folded; empty when browsing
    std::vector<ExampleHit> hits;
    long long total = 0;
};

struct ExampleFacet {
    std::string value;
    long long count = 0;
};

struct ExampleFacets {
    std::vector<ExampleFacet> municipalities;
    std::vector<ExampleFacet> target_groups;
};

struct ContentReport {
    int added = 0;
    int updated = 0;
    int removed = 0;
    int unchanged = 0;
};

class Database;

// A pooled connection, held for the length of one unit of work.
class Lease {
  public:
    explicit Lease(Database& db);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    soci::session& operator*() { return *m_session; }
    soci::session* operator->() { return m_session; }

    // Runs a query through this connection's prepared statements; calls `on_row` per row.
    template <typename F>
    void each(const std::string& query, const std::vector<Param>& params, F&& on_row) {
        auto& st = statement(query, params, true);
        try {
            st.execute(params);
            while (st.fetch())
                on_row(st.row());
        } catch (...) {
            forget(query);
            throw;
        }
    }
    // Runs a statement that returns no rows.
    void exec(const std::string& query, const std::vector<Param>& params);
    bool on_postgresql() const;

  private:
    Database& m_db;
    std::size_t m_position;
    soci::session* m_session;
    CachedStatement& statement(const std::string& query, const std::vector<Param>& params,
                               bool returns_rows);
    void forget(const std::string& query);
};

// A write transaction: BEGIN IMMEDIATE on SQLite so that two writers never deadlock on
// an upgrade; rolled back by the destructor unless committed.
class Transaction {
  public:
    Transaction(soci::session& sql, Engine engine);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

  private:
    soci::session& m_sql;
    bool m_done = false;
};

// While held, other instances on the same PostgreSQL database wait before they set up what
// they share: the built-in instruments and the practice examples. Instances that start at
// the same moment (several units at boot, or after an upgrade) take turns instead of
// inserting the same rows twice. On SQLite it holds nothing: its writers take turns anyway.
class SetupLock {
  public:
    explicit SetupLock(std::unique_ptr<soci::session> session);
    ~SetupLock();
    SetupLock(const SetupLock&) = delete;
    SetupLock& operator=(const SetupLock&) = delete;

  private:
    std::unique_ptr<soci::session> m_session; // its own connection, not one of the pool
};

class Database {
  public:
    // url: "sqlite:PATH" or "postgresql://...". Opens the pool; does not migrate.
    static Result<std::unique_ptr<Database>> open(const std::string& url,
                                                  std::size_t pool_size = 8);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Engine engine() const { return m_engine; }
    const std::string& url() const { return m_url; }
    std::size_t pool_size() const { return m_pool_size; }
    std::size_t pool_in_use() const { return m_in_use.load(); }

    // Brings the schema up to date; on PostgreSQL one instance at a time.
    Status migrate();
    // See SetupLock. Throws when the database cannot be reached.
    SetupLock setup_lock();
    int schema_version();
    int latest_schema_version() const;
    bool ping();

    // The fingerprint of the server secret that invitation links are made with. The first
    // server to start stores it; `replace` stores this one instead.
    enum class SecretCheck { stored, same, different };
    SecretCheck check_secret_fingerprint(const std::string& fingerprint, bool replace);
    Status backup_to(const std::filesystem::path& target);

    // Municipalities
    Result<long long> create_municipality(const MunicipalityInput& input, long long now);
    Status update_municipality(long long id, const MunicipalityInput& input);
    std::vector<Municipality> list_municipalities();
    std::optional<Municipality> find_municipality(long long id);
    std::optional<Municipality> find_municipality_by_name(const std::string& name);
    Status set_logo(long long municipality_id, const Logo& logo);
    std::optional<Logo> logo(long long municipality_id);

    // Users
    Result<long long> create_user(const NewUser& user, const std::string& password_hash,
                                  long long now);
    std::optional<User> find_user(long long id);
    std::optional<User> find_user_by_email(const std::string& email);
    std::string password_hash(long long user_id);
    std::vector<User> list_users();
    std::vector<User> users_of_municipality(long long municipality_id);
    Status set_user_disabled(long long user_id, bool disabled);
    Status set_password_hash(long long user_id, const std::string& hash);

    // Sessions (the id is stored hashed)
    void create_session(const std::string& id_hash, long long user_id, const std::string& csrf,
                        long long now);
    std::optional<SessionRecord> find_session(const std::string& id_hash);
    // The session with its user and the user's municipality, in one query: every page needs
    // all three.
    struct SessionUser {
        SessionRecord session;
        User user;
        std::optional<Municipality> municipality;
    };
    std::optional<SessionUser> find_session_user(const std::string& id_hash);
    void touch_session(const std::string& id_hash, long long now);
    void delete_session(const std::string& id_hash);
    void delete_user_sessions(long long user_id);
    void delete_expired_sessions(long long idle_before, long long created_before);

    // Login throttling, shared by all instances because it lives in the database.
    void record_login_failure(const std::string& email, const std::string& address, long long now);
    int count_login_failures_for_email(const std::string& email, long long since);
    int count_login_failures_for_address(const std::string& address, long long since);
    void clear_login_failures(const std::string& email);

    // Audit log
    void audit(std::optional<long long> user_id, std::optional<long long> municipality_id,
               const std::string& action, const std::string& detail, long long now);
    std::vector<AuditEntry> list_audit(int limit, int offset,
                                       std::optional<long long> municipality_id = std::nullopt);
    int count_audit(std::optional<long long> municipality_id = std::nullopt);

    // Instrument library: every version ever stored stays, so old rounds keep theirs.
    std::vector<StoredInstrument> list_instruments();
    std::optional<StoredInstrument> find_instrument(const std::string& key, int version);
    long long count_instruments();
    Result<long long> insert_instrument(const StoredInstrument& instrument,
                                        std::optional<long long> uploaded_by, long long now);

    // Rounds. `token_hash_for(participant id, generation)` gives the hash of each new
    // participant's invitation token; the token itself is never stored.
    Result<long long>
    create_assessment(long long municipality_id, const NewAssessment& input, int instrument_version,
                      std::optional<long long> previous_id, long long user_id, long long now,
                      const std::function<std::string(long long, int)>& token_hash_for);
    std::vector<Assessment> list_assessments(long long municipality_id);
    std::optional<Assessment> find_assessment(long long id);
    // Changes whenever the results of the round change (answers, submissions, agreements).
    long long round_revision(long long assessment_id);
    Status set_assessment_open(long long id, bool open, long long now);
    std::vector<Participant> participants_of(long long assessment_id);
    std::optional<Participant> find_participant(long long id);
    std::optional<Participant> find_participant_by_token(const std::string& token_hash);
    // Revokes (hash empty) or replaces a participant's token.
    void set_participant_token(long long participant_id, int generation,
                               const std::string& token_hash);

    // Answers, stored as the text of serialize_answer; an empty value deletes the answer.
    void save_answers(long long participant_id,
                      const std::vector<std::pair<std::string, std::string>>& item_values,
                      long long now);
    std::map<std::string, std::string> answers_of(long long participant_id);
    // participant id -> item id -> stored value
    std::map<long long, std::map<std::string, std::string>>
    answers_of_assessment(long long assessment_id);
    void submit_participant(long long participant_id, long long now);
    // Marks a participant as joined (started) without an answer, e.g. when they open a meeting.
    // Returns whether this call was the one that marked it.
    bool mark_started(long long participant_id, long long now);

    // Live meetings: what is open now, and the numbered events screens catch up from.
    LiveState live_state(long long assessment_id);
    // Stores the new state and its event in one transaction; returns the event.
    MeetingEvent set_live_state(long long assessment_id, const LiveState& state,
                                MeetingEventKind kind, long long now);
    MeetingEvent append_event(long long assessment_id, MeetingEventKind kind,
                              const std::string& payload, long long now);
    std::vector<MeetingEvent> events_after(long long assessment_id, long long after_id, int limit);
    long long last_event_id(long long assessment_id);
    // On PostgreSQL, where other instances store events too: a listener that says which
    // rounds have new events, from whichever instance. Null on SQLite, where this process is
    // the only one that stores events.
    std::unique_ptr<RoundListener> listen_for_round_events(RoundListenerHandlers handlers);

    // Agreed (consensus) scores of a meeting
    void set_agreed(long long assessment_id, const std::string& item_id, std::optional<int> score,
                    const std::string& note, long long now);
    std::map<std::string, std::pair<std::optional<int>, std::string>>
    agreed_of(long long assessment_id);

    // Actions
    Result<long long> create_action(long long municipality_id, std::optional<long long> assessment,
                                    const ActionInput& input, std::optional<long long> carried_from,
                                    std::optional<long long> user_id, long long now);
    Status update_action(const Action& before, const ActionInput& input, long long user_id,
                         long long now);
    std::optional<Action> find_action(long long id);
    std::vector<Action> actions_of_assessment(long long assessment_id);
    std::vector<Action> open_actions_of_municipality(long long municipality_id);
    struct HistoryLine {
        long long at = 0;
        std::string user;
        std::string change;
    };
    std::vector<HistoryLine> action_history(long long action_id);

    // Personal API tokens (stored hashed)
    void create_api_token(long long user_id, const std::string& token_hash, long long now);
    std::optional<User> find_user_by_api_token(const std::string& token_hash);

    // Practice examples. The built-in ones (origin "bron") are replaced as a whole by those
    // of content/examples; a coordinator's submission waits for an administrator. Search
    // covers published examples only, with the Dutch stemmer, ranked by bm25.
    Result<ContentReport> replace_source_examples(const std::vector<Example>& examples,
                                                  long long now);
    // Benchmark data (`gids content generate`): replaces the generated examples.
    long long add_generated_examples(const std::vector<Example>& examples, long long now);
    Result<StoredExample> submit_example(Example example, long long municipality_id,
                                         long long user_id, long long now);
    std::optional<StoredExample> find_example(const std::string& slug);
    std::optional<StoredExample> find_example_by_id(long long id);
    ExampleResults search_examples(const ExampleQuery& query);
    ExampleFacets example_facets();
    // Changes with every write that shows in search, suggestions or their filters.
    long long example_revision();
    // Published examples with a tag: kind "thema", "spoor", "principe" or "doelgroep".
    std::vector<StoredExample> published_examples_tagged(const std::string& kind,
                                                         const std::string& value, long long limit);
    std::vector<StoredExample> examples_for_moderation(); // submissions, waiting ones first
    std::vector<StoredExample> examples_of_municipality(long long municipality_id);
    Status publish_example(long long id, long long now);
    Status reject_example(long long id, const std::string& reason, long long now);

  private:
    friend class Lease;
    Database(Engine engine, std::string url, std::string connect, std::size_t pool_size);
    Engine m_engine;
    std::string m_url;
    std::string m_connect;
    std::size_t m_pool_size;
    std::unique_ptr<soci::connection_pool> m_pool;
    std::vector<StatementCache> m_statements; // one per pooled connection
    std::atomic<std::size_t> m_in_use{0};
};

long long now_seconds();

// Registers the FTS5 tokenizer "dutch" (dutch_stem.hpp) on an SQLite connection.
void register_dutch_tokenizer(soci::session& session);

} // namespace gids::storage
