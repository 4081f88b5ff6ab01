package dev.agentdeck.ui.table;

import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.badges.BadgeKind;
import dev.agentdeck.ui.util.Formats;
import dev.agentdeck.ui.util.Messages;
import dev.agentdeck.ui.util.PanelSettings;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.util.Callback;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The process table's columns: name (adopted agents marked), type, state (glyph and word, coloured), health,
 * PID, port, CPU %, memory, uptime, restarts, tags. Values are typed so sorting is numeric; cells format them.
 * Column order, widths, visibility and the sort can be saved and restored.
 */
public final class AgentTable {
    private final TableView<AgentRowViewModel> table;
    private final Messages msg;

    public AgentTable(TableView<AgentRowViewModel> table, Messages msg) {
        this.table = table;
        this.msg = msg;
    }

    public TableView<AgentRowViewModel> table() {
        return table;
    }

    /** Adds the columns and sets multiple selection. */
    public void build() {
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setTableMenuButtonVisible(true);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label(msg.get("table.empty")));
        table.getColumns().setAll(List.of(
                nameColumn(),
                column("type", AgentRowViewModel::typeProperty, s -> s, 90),
                stateColumn(),
                column("health", AgentRowViewModel::healthTextProperty, s -> s, 80),
                column("pid", AgentRowViewModel::pidProperty, String::valueOf, 70),
                column("port", AgentRowViewModel::portProperty, String::valueOf, 60),
                column("cpu", AgentRowViewModel::cpuProperty, c -> String.format(Locale.ROOT, "%.1f %%", c), 75),
                column("memory", AgentRowViewModel::memoryProperty, Formats::bytes, 95),
                column("uptime", AgentRowViewModel::uptimeMsProperty, Formats::duration, 90),
                column("restarts", AgentRowViewModel::restartsProperty, String::valueOf, 85),
                column("tags", AgentRowViewModel::tagsProperty, s -> s, 140)));
    }

    /** What the name cell shows: the name, and a tag when the process was adopted. */
    private record NameView(String name, boolean adopted) implements Comparable<NameView> {
        @Override
        public int compareTo(NameView o) {
            return name.compareToIgnoreCase(o.name);
        }
    }

    private TableColumn<AgentRowViewModel, NameView> nameColumn() {
        TableColumn<AgentRowViewModel, NameView> c = new TableColumn<>(msg.get("table.name"));
        c.setId("col-name");
        c.setPrefWidth(180);
        c.setCellValueFactory(f -> Bindings.createObjectBinding(
                () -> new NameView(f.getValue().nameProperty().get(), f.getValue().adoptedProperty().get()),
                f.getValue().nameProperty(), f.getValue().adoptedProperty()));
        c.setCellFactory(col -> new TableCell<>() {
            private final Label tag = new Label(msg.get("table.adopted"));

            {
                tag.getStyleClass().add("adopted-tag");
            }

            @Override
            protected void updateItem(NameView v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : v.name());
                setGraphic(empty || v == null || !v.adopted() ? null : tag);
                setContentDisplay(javafx.scene.control.ContentDisplay.RIGHT);
            }
        });
        return c;
    }

    /** What the state cell shows: the badge kind (glyph, colour) and the word, together so either change redraws it. */
    private record StateView(BadgeKind kind, String word) {
    }

    private TableColumn<AgentRowViewModel, StateView> stateColumn() {
        TableColumn<AgentRowViewModel, StateView> c = new TableColumn<>(msg.get("table.state"));
        c.setId("col-state");
        c.setPrefWidth(130);
        c.setCellValueFactory(f -> Bindings.createObjectBinding(
                () -> new StateView(f.getValue().kindProperty().get(), f.getValue().stateTextProperty().get()),
                f.getValue().kindProperty(), f.getValue().stateTextProperty()));
        c.setComparator(Comparator.comparing((StateView v) -> v.kind().ordinal()).thenComparing(StateView::word));
        c.setCellFactory(col -> new TableCell<>() {
            private final Label glyph = new Label();

            @Override
            protected void updateItem(StateView v, boolean empty) {
                super.updateItem(v, empty);
                if (empty || v == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                glyph.setText(v.kind().glyph());
                String kindClass = "state-" + v.kind().styleClass();
                if (!glyph.getStyleClass().contains(kindClass)) { // a style class change restyles the node: only when it differs
                    glyph.getStyleClass().setAll("label", "state-glyph", kindClass);
                }
                setGraphic(glyph);
                setText(v.word());
            }
        });
        return c;
    }

    private <T> TableColumn<AgentRowViewModel, T> column(String id, Function<AgentRowViewModel, ObservableValue<T>> value,
                                                        Function<T, String> format, double width) {
        TableColumn<AgentRowViewModel, T> c = new TableColumn<>(msg.get("table." + id));
        c.setId("col-" + id);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> value.apply(f.getValue()));
        c.setCellFactory(formatted(format));
        return c;
    }

    private static <T> Callback<TableColumn<AgentRowViewModel, T>, TableCell<AgentRowViewModel, T>> formatted(Function<T, String> f) {
        return col -> new TableCell<>() {
            @Override
            protected void updateItem(T v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : f.apply(v));
            }
        };
    }

    /** The columns as they are now, for panel.json. */
    public List<PanelSettings.Column> layout() {
        List<PanelSettings.Column> out = new ArrayList<>();
        for (TableColumn<AgentRowViewModel, ?> c : table.getColumns()) {
            out.add(new PanelSettings.Column(c.getId(), c.getWidth(), c.isVisible()));
        }
        return out;
    }

    /** The sorted column's id, or null. */
    public String sortColumn() {
        return table.getSortOrder().isEmpty() ? null : table.getSortOrder().get(0).getId();
    }

    public boolean sortAscending() {
        return table.getSortOrder().isEmpty() || table.getSortOrder().get(0).getSortType() == TableColumn.SortType.ASCENDING;
    }

    /** Puts columns back in the saved order, width and visibility, and restores the sort. */
    public void restore(PanelSettings s) {
        List<TableColumn<AgentRowViewModel, ?>> ordered = new ArrayList<>();
        for (PanelSettings.Column saved : s.columns()) {
            table.getColumns().stream().filter(c -> c.getId().equals(saved.id())).findFirst().ifPresent(c -> {
                c.setPrefWidth(saved.width());
                c.setVisible(saved.visible());
                ordered.add(c);
            });
        }
        table.getColumns().stream().filter(c -> !ordered.contains(c)).forEach(ordered::add);
        table.getColumns().setAll(ordered);
        if (s.sortColumn() != null) {
            table.getColumns().stream().filter(c -> c.getId().equals(s.sortColumn())).findFirst().ifPresent(c -> {
                c.setSortType(s.sortAscending() ? TableColumn.SortType.ASCENDING : TableColumn.SortType.DESCENDING);
                table.getSortOrder().setAll(List.of(c));
            });
        }
    }
}
