package dev.agentdeck.ui.util;

import java.util.List;

/**
 * What the panel remembers between runs: window place and size, the split between table and detail, the
 * theme, the table's columns (order, width, visibility) and sort, and whether notifications pop up.
 */
public record PanelSettings(double x, double y, double width, double height, boolean maximized, double split,
                            String theme, List<Column> columns, String sortColumn, boolean sortAscending,
                            boolean notifications) {
    /** One table column as it was left. */
    public record Column(String id, double width, boolean visible) {
    }

    public static final PanelSettings DEFAULT = new PanelSettings(Double.NaN, Double.NaN, 1200, 760, false, 0.55,
            "system", List.of(), null, true, true);

    public PanelSettings {
        columns = columns == null ? List.of() : List.copyOf(columns);
        theme = theme == null ? "system" : theme;
    }

    public PanelSettings withTheme(String t) {
        return new PanelSettings(x, y, width, height, maximized, split, t, columns, sortColumn, sortAscending, notifications);
    }

    public PanelSettings withNotifications(boolean on) {
        return new PanelSettings(x, y, width, height, maximized, split, theme, columns, sortColumn, sortAscending, on);
    }
}
