package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cachet;
import dev.cachet.spring.autoconfigure.CachetAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Method caching inside Spring transactions: invalidations run once the transaction has
 * completed, never before its commit, and a read-write transaction neither stores what it loads
 * nor reads an entry it has invalidated. Spring's own transaction machinery, over a transaction
 * manager without a database that reports each commit.
 */
class TransactionsTest {
  /** Spring's transaction management over no resource; tells a listener of each commit. */
  static final class CommitReporting extends AbstractPlatformTransactionManager {
    private static final long serialVersionUID = 1L;
    final List<Runnable> onCommit = new ArrayList<>();

    @Override
    protected Object doGetTransaction() {
      return new Object();
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {}

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
      onCommit.forEach(Runnable::run);
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {}
  }

  public static class Items {
    private final AtomicInteger loads = new AtomicInteger();

    public int loads() {
      return loads.get();
    }

    @Cached(ttl = "5m", key = "item:{id}")
    public String item(long id) {
      return "item " + id + " v" + loads.incrementAndGet();
    }

    @Transactional
    @Cached(ttl = "5m", key = "tx-item:{id}")
    public String transactionalItem(long id) {
      return "tx-item " + id + " v" + loads.incrementAndGet();
    }

    @InvalidateCache(keys = "item:{id}")
    public void changed(long id) {}

    @Transactional
    @InvalidateCache(keys = "item:{id}")
    public void update(long id) {}

    /** A write whose future the test completes. */
    @InvalidateCache(keys = "item:{id}")
    public CompletableFuture<Void> changedLater(long id, CompletableFuture<Void> written) {
      return written;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableTransactionManagement
  static class App {
    @Bean
    CommitReporting transactionManager() {
      return new CommitReporting();
    }

    @Bean
    Items items() {
      return new Items();
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class))
      .withUserConfiguration(App.class);

  private void run(Consumer<ApplicationContext> test) {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      test.accept(context);
    });
  }

  private static TransactionTemplate template(ApplicationContext context, boolean readOnly) {
    TransactionTemplate t = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
    t.setReadOnly(readOnly);
    return t;
  }

  private static String read(ApplicationContext context, boolean readOnly, java.util.function.Supplier<String> call) {
    return template(context, readOnly).execute(status -> call.get());
  }

  @Test
  void aTransactionalMethodInvalidatesAfterItsCommit() {
    run(context -> {
      Items items = context.getBean(Items.class);
      Cachet cachet = context.getBean(Cachet.class);
      List<Boolean> presentAtCommit = new ArrayList<>();
      context.getBean(CommitReporting.class).onCommit.add(() -> presentAtCommit.add(cachet.exists("item:1")));
      items.item(1);
      assertThat(cachet.exists("item:1")).isTrue();

      items.update(1);

      assertThat(presentAtCommit).containsExactly(true);
      assertThat(cachet.exists("item:1")).isFalse();
    });
  }

  @Test
  void anInvalidationInsideAnOuterTransactionWaitsForItsCompletion() {
    run(context -> {
      Items items = context.getBean(Items.class);
      Cachet cachet = context.getBean(Cachet.class);
      items.item(1);
      items.item(2);

      template(context, false).executeWithoutResult(status -> {
        items.changed(1);
        assertThat(cachet.exists("item:1")).isTrue(); // a reader now still gets the committed value
      });
      assertThat(cachet.exists("item:1")).isFalse();

      template(context, false).executeWithoutResult(status -> {
        items.changed(2);
        status.setRollbackOnly();
      });
      // A rolled-back method may still have changed what no transaction covers.
      assertThat(cachet.exists("item:2")).isFalse();
    });
  }

  @Test
  void aReadWriteTransactionDoesNotStoreWhatItLoads() {
    run(context -> {
      Items items = context.getBean(Items.class);
      Cachet cachet = context.getBean(Cachet.class);

      String inside = template(context, false).execute(status -> items.item(3));
      assertThat(inside).isEqualTo("item 3 v1");
      assertThat(cachet.exists("item:3")).isFalse(); // it may have read rows that roll back

      assertThat(items.item(3)).isEqualTo("item 3 v2");
      assertThat(items.item(3)).isEqualTo("item 3 v2");
      // A committed entry is read inside a read-write transaction that invalidated nothing.
      assertThat(read(context, false, () -> items.item(3))).isEqualTo("item 3 v2");
      assertThat(items.loads()).isEqualTo(2); // a proxy: its fields are not the bean's
    });
  }

  @Test
  void aReadWriteTransactionThatInvalidatedAKeyReadsAroundTheCache() {
    run(context -> {
      Items items = context.getBean(Items.class);
      assertThat(items.item(4)).isEqualTo("item 4 v1");

      String reread = template(context, false).execute(status -> {
        items.changed(4);
        return items.item(4);
      });
      assertThat(reread).isEqualTo("item 4 v2"); // its own change, not the entry it invalidated
    });
  }

  @Test
  void aReadOnlyTransactionUsesTheCache() {
    run(context -> {
      Items items = context.getBean(Items.class);
      Cachet cachet = context.getBean(Cachet.class);
      assertThat(read(context, true, () -> items.item(5))).isEqualTo("item 5 v1");
      assertThat(cachet.exists("item:5")).isTrue();
      assertThat(read(context, true, () -> items.item(5))).isEqualTo("item 5 v1");
    });
  }

  @Test
  void aCachedTransactionalMethodStoresWhatItsOwnTransactionCommitted() {
    run(context -> {
      Items items = context.getBean(Items.class);
      Cachet cachet = context.getBean(Cachet.class);
      List<Boolean> presentAtCommit = new ArrayList<>();
      context.getBean(CommitReporting.class).onCommit.add(() -> presentAtCommit.add(cachet.exists("tx-item:6")));

      assertThat(items.transactionalItem(6)).isEqualTo("tx-item 6 v1");
      assertThat(presentAtCommit).containsExactly(false); // stored after the commit, not inside
      assertThat(cachet.exists("tx-item:6")).isTrue();
      assertThat(items.transactionalItem(6)).isEqualTo("tx-item 6 v1");
      assertThat(presentAtCommit).hasSize(1); // a hit starts no transaction
    });
  }

  @Test
  void aFutureWriteInsideAnOuterTransactionInvalidatesOnlyOnceBothTheCommitAndTheFutureAreDone() {
    run(context -> {
      Items items = context.getBean(Items.class);
      Cachet cachet = context.getBean(Cachet.class);
      List<Boolean> presentAtCommit = new ArrayList<>();
      context.getBean(CommitReporting.class).onCommit.add(() -> presentAtCommit.add(cachet.exists("item:7")));
      items.item(7);
      items.item(8);

      // The future completes first: the invalidation waits for the commit.
      template(context, false).executeWithoutResult(status -> {
        items.changedLater(7, CompletableFuture.completedFuture(null)).join();
        assertThat(cachet.exists("item:7")).isTrue(); // a reader now still gets the committed value
      });
      assertThat(presentAtCommit).containsExactly(true);
      assertThat(cachet.exists("item:7")).isFalse();

      // The commit comes first: the invalidation waits for the future.
      CompletableFuture<Void> written = new CompletableFuture<>();
      template(context, false).executeWithoutResult(status -> items.changedLater(8, written));
      assertThat(cachet.exists("item:8")).isTrue();
      written.complete(null);
      assertThat(cachet.exists("item:8")).isFalse();
    });
  }

  @Test
  void aFutureWriteInsideARolledBackTransactionInvalidatesAsAVoidOneDoesAndAFailedOneNever() {
    run(context -> {
      Items items = context.getBean(Items.class);
      Cachet cachet = context.getBean(Cachet.class);
      items.item(9);
      items.item(10);

      template(context, false).executeWithoutResult(status -> {
        items.changedLater(9, CompletableFuture.completedFuture(null));
        status.setRollbackOnly();
      });
      assertThat(cachet.exists("item:9")).isFalse();

      template(context, false).executeWithoutResult(
          status -> items.changedLater(10, CompletableFuture.failedFuture(new IllegalStateException("write failed"))));
      assertThat(cachet.exists("item:10")).isTrue();
    });
  }
}
