package dev.ddbrelay.scenario;

import java.util.List;
import java.util.Map;

/** The scenario tools for tests in other packages: the Lambda-style invoker and the sample events. */
public final class ScenarioSupport {

    private ScenarioSupport() {
    }

    /** Starts the application with these properties; invokes it as Lambda does. */
    public static Invoker invoker(Map<String, String> properties) {
        return new Invoker(new RelayInvoker(properties));
    }

    public static String sample(String name) {
        return Events.sample(name);
    }

    /** Calls the function with raw event JSON. */
    public static final class Invoker {
        private final RelayInvoker invoker;

        private Invoker(RelayInvoker invoker) {
            this.invoker = invoker;
        }

        /** The sequence numbers the function reported as failed. */
        public List<String> failures(String event) {
            return invoker.failures(invoker.invoke(event));
        }
    }
}
