package dev.agentdeck.logs;

import java.util.List;

/**
 * A bounded buffer of recent lines (no JavaFX): keeps at most {@code capacity} lines, dropping the oldest, and
 * counts how many were dropped. Not thread-safe: the panel uses it on one thread.
 */
public final class LineRing<T> {
    private final Object[] items;
    private int head; // index of the oldest item
    private int size;
    private long dropped;

    public LineRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.items = new Object[capacity];
    }

    public void addAll(List<T> added) {
        int cap = items.length;
        int n = added.size();
        int skip = Math.max(0, n - cap); // items that would be dropped at once are never stored
        if (skip > 0) {
            dropped += size + skip;
            head = 0;
            size = 0;
        }
        for (int i = skip; i < n; i++) {
            T item = added.get(i);
            if (size < cap) {
                items[(head + size) % cap] = item;
                size++;
            } else {
                items[head] = item;
                head = (head + 1) % cap;
                dropped++;
            }
        }
    }

    public int size() {
        return size;
    }

    /** The {@code i}-th kept line, 0 being the oldest. */
    @SuppressWarnings("unchecked")
    public T get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + i + ", size " + size);
        }
        return (T) items[(head + i) % items.length];
    }

    /** Lines dropped to make room since this ring was made or last cleared. */
    public long dropped() {
        return dropped;
    }

    /** Empties the ring and resets {@link #dropped()}. */
    public void clear() {
        java.util.Arrays.fill(items, null);
        head = 0;
        size = 0;
        dropped = 0;
    }

    public int capacity() {
        return items.length;
    }
}
