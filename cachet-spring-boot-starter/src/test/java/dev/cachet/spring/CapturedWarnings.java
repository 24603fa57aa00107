package dev.cachet.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The warnings (and worse) logged under one logger during each test, for tests that assert what
 * Cachet logs. Register it as an instance field with {@code @RegisterExtension}. Thread-safe.
 */
final class CapturedWarnings implements BeforeEachCallback, AfterEachCallback {
  private final Logger log; // held: the logging framework keeps loggers only weakly
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        records.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  CapturedWarnings(String loggerName) {
    this.log = Logger.getLogger(loggerName);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    log.addHandler(handler);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    log.removeHandler(handler);
  }

  /** The records captured so far. */
  List<LogRecord> records() {
    return records;
  }

  /** Their messages, in order. */
  List<String> messages() {
    return records.stream().map(LogRecord::getMessage).toList();
  }
}
