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

  /** "/s1/s2/.../sN" */
  private static String deep(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append("/s").append(i);
    }
    return sb.toString();
  }

  private static boolean invalidates(String write, String read, HierarchyMode mode) {
    java.util.Set<String> tags = new java.util.HashSet<>(PathTags.forWrite(path(write), mode));
    tags.retainAll(PathTags.forRead(path(read)));
    return !tags.isEmpty();
  }

  @Test
  void noPathCostsMoreThanMaxDepthPlusOneTagsHoweverDeep() {
    String hostile = deep(4_000);
    assertThat(PathTags.forRead(path(hostile))).hasSize(PathTags.MAX_DEPTH + 1);
    for (HierarchyMode mode : HierarchyMode.values()) {
      assertThat(PathTags.forWrite(path(hostile), mode)).hasSizeLessThanOrEqualTo(PathTags.MAX_DEPTH);
    }
  }

  @Test
  void aWriteDeeperThanMaxDepthStillReachesItselfWhatIsBelowAndItsExactAncestors() {
    for (HierarchyMode mode : new HierarchyMode[] {HierarchyMode.RESOURCE_AND_ANCESTORS,
        HierarchyMode.PARENT_COLLECTION, HierarchyMode.WHOLE_COLLECTION}) {
      String write = deep(20);
      assertThat(invalidates(write, write, mode)).as("itself, %s", mode).isTrue();
      assertThat(invalidates(write, deep(25), mode)).as("below it").isTrue();
      for (int depth = 1; depth < 20; depth++) {
        assertThat(invalidates(write, deep(depth), mode)).as("its ancestor at depth %d", depth).isTrue();
      }
      // a sibling above the cut stays cached in the default mode
      assertThat(invalidates(write, deep(5) + "/other", HierarchyMode.RESOURCE_AND_ANCESTORS)).isFalse();
    }
    // and at exactly MAX_DEPTH nothing changes
    String atCut = deep(PathTags.MAX_DEPTH);
    assertThat(invalidates(atCut, deep(PathTags.MAX_DEPTH - 1) + "/sibling", HierarchyMode.RESOURCE_AND_ANCESTORS))
        .isFalse();
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
