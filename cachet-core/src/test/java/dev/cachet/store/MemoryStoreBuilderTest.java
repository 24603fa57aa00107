package dev.cachet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.testing.ManualExecutor;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryStoreBuilderTest {

  @Test
  void settersFailFast() {
    assertThatThrownBy(() -> MemoryStore.builder().maximumBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemoryStore.builder().maximumVersions(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MemoryStore.builder().maintenanceExecutor(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> MemoryStore.builder().maintenanceExecutor(Runnable::run).maintenanceExecutor(Runnable::run))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("maintenanceExecutor");
  }

  @Test
  void evictionRunsWhereTheMaintenanceExecutorRunsIt() {
    ManualExecutor maintenance = new ManualExecutor();
    MemoryStore store = MemoryStore.builder().maximumBytes(4_000).maintenanceExecutor(maintenance).build();
    for (int i = 0; i < 20; i++) {
      store.put("k" + i, new byte[500], Duration.ofMinutes(1));
    }
    maintenance.runAll();
    assertThat(store.evictionCount()).isPositive();
    int present = 0;
    for (int i = 0; i < 20; i++) {
      present += store.get("k" + i) == null ? 0 : 1;
    }
    assertThat(present).isLessThan(20);
  }

  @Test
  void weightedBytesCountWritesWhoseBookkeepingHasNotRunYet() {
    ManualExecutor maintenance = new ManualExecutor(); // never run here
    MemoryStore store = MemoryStore.builder().maintenanceExecutor(maintenance).build();
    store.put("k", new byte[1_000], Duration.ofMinutes(1));
    assertThat(store.weightedBytes()).isGreaterThan(1_000);
  }
}
