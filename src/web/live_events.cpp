#include "web/live_events.hpp"

#include "storage/postgresql/round_listener.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace gids::web {

namespace {

constexpr int catch_up_limit = 100000;
constexpr std::size_t batch_size = 500;

} // namespace

LiveEvents::LiveEvents(storage::Database& db) : m_db(db) {
    storage::RoundListenerHandlers handlers;
    handlers.changed = [this](const std::vector<long long>& rounds) { hand_out(rounds); };
    handlers.resync = [this] { hand_out_all(); };
    handlers.problem = [](const std::string& message) { spdlog::warn("{}", message); };
    m_listener = m_db.listen_for_round_events(std::move(handlers));
    m_notified = m_listener != nullptr;
}

LiveEvents::~LiveEvents() {
    stop();
}

void LiveEvents::stop() {
    m_listener.reset(); // waits for a hand-out in progress
    std::lock_guard lock(m_mutex);
    m_stopped = true;
}

MeetingEvent LiveEvents::publish_stored(const std::function<MeetingEvent()>& store) {
    // The listener hands it out, here as on every other instance.
    if (m_notified)
        return store();
    std::lock_guard lock(m_mutex);
    auto event = store();
    if (!m_stopped)
        m_hub.publish(event);
    return event;
}

void LiveEvents::follow(long long round_id, long long after_id, std::shared_ptr<StreamSink> sink) {
    std::lock_guard lock(m_mutex);
    try {
        // Read before the catch-up. On PostgreSQL an event may commit between the two reads:
        // the catch-up then sends it, and the hub, told what this stream has seen, keeps the
        // listener from sending it again.
        const long long known = m_db.last_event_id(round_id);
        long long seen = known;
        for (const auto& e : m_db.events_after(round_id, after_id, catch_up_limit)) {
            sink->send(sse_format(e));
            seen = std::max(seen, e.id);
        }
        if (m_notified)
            m_handed_out.try_emplace(round_id, known);
        m_hub.subscribe(round_id, std::move(sink), seen);
    } catch (const std::exception& e) {
        // The screen keeps its connection without news; it polls again when it reloads.
        spdlog::error("meeting stream of round {} could not start: {}", round_id, e.what());
    }
}

void LiveEvents::hand_out(const std::vector<long long>& rounds) {
    std::lock_guard lock(m_mutex);
    if (m_stopped)
        return;
    for (const long long round : rounds) {
        auto it = m_handed_out.find(round);
        if (it == m_handed_out.end())
            continue;
        if (!m_hub.follows(round)) {
            m_handed_out.erase(it);
            continue;
        }
        for (;;) {
            const auto events = m_db.events_after(round, it->second, static_cast<int>(batch_size));
            for (const auto& e : events) {
                m_hub.publish(e);
                it->second = e.id;
            }
            if (events.size() < batch_size)
                break;
        }
    }
}

void LiveEvents::hand_out_all() {
    std::vector<long long> rounds;
    {
        std::lock_guard lock(m_mutex);
        for (const auto& [round, last] : m_handed_out)
            rounds.push_back(round);
    }
    hand_out(rounds);
}

} // namespace gids::web
