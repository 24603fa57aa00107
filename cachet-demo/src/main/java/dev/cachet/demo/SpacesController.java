package dev.cachet.demo;

import dev.cachet.spring.CacheResponse;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A REST API whose reads are cached and whose writes invalidate by hierarchy: a write to
 * {@code /spaces/1/items/2} drops that item (and anything under it) and the lists
 * {@code /spaces/1/items}, {@code /spaces/1}, {@code /spaces}, but not {@code /spaces/1/items/3}.
 */
@RestController
class SpacesController {
  private static final int MAX_PAGE_SIZE = 100;

  private final SpaceRepository spaces;

  SpacesController(SpaceRepository spaces) {
    this.spaces = spaces;
  }

  @GetMapping("/spaces")
  @CacheResponse(ttl = "5m")
  Map<String, Object> listSpaces() {
    return Map.of("spaces", spaces.spaceIds(), "servedAt", System.nanoTime());
  }

  @GetMapping("/spaces/{spaceId}")
  @CacheResponse(ttl = "5m")
  ResponseEntity<Map<String, Object>> space(@PathVariable String spaceId) {
    if (!spaces.exists(spaceId)) {
      return ResponseEntity.notFound().build();
    }
    return ResponseEntity.ok(Map.of("space", spaceId, "items", spaces.items(spaceId).size(), "servedAt", System.nanoTime()));
  }

  @GetMapping("/spaces/{spaceId}/items")
  @CacheResponse(ttl = "5m", tags = "space:{spaceId}")
  ResponseEntity<Map<String, Object>> items(
      @PathVariable String spaceId,
      @RequestParam(defaultValue = "1") int page,
      @RequestParam(defaultValue = "20") int size) {
    if (page < 1 || size < 1 || size > MAX_PAGE_SIZE) {
      // A 400 is never stored (only 200 is, by default), so bad paging cannot fill the cache.
      return ResponseEntity.badRequest().body(Map.of(
          "error", "page must be at least 1 and size from 1 to " + MAX_PAGE_SIZE));
    }
    List<SpaceRepository.Item> all = spaces.items(spaceId);
    int from = (int) Math.min(all.size(), (page - 1L) * size);
    int to = Math.min(all.size(), from + size);
    return ResponseEntity.ok(Map.of("items", all.subList(from, to), "page", page, "servedAt", System.nanoTime()));
  }

  @GetMapping("/spaces/{spaceId}/items/{itemId}")
  @CacheResponse(ttl = "5m", tags = "space:{spaceId}")
  ResponseEntity<Object> item(@PathVariable String spaceId, @PathVariable String itemId) {
    return spaces.item(spaceId, itemId)
        .<ResponseEntity<Object>>map(item -> ResponseEntity.ok(Map.of("item", item, "servedAt", System.nanoTime())))
        .orElseGet(() -> ResponseEntity.notFound().build());
  }

  @PostMapping("/spaces/{spaceId}/items")
  ResponseEntity<SpaceRepository.Item> create(@PathVariable String spaceId, @RequestBody Map<String, String> body) {
    return ResponseEntity.status(HttpStatus.CREATED).body(spaces.create(spaceId, body.getOrDefault("name", "unnamed")));
  }

  @PutMapping("/spaces/{spaceId}/items/{itemId}")
  ResponseEntity<SpaceRepository.Item> replace(
      @PathVariable String spaceId, @PathVariable String itemId, @RequestBody Map<String, String> body) {
    return spaces.update(spaceId, itemId, body.getOrDefault("name", "unnamed"))
        .map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.notFound().build());
  }

  @PatchMapping("/spaces/{spaceId}/items/{itemId}")
  ResponseEntity<SpaceRepository.Item> rename(
      @PathVariable String spaceId, @PathVariable String itemId, @RequestBody Map<String, String> body) {
    return replace(spaceId, itemId, body);
  }

  @DeleteMapping("/spaces/{spaceId}/items/{itemId}")
  ResponseEntity<Void> delete(@PathVariable String spaceId, @PathVariable String itemId) {
    return spaces.delete(spaceId, itemId) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
  }
}
