package dev.ddbrelay.function;

import com.amazonaws.services.lambda.runtime.Context;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Source;
import dev.ddbrelay.sink.BatchResult;
import dev.ddbrelay.sink.Outcome;
import dev.ddbrelay.sink.SinkWriter;
import dev.ddbrelay.source.ExportLines;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one data file of a DynamoDB export into the sink, as the command line's {@code backfill} does: line by line in
 * constant memory, in batches, exported items at the export time, broken lines dead-lettered with the file and line
 * number. Written beside the stream ({@link Source#EXPORT}), so a removal the stream writes meanwhile wins. Running
 * it again on the same file changes nothing.
 *
 * <p>Inside Lambda it stops reading when the invocation's time runs short and answers with the line to go on from.
 */
final class ExportFileLoader {

    /** Opens an export file as stored (gzipped or not). */
    interface Files {
        /** @throws FileNotFoundException when there is no such file */
        InputStream open(String bucket, String key) throws IOException;
    }

    static final int BATCH_SIZE = 5000;
    /** Time an invocation keeps for its last batch and its answer. */
    private static final long STOP_MARGIN_MILLIS = 60_000;

    private static final Logger log = LoggerFactory.getLogger(ExportFileLoader.class);

    private final Function<String, SinkWriter> writers;
    private final Files files;

    /** @param writers the writer for a sink table, or for the configured one when given null */
    ExportFileLoader(Function<String, SinkWriter> writers, Files files) {
        this.writers = writers;
        this.files = files;
    }

    /**
     * @param context the invocation's Lambda context; null outside Lambda (no time limit, no waiting for the sink)
     * @throws TransientFailureException when the sink stays unavailable or reading the file broke off: run it again
     * @throws IllegalArgumentException when there is no such file
     */
    ExportFileResult load(ExportFileRequest request, Context context) {
        long started = System.nanoTime();
        String file = request.file();
        ExportLines decoder = new ExportLines(request.dynamodbTable(), request.keyAttributes(),
                ChronoUnit.MICROS.between(java.time.Instant.EPOCH, request.exportTime()));
        Tally tally = new Tally(request.resume());
        SinkWriter writer = writers.apply(request.sinkTable());
        long firstLine = request.firstLine();
        long lineNumber = 0;
        long slowestWrite = 0;
        try (BufferedReader reader = open(request)) {
            List<Decoded> batch = new ArrayList<>(BATCH_SIZE);
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (lineNumber < firstLine) {
                    continue; // loaded by an earlier invocation
                }
                tally.lines++;
                if (line.isBlank()) {
                    continue;
                }
                batch.add(decoder.decode(line, file, lineNumber, batch.size()));
                if (batch.size() >= BATCH_SIZE) {
                    slowestWrite = Math.max(slowestWrite, write(writer, batch, tally, context, file));
                    batch.clear();
                    if (timeIsShort(context, slowestWrite)) {
                        return finish(tally, request, lineNumber + 1, started);
                    }
                }
            }
            write(writer, batch, tally, context, file);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (java.util.zip.ZipException e) {
            // Not gzip, or corrupt: reading it again gives the same. (A read broken off ends early instead: retried.)
            throw new IllegalArgumentException(file + " is not a readable gzip file after line " + lineNumber + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new TransientFailureException(file + " could not be read after line " + lineNumber + ": " + e.getMessage(), e);
        }
        return finish(tally, request, null, started);
    }

    private BufferedReader open(ExportFileRequest request) throws IOException {
        InputStream stored = files.open(request.bucket(), request.key());
        InputStream data = request.key().endsWith(".gz") ? new GZIPInputStream(stored, 65536) : stored;
        return new BufferedReader(new InputStreamReader(data, StandardCharsets.UTF_8), 65536);
    }

    /** Writes a batch, retrying what the sink failed while the invocation has time; returns how long it took (ms). */
    private static long write(SinkWriter writer, List<Decoded> batch, Tally tally, Context context, String file) {
        long started = System.nanoTime();
        List<Decoded> pending = batch;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            BatchResult result = writer.write(pending, Source.EXPORT);
            tally.add(result);
            if (result.firstFailed() == null) {
                break;
            }
            long pause = StreamBatches.pause(attempt);
            if (context == null || context.getRemainingTimeInMillis() < pause + STOP_MARGIN_MILLIS) {
                throw new TransientFailureException("the sink failed while " + file + " was loaded (at line "
                        + result.firstFailed().sequenceNumber() + "): " + result.failure());
            }
            log.warn("{}: the sink failed ({}); writing again in {} s", file, result.failure(), pause / 1000);
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransientFailureException("interrupted while waiting for the sink", e);
            }
            int from = 0;
            while (pending.get(from).origin() != result.firstFailed()) {
                from++;
            }
            pending = new ArrayList<>(pending.subList(from, pending.size()));
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** True when the invocation may not have time for another batch and its answer. */
    private static boolean timeIsShort(Context context, long slowestWriteMillis) {
        return context != null && context.getRemainingTimeInMillis() < STOP_MARGIN_MILLIS + 2 * slowestWriteMillis;
    }

    private static ExportFileResult finish(Tally tally, ExportFileRequest request, Long nextLine, long started) {
        ExportFileResult result = tally.result(request, nextLine, (System.nanoTime() - started) / 1_000_000);
        log.info("export file {}: {} lines, {} items, {} applied, {} stale, {} dead-lettered{}; {} ms", result.file(),
                result.lines(), result.items(), result.applied(), result.stale(), result.deadLettered(),
                nextLine == null ? "" : "; time is short, to go on at line " + nextLine, result.millis());
        return result;
    }

    /** Counts of the file so far, those of earlier invocations included. */
    private static final class Tally {
        long lines;
        long items;
        long applied;
        long stale;
        long deadLettered;
        long valuesInAux;
        final long earlierMillis;

        Tally(ExportFileResult earlier) {
            if (earlier != null) {
                lines = earlier.lines();
                items = earlier.items();
                applied = earlier.applied();
                stale = earlier.stale();
                deadLettered = earlier.deadLettered();
                valuesInAux = earlier.valuesInAux();
            }
            earlierMillis = earlier == null ? 0 : earlier.millis();
        }

        /** Adds what a write handled; records it failed are written again and counted then. */
        void add(BatchResult result) {
            items += result.total() - result.count(Outcome.FAILED);
            applied += result.count(Outcome.APPLIED);
            stale += result.count(Outcome.STALE);
            deadLettered += result.count(Outcome.DEAD_LETTERED);
            valuesInAux += result.valuesInAux();
        }

        ExportFileResult result(ExportFileRequest request, Long nextLine, long millis) {
            return new ExportFileResult(request.file(), lines, items, applied, stale, deadLettered, valuesInAux,
                    nextLine == null, nextLine, earlierMillis + millis);
        }
    }
}
