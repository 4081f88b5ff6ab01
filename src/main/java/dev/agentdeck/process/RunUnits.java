package dev.agentdeck.process;

import dev.agentdeck.core.Containment;
import dev.agentdeck.os.CgroupV2;
import dev.agentdeck.os.ProcSnapshot;
import dev.agentdeck.os.ProcessTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Makes the {@link RunUnit} of each run and keeps tracked units current. On Linux with a cgroup v2 tree this
 * user may write to, every run gets a cgroup of its own under {@code <engine's cgroup>/agentdeck-<home key>/}
 * ({@link Containment.Mode#CGROUP}); elsewhere (containers, no delegation, {@code "containment": "tracked"} in
 * settings.json) the engine, as child subreaper, records each run's processes on every scan of the process
 * table ({@link Containment.Mode#TRACKED}). Which one this engine got, and why, is {@link #info()}.
 */
final class RunUnits implements ProcessMonitor.ScanListener {
    private static final Logger LOG = LoggerFactory.getLogger(RunUnits.class);
    static final String RUN_PREFIX = "run-";

    private final Containment info;
    private final CgroupV2 hierarchy;
    /** The folder this home's run cgroups are made in (CGROUP only). */
    private final Path homeGroup;
    private final ProcessTable table;
    /** Live runs whose units are tracked, by agent id: recorded on every scan. */
    private final Map<String, StopTarget> tracked = new ConcurrentHashMap<>();

    private RunUnits(Containment info, CgroupV2 hierarchy, Path homeGroup, ProcessTable table) {
        this.info = info;
        this.hierarchy = hierarchy;
        this.homeGroup = homeGroup;
        this.table = table;
    }

    /**
     * Finds the strongest containment this engine can have for the home whose data folder is {@code dataDir}.
     *
     * @param setting "auto" (cgroup v2 where possible) or "tracked" (never make cgroups)
     * @param subreaper whether the engine became the child subreaper of its agents
     */
    static RunUnits detect(Path dataDir, ProcessTable table, String setting, boolean subreaper) {
        if (!com.sun.jna.Platform.isLinux()) {
            return new RunUnits(new Containment(Containment.Mode.GROUPS, null, "not Linux"), null, null, table);
        }
        String why = subreaper ? "" : "; not child subreaper, so orphans go to PID 1";
        if ("tracked".equals(setting)) {
            return tracked("chosen in settings.json (\"containment\": \"tracked\")" + why, table);
        }
        Optional<CgroupV2> found = CgroupV2.find();
        if (found.isEmpty()) {
            return tracked("no cgroup v2 file system is mounted" + why, table);
        }
        CgroupV2 h = found.get();
        Optional<Path> own = h.cgroupOf(ProcessHandle.current().pid());
        if (own.isEmpty()) {
            return tracked("this engine's own cgroup is not under " + h.mountPoint() + why, table);
        }
        Path group = own.get().resolve("agentdeck-" + homeKey(dataDir));
        try {
            CgroupV2.create(own.get(), group.getFileName().toString());
            probe(group);
        } catch (IOException e) {
            return tracked("cannot make and enter a cgroup in " + own.get() + ": " + e.getMessage()
                    + " (no delegation to this user, or a read-only cgroup file system as in most containers)" + why, table);
        }
        return new RunUnits(new Containment(Containment.Mode.CGROUP, group.toString(), "cgroup v2 at " + h.mountPoint()
                + " is writable"), h, group, table);
    }

    private static RunUnits tracked(String reason, ProcessTable table) {
        return new RunUnits(new Containment(Containment.Mode.TRACKED, null, reason), null, null, table);
    }

    /** Moves a throw-away process into a throw-away cgroup, as every launch will: the only sure test of the rights. */
    private static void probe(Path group) throws IOException {
        Path dir = CgroupV2.create(group, "probe-" + ProcessHandle.current().pid());
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", Launcher.ENTER_CGROUP + " true", dir.toString())
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            boolean done = p.waitFor(5, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readNBytes(500), StandardCharsets.UTF_8).trim();
            if (!done) {
                p.destroyForcibly();
                throw new IOException("moving a process into " + dir + " did not finish in 5 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(out.isEmpty() ? "moving a process into " + dir + " failed" : out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            CgroupV2.remove(dir);
        }
    }

    /** A short, stable name for a home: the first 12 hex digits of the SHA-256 of its data folder's path. */
    static String homeKey(Path dataDir) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(dataDir.toAbsolutePath().normalize().toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Containment info() {
        return info;
    }

    /** A new unit for a run of {@code agentId} about to be launched. */
    RunUnit newUnit(String agentId) {
        if (homeGroup == null) {
            return new TrackedUnit();
        }
        try {
            return new CgroupUnit(CgroupV2.create(homeGroup, RUN_PREFIX + agentId + "-" + System.currentTimeMillis()));
        } catch (IOException e) {
            LOG.warn("agent {}: cannot make its run cgroup in {} ({}); its processes are tracked instead", agentId, homeGroup,
                    e.getMessage());
            return new TrackedUnit();
        }
    }

    /** The unit of a process found running (adoption): its cgroup when that is one of this home's run cgroups. */
    RunUnit unitOf(String agentId, long pid) {
        if (hierarchy == null) {
            return new TrackedUnit();
        }
        return hierarchy.cgroupOf(pid).filter(dir -> ours(agentId, dir)).<RunUnit>map(CgroupUnit::new)
                .orElseGet(TrackedUnit::new);
    }

    /**
     * The run cgroup a PID file recorded, when it is one of this home's for that agent (a PID file is text on
     * disk: a path it names is never trusted beyond that), else empty.
     */
    Optional<CgroupUnit> recorded(String agentId, String cgroupPath) {
        if (hierarchy == null || cgroupPath == null || cgroupPath.isBlank()) {
            return Optional.empty();
        }
        Path dir = Path.of(cgroupPath).toAbsolutePath().normalize();
        return ours(agentId, dir) ? Optional.of(new CgroupUnit(dir)) : Optional.empty();
    }

    /** A run cgroup of this home ({@code .../agentdeck-<key>/run-<agentId>-<millis>}) that exists. */
    private boolean ours(String agentId, Path dir) {
        Path parent = dir.getParent();
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        return parent != null && homeGroup != null && parent.getFileName().equals(homeGroup.getFileName())
                && name.startsWith(RUN_PREFIX + agentId + "-") && name.substring(RUN_PREFIX.length() + agentId.length() + 1)
                .chars().allMatch(Character::isDigit) && hierarchy.contains(dir);
    }

    /** The run cgroups left in this engine's folder by earlier engines, by the agent id their names carry. */
    List<Map.Entry<String, CgroupUnit>> leftInFolder(java.util.Collection<String> agentIds) {
        List<Map.Entry<String, CgroupUnit>> out = new ArrayList<>();
        if (homeGroup == null) {
            return out;
        }
        try (var dirs = Files.newDirectoryStream(homeGroup, RUN_PREFIX + "*")) {
            for (Path d : dirs) {
                for (String id : agentIds) {
                    if (ours(id, d)) {
                        out.add(Map.entry(id, new CgroupUnit(d)));
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", homeGroup, e.getMessage());
        }
        return out;
    }

    /** Records the run's tree on every scan from now on, for a tracked unit. */
    void track(StopTarget target) {
        if (target.unit() instanceof TrackedUnit) {
            tracked.put(target.agentId(), target);
        }
    }

    void untrack(String agentId, RunUnit unit) {
        tracked.computeIfPresent(agentId, (k, t) -> t.unit() == unit ? null : t);
    }

    /** Removes this home's cgroup folder when no run cgroup is left in it (agents left running keep theirs). */
    void close() {
        if (homeGroup != null) {
            CgroupV2.remove(homeGroup);
        }
    }

    @Override
    public void onScan(ProcSnapshot snap) {
        for (StopTarget t : tracked.values()) {
            t.unit().record(t.members(snap, table));
        }
    }
}
