package dev.ddbrelay.cli;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.ddbrelay.function.BatchListener;
import dev.ddbrelay.sink.BatchResult;
import dev.ddbrelay.sink.OutcomeTotals;
import java.util.UUID;

/** The Lambda context of local invocations; counts what the function applied. */
final class LocalContext implements Context, BatchListener {

    private final String requestId = UUID.randomUUID().toString();
    private final OutcomeTotals totals = new OutcomeTotals();
    /** The time a local invocation may take, waiting out a short outage of the sink included. */
    static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(60);
    private long deadline = System.nanoTime() + TIMEOUT.toNanos();

    @Override
    public void batchWritten(BatchResult result) {
        totals.add(result);
    }

    OutcomeTotals totals() {
        return totals;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "local";
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return "dynamodb-cratedb-relay";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:local:000000000000:function:dynamodb-cratedb-relay";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
    }

    /** An invocation starts: it has {@link #TIMEOUT} from now, as a Lambda function configured so would. */
    void newInvocation() {
        deadline = System.nanoTime() + TIMEOUT.toNanos();
    }

    @Override
    public int getMemoryLimitInMB() {
        return (int) (Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.err.print(message);
            }

            @Override
            public void log(byte[] message) {
                System.err.write(message, 0, message.length);
            }
        };
    }
}
