package dev.cachet.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.http.HttpRequestView;
import dev.cachet.http.RoutePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Keys depend on what a request means, not on how it is spelled: random spellings of one path and
 * query (escapes with either hex case, optional escapes of characters that may be raw, parameter
 * order) give one key, and requests that differ give different keys. Spellings a framework may
 * match otherwise than their canonical form (duplicate slashes, dot segments) give no key, and a
 * write through them invalidates at least what a write through the plain spelling does.
 */
class KeyNormalizationProperties {
  private static final RoutePolicy ROUTE = RoutePolicy.ofTtl(Duration.ofMinutes(1));
  private static final String ALPHABET = "aZ09-._~ /%|?#&=+;:@\u00e9\u4e2d";
  private final RequestKeys keys = new RequestKeys(new QueryNormalizer(List.of()));

  @Provide
  Arbitrary<List<String>> segments() {
    return Arbitraries.strings().withChars(ALPHABET).ofMinLength(1).ofMaxLength(6)
        .filter(s -> !s.equals(".") && !s.equals(".."))
        .list().ofMaxSize(5);
  }

  @Provide
  Arbitrary<List<Tuple2<String, String>>> params() {
    Arbitrary<String> text = Arbitraries.strings().withChars(ALPHABET).ofMaxLength(5);
    return Arbitraries.strings().withChars(ALPHABET).ofMinLength(1).ofMaxLength(4)
        .flatMap(name -> text.map(value -> Tuple.of(name, value)))
        .list().ofMaxSize(5);
  }

  /** One spelling of a logical path segment: reserved characters always escaped, others either way. */
  private static String spellSegment(String logical, Random random) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < logical.length(); ) {
      int cp = logical.codePointAt(i);
      i += Character.charCount(cp);
      String ch = new String(Character.toChars(cp));
      boolean mustEscape = "/%?#;".contains(ch); // a raw ';' starts the segment's parameters
      boolean mustBeRaw = ":@&=+".contains(ch); // sub-delimiters mean something else escaped
      if (mustBeRaw || (!mustEscape && random.nextBoolean())) {
        sb.append(ch);
      } else {
        sb.append(escape(ch, random));
      }
    }
    return sb.toString();
  }

  private static String escape(String ch, Random random) {
    StringBuilder sb = new StringBuilder();
    for (byte b : ch.getBytes(StandardCharsets.UTF_8)) {
      String hex = String.format("%02X", b & 0xFF);
      sb.append('%').append(random.nextBoolean() ? hex : hex.toLowerCase());
    }
    return sb.toString();
  }

  private static String spellPath(List<String> segments, Random random) {
    StringBuilder sb = new StringBuilder();
    for (String s : segments) {
      sb.append('/').append(spellSegment(s, random));
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  /** A spelling with at least one {@code //}, {@code ./}, {@code x/../} (dots possibly escaped). */
  private static String spellOddPath(List<String> segments, Random random) {
    String[] odd = {"/", "./", "%2e/", "x/../", "x/%2E./"};
    int at = random.nextInt(segments.size() + 1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i <= segments.size(); i++) {
      sb.append('/');
      if (i == at || random.nextInt(4) == 0) {
        sb.append(odd[random.nextInt(odd.length)]);
      }
      if (i < segments.size()) {
        sb.append(spellSegment(segments.get(i), random));
      }
    }
    return sb.toString();
  }

  /** A spelling of a query component: {@code & = + % #} escaped, a space as {@code +} or {@code %20}. */
  private static String spellComponent(String logical, Random random) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < logical.length(); ) {
      int cp = logical.codePointAt(i);
      i += Character.charCount(cp);
      String ch = new String(Character.toChars(cp));
      if (ch.equals(" ") && random.nextBoolean()) {
        sb.append('+');
      } else if ("&=+%#".contains(ch) || random.nextBoolean()) {
        sb.append(escape(ch, random));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  private static String spellQuery(List<Tuple2<String, String>> params, Random random) {
    List<Tuple2<String, String>> shuffled = new ArrayList<>(params);
    // Only the relative order of one name's values carries meaning: shuffle, then restore it.
    Collections.shuffle(shuffled, random);
    List<String> names = new ArrayList<>();
    shuffled.forEach(p -> names.add(p.get1()));
    List<Tuple2<String, String>> ordered = new ArrayList<>();
    List<Tuple2<String, String>> remaining = new ArrayList<>(params);
    for (String name : names) {
      for (int i = 0; i < remaining.size(); i++) {
        if (remaining.get(i).get1().equals(name)) {
          ordered.add(remaining.remove(i));
          break;
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    for (Tuple2<String, String> p : ordered) {
      sb.append(sb.length() == 0 ? "" : "&").append(spellComponent(p.get1(), random))
          .append('=').append(spellComponent(p.get2(), random));
    }
    return sb.toString();
  }

  private String key(String path, String query) {
    HttpRequestView r = HttpRequestView.builder("GET", path).rawQuery(query).build();
    RequestKeys.Parsed parsed = keys.parse(r);
    assertThat(parsed).as("%s ? %s", path, query).isNotNull();
    return keys.key(parsed, r, ROUTE, null);
  }

  @Property
  void everySpellingOfARequestHasOneKey(
      @ForAll("segments") List<String> segments, @ForAll("params") List<Tuple2<String, String>> params,
      @ForAll long seed) {
    Random random = new Random(seed);
    String first = key(spellPath(segments, random), spellQuery(params, random));
    String second = key(spellPath(segments, random), spellQuery(params, random));
    assertThat(second).isEqualTo(first);
    String again = key(first.substring(4).split("\\?", 2)[0], first.contains("?") ? first.split("\\?", 2)[1] : null);
    assertThat(again).as("normalizing a key's path and query again").isEqualTo(first);
  }

  @Property
  void differentRequestsHaveDifferentKeys(
      @ForAll("segments") List<String> a, @ForAll("segments") List<String> b,
      @ForAll("params") List<Tuple2<String, String>> pa, @ForAll("params") List<Tuple2<String, String>> pb,
      @ForAll long seed) {
    Random random = new Random(seed);
    boolean samePath = a.equals(b);
    boolean sameQuery = sortedByName(pa).equals(sortedByName(pb));
    String ka = key(spellPath(a, random), spellQuery(pa, random));
    String kb = key(spellPath(b, random), spellQuery(pb, random));
    assertThat(ka.equals(kb)).isEqualTo(samePath && sameQuery);
  }

  @Property
  void oddSpellingsHaveNoKeyAndTheirWritesCoverThePlainSpelling(
      @ForAll("segments") List<String> segments, @ForAll long seed) {
    Random random = new Random(seed);
    String plain = spellPath(segments, random);
    String odd = spellOddPath(segments, random);
    assertThat(keys.parse(HttpRequestView.builder("GET", odd).build())).as(odd).isNull();
    for (dev.cachet.http.HierarchyMode mode : dev.cachet.http.HierarchyMode.values()) {
      assertThat(PathTags.forWrite(odd, mode)).as("%s %s", odd, mode)
          .containsAll(PathTags.forWrite(plain, mode));
    }
  }

  @Property
  void parametersInAPathGiveNoKeyAndTheirWritesInvalidateThePathWithout(
      @ForAll("segments") List<String> segments, @ForAll long seed) {
    Random random = new Random(seed);
    String plain = spellPath(segments, random);
    StringBuilder withParameters = new StringBuilder();
    int at = random.nextInt(segments.size() + 1);
    for (int i = 0; i <= segments.size(); i++) {
      if (i < segments.size()) {
        withParameters.append('/').append(spellSegment(segments.get(i), random));
      }
      if (i == at || random.nextInt(3) == 0) {
        withParameters.append(";p").append(random.nextInt(3) == 0 ? "=" + spellSegment("x;y", random) : "");
      }
    }
    String raw = withParameters.charAt(0) == '/' ? withParameters.toString() : "/" + withParameters;
    assertThat(keys.parse(HttpRequestView.builder("GET", raw).build())).as(raw).isNull();
    for (dev.cachet.http.HierarchyMode mode : dev.cachet.http.HierarchyMode.values()) {
      assertThat(PathTags.forWrite(raw, mode)).as("%s %s", raw, mode).isEqualTo(PathTags.forWrite(plain, mode));
    }
  }

  private static List<Tuple2<String, String>> sortedByName(List<Tuple2<String, String>> params) {
    List<Tuple2<String, String>> sorted = new ArrayList<>(params);
    sorted.sort(Comparator.comparing(p -> PercentEncoding.encodeStrict(p.get1())));
    return sorted;
  }

  /** The string comparisons that stand in for common ignored-parameter globs agree with the glob. */
  @Property
  void ignoredNameMatchersAgreeWithTheirGlobs(
      @ForAll("globs") String glob, @ForAll("names") String name) {
    assertThat(QueryNormalizer.matcher(glob).test(name))
        .isEqualTo(QueryNormalizer.compile(glob).matcher(name).matches());
  }

  @Provide
  Arbitrary<String> globs() {
    return Arbitraries.strings().withChars("ab_*?.").ofMaxLength(5);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withChars("ab_.").ofMaxLength(6);
  }
}
