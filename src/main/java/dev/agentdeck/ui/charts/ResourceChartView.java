package dev.agentdeck.ui.charts;

import dev.agentdeck.history.SamplePoint;
import dev.agentdeck.ui.util.Messages;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.controlsfx.control.SegmentedButton;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Two line charts (CPU %, memory MB) over a range picker, drawn from a {@link ChartViewModel}. */
public final class ResourceChartView extends VBox {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE HH:mm").withZone(ZoneId.systemDefault());
    private final ChartViewModel vm;
    private final XYChart.Series<Number, Number> cpu = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> cpuPeak = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> memory = new XYChart.Series<>();
    private final NumberAxis cpuTime = timeAxis();
    private final NumberAxis memTime = timeAxis();

    public ResourceChartView(ChartViewModel vm, Messages msg) {
        this.vm = vm;
        getStyleClass().add("resource-charts");
        setSpacing(4);
        setPadding(new Insets(6));
        SegmentedButton ranges = new SegmentedButton();
        ToggleGroup group = new ToggleGroup();
        for (ChartRange r : ChartRange.values()) {
            ToggleButton b = new ToggleButton(msg.get("chart.range." + r.name().toLowerCase(java.util.Locale.ROOT)));
            b.setId("range-" + r.name().toLowerCase(java.util.Locale.ROOT));
            b.setToggleGroup(group);
            b.setSelected(r == vm.rangeProperty().get());
            b.setOnAction(e -> vm.select(r));
            ranges.getButtons().add(b);
        }
        Label note = new Label();
        note.getStyleClass().add("chart-note");
        note.textProperty().bind(vm.noteProperty());
        HBox top = new HBox(10, ranges, note);
        cpu.setName(msg.get("chart.cpu"));
        cpuPeak.setName(msg.get("chart.cpuPeak"));
        memory.setName(msg.get("chart.memory"));
        LineChart<Number, Number> cpuChart = chart(cpuTime, msg.get("chart.cpuAxis"));
        cpuChart.getData().addAll(List.of(cpu, cpuPeak));
        LineChart<Number, Number> memChart = chart(memTime, msg.get("chart.memoryAxis"));
        memChart.getData().add(memory);
        VBox.setVgrow(cpuChart, Priority.ALWAYS);
        VBox.setVgrow(memChart, Priority.ALWAYS);
        getChildren().addAll(top, cpuChart, memChart);
        vm.points().addListener((ListChangeListener<SamplePoint>) c -> redraw());
        vm.rangeProperty().addListener((o, a, b) -> redraw());
        redraw();
    }

    private static LineChart<Number, Number> chart(NumberAxis time, String yLabel) {
        NumberAxis y = new NumberAxis();
        y.setLabel(yLabel);
        y.setForceZeroInRange(true);
        LineChart<Number, Number> c = new LineChart<>(time, y);
        c.setAnimated(false);
        c.setCreateSymbols(false);
        c.setLegendVisible(true);
        c.setMinHeight(120);
        return c;
    }

    private NumberAxis timeAxis() {
        NumberAxis a = new NumberAxis();
        a.setAutoRanging(false);
        a.setForceZeroInRange(false);
        a.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number seconds) {
                Instant t = Instant.ofEpochSecond(seconds.longValue());
                return (vm.rangeProperty().get() == ChartRange.WEEK ? DAY : CLOCK).format(t);
            }

            @Override
            public Number fromString(String s) {
                return 0;
            }
        });
        return a;
    }

    /** Replaces the series from the points (at most a few hundred): cheap enough on each change. */
    private void redraw() {
        long now = Instant.now().getEpochSecond();
        long span = vm.rangeProperty().get().span().toSeconds();
        for (NumberAxis a : List.of(cpuTime, memTime)) {
            a.setLowerBound(now - span);
            a.setUpperBound(now);
            a.setTickUnit(span / 6.0);
        }
        List<XYChart.Data<Number, Number>> c = new ArrayList<>();
        List<XYChart.Data<Number, Number>> p = new ArrayList<>();
        List<XYChart.Data<Number, Number>> m = new ArrayList<>();
        for (SamplePoint pt : vm.points()) {
            long t = pt.time().getEpochSecond();
            c.add(new XYChart.Data<>(t, pt.cpuAvg()));
            p.add(new XYChart.Data<>(t, pt.cpuMax()));
            m.add(new XYChart.Data<>(t, pt.rssAvg() / 1048576.0));
        }
        cpu.getData().setAll(c);
        cpuPeak.getData().setAll(p);
        memory.getData().setAll(m);
    }
}
