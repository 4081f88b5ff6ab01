package dev.agentdeck.testutil;

import dev.agentdeck.config.Workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A test's own --home folder with helpers to write agents.json and small agent scripts into it. */
public final class TestHome {
    private final Path dir;

    public TestHome(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Workspace workspace() {
        return Workspace.home(dir);
    }

    public Path agentsFile() {
        return dir.resolve("agents.json");
    }

    public TestHome agentsJson(String json) {
        write(agentsFile(), json);
        return this;
    }

    /** Writes an executable /bin/sh script into {@code bin/NAME} and returns its path. */
    public Path script(String name, String body) {
        Path p = dir.resolve("bin").resolve(name);
        write(p, "#!/bin/sh\n" + body + "\n");
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    public Path file(String relative) {
        return dir.resolve(relative);
    }

    public String read(String relative) {
        try {
            return Files.readString(dir.resolve(relative));
        } catch (IOException e) {
            return "";
        }
    }

    public byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
