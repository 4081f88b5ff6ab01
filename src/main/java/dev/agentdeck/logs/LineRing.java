package dev.agentdeck.logs;

import java.util.List;

/**
 * A bounded buffer of the most recent items: past its capacity the oldest are dropped and counted. Not
 * thread-safe: one thread uses it.
 */
public final class LineRing<T> {
    private final Object[] items;
    private int head;
    private int size;
    private long dropped;

    public LineRing(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.items = new Object[capacity];
    }

    public void addAll(List<T> more) {
        for (T t : more) {
            add(t);
        }
    }

    public void add(T item) {
        items[(head + size) % items.length] = item;
        if (size < items.length) {
            size++;
        } else {
            head = (head + 1) % items.length;
            dropped++;
        }
    }

    public int size() {
        return size;
    }

    /** The i-th item, oldest first. */
    @SuppressWarnings("unchecked")
    public T get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        return (T) items[(head + i) % items.length];
    }

    /** How many items were dropped to keep the capacity, since it was made or cleared. */
    public long dropped() {
        return dropped;
    }

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
