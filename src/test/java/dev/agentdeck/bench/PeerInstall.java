package dev.agentdeck.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the peers, installing the missing ones: Debian's {@code supervisor} package with apt-get when we are
 * root (otherwise the command to run is named), and PM2 from npm into {@code ~/.cache/agentdeck-bench/pm2}
 * (whatever version npm offers). Installing the package never starts its system service here: the peer
 * benchmark runs its own supervisord on its own config.
 */
final class PeerInstall {
    static final Path PM2_PREFIX = Path.of(System.getProperty("user.home"), ".cache", "agentdeck-bench", "pm2");

    private PeerInstall() {
    }

    /** Where the peers are and which versions they are. */
    record Peers(String supervisord, String supervisorctl, String supervisordVersion, List<String> pm2,
                 String pm2Version) {
    }

    static Peers ensure(Path scratch) throws IOException, InterruptedException {
        Optional<Path> supervisord = onPath("supervisord");
        if (supervisord.isEmpty()) {
            if (!isRoot()) {
                throw new IllegalStateException("supervisord is not installed: run sudo apt-get install -y supervisor");
            }
            System.out.println("installing supervisor: apt-get update && apt-get install -y supervisor");
            run(List.of("apt-get", "update"), Duration.ofMinutes(5));
            run(List.of("apt-get", "install", "-y", "supervisor"), Duration.ofMinutes(10));
            supervisord = onPath("supervisord");
            if (supervisord.isEmpty()) {
                throw new IllegalStateException("apt-get install -y supervisor left no supervisord on the PATH");
            }
        }
        Path ctl = onPath("supervisorctl").orElseThrow(() -> new IllegalStateException("supervisorctl is missing"));
        Cli.Run v = Cli.run(List.of(supervisord.get().toString(), "-v"), Map.of(), scratch, Duration.ofSeconds(30));
        String supervisordVersion = v.output().strip();

        Path pm2 = PM2_PREFIX.resolve("node_modules/.bin/pm2");
        if (!Files.isExecutable(pm2)) {
            if (onPath("npm").isEmpty()) {
                throw new IllegalStateException("PM2 needs npm: run sudo apt-get install -y npm");
            }
            System.out.println("installing PM2: npm install --prefix " + PM2_PREFIX + " pm2");
            Files.createDirectories(PM2_PREFIX);
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", PM2_PREFIX.toString(), "pm2"),
                    Duration.ofMinutes(10));
        }
        String pm2Version = new ObjectMapper().readTree(PM2_PREFIX.resolve("node_modules/pm2/package.json").toFile())
                .path("version").asText("unknown");
        System.out.println("peers: supervisord " + supervisordVersion + " (" + supervisord.get() + "), PM2 " + pm2Version
                + " (" + pm2 + ")");
        return new Peers(supervisord.get().toString(), ctl.toString(), supervisordVersion, List.of(pm2.toString()),
                pm2Version);
    }

    static Optional<Path> onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u").start();
        String uid = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return uid.equals("0");
    }

    private static void run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took longer than " + timeout.toSeconds() + " s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + p.exitValue());
        }
    }
}
