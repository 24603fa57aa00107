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

  @Test
  void aWriteLeavesOutSemicolonParametersButNotEscapedSemicolons() {
    for (HierarchyMode mode : HierarchyMode.values()) {
      assertThat(PathTags.forWrite("/spaces;a=1/123;jsessionid=x/items/4;x=1;y", mode))
          .isEqualTo(PathTags.forWrite(path("/spaces/123/items/4"), mode));
    }
    assertThat(PathTags.forWrite("/a/b%3Bx", HierarchyMode.RESOURCE_AND_ANCESTORS)).containsExactly("t:/a/b%3Bx", "p:/a");
    assertThat(PathTags.forWrite("/a/..;x=1/b", HierarchyMode.RESOURCE_AND_ANCESTORS))
        .as("a dot segment hidden by parameters is still one").containsExactly("t:/b", "t:/a");
  }
}
