package dev.agentdeck.cli;

import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code agentdeck serve --tls} as a real process, reached by {@code agentdeck ctl} over https with pinning. */
class TlsServeCtlTest {
    @TempDir
    Path tmp;
    private TestHome home;
    private final List<Process> serves = new ArrayList<>();

    @AfterEach
    void tearDown() {
        serves.forEach(Process::destroy);
        serves.forEach(p -> {
            try {
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.destroyForcibly();
        });
    }

    private Process serve(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                "dev.agentdeck.Main", "--home", home.dir().toString(), "serve"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(serveOutput(serves.size()).toFile()).start();
        serves.add(p);
        return p;
    }

    private Path serveOutput(int n) {
        return tmp.resolve("serve-" + n + ".out");
    }

    @Test
    void anAddressOtherMachinesCanReachNeedsTls() throws Exception {
        home = new TestHome(tmp.resolve("home"));
        Process p = serve("--api-address", "0.0.0.0", "--api-port", "0");
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "serve ended");
        assertEquals(2, p.exitValue());
        String said = Files.readString(serveOutput(0));
        assertTrue(said.contains("--api-address 0.0.0.0 can be reached from other machines"), said);
        assertTrue(said.contains("add --tls") && said.contains("SSH tunnel") && said.contains("127.0.0.1"), said);
        assertFalse(Files.exists(home.workspace().apiJson()), "nothing listened");
        assertFalse(Files.exists(home.workspace().engineLock()), "refused before taking the home");
    }
}
