package dev.agentdeck.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.config.Json;
import dev.agentdeck.testutil.Await;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Following an agent's log over SSE: the backlog, then new lines once each; a reader that stalls is dropped. */
class LogStreamTest extends ApiTestBase {

    @Test
    void followSendsTheLastLinesThenEachNewLineOnce() throws Exception {
        home.script("tick", "i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo \"INFO early $i\"; done; "
                + "while [ ! -f \"" + tmp + "/go\" ]; do sleep 0.05; done; "
                + "echo 'ERROR late'; echo 'INFO later'; exec sleep 300");
        open("""
                {"version": 1, "agents": [{"id": "t", "command": "bin/tick"}]}
                """);
        pidOf(post("/api/spawn/process/t/start", null));
        Await.until("the early lines are written", WAIT,
                () -> SpawnApiTest.texts(fetch("/api/spawn/process/t/logs")).contains("INFO early 3"));
        List<JsonNode> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ApiClient client = new ApiClient(api.url(), api.token());
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            try {
                return client.stream("/api/spawn/process/t/logs?follow=true&lines=50", null, e -> {
                    try {
                        lines.add(Json.MAPPER.readTree(e.data()));
                    } catch (Exception ex) {
                        throw new AssertionError(ex);
                    }
                    return !stop.get();
                });
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
        });
        Await.until("the backlog arrived", WAIT, () -> texts(lines).contains("INFO early 3"));
        int backlog = lines.size();
        assertEquals(4, backlog, "three early lines and AgentDeck's start marker: " + texts(lines));
        java.nio.file.Files.writeString(tmp.resolve("go"), "");
        Await.until("the new lines arrived", WAIT, () -> texts(lines).contains("INFO later"));
        assertEquals(List.of("ERROR late", "INFO later"), texts(lines).subList(backlog, lines.size()), "each once, in order");
        assertEquals("error", lines.get(backlog).get("level").asText());
        stop.set(true);
        assertEquals(400, get("/api/spawn/process/t/logs?follow=maybe").status());
        assertEquals(404, get("/api/spawn/process/nope/logs?follow=true").status());
    }

    @Test
    void aFollowerThatStopsReadingIsDroppedWhileTheAgentFloods() throws Exception {
        home.script("flood", "line=$(head -c 30000 /dev/zero | tr '\\\\0' x); while :; do echo \"$line\"; done");
        open("""
                {"version": 1, "agents": [{"id": "f", "command": "bin/flood"}]}
                """);
        pidOf(post("/api/spawn/process/f/start", null));
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(1024);
            slow.connect(new InetSocketAddress("127.0.0.1", api.port()));
            slow.getOutputStream().write(("GET /api/spawn/process/f/logs?follow=true HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + api.token() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = slow.getInputStream();
            byte[] head = new byte[12];
            assertEquals(12, in.readNBytes(head, 0, 12));
            assertTrue(new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
            Await.until("the stalled follower was dropped", Await.LONG, () -> logStreams() == 0);
            // the API still answers at once
            assertEquals(200, get("/api/spawn/process/f").status());
        }
        assertEquals(200, post("/api/spawn/process/f/stop", null).status());
    }

    private static List<String> texts(List<JsonNode> lines) {
        return lines.stream().map(l -> l.get("text").asText()).toList();
    }

    private int logStreams() {
        return fetch("/api/spawn/metrics").data().at("/api/logStreams").asInt();
    }
}
