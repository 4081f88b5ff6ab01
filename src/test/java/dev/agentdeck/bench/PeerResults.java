package dev.agentdeck.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every measurement of the peer benchmark, by figure and manager: numbers for the numeric figures, words
 * for the others, and what went wrong instead of a number (a timeout, a failed command).
 */
final class PeerResults {
    /** One figure of one manager over the rounds. */
    static final class Cell {
        private final List<Double> values = new ArrayList<>();
        private final List<String> words = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();

        List<Double> values() {
            return values;
        }

        double median() {
            List<Double> s = new ArrayList<>(values);
            Collections.sort(s);
            int n = s.size();
            return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }

        /** "median (min–max)", the words seen (once each), and any problem, with the count of each. */
        String render(Figure f) {
            List<String> parts = new ArrayList<>();
            if (!values.isEmpty()) {
                String fmt = "%." + f.decimals() + "f";
                String unit = f.unit().isEmpty() ? "" : " " + f.unit();
                String median = String.format(Locale.ROOT, fmt, median()) + unit;
                parts.add(values.size() == 1 ? median : median + " (" + String.format(Locale.ROOT, fmt,
                        Collections.min(values)) + "\u2013" + String.format(Locale.ROOT, fmt, Collections.max(values)) + ")");
            }
            parts.addAll(counted(words, false));
            parts.addAll(counted(problems, true));
            return parts.isEmpty() ? "\u2013" : String.join("; ", parts);
        }

        /** Each distinct item once; with its count when there are several kinds, or always for problems. */
        private static List<String> counted(List<String> items, boolean alwaysCount) {
            Map<String, Integer> n = new LinkedHashMap<>();
            items.forEach(i -> n.merge(i, 1, Integer::sum));
            List<String> out = new ArrayList<>();
            n.forEach((k, c) -> out.add(n.size() == 1 && !alwaysCount ? k : c + "\u00d7 " + k));
            return out;
        }
    }

    private final Map<Figure, Map<String, Cell>> cells = new EnumMap<>(Figure.class);

    private synchronized Cell cell(Figure f, String manager) {
        return cells.computeIfAbsent(f, k -> new LinkedHashMap<>()).computeIfAbsent(manager, k -> new Cell());
    }

    synchronized void add(Figure f, String manager, double value) {
        cell(f, manager).values.add(value);
    }

    synchronized void word(Figure f, String manager, String word) {
        cell(f, manager).words.add(word);
    }

    synchronized void problem(Figure f, String manager, String problem) {
        cell(f, manager).problems.add(problem);
    }

    /** The cell, or an empty one when nothing was recorded. */
    synchronized Cell get(Figure f, String manager) {
        return cells.getOrDefault(f, Map.of()).getOrDefault(manager, new Cell());
    }
}
