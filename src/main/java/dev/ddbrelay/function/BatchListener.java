package dev.ddbrelay.function;

import dev.ddbrelay.sink.BatchResult;

/**
 * Told the result of every batch when the Lambda context of the invocation is one: a local run (the command line)
 * passes such a context to count what it applied. Lambda's own context is not one.
 */
public interface BatchListener {

    void batchWritten(BatchResult result);
}
