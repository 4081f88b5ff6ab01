package dev.agentdeck.ui.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdeck.config.Templates;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Engines;
import dev.agentdeck.testutil.TestHome;
import dev.agentdeck.transfer.ExportFile;
import dev.agentdeck.transfer.ImportFormat;
import dev.agentdeck.ui.templates.NewFromTemplateViewModel;
import dev.agentdeck.ui.templates.SaveTemplateViewModel;
import dev.agentdeck.ui.util.Messages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Import preview, export, and templates' ViewModels over a real engine, with direct executors and no FX toolkit. */
class TransferViewModelTest {
    private static final Messages MSG = Messages.load(Locale.ENGLISH);
    @TempDir
    Path tmp;
    private TestHome home;
    private LocalEngine engine;
    private final List<Long> pids = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        home = new TestHome(tmp.resolve("home"));
        home.agentsJson("""
                {"version": 1, "agents": [
                  {"id": "db", "name": "Database", "command": "sh", "args": ["-c", "sleep 30"]},
                  {"id": "api", "command": "sh", "args": ["-c", "sleep 30"]}]}
                """);
        engine = LocalEngine.open(home.workspace());
    }

    @AfterEach
    void tearDown() throws Exception {
        Engines.stopAndClose(engine, pids);
    }

    private ImportViewModel importVm() {
        return new ImportViewModel(engine, Runnable::run, Runnable::run, MSG);
    }

    private Path procfile(String text) {
        Path p = tmp.resolve("Procfile");
        TestHome.write(p, text);
        return p;
    }

    private List<String> ids() {
        return engine.agents().stream().map(AgentSpec::id).toList();
    }

    @Test
    void aProcfileWithABadLineShowsItsProblemAndImportWaitsForConsent() throws Exception {
        String before = home.read("agents.json");
        ImportViewModel vm = importVm();
        vm.open(procfile("web: sleep 30\nworker: sleep 31\nthis line has no colon\n")).get(5, TimeUnit.SECONDS);

        assertEquals(ImportFormat.PROCFILE, vm.formatProperty().get());
        assertEquals(List.of("web", "worker"), vm.rows().stream().map(ImportRow::id).toList());
        assertEquals(1, vm.problems().size());
        assertEquals(3, vm.problems().get(0).line());
        assertFalse(vm.canImportProperty().get(), "Import waits while there are problems");
        assertEquals("Import the 2 agents that could be read anyway", vm.acceptTextProperty().get());
        assertThrows(ExecutionException.class, () -> vm.importAgents().get(5, TimeUnit.SECONDS));
        assertEquals(before, home.read("agents.json"), "nothing is added before Import");
        assertEquals(List.of("db", "api"), ids());

        vm.acceptPartialProperty().set(true);
        assertTrue(vm.canImportProperty().get());
        List<AgentSpec> added = vm.importAgents().get(10, TimeUnit.SECONDS);

        assertEquals(List.of("web", "worker"), added.stream().map(AgentSpec::id).toList());
        assertEquals(List.of("db", "api", "web", "worker"), ids());
        JsonNode agents = new ObjectMapper().readTree(home.read("agents.json")).get("agents");
        assertEquals(4, agents.size());
        assertEquals("web", agents.get(2).get("id").asText());
        assertEquals("", vm.errorProperty().get());
    }

    @Test
    void aCleanFileCanBeImportedAtOnceAndChangingTheFormatReadsItAgain() throws Exception {
        ImportViewModel vm = importVm();
        vm.open(procfile("web: sleep 30\n")).get(5, TimeUnit.SECONDS);
        assertTrue(vm.problems().isEmpty());
        assertTrue(vm.canImportProperty().get(), "no problems: nothing to accept");

        vm.formatProperty().set(ImportFormat.SUPERVISOR);
        vm.formatProperty().set(ImportFormat.PROCFILE);
        assertEquals(List.of("web"), vm.rows().stream().map(ImportRow::id).toList(), "read again as a Procfile");
        assertTrue(vm.canImportProperty().get());
    }

    @Test
    void aRefusedImportShowsTheEnginesReasonAndAddsNothing() throws Exception {
        String before = home.read("agents.json");
        ImportViewModel vm = importVm();
        vm.open(procfile("db: sleep 30\nfresh: sleep 30\n")).get(5, TimeUnit.SECONDS);
        assertTrue(vm.canImportProperty().get());

        assertThrows(ExecutionException.class, () -> vm.importAgents().get(10, TimeUnit.SECONDS));

        assertTrue(vm.errorProperty().get().contains("db"), vm.errorProperty().get());
        assertEquals(List.of("db", "api"), ids(), "all or nothing");
        assertEquals(before, home.read("agents.json"));
        assertTrue(vm.canImportProperty().get(), "the preview stays, to try again");
    }

    @Test
    void exportWritesThePreviewedFilesIntoTheFolderAndAsksBeforeReplacingThem() throws Exception {
        ExportViewModel vm = new ExportViewModel(engine, Runnable::run, Runnable::run, MSG, List.of("db"));
        assertEquals(ExportViewModel.Scope.SELECTED, vm.scopeProperty().get());
        vm.refresh().get(10, TimeUnit.SECONDS);
        assertFalse(vm.files().isEmpty(), vm.statusProperty().get());
        assertFalse(vm.canExportProperty().get(), "no folder yet");
        Path out = Files.createDirectories(tmp.resolve("out"));
        vm.folderProperty().set(out);

        ExportViewModel.Outcome first = vm.write(false).get(10, TimeUnit.SECONDS);

        assertEquals(vm.files().size(), first.written().size());
        for (ExportFile f : vm.files()) {
            assertEquals(f.content(), Files.readString(out.resolve(f.name())));
        }
        assertEquals(vm.files().get(0).content(), vm.previewProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("Wrote"), vm.statusProperty().get());
        try (var left = Files.list(out)) {
            assertEquals(vm.files().size(), left.count(), "no temp files left behind");
        }

        ExportViewModel.Outcome again = vm.write(false).get(10, TimeUnit.SECONDS);
        assertTrue(again.written().isEmpty(), "nothing replaced without asking");
        assertEquals(vm.files().stream().map(ExportFile::name).toList(), again.existing());
        assertEquals(vm.files().size(), vm.write(true).get(10, TimeUnit.SECONDS).written().size());

        vm.scopeProperty().set(ExportViewModel.Scope.ALL);
        vm.refresh().get(10, TimeUnit.SECONDS);
        assertTrue(vm.files().size() >= first.written().size());
    }

    @Test
    void aTemplateMakesANewAgentWithAFreeIdAndBrokenTemplateFilesAreShown() throws Exception {
        TestHome.write(Templates.userDir(home.workspace()).resolve("broken.json"), "{\"id\": \"broken\"");
        NewFromTemplateViewModel vm = new NewFromTemplateViewModel(engine, Runnable::run, MSG);
        vm.load().get(10, TimeUnit.SECONDS);
        assertTrue(vm.problemsProperty().get().contains("broken.json"), vm.problemsProperty().get());
        Templates.Template shell = vm.templates().stream().filter(t -> t.id().equals("shell-command")).findFirst()
                .orElseThrow();
        assertEquals("built in", vm.origin(shell));

        vm.selectedProperty().set(shell);
        assertEquals("shell-command", vm.idProperty().get());
        vm.idProperty().set("db");
        assertFalse(vm.canCreateProperty().get(), "db is taken");
        vm.idProperty().set("runner");
        AgentSpec spec = vm.spec();

        assertNotNull(spec);
        assertEquals("runner", spec.id());
        assertEquals("sh", spec.command());
        assertEquals(List.of("db", "api"), ids(), "nothing is added until the editor saves");
    }

    @Test
    void saveAsTemplateWritesAUserTemplateAndShowsARefusal() throws Exception {
        SaveTemplateViewModel vm = new SaveTemplateViewModel(engine, Runnable::run, "db", "db", "Database");
        vm.idProperty().set("Not An Id");
        assertThrows(ExecutionException.class, () -> vm.save().get(10, TimeUnit.SECONDS));
        assertTrue(vm.errorProperty().get().contains("template id"), vm.errorProperty().get());

        vm.idProperty().set("my-db");
        vm.descriptionProperty().set("the database, as I run it");
        vm.save().get(10, TimeUnit.SECONDS);

        Templates.Template t = engine.templates().get(10, TimeUnit.SECONDS).find("my-db");
        assertNotNull(t);
        assertFalse(t.builtIn());
        assertEquals("the database, as I run it", t.description());
        assertEquals("", vm.errorProperty().get());
    }
}
