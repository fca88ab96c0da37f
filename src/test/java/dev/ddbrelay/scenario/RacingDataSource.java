package dev.ddbrelay.scenario;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A data source whose connections let another writer act at a chosen moment: right after the first query that
 * reads a given table, it runs statements on a connection of its own, as a concurrent writer would.
 */
final class RacingDataSource {

    private RacingDataSource() {
    }

    static DataSource afterFirst(SinkDatabase database, String table, String... concurrentStatements) {
        AtomicBoolean done = new AtomicBoolean();
        return (DataSource) Proxy.newProxyInstance(RacingDataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return connection(DriverManager.getConnection(database.url()), database, table, concurrentStatements, done);
                    }
                    if (method.getName().equals("isWrapperFor")) {
                        return false;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Connection connection(Connection real, SinkDatabase database, String table, String[] concurrent,
                                         AtomicBoolean done) {
        return (Connection) Proxy.newProxyInstance(RacingDataSource.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, real, args);
                    if (method.getName().equals("prepareStatement") && ((String) args[0]).startsWith("SELECT")
                            && ((String) args[0]).contains(table)) {
                        PreparedStatement statement = (PreparedStatement) result;
                        return Proxy.newProxyInstance(RacingDataSource.class.getClassLoader(),
                                new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
                                    Object answer = invoke(m, statement, a);
                                    if (m.getName().equals("executeQuery") && done.compareAndSet(false, true)) {
                                        try (Connection other = database.connect(); Statement write = other.createStatement()) {
                                            for (String sql : concurrent) {
                                                write.execute(sql);
                                            }
                                        }
                                    }
                                    return answer;
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
