package dev.agentdeck.ui.table;

import dev.agentdeck.core.AgentSpec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The filter box's rule: every word typed must appear (case-insensitive) in the agent's name, id, type or one
 * of its tags; "type:worker" and "tag:prod" look in that field only. An empty filter shows everything.
 */
public final class AgentFilter {
    private AgentFilter() {
    }

    public static Predicate<AgentSpec> of(String text) {
        if (text == null || text.isBlank()) {
            return s -> true;
        }
        List<String> words = Arrays.stream(text.toLowerCase(Locale.ROOT).trim().split("\\s+")).toList();
        return spec -> words.stream().allMatch(w -> matches(spec, w));
    }

    private static boolean matches(AgentSpec s, String word) {
        if (word.startsWith("type:")) {
            return contains(s.type(), word.substring(5));
        }
        if (word.startsWith("tag:")) {
            return s.tags().stream().anyMatch(t -> contains(t, word.substring(4)));
        }
        return contains(s.name(), word) || contains(s.id(), word) || contains(s.type(), word)
                || s.tags().stream().anyMatch(t -> contains(t, word));
    }

    private static boolean contains(String field, String word) {
        return field != null && field.toLowerCase(Locale.ROOT).contains(word);
    }
}
