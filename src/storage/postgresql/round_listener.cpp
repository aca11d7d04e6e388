#include "storage/postgresql/round_listener.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <libpq-fe.h>
#include <memory>
#include <optional>
#include <poll.h>
#include <set>
#include <sys/eventfd.h>
#include <system_error>
#include <unistd.h>

namespace gids::storage {

namespace {

using Clock = std::chrono::steady_clock;

struct ConnectionCloser {
    void operator()(PGconn* c) const { PQfinish(c); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;

struct ResultClearer {
    void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultClearer>;

// LISTEN takes no bound values; the channel is a fixed name, checked against the one that
// storing an event notifies.
constexpr char listen_statement[] = "LISTEN gids_round_events";
static_assert(std::string_view(listen_statement).ends_with(round_events_channel));

// Without a reply from the server for a minute or so, TCP gives up on the connection and the
// listener connects again. The URL comes last, so that it may set these differently.
Connection open(const std::string& connect) {
    const char* keys[] = {
        "connect_timeout",  "keepalives",       "keepalives_idle", "keepalives_interval",
        "keepalives_count", "application_name", "dbname",          nullptr};
    const char* values[] = {"10", "1", "30", "10", "3", "gids-listener", connect.c_str(), nullptr};
    return Connection(PQconnectdbParams(keys, values, 1));
}

// libpq's messages span lines; a log line takes one.
std::string one_line(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const bool space = c == '\n' || c == '\t' || c == ' ';
        if (!space)
            out += c;
        else if (!out.empty() && out.back() != ' ')
            out += ' ';
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

std::string error_of(PGconn* conn) {
    return one_line(conn ? PQerrorMessage(conn) : "out of memory");
}

std::optional<long long> round_of(const char* payload) {
    const std::string_view text(payload ? payload : "");
    long long id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
        return std::nullopt;
    return id;
}

} // namespace

RoundListener::RoundListener(std::string connect, RoundListenerHandlers handlers)
    : m_connect(std::move(connect)), m_handlers(std::move(handlers)),
      m_wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (m_wake < 0)
        throw std::system_error(errno, std::generic_category(), "eventfd");
    m_thread = std::jthread([this](std::stop_token stop) {
        std::stop_callback wake(stop, [this] {
            const std::uint64_t one = 1;
            [[maybe_unused]] const auto written = ::write(m_wake, &one, sizeof one);
        });
        run(stop);
    });
}

RoundListener::~RoundListener() {
    m_thread.request_stop();
    if (m_thread.joinable())
        m_thread.join();
    ::close(m_wake);
}

bool RoundListener::wait(int socket, int ms, const std::stop_token& stop) {
    pollfd fds[2] = {{m_wake, POLLIN, 0}, {socket, POLLIN, 0}};
    const int n = ::poll(fds, socket >= 0 ? 2 : 1, ms);
    if (stop.stop_requested() || n <= 0 || socket < 0)
        return false;
    return (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

bool RoundListener::call(const std::function<void()>& handler) {
    try {
        handler();
        return true;
    } catch (const std::exception& e) {
        report(std::string("meeting events not handed on: ") + e.what());
    } catch (...) {
        report("meeting events not handed on");
    }
    return false;
}

void RoundListener::report(const std::string& message) {
    if (m_handlers.problem)
        m_handlers.problem(message);
}

void RoundListener::run(std::stop_token stop) {
    int pause_ms = 250;
    while (!stop.stop_requested()) {
        Connection conn = open(m_connect);
        bool listening = conn && PQstatus(conn.get()) == CONNECTION_OK;
        if (listening)
            // What the server says on its own (such as why it ends the connection) goes to
            // the log as a problem, not to standard error.
            PQsetNoticeProcessor(
                conn.get(),
                [](void* self, const char* message) {
                    static_cast<RoundListener*>(self)->report(one_line(message));
                },
                this);
        if (listening) {
            const Result r(PQexec(conn.get(), listen_statement));
            listening = PQresultStatus(r.get()) == PGRES_COMMAND_OK;
        }
        if (!listening) {
            report(std::string("cannot listen for meeting events: ") + error_of(conn.get()));
            conn.reset();
            wait(-1, pause_ms, stop);
            pause_ms = std::min(pause_ms * 2, 10'000);
            continue;
        }
        pause_ms = 250;
        // A handler that failed (say, the pool had no connection) is followed by a resync a
        // second later; meanwhile it covers every round, so single notifications wait for it.
        std::optional<Clock::time_point> resync_at;
        const auto attempt = [&](const std::function<void()>& handler) {
            if (!call(handler))
                resync_at = Clock::now() + std::chrono::seconds(1);
        };
        attempt(m_handlers.resync);
        const int socket = PQsocket(conn.get());
        while (!stop.stop_requested()) {
            int timeout_ms = 30'000;
            if (resync_at)
                timeout_ms = static_cast<int>(std::clamp<long long>(
                    std::chrono::duration_cast<std::chrono::milliseconds>(*resync_at - Clock::now())
                        .count(),
                    0, 1000));
            if (wait(socket, timeout_ms, stop)) {
                if (PQconsumeInput(conn.get()) == 0 || PQstatus(conn.get()) != CONNECTION_OK) {
                    report(std::string("lost the connection that listens for meeting events: ") +
                           error_of(conn.get()));
                    break;
                }
                std::set<long long> rounds;
                while (PGnotify* n = PQnotifies(conn.get())) {
                    if (auto id = round_of(n->extra))
                        rounds.insert(*id);
                    PQfreemem(n);
                }
                if (!rounds.empty() && !resync_at)
                    attempt([&] { m_handlers.changed({rounds.begin(), rounds.end()}); });
            }
            if (resync_at && Clock::now() >= *resync_at) {
                resync_at.reset();
                attempt(m_handlers.resync);
            }
        }
    }
}

} // namespace gids::storage
