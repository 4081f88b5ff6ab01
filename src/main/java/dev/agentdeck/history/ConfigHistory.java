package dev.agentdeck.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.Json;
import dev.agentdeck.config.MaskedEnv;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@code config_changes} table may hold: an agent's spec with its env masked by the one rule
 * ({@link MaskedEnv}), never a secret value, however the spec reached the store.
 */
final class ConfigHistory {
    private ConfigHistory() {
    }

    /** The spec as it is recorded: a masked copy, as JSON text; null for none. */
    static String recorded(JsonNode spec) {
        if (spec == null || spec.isNull()) {
            return null;
        }
        return spec instanceof ObjectNode o ? MaskedEnv.mask(o.deepCopy()).toString() : null;
    }

    /**
     * Masks the specs recorded by an AgentDeck that kept env values in clear, in the caller's transaction (the
     * migration then rebuilds the file, so no old copy stays in free space). A spec that does not read as JSON
     * cannot be vouched for and is dropped. Returns how many rows changed.
     */
    static int maskRecordedSpecs(Connection c) throws SQLException {
        Map<Long, String> next = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id, spec FROM config_changes WHERE spec IS NOT NULL")) {
            while (r.next()) {
                String spec = r.getString(2);
                String masked;
                try {
                    masked = recorded(Json.MAPPER.readTree(spec));
                } catch (java.io.IOException e) {
                    masked = null;
                }
                if (!spec.equals(masked)) {
                    next.put(r.getLong(1), masked);
                }
            }
        }
        try (PreparedStatement u = c.prepareStatement("UPDATE config_changes SET spec = ? WHERE id = ?")) {
            for (Map.Entry<Long, String> e : next.entrySet()) {
                u.setString(1, e.getValue());
                u.setLong(2, e.getKey());
                u.executeUpdate();
            }
        }
        return next.size();
    }
}
