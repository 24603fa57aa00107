package dev.cachet.spring.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonIncludeProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.AnnotatedClass;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cache's own copy of the application's {@code JsonMapper}, for {@code @Cached} values: the
 * application's modules, naming and formats, but made to round-trip, since what a hit returns
 * must equal what the method returned. The application's mapper is shaped for its HTTP API:
 * it leaves out {@code @JsonIgnore}d and {@code WRITE_ONLY} properties (a password hash) and
 * adjusts dates to its time zone, which a hit would then lose. Stateless and thread-safe.
 */
public final class FaithfulMapper {
  private FaithfulMapper() {}

  /** A copy of {@code application} that keeps every property and every date's zone or offset. */
  public static JsonMapper of(JsonMapper application) {
    return application.rebuild()
        .annotationIntrospector(new KeepEverything())
        .disable(DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS) // a timestamp has no zone
        .enable(DateTimeFeature.WRITE_DATES_WITH_ZONE_ID)
        .build();
  }

  /**
   * Jackson's annotations, except those that leave properties out of one direction or both: ignore
   * markers, ignored types and names, included names and access restrictions (the cache writes
   * and reads its own copy; the HTTP API's filtering does not apply to it).
   */
  private static final class KeepEverything extends JacksonAnnotationIntrospector {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean hasIgnoreMarker(MapperConfig<?> config, AnnotatedMember m) {
      return false;
    }

    @Override
    public Boolean isIgnorableType(MapperConfig<?> config, AnnotatedClass ac) {
      return null;
    }

    @Override
    public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
      JsonIgnoreProperties.Value declared = super.findPropertyIgnoralByName(config, a);
      // Only whether unknown properties are tolerated: the names it ignores are kept.
      return declared == null ? null : JsonIgnoreProperties.Value.forIgnoreUnknown(declared.getIgnoreUnknown());
    }

    @Override
    public JsonIncludeProperties.Value findPropertyInclusionByName(MapperConfig<?> config, Annotated a) {
      return JsonIncludeProperties.Value.all();
    }

    @Override
    public JsonProperty.Access findPropertyAccess(MapperConfig<?> config, Annotated a) {
      return null;
    }
  }
}
