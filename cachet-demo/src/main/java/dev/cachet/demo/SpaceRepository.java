package dev.cachet.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Repository;

/** The demo's data: spaces holding items, in memory. Thread-safe. */
@Repository
class SpaceRepository {
  record Item(String id, String name) {}

  private final Map<String, Map<String, Item>> spaces = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(100);

  SpaceRepository() {
    for (String space : List.of("1", "2")) {
      Map<String, Item> items = new ConcurrentSkipListMap<>();
      for (int i = 1; i <= 3; i++) {
        items.put(String.valueOf(i), new Item(String.valueOf(i), "item " + space + "." + i));
      }
      spaces.put(space, items);
    }
  }

  List<String> spaceIds() {
    return new ArrayList<>(new TreeMap<>(spaces).keySet());
  }

  boolean exists(String space) {
    return spaces.containsKey(space);
  }

  List<Item> items(String space) {
    return new ArrayList<>(spaces.getOrDefault(space, Map.of()).values());
  }

  Optional<Item> item(String space, String id) {
    return Optional.ofNullable(spaces.getOrDefault(space, Map.of()).get(id));
  }

  Item create(String space, String name) {
    Item item = new Item(String.valueOf(ids.incrementAndGet()), name);
    spaces.computeIfAbsent(space, s -> new ConcurrentSkipListMap<>()).put(item.id(), item);
    return item;
  }

  Optional<Item> update(String space, String id, String name) {
    Map<String, Item> items = spaces.get(space);
    if (items == null || !items.containsKey(id)) {
      return Optional.empty();
    }
    Item item = new Item(id, name);
    items.put(id, item);
    return Optional.of(item);
  }

  boolean delete(String space, String id) {
    Map<String, Item> items = spaces.get(space);
    return items != null && items.remove(id) != null;
  }
}
