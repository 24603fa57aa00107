package dev.cachet.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.http.HierarchyMode;
import org.junit.jupiter.api.Test;

class PathTagsTest {
  private static PathNormalizer.CanonicalPath path(String raw) {
    return PathNormalizer.normalize(raw);
  }

  @Test
  void readsCarryTheirExactPathAndEverySubtree() {
    assertThat(PathTags.forRead(path("/spaces/123/items/")))
        .containsExactly("p:/spaces/123/items", "t:/spaces", "t:/spaces/123", "t:/spaces/123/items");
    assertThat(PathTags.forRead(path("/"))).containsExactly("p:/");
  }

  @Test
  void writesPerMode() {
    PathNormalizer.CanonicalPath p = path("/spaces/123/items/456");
    assertThat(PathTags.forWrite(p, HierarchyMode.RESOURCE_AND_ANCESTORS)).containsExactly(
        "t:/spaces/123/items/456", "p:/spaces/123/items", "p:/spaces/123", "p:/spaces");
    assertThat(PathTags.forWrite(p, HierarchyMode.PARENT_COLLECTION)).containsExactly(
        "t:/spaces/123/items/456", "t:/spaces/123/items", "p:/spaces/123", "p:/spaces");
    assertThat(PathTags.forWrite(p, HierarchyMode.WHOLE_COLLECTION)).containsExactly(
        "t:/spaces/123/items/456", "t:/spaces/123/items", "t:/spaces/123", "t:/spaces");
    assertThat(PathTags.forWrite(p, HierarchyMode.NONE)).isEmpty();
  }

  @Test
  void aWriteToTheRootTouchesOnlyTheRoot() {
    assertThat(PathTags.forWrite(path("/"), HierarchyMode.WHOLE_COLLECTION)).containsExactly("p:/");
    assertThat(PathTags.forWrite(path("/spaces"), HierarchyMode.WHOLE_COLLECTION)).containsExactly("t:/spaces");
  }
}
