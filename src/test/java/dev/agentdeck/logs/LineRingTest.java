package dev.agentdeck.logs;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LineRingTest {

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    private static List<Integer> contents(LineRing<Integer> ring) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < ring.size(); i++) {
            all.add(ring.get(i));
        }
        return all;
    }

    @Test
    void keepsTheNewestAndCountsTheDropped() {
        LineRing<Integer> ring = new LineRing<>(5);
        ring.addAll(range(0, 3));
        assertEquals(range(0, 3), contents(ring));
        assertEquals(0, ring.dropped());
        ring.addAll(range(3, 7));
        assertEquals(range(2, 7), contents(ring));
        assertEquals(2, ring.dropped());
        ring.addAll(range(7, 9));
        assertEquals(range(4, 9), contents(ring));
        assertEquals(4, ring.dropped());
        assertEquals(5, ring.capacity());
    }

    @Test
    void aBatchLargerThanTheRingKeepsItsTail() {
        LineRing<Integer> ring = new LineRing<>(4);
        ring.addAll(range(0, 3));
        ring.addAll(range(3, 13));
        assertEquals(range(9, 13), contents(ring));
        assertEquals(9, ring.dropped());
    }

    @Test
    void clearEmptiesAndForgetsTheDropped() {
        LineRing<Integer> ring = new LineRing<>(2);
        ring.addAll(range(0, 5));
        ring.clear();
        assertEquals(0, ring.size());
        assertEquals(0, ring.dropped());
        ring.addAll(range(5, 6));
        assertEquals(List.of(5), contents(ring));
        assertThrows(IndexOutOfBoundsException.class, () -> ring.get(1));
    }

    @Test
    void manySmallBatchesWrapAroundCorrectly() {
        LineRing<Integer> ring = new LineRing<>(1000);
        for (int i = 0; i < 10_000; i += 7) {
            ring.addAll(range(i, Math.min(10_000, i + 7)));
        }
        assertEquals(range(9000, 10_000), contents(ring));
        assertEquals(9000, ring.dropped());
    }
}
