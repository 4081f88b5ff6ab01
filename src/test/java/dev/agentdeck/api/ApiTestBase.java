package dev.agentdeck.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.config.Json;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real engine on the test's own temp --home behind a real API on a free loopback port, and an HTTP client. */
abstract class ApiTestBase {
    static final Duration WAIT = Duration.ofSeconds(15);
    @TempDir
    Path tmp;
    TestHome home;
    LocalEngine engine;
    ApiServer api;
    final HttpClient http = HttpClient.newHttpClient();
    final List<Long> started = new ArrayList<>();

    /** A reply: status and JSON body. */
    record Resp(int status, JsonNode body) {
        JsonNode data() {
            return body.get("data");
        }

        String error() {
            return body.path("error").asText();
        }

        List<String> details() {
            List<String> out = new ArrayList<>();
            body.path("details").forEach(d -> out.add(d.asText()));
            return out;
        }
    }

    @BeforeEach
    void setUpHome() {
        home = new TestHome(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (api != null) {
            api.close();
        }
        dev.agentdeck.testutil.Engines.stopAndClose(engine, started);
    }

    void open(String agentsJson) throws IOException {
        open(agentsJson, new ApiOptions(true, "127.0.0.1", 0, true, true));
    }

    void open(String agentsJson, ApiOptions options) throws IOException {
        if (agentsJson != null) {
            home.agentsJson(agentsJson);
        }
        engine = LocalEngine.open(home.workspace());
        api = ApiServer.start(engine, home.workspace(), options, "serve", null);
    }

    String url(String path) {
        return api.url() + path;
    }

    Resp get(String path) throws Exception {
        return send(base(path).GET().build());
    }

    /** {@link #get} for conditions that are polled: a failed request fails the test. */
    Resp fetch(String path) {
        try {
            return get(path);
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " failed", e);
        }
    }

    Resp post(String path, String body) throws Exception {
        return send(base(path).POST(body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build());
    }

    Resp put(String path, String body) throws Exception {
        return send(base(path).PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build());
    }

    Resp delete(String path) throws Exception {
        return send(base(path).DELETE().build());
    }

    HttpRequest.Builder base(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60));
        return api.token() == null ? b : b.header("Authorization", "Bearer " + api.token());
    }

    Resp send(HttpRequest r) throws Exception {
        HttpResponse<byte[]> resp = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = resp.body().length == 0 ? null : Json.MAPPER.readTree(resp.body());
        return new Resp(resp.statusCode(), body);
    }

    /** Remembers the PID an agent runs as, so teardown kills it if the test left it. */
    long pidOf(Resp r) {
        long pid = r.data().path("pid").asLong();
        if (pid > 0) {
            started.add(pid);
        }
        return pid;
    }
}
