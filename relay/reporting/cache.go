package reporting

import (
	"container/list"
	"sync"
	"time"
)

// lruCache is a fixed-size map that evicts the least recently used entry
// when full and drops entries after their time to live. It is safe for
// concurrent use.
type lruCache[K comparable, V any] struct {
	mu       sync.Mutex
	capacity int
	now      func() time.Time
	// order holds *lruEntry values, most recently used first.
	order *list.List
	items map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	key     K
	value   V
	expires time.Time
}

// newLRUCache returns an empty cache for up to capacity entries, which must
// be at least 1.
func newLRUCache[K comparable, V any](capacity int) *lruCache[K, V] {
	return &lruCache[K, V]{
		capacity: max(capacity, 1),
		now:      time.Now,
		order:    list.New(),
		items:    map[K]*list.Element{},
	}
}

// Get returns the live value stored for key and marks it recently used.
func (c *lruCache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	item, ok := c.items[key]
	if !ok {
		return zero, false
	}
	entry := item.Value.(*lruEntry[K, V])
	if !c.now().Before(entry.expires) {
		c.order.Remove(item)
		delete(c.items, key)
		return zero, false
	}
	c.order.MoveToFront(item)
	return entry.value, true
}

// Add stores value for key for ttl, evicting the least recently used entry
// when the cache is full.
func (c *lruCache[K, V]) Add(key K, value V, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	expires := c.now().Add(ttl)
	if item, ok := c.items[key]; ok {
		entry := item.Value.(*lruEntry[K, V])
		entry.value = value
		entry.expires = expires
		c.order.MoveToFront(item)
		return
	}
	if c.order.Len() >= c.capacity {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*lruEntry[K, V]).key)
	}
	c.items[key] = c.order.PushFront(&lruEntry[K, V]{key: key, value: value, expires: expires})
}

// Len returns the number of entries, expired ones included.
func (c *lruCache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
