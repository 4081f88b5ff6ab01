package dev.agentdeck.ui.detail;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.history.RunRecord;
import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.charts.ResourceChartView;
import dev.agentdeck.ui.util.Messages;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/** The detail area's controller: binds the FXML to a {@link DetailViewModel}; the log tab gets its pane from a factory. */
public final class DetailView {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    /** A log pane embedded for one agent, closed when another agent is shown. */
    public interface EmbeddedLogs {
        Node view();

        void close();
    }

    private final DetailViewModel vm;
    private final Messages msg;
    private final Function<String, EmbeddedLogs> logs;
    private EmbeddedLogs shownLogs;

    @FXML
    private Label empty;
    @FXML
    private VBox content;
    @FXML
    private Label title;
    @FXML
    private TabPane tabs;
    @FXML
    private Tab chartsTab;
    @FXML
    private Tab logsTab;
    @FXML
    private TextArea commandLine;
    @FXML
    private Label cwd;
    @FXML
    private Label process;
    @FXML
    private Label port;
    @FXML
    private Label schedule;
    @FXML
    private Label started;
    @FXML
    private Label health;
    @FXML
    private Label lastExit;
    @FXML
    private Label endReasons;
    @FXML
    private Label message;
    @FXML
    private ListView<AgentEvent> events;
    @FXML
    private TableView<RunRecord> runs;
    @FXML
    private TableColumn<RunRecord, String> runStarted;
    @FXML
    private TableColumn<RunRecord, String> runEnded;
    @FXML
    private TableColumn<RunRecord, String> runPid;
    @FXML
    private TableColumn<RunRecord, String> runOrigin;
    @FXML
    private TableColumn<RunRecord, String> runExit;
    @FXML
    private TableColumn<RunRecord, String> runReason;

    public DetailView(DetailViewModel vm, Messages msg, Function<String, EmbeddedLogs> logs) {
        this.vm = vm;
        this.msg = msg;
        this.logs = logs;
    }

    @FXML
    private void initialize() {
        content.visibleProperty().bind(vm.rowProperty().isNotNull());
        empty.visibleProperty().bind(vm.rowProperty().isNull());
        title.textProperty().bind(vm.titleProperty());
        commandLine.textProperty().bind(vm.commandLineProperty());
        cwd.textProperty().bind(vm.cwdProperty());
        process.textProperty().bind(vm.processProperty());
        port.textProperty().bind(vm.portProperty());
        schedule.textProperty().bind(vm.scheduleProperty());
        started.textProperty().bind(vm.startedProperty());
        health.textProperty().bind(vm.healthProperty());
        lastExit.textProperty().bind(vm.lastExitProperty());
        endReasons.textProperty().bind(vm.endReasonsProperty());
        message.textProperty().bind(vm.messageProperty());
        // built when first shown: charts cost a good share of the first frame, and most starts never open them
        whenFirstSelected(chartsTab, () -> chartsTab.setContent(new ResourceChartView(vm.chart(), msg)));
        events.setItems(vm.events());
        events.setCellFactory(l -> new EventCell());
        runs.setItems(vm.runs());
        runStarted.setCellValueFactory(c -> text(WHEN.format(c.getValue().startedAt())));
        runEnded.setCellValueFactory(c -> text(c.getValue().endedAt() == null ? msg.get("runs.running")
                : WHEN.format(c.getValue().endedAt())));
        runPid.setCellValueFactory(c -> text(String.valueOf(c.getValue().pid())));
        runOrigin.setCellValueFactory(c -> text(c.getValue().origin()));
        runExit.setCellValueFactory(c -> text(c.getValue().exitCode() == null ? "" : String.valueOf(c.getValue().exitCode())));
        runReason.setCellValueFactory(c -> text(c.getValue().endReason() == null ? "" : c.getValue().endReason()));
        vm.rowProperty().addListener((o, old, row) -> showLogs(row));
    }

    /** Embeds the shown agent's log pane (made only when the Logs tab is chosen, closed when the agent changes). */
    private void showLogs(AgentRowViewModel row) {
        if (shownLogs != null) {
            shownLogs.close();
            shownLogs = null;
        }
        logsTab.setContent(null);
        if (row == null) {
            return;
        }
        Runnable make = () -> {
            if (shownLogs == null && vm.rowProperty().get() == row) {
                shownLogs = logs.apply(row.id());
                logsTab.setContent(shownLogs.view());
            }
        };
        if (logsTab.isSelected()) {
            make.run();
        } else {
            logsTab.setOnSelectionChanged(e -> {
                if (logsTab.isSelected()) {
                    make.run();
                }
            });
        }
    }

    /** Selects the Logs tab of the shown agent. */
    private static void whenFirstSelected(Tab tab, Runnable build) {
        if (tab.isSelected()) {
            build.run();
            return;
        }
        javafx.beans.value.ChangeListener<Boolean> once = new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Boolean> o, Boolean was, Boolean selected) {
                if (selected) {
                    tab.selectedProperty().removeListener(this);
                    build.run();
                }
            }
        };
        tab.selectedProperty().addListener(once);
    }

    public void showLogsTab() {
        tabs.getSelectionModel().select(logsTab);
    }

    private static ReadOnlyStringWrapper text(String s) {
        return new ReadOnlyStringWrapper(s);
    }

    private static final class EventCell extends ListCell<AgentEvent> {
        @Override
        protected void updateItem(AgentEvent e, boolean emptyCell) {
            super.updateItem(e, emptyCell);
            getStyleClass().removeAll("event-error", "event-warn");
            if (emptyCell || e == null) {
                setText(null);
                return;
            }
            setText(WHEN.format(e.time() == null ? Instant.EPOCH : e.time()) + "  " + e.type().wireName() + "  " + e.message());
            switch (e.type()) {
                case FAILED, FATAL, ERROR, UNHEALTHY, RESOURCE_LIMIT -> getStyleClass().add("event-error");
                case BACKOFF, HEALTH_CHECK_FAILED, CPU_WARNING, PID_FILE_STALE, PORT_CONFLICT -> getStyleClass().add("event-warn");
                default -> {
                }
            }
        }
    }

    /** Releases the embedded log pane. */
    public void close() {
        if (shownLogs != null) {
            shownLogs.close();
            shownLogs = null;
        }
    }
}
