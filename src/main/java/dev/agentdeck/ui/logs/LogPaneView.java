package dev.agentdeck.ui.logs;

import dev.agentdeck.ui.util.Messages;
import dev.agentdeck.ui.util.SystemOpener;
import javafx.application.Platform;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.util.StringConverter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;

/** A log pane's controller: binds {@code LogPane.fxml} to a {@link LogPaneViewModel}. */
public final class LogPaneView {
    /** Row height when lines do not wrap: a fixed size lets the list lay out only what is on screen. */
    private static final double LINE_HEIGHT = 20;
    private static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination FIND = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);

    private final LogPaneViewModel vm;
    private final Messages msg;
    @FXML
    private BorderPane root;
    @FXML
    private ToggleButton follow;
    @FXML
    private Button older;
    @FXML
    private ChoiceBox<LevelFilter> level;
    @FXML
    private TextField search;
    @FXML
    private Button previous;
    @FXML
    private Button next;
    @FXML
    private Label matches;
    @FXML
    private ToggleButton wrap;
    @FXML
    private MenuButton open;
    @FXML
    private Button end;
    @FXML
    private ListView<dev.agentdeck.logs.LogLine> list;
    @FXML
    private Label status;
    @FXML
    private Label problem;

    private LogPaneView(LogPaneViewModel vm, Messages msg) {
        this.vm = vm;
        this.msg = msg;
    }

    /** Loads a pane for {@code vm}; the caller starts and closes the ViewModel. */
    public static LogPaneView create(LogPaneViewModel vm, Messages msg) {
        LogPaneView view = new LogPaneView(vm, msg);
        FXMLLoader loader = new FXMLLoader(LogPaneView.class.getResource("LogPane.fxml"), msg.bundle());
        loader.setController(view);
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the log pane could not be loaded", e);
        }
        return view;
    }

    @FXML
    private void initialize() {
        follow.selectedProperty().bindBidirectional(vm.followingProperty());
        wrap.selectedProperty().bindBidirectional(vm.wrapProperty());
        level.getItems().setAll(LevelFilter.values());
        level.setConverter(new StringConverter<>() {
            @Override
            public String toString(LevelFilter f) {
                return f == null ? "" : msg.get(f.key());
            }

            @Override
            public LevelFilter fromString(String s) {
                return null;
            }
        });
        level.valueProperty().bindBidirectional(vm.levelProperty());
        search.textProperty().bindBidirectional(vm.searchProperty());
        search.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                if (e.isShiftDown()) {
                    vm.previousMatch();
                } else {
                    vm.nextMatch();
                }
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                search.clear();
                list.requestFocus();
                e.consume();
            }
        });
        previous.disableProperty().bind(vm.matchCountProperty().isEqualTo(0));
        next.disableProperty().bind(vm.matchCountProperty().isEqualTo(0));
        matches.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(this::matchText,
                vm.matchCountProperty(), vm.currentMatchProperty(), vm.searchProperty()));
        older.disableProperty().bind(vm.loadingOlderProperty());
        end.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> vm.heldCountProperty().get() > 0
                ? msg.get("logs.endNew", vm.heldCountProperty().get()) : msg.get("logs.end"), vm.heldCountProperty()));
        status.textProperty().bind(vm.statusProperty());
        for (Path file : vm.files()) {
            MenuItem item = new MenuItem(file.getFileName().toString());
            item.setOnAction(e -> openFile(file));
            open.getItems().add(item);
        }

        list.setItems(vm.visibleLines());
        list.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        list.setCellFactory(l -> {
            LogCell cell = new LogCell(vm);
            cell.wrapTextProperty().bind(vm.wrapProperty());
            return cell;
        });
        applyWrap(vm.wrapProperty().get());
        vm.wrapProperty().addListener((o, a, w) -> applyWrap(w));
        vm.searchProperty().addListener((o, a, b) -> list.refresh());
        vm.currentMatchProperty().addListener((o, a, b) -> list.refresh());
        vm.scrollRequestProperty().addListener((o, a, index) -> {
            if (index.intValue() >= 0 && index.intValue() < list.getItems().size()) {
                list.scrollTo(index.intValue());
            }
        });
        // Reading back through the lines holds them still; following resumes with the End button.
        list.addEventFilter(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() > 0) {
                vm.followingProperty().set(false);
            }
        });
        list.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.PAGE_UP || e.getCode() == KeyCode.HOME || e.getCode() == KeyCode.UP) {
                vm.followingProperty().set(false);
            } else if (e.getCode() == KeyCode.END) {
                vm.jumpToEnd();
                e.consume();
            }
        });
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (COPY.match(e) && list.isFocused()) {
                copy();
                e.consume();
            } else if (FIND.match(e)) {
                search.requestFocus();
                e.consume();
            }
        });
    }

    private void applyWrap(boolean wrapped) {
        list.setFixedCellSize(wrapped ? -1 : LINE_HEIGHT);
        list.refresh();
    }

    private String matchText() {
        if (vm.searchProperty().get().isEmpty()) {
            return "";
        }
        int n = vm.matchCountProperty().get();
        int current = vm.currentMatchProperty().get();
        return current < 0 ? msg.get("logs.matches", n) : msg.get("logs.matchAt", current + 1, n);
    }

    @FXML
    private void loadOlder() {
        vm.loadOlder();
    }

    @FXML
    private void previousMatch() {
        vm.previousMatch();
    }

    @FXML
    private void nextMatch() {
        vm.nextMatch();
    }

    @FXML
    private void jumpToEnd() {
        vm.jumpToEnd();
    }

    /** Copies the selected lines, or all shown lines when none is selected. */
    @FXML
    private void copy() {
        ClipboardContent content = new ClipboardContent();
        content.putString(vm.copy(new ArrayList<>(list.getSelectionModel().getSelectedIndices())));
        Clipboard.getSystemClipboard().setContent(content);
        problem.setText(msg.get("logs.copied"));
    }

    private void openFile(Path file) {
        problem.setText("");
        SystemOpener.open(file).whenComplete((v, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                Platform.runLater(() -> problem.setText(cause.getMessage()));
            }
        });
    }

    public Node root() {
        return root;
    }

    public ListView<dev.agentdeck.logs.LogLine> list() {
        return list;
    }
}
