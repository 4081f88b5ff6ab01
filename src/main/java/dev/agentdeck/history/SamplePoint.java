package dev.agentdeck.history;

import java.time.Instant;

/** One point of a resource chart: the samples of one time bucket, averaged and at their peak. */
public record SamplePoint(Instant time, double cpuAvg, double cpuMax, long rssAvg, long rssMax, double threadsAvg) {
}
