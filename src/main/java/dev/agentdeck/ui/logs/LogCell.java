package dev.agentdeck.ui.logs;

import dev.agentdeck.logs.AgentLogs;
import dev.agentdeck.logs.LogLevel;
import dev.agentdeck.logs.LogLine;
import dev.agentdeck.logs.LogStream;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

import java.util.Locale;

/**
 * One log line: coloured by level, stderr marked in the gutter, the agent's name when the pane shows several,
 * and search hits highlighted. Plain text when there is nothing to highlight (the cheap, common case).
 */
final class LogCell extends ListCell<LogLine> {
    // Pseudo-classes, not style classes: cells are reused for other lines many times a second, and a style class
    // change makes JavaFX match every selector again where a pseudo-class change only switches state.
    private static final PseudoClass ERROR = PseudoClass.getPseudoClass("error");
    private static final PseudoClass WARN = PseudoClass.getPseudoClass("warn");
    private static final PseudoClass DEBUG = PseudoClass.getPseudoClass("debug");
    private static final PseudoClass STDERR = PseudoClass.getPseudoClass("stderr");
    private static final PseudoClass MARKER = PseudoClass.getPseudoClass("marker");
    private static final PseudoClass CURRENT = PseudoClass.getPseudoClass("current");
    private final LogPaneViewModel vm;

    LogCell(LogPaneViewModel vm) {
        this.vm = vm;
        getStyleClass().add("log-line");
    }

    @Override
    protected void updateItem(LogLine line, boolean empty) {
        super.updateItem(line, empty);
        boolean shown = !empty && line != null;
        pseudoClassStateChanged(ERROR, shown && line.level() == LogLevel.ERROR);
        pseudoClassStateChanged(WARN, shown && line.level() == LogLevel.WARN);
        pseudoClassStateChanged(DEBUG, shown && line.level() == LogLevel.DEBUG);
        pseudoClassStateChanged(STDERR, shown && line.stream() == LogStream.ERR);
        pseudoClassStateChanged(MARKER, shown && line.text().startsWith(AgentLogs.MARKER));
        pseudoClassStateChanged(CURRENT, shown && getIndex() == vm.currentMatchProperty().get());
        if (!shown) {
            setText(null);
            setGraphic(null);
            return;
        }
        String prefix = vm.showsAgents() && line.agentId() != null ? vm.label(line) + " \u2502 " : "";
        String query = vm.searchProperty().get();
        int hit = query.isEmpty() ? -1 : line.text().toLowerCase(Locale.ROOT).indexOf(query.toLowerCase(Locale.ROOT));
        if (hit < 0) {
            setGraphic(null);
            setText(prefix + line.text());
            return;
        }
        setText(null);
        setGraphic(highlighted(prefix, line.text(), query));
    }

    private TextFlow highlighted(String prefix, String text, String query) {
        TextFlow flow = new TextFlow();
        flow.getStyleClass().add("log-flow");
        if (!prefix.isEmpty()) {
            flow.getChildren().add(text(prefix, "log-text"));
        }
        String lower = text.toLowerCase(Locale.ROOT);
        String q = query.toLowerCase(Locale.ROOT);
        int at = 0;
        int hit;
        while ((hit = lower.indexOf(q, at)) >= 0) {
            if (hit > at) {
                flow.getChildren().add(text(text.substring(at, hit), "log-text"));
            }
            Label mark = new Label(text.substring(hit, hit + q.length()));
            mark.getStyleClass().add("log-hit");
            flow.getChildren().add(mark);
            at = hit + q.length();
        }
        if (at < text.length()) {
            flow.getChildren().add(text(text.substring(at), "log-text"));
        }
        if (isWrapText()) {
            flow.prefWidthProperty().bind(widthProperty().subtract(16));
        }
        return flow;
    }

    private static Text text(String s, String style) {
        Text t = new Text(s);
        t.getStyleClass().add(style);
        return t;
    }
}
