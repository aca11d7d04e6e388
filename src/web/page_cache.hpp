#pragma once
// Rendered page parts kept while their data is unchanged: a page asks with a key and the
// revision of its data (from the database, so every instance sees a change), and renders
// anew only when the revision moved. Bounded: when full, it starts over.

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace gids::web {

class PageCache {
  public:
    std::optional<std::string> get(const std::string& key, long long revision) const {
        std::lock_guard lock(m_mutex);
        auto it = m_entries.find(key);
        if (it == m_entries.end() || it->second.first != revision)
            return std::nullopt;
        return it->second.second;
    }
    void put(const std::string& key, long long revision, std::string html) {
        std::lock_guard lock(m_mutex);
        if (m_entries.size() >= max_entries && !m_entries.contains(key))
            m_entries.clear();
        m_entries[key] = {revision, std::move(html)};
    }

  private:
    static constexpr std::size_t max_entries = 512;
    mutable std::mutex m_mutex;
    std::map<std::string, std::pair<long long, std::string>> m_entries;
};

} // namespace gids::web
