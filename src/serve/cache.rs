//! The server's answer cache: recent `/api/search` answers, kept until the index changes.
//!
//! People using the page repeat searches constantly: paging back, removing a filter they just
//! added, the back button, a shared link opened by a whole newsroom. Each such request would
//! otherwise run the whole search again (on a 1M-page index a search with facets costs a few
//! milliseconds of a core, so concurrent users queue). Like Solr's query result cache, the
//! server keeps the JSON of recent answers, least recently used first out, within a byte
//! budget, and answers a repeat from memory.
//!
//! An answer is only valid for the index state it was computed on: every entry belongs to
//! the indexes' states (one per index, [`crate::multi::MultiSearcher::index_states`]: its
//! segments and deletes, which change when a reader reloads after `gazette index` commits);
//! when any state changes, the whole cache is dropped, so a running server never answers
//! from a stale index.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use lru::LruCache;

/// Entries at most, whatever their size (bounds the map's own memory).
const MAX_ENTRIES: usize = 4096;

/// Recent answers by request, for one state of the indexes.
pub(crate) struct AnswerCache {
    /// Bytes of answer text kept at most; 0 disables the cache.
    budget: usize,
    inner: Mutex<Inner>,
}

struct Inner {
    /// The index states the entries were computed on.
    states: Vec<u64>,
    entries: LruCache<String, Arc<str>>,
    /// Bytes of keys and answers held.
    bytes: usize,
}

impl AnswerCache {
    /// A cache holding at most `budget` bytes of answers (0: nothing is kept).
    pub(crate) fn new(budget: usize) -> AnswerCache {
        AnswerCache {
            budget,
            inner: Mutex::new(Inner {
                states: Vec::new(),
                entries: LruCache::new(NonZeroUsize::new(MAX_ENTRIES).expect("non-zero")),
                bytes: 0,
            }),
        }
    }

    /// The answer kept for `key` on the indexes in `states`, if any.
    pub(crate) fn get(&self, states: &[u64], key: &str) -> Option<Arc<str>> {
        if self.budget == 0 {
            return None;
        }
        let mut inner = self.lock();
        inner.forget_if_changed(states);
        inner.entries.get(key).cloned()
    }

    /// Keeps `answer` for `key`, computed on the indexes in `states` (read before the
    /// search ran, so the answer is at least that recent). An answer larger than a
    /// sixteenth of the budget is not kept: one huge page must not flush everything else.
    pub(crate) fn put(&self, states: &[u64], key: &str, answer: Arc<str>) {
        let size = key.len() + answer.len();
        if size > self.budget / 16 {
            return;
        }
        let mut inner = self.lock();
        inner.forget_if_changed(states);
        if let Some((old_key, old)) = inner.entries.push(key.to_string(), answer) {
            inner.bytes -= old_key.len() + old.len();
        }
        inner.bytes += size;
        while inner.bytes > self.budget {
            match inner.entries.pop_lru() {
                Some((k, v)) => inner.bytes -= k.len() + v.len(),
                None => break,
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the map half-updated in a way that
        // matters (the worst is a wrong byte count), so a poisoned lock is used as is.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Inner {
    fn forget_if_changed(&mut self, states: &[u64]) {
        if self.states != states {
            self.entries.clear();
            self.bytes = 0;
            self.states = states.to_vec();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(s: &str) -> Arc<str> {
        Arc::from(s)
    }

    #[test]
    fn repeats_are_answered_until_the_index_changes() {
        let cache = AnswerCache::new(1 << 20);
        assert!(cache.get(&[1], "q=coffee").is_none());
        cache.put(&[1], "q=coffee", answer("{\"total\":3}"));
        assert_eq!(
            cache.get(&[1], "q=coffee").as_deref(),
            Some("{\"total\":3}")
        );
        assert!(cache.get(&[1], "q=tea").is_none());
        // A commit reloads a reader: its state changes and nothing old is answered.
        assert!(cache.get(&[2], "q=coffee").is_none());
        cache.put(&[2], "q=coffee", answer("{\"total\":4}"));
        assert_eq!(
            cache.get(&[2], "q=coffee").as_deref(),
            Some("{\"total\":4}")
        );
        // With several indexes, any one of them changing counts.
        cache.put(&[2, 7], "q=coffee", answer("{\"total\":5}"));
        assert!(cache.get(&[2, 8], "q=coffee").is_none());
    }

    #[test]
    fn the_budget_evicts_the_least_recently_used() {
        // Each entry is 8 + 40 bytes; the budget holds sixteen of them.
        let cache = AnswerCache::new(16 * 48 + 10);
        let body = "x".repeat(40);
        let key = |i: usize| format!("q=term{i:02}");
        for i in 0..16 {
            cache.put(&[1], &key(i), answer(&body));
        }
        // Touch the oldest so that the second oldest goes first.
        assert!(cache.get(&[1], &key(0)).is_some());
        cache.put(&[1], &key(16), answer(&body));
        assert!(cache.get(&[1], &key(0)).is_some());
        assert!(cache.get(&[1], &key(1)).is_none());
        for i in 2..17 {
            assert!(cache.get(&[1], &key(i)).is_some(), "{}", key(i));
        }
        let inner = cache.lock();
        assert!(inner.bytes <= cache.budget, "{} bytes held", inner.bytes);
        assert_eq!(inner.bytes, 16 * 48);
    }

    #[test]
    fn replacing_an_entry_keeps_the_byte_count_right() {
        let cache = AnswerCache::new(1 << 20);
        cache.put(&[1], "q=a", answer("short"));
        cache.put(&[1], "q=a", answer("a longer answer"));
        assert_eq!(cache.lock().bytes, 3 + "a longer answer".len());
    }

    #[test]
    fn no_budget_keeps_nothing_and_huge_answers_are_not_kept() {
        let off = AnswerCache::new(0);
        off.put(&[1], "q=a", answer("{}"));
        assert!(off.get(&[1], "q=a").is_none());
        let small = AnswerCache::new(1600);
        small.put(&[1], "q=big", answer(&"x".repeat(200)));
        assert!(small.get(&[1], "q=big").is_none());
        small.put(&[1], "q=ok", answer(&"x".repeat(50)));
        assert!(small.get(&[1], "q=ok").is_some());
    }
}
